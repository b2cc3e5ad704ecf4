"""Characters that change how a short display text reads without showing themselves are refused.

A name, a role, an affiliation, a title or a link's title is shown as it is written, on pages,
in feeds and in findings. A bidirectional control (U+202E RIGHT-TO-LEFT OVERRIDE turns
"Ana [U+202E]zeL" into "Ana Lez" on screen), an invisible character (a zero width space
making "Ana" and "An[U+200B]a" two different people who look the same), a control character
(a terminal escape) or a variation selector standing alone can make a text read as something it
is not. The rule, the same for the whole class: such a text is an error at its line naming each
character by code point and name, to be removed; nothing is removed silently.

Refused: every format character (Unicode category Cf: the bidirectional controls U+200E, U+200F,
U+061C, U+202A-U+202E, U+2066-U+2069, the zero width characters U+200B-U+200D, U+2060-U+2064,
U+FEFF, U+00AD SOFT HYPHEN, tag characters...), control characters (Cc), line and paragraph
separators, characters that only look blank (Hangul fillers, U+034F, U+2800), and a variation
selector that follows no visible character.
"""

from __future__ import annotations

import unicodedata

from ..errors import Findings
from .patterns import ANY, ANY_KEY
from .references import texts_at
from .yamlsafe import YamlDoc

LINKS = (("links", ANY, "title"),)

# kind of file -> the paths of its short display texts
DISPLAY_TEXTS: dict[str, tuple[tuple, ...]] = {
    "member": (("name",), ("roles", ANY), ("affiliation",)) + LINKS,
    "project": (("title",), ("summary",), ("goals", ANY, "title")) + LINKS,
    "event": (("title",), ("summary",), ("location",)) + LINKS,
    "page": (("title",), ("summary",)),
    "community": (("name",), ("tagline",), ("legal_form",), ("location",), ("areas", ANY)) + LINKS,
    "commonplace": (("title",), ("description",), ("currencies", ANY_KEY, "name"),
                    ("currencies", ANY_KEY, "symbol")),
    "rewards": (("title",),),
    "federation": (("peers", ANY, "title"),),
    "ledger": (("entries", ANY, "from"), ("entries", ANY, "to")),
    "decision": (("title",),),
    "mentions": (("mentions", ANY, "title"),),
    "impact": (("records", ANY, "indicator"), ("records", ANY, "unit"), ("records", ANY, "evidence")),
    "survey": (("title",), ("questions", ANY, "question"), ("questions", ANY, "scale", ANY)),
}

# Blank-looking characters of other categories (letters and marks that draw nothing).
BLANK = frozenset({0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x2800, 0x3164, 0xFFA0})
LINE_BREAKS = frozenset({"Zl", "Zp"})


def _selector(code: int) -> bool:
    return 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF


def refused_characters(text: str) -> list[str]:
    """The characters of `text` that the rule refuses, each once, in order of appearance."""
    if text.isascii() and text.isprintable():
        return []  # most texts: no ASCII character the rule refuses is printable
    found: list[str] = []
    previous_visible = False
    for char in text:
        code, category = ord(char), unicodedata.category(char)
        bad = (category in ("Cf", "Cc") or category in LINE_BREAKS or code in BLANK
               or (_selector(code) and not previous_visible))
        if bad and char not in found:
            found.append(char)
        previous_visible = not bad and not _selector(code) and not char.isspace()
    return found


def describe(char: str) -> str:
    """'U+202E RIGHT-TO-LEFT OVERRIDE'."""
    name = unicodedata.name(char, "") or {"Cc": "a control character"}.get(unicodedata.category(char), "unnamed")
    return f"U+{ord(char):04X} {name}"


def check(rel: str, kind: str, doc: YamlDoc, findings: Findings, skip=lambda path: False) -> None:
    """An error at each short display text of `doc` that holds a refused character."""
    for pattern in DISPLAY_TEXTS.get(kind, ()):
        for path, text in texts_at(doc.data, pattern):
            chars = refused_characters(text)
            if not chars or skip(path):
                continue
            label = next((p for p in reversed(path) if isinstance(p, str)), "value")
            what = ", ".join(describe(c) for c in chars[:3]) + (f" and {len(chars) - 3} more" if len(chars) > 3 else "")
            them = "it" if len(chars) == 1 else "them"
            line, col = doc.where(path)
            findings.error(rel, line, col, f"'{label}' holds {what}: a character that is invisible or changes how "
                                           f"the text reads, which can make it pass for another; remove {them}")
