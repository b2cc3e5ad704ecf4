"""Members whose names look alike: a warning naming both files.

"Ana Lopez" and "Аna Lopez" (its first letter Cyrillic), "ＡＮＡ ＬＯＰＥＺ" (full-width), "Ana
López" written with a combining accent or as one character, "ana lopez": on a page they are one
person, in the data two. Each name is reduced to a skeleton: NFKC normalisation (full-width and
other compatibility forms, composed accents), spaces collapsed, the letters of other scripts
that look Latin mapped to the Latin letter, and case folded; two member files whose names share a
skeleton get a warning. It is a warning, not an error: two people may share a name.

The look-alike table is written here for the common cases; its reference is Unicode's
confusables.txt (UTS #39, "Unicode Security Mechanisms"), from which it takes the Cyrillic,
Greek, Armenian and Latin letters that are confusable with a basic Latin letter or digit.
Uppercase letters are mapped by their own entries before case folding; I and l, 1 and l, 0 and O
meet in a second skeleton that keeps the case as written.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict

from ..errors import Findings
from .yamlsafe import YamlDoc

# look-alike -> the basic Latin letter it is confused with (after NFKC)
_GROUPS = {
    "a": "аɑαａ",  # Cyrillic a, Latin alpha, Greek alpha
    "A": "АΑᎪ",
    "b": "Ьƅ",
    "B": "ВΒᏴ",
    "c": "сϲᴄ",
    "C": "СϹᏟ",
    "d": "ԁɗ",
    "e": "еҽ",
    "E": "ЕΕᎬ",
    "g": "ɡ",
    "h": "һ",
    "H": "НΗᎻ",
    "i": "іıɩιӏ",
    "I": "ІΙӀ",
    "j": "јϳ",
    "J": "ЈᎫ",
    "k": "κ",
    "K": "КΚᏦ",
    "l": "Ɩ|",
    "M": "МΜᎷ",
    "n": "ո",
    "N": "Ν",
    "o": "оοօ",
    "O": "ОΟՕ",
    "p": "рρ",
    "P": "РΡᏢ",
    "q": "ԛ",
    "r": "г",
    "s": "ѕ",
    "S": "ЅᏚ",
    "T": "ТΤᎢ",
    "u": "υս",
    "v": "νѵ",
    "w": "ԝѡ",
    "x": "хχ",
    "X": "ХΧ",
    "y": "уγ",
    "Y": "ҮΥ",
    "Z": "ΖᏃ",
}
CONFUSABLE = {ord(other): latin for latin, others in _GROUPS.items() for other in others}
# taken as written: the letters and digits that look like another before case folding
AS_WRITTEN = {ord("I"): "l", ord("1"): "l", ord("0"): "O"}
_SPACES = re.compile(r"\s+")


def skeletons(name: str) -> set[str]:
    """The forms under which two names look alike: folded case first, and as written."""
    text = _SPACES.sub(" ", unicodedata.normalize("NFKC", name)).strip()
    folded = text.translate(CONFUSABLE).casefold().translate(CONFUSABLE)
    written = "\0" + text.translate(CONFUSABLE).translate(AS_WRITTEN)  # case kept: "Ian" is not "Lan"
    return {folded, written}


class Lookalikes:
    """Members' names, compared once every member file is read."""

    def __init__(self) -> None:
        self.items: list[tuple[str, YamlDoc, str]] = []  # rel, doc, name

    def add(self, rel: str, doc: YamlDoc, name: str) -> None:
        self.items.append((rel, doc, name))

    def check(self, findings: Findings) -> None:
        """A warning at each name that looks like the name of an earlier file (by path), naming it."""
        first: dict[str, tuple[str, YamlDoc, str]] = {}
        warned: set[tuple[str, str]] = set()
        for rel, doc, name in sorted(self.items, key=lambda item: item[0]):
            for skeleton in sorted(skeletons(name)):
                earlier = first.setdefault(skeleton, (rel, doc, name))
                if earlier[0] == rel or (earlier[0], rel) in warned:
                    continue
                warned.add((earlier[0], rel))
                line, col = doc.where(("name",))
                there = ":".join(map(str, earlier[1].where(("name",))))
                findings.warning(rel, line, col, f"name {name!r} looks like {earlier[2]!r} of {earlier[0]}:{there}: "
                                                 "two people the site would show alike; make the names distinct "
                                                 "(or, if they are one person, keep one file)")
