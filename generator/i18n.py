"""The theme's words and number formats in the site's language, from a message catalogue.

A catalogue is a YAML file, `i18n/<language>.yaml`, in the default theme or in the community's
own `theme/` folder (which wins, key by key). Messages are keyed by their English text, so a
missing translation shows the English words and nothing ever fails; plural messages are keyed
by their English singular and hold one text per plural category of the language. Numbers, dates
and amounts are formatted from the catalogue's `formats`, never with the `locale` module: the
same commit gives byte-identical pages on every machine. docs/languages.md is the guide.
"""

from __future__ import annotations

import re
import stat
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from markupsafe import Markup, escape
from value import money as currencies

from .errors import Finding
from .load import safepath
from .load.yamlsafe import load_yaml
from .render.theme import theme_folders
from .resources import themes_dir

CATEGORIES = ("zero", "one", "two", "few", "many", "other")
PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


def _slavic(n: int) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return "one"
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return "few"
    return "many"


# CLDR's cardinal rules for whole numbers, by name; a catalogue names one with `plural:`.
PLURAL_RULES = {
    "one_other": lambda n: "one" if n == 1 else "other",  # en, es, de, it, nl, ca, sv, ...
    "zero_one_other": lambda n: "one" if n in (0, 1) else "other",  # fr, pt (0 and 1 are "one")
    "other": lambda n: "other",  # ja, zh, ko, vi, id, th: one form
    "east_slavic": _slavic,  # ru, uk, be: one / few / many
    "polish": lambda n: "one" if n == 1 else ("few" if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14 else "many"),
    "czech": lambda n: "one" if n == 1 else ("few" if 2 <= n <= 4 else "other"),  # cs, sk
}
DEFAULT_RULES = {"fr": "zero_one_other", "pt": "zero_one_other", "ja": "other", "zh": "other", "ko": "other",
                 "vi": "other", "id": "other", "th": "other", "ru": "east_slavic", "uk": "east_slavic",
                 "be": "east_slavic", "pl": "polish", "cs": "czech", "sk": "czech"}

ENGLISH_FORMATS = {
    "date": "{day} {month} {year}",
    "months": "January February March April May June July August September October November December".split(),
    "decimal": ".",
    "group": ",",
    "min_grouping": 1,
    "percent": "{number}%",
    "money": "{amount} {currency}",
}
_FORMAT_PLACEHOLDERS = {"date": {"day", "month", "year"}, "percent": {"number"}, "money": {"amount", "currency"}}


def _escape_text(text: str) -> str:
    """A translation as HTML text content: &, < and > escaped, quotes kept as typed.

    The theme's attributes take `"words" | tr` instead (a plain string, fully escaped)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _fill(text: str, args: dict, quote=str) -> str:
    """`{name}` placeholders replaced by args (nothing else: no attribute access, no format spec)."""
    return PLACEHOLDER.sub(lambda m: quote(args[m.group(1)]) if m.group(1) in args else m.group(0), text)


@dataclass
class Catalogue:
    """One language's messages and formats; English for anything it does not have."""

    language: str = "en"
    messages: dict = field(default_factory=dict)  # English text -> text, or {category: text}
    formats: dict = field(default_factory=lambda: dict(ENGLISH_FORMATS))
    plural: str = "one_other"
    findings: list = field(default_factory=list)  # warnings about the catalogue files
    found: bool = True  # False when no catalogue exists for the language (English is shown)
    _fixed: dict = field(default_factory=dict, repr=False, compare=False)  # markup of messages without arguments

    # -- words -------------------------------------------------------------------------------
    def gettext(self, message: str, **args) -> str:
        """`message` in the site's language, placeholders filled: plain text, for Python callers."""
        text = self.messages.get(message)
        return _fill(text if isinstance(text, str) else message, args)

    def ngettext(self, singular: str, plural: str, n, **args) -> str:
        """The form for `n` of a message with plurals; `{n}` is filled with `n` as a number."""
        args = {"n": self.number(n), **args}
        return _fill(self._plural_text(singular, plural, n), args)

    def _plural_text(self, singular: str, plural: str, n) -> str:
        entry = self.messages.get(singular)
        whole = isinstance(n, int) or (isinstance(n, (float, Decimal)) and n == int(n))
        if isinstance(entry, dict):
            category = PLURAL_RULES[self.plural](abs(int(n))) if whole else "other"
            text = entry.get(category) or entry.get("other")
            if text:
                return text
        elif isinstance(entry, str):
            return entry
        return singular if n == 1 else plural

    # The theme's versions: the translation is text (escaped), arguments are escaped unless Markup.
    def markup(self, message: str, **args) -> Markup:
        if not args and message in self._fixed:  # the theme's fixed words, looked up once per build
            return self._fixed[message]
        text = self.messages.get(message)
        result = Markup(_fill(_escape_text(text if isinstance(text, str) else message), args, escape))
        if not args:
            self._fixed[message] = result
        return result

    def nmarkup(self, singular: str, plural: str, n, **args) -> Markup:
        args = {"n": self.number(n), **args}
        return Markup(_fill(_escape_text(self._plural_text(singular, plural, n)), args, escape))

    def term(self, word) -> str:
        """A word from the data (a status, a kind) if the catalogue knows it, else as written."""
        text = self.messages.get(str(word)) if word is not None else None
        return text if isinstance(text, str) else ("" if word is None else str(word))

    # -- numbers and dates -------------------------------------------------------------------
    def number(self, value, decimals: int | None = None, significant: int | None = None) -> str:
        """A number with the language's separators; `decimals` fixed, or as Python writes it."""
        if value is None:
            return ""
        if type(value) is int and -1000 < value < 1000 and decimals is None and significant is None:
            return str(value)  # no separator to place: the theme's many small counts
        if isinstance(value, bool):
            value = int(value)
        if isinstance(value, str):
            value = Decimal(value)
        if significant is not None:
            return self._localise(format(value, f".{significant}g"), grouped=False)
        spec = "," if decimals is None else f",.{decimals}f"
        return self._localise(format(value, spec))

    def _localise(self, text: str, grouped: bool = True) -> str:
        f = self.formats
        sign = "-" if text.startswith("-") else ""
        body = text[len(sign):]
        whole = re.match(r"[\d,]*", body).group(0)
        digits = whole.replace(",", "")
        if grouped and len(digits) >= 3 + int(f.get("min_grouping", 1)):
            whole_out = whole.replace(",", f["group"])
        else:
            whole_out = digits
        rest = body[len(whole):].replace(".", f["decimal"], 1)
        return sign + whole_out + rest

    def decimal(self, text: str) -> str:
        """A number already written with a "." ("1234.50") with the language's decimal mark."""
        return self._localise(text, grouped=False)

    def percent(self, fraction, decimals: int = 1) -> str:
        """A share (0.186) as a percentage ("18.6%", "18,6 %")."""
        return _fill(self.formats["percent"], {"number": self.number(100 * fraction, decimals)})

    def money(self, amount, currency: str = "", code: bool = True) -> str:
        """An exact amount with its currency's decimals (ISO 4217 minor unit: "120.00 EUR",
        "5 JPY", "1.250 BHD"), and the currency's code unless `code` is false (a table whose
        column says it). Without a known currency, two decimals."""
        places = currencies.minor_units(currency) if currencies.is_currency(currency) else 2
        value = Decimal(str(amount)).quantize(Decimal(1).scaleb(-places))
        text = self.number(value, places)
        if not currency or not code:
            return text
        return _fill(self.formats["money"], {"amount": text, "currency": currency}).strip()

    def date(self, value) -> str:
        if not value:
            return ""
        if isinstance(value, datetime):
            value = value.date()
        if isinstance(value, str):
            value = date.fromisoformat(value[:10])
        month = self.formats["months"][value.month - 1]
        return _fill(self.formats["date"], {"day": value.day, "month": month, "year": value.year})


# -- loading -------------------------------------------------------------------------------------
def _candidates(language: str) -> list[str]:
    """File stems to look for, most general first: "pt-BR" -> ["pt", "pt-BR"]."""
    base = language.split("-")[0]
    return [base, language] if base != language else [language]


def _read_catalogue(folder: Path, rel_folder: str, stem: str, findings: list) -> dict | None:
    """The data of `folder/i18n/<stem>.yaml`, or None; symlinks are refused with a warning."""
    rel = f"i18n/{stem}.yaml"
    shown = f"{rel_folder}/{rel}" if rel_folder else rel
    status, info = safepath.walk(folder, rel)
    if status == "symlink":
        findings.append(Finding(shown, 1, 1, safepath.SYMLINK_MESSAGE, "warning"))
        return None
    if status != "ok" or not stat.S_ISREG(info.st_mode):
        return None
    text, bad_line = safepath.decode((folder / rel).read_bytes())
    if text is None:
        findings.append(Finding(shown, bad_line, 1, safepath.NOT_UTF8_MESSAGE, "warning"))
        return None
    doc, problems = load_yaml(text, shown)
    findings.extend(Finding(p.path, p.line, p.col, f"{p.message}; the catalogue is ignored", "warning")
                    for p in problems)
    if doc is None or problems:
        return None
    if doc.data is None:
        return {}
    if not isinstance(doc.data, dict):
        findings.append(Finding(shown, 1, 1, "a catalogue is a mapping with 'messages' (and optionally 'formats', "
                                             "'plural'): the file is ignored", "warning"))
        return None
    return _checked(doc, shown, findings)


def _checked(doc, shown: str, findings: list) -> dict:
    """The catalogue's usable parts; every problem is a warning and the part is left out."""
    data, result = doc.data, {}

    def warn(path, message):
        line, col = doc.where(path, key=True)
        findings.append(Finding(shown, line, col, message, "warning"))

    for key in data:
        if key not in ("language", "name", "plural", "formats", "messages"):
            warn((key,), f"unknown key '{key}': a catalogue has 'language', 'name', 'plural', 'formats' and 'messages'")
    plural = data.get("plural")
    if plural is not None:
        if plural in PLURAL_RULES:
            result["plural"] = plural
        else:
            warn(("plural",), f"unknown plural rule '{plural}': use one of {', '.join(PLURAL_RULES)}")
    formats = data.get("formats") or {}
    if not isinstance(formats, dict):
        warn(("formats",), "'formats' must be a mapping")
        formats = {}
    result["formats"] = {}
    for key, value in formats.items():
        if key not in ENGLISH_FORMATS:
            warn(("formats", key), f"unknown format '{key}': use one of {', '.join(ENGLISH_FORMATS)}")
        elif key == "months":
            if isinstance(value, list) and len(value) == 12 and all(isinstance(v, str) and v for v in value):
                result["formats"][key] = value
            else:
                warn(("formats", key), "'months' must list the twelve month names, January first")
        elif key == "min_grouping":
            if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 4:
                result["formats"][key] = value
            else:
                warn(("formats", key), "'min_grouping' must be 1 (1,234) or 2 (1234 but 12,345)")
        elif not isinstance(value, str):
            warn(("formats", key), f"'{key}' must be text")
        elif key in ("decimal", "group") and (not value or any(c.isdigit() for c in value)):
            warn(("formats", key), f"'{key}' must be a separator, not a digit")
        elif key in _FORMAT_PLACEHOLDERS and not set(PLACEHOLDER.findall(value)) <= _FORMAT_PLACEHOLDERS[key]:
            warn(("formats", key), f"'{key}' may only use {', '.join('{' + p + '}' for p in sorted(_FORMAT_PLACEHOLDERS[key]))}")
        else:
            result["formats"][key] = value
    messages = data.get("messages") or {}
    if not isinstance(messages, dict):
        warn(("messages",), "'messages' must be a mapping from the English text to its translation")
        messages = {}
    result["messages"] = {}
    for key, value in messages.items():
        key = str(key)
        allowed = set(PLACEHOLDER.findall(key))
        if isinstance(value, str):
            texts = {"": value}
        elif isinstance(value, dict) and value and all(isinstance(v, str) for v in value.values()):
            bad = [c for c in value if c not in CATEGORIES]
            if bad:
                warn(("messages", key), f"unknown plural category '{bad[0]}': use {', '.join(CATEGORIES)}")
                continue
            texts = value
            allowed.add("n")
        else:
            warn(("messages", key), "a translation is text, or a mapping of plural forms (one: ..., other: ...)")
            continue
        unknown = sorted({p for t in texts.values() for p in PLACEHOLDER.findall(t)} - allowed)
        if unknown:
            warn(("messages", key), f"the translation uses {{{unknown[0]}}}, which the English text does not have: "
                                    "it is left out")
            continue
        result["messages"][key] = value
    return result


def load_catalogue(community_root: Path, language: str) -> Catalogue:
    """The catalogue for `language`: English, then the theme's, then the community's own files."""
    catalogue = Catalogue(language=language, plural=DEFAULT_RULES.get(language.split("-")[0], "one_other"))
    found = language.split("-")[0] == "en"
    own = community_root / "theme"
    for folder in reversed(theme_folders(community_root)):
        rel_folder = "theme" if folder == own else ""
        for stem in _candidates(language):
            data = _read_catalogue(folder, rel_folder, stem, catalogue.findings)
            if data is None:
                continue
            found = True
            catalogue.messages.update(data.get("messages", {}))
            catalogue.formats.update(data.get("formats", {}))
            if "plural" in data:
                catalogue.plural = data["plural"]
    catalogue.found = found
    return catalogue


@lru_cache(maxsize=1)
def _english_data() -> tuple:
    findings: list = []
    data = _read_catalogue(themes_dir() / "default", "", "en", findings) or {}
    return tuple(data.get("messages", {}).items()), tuple(data.get("formats", {}).items())


def english() -> Catalogue:
    """The default theme's English: what every page shows without a `language:`."""
    messages, formats = _english_data()
    return Catalogue("en", dict(messages), {**ENGLISH_FORMATS, **dict(formats)})


def catalogue_findings(community_root: Path, language: str, config_text: str | None = None,
                       catalogue: Catalogue | None = None) -> list[Finding]:
    """Every warning about the site's language: problems in catalogue files, and a language with none.

    `commonplace check` and `build` report these; none of them stops a build.
    """
    catalogue = catalogue or load_catalogue(Path(community_root), language)
    missing = language_finding(community_root, language, config_text, catalogue)
    return sorted(set(catalogue.findings) | ({missing} if missing else set()))


def language_finding(community_root: Path, language: str, config_text: str | None = None,
                     catalogue: Catalogue | None = None) -> Finding | None:
    """A warning at `language:` in commonplace.yaml when no catalogue exists for that language.

    `config_text` is commonplace.yaml's text (read from the work tree when not given).
    """
    catalogue = catalogue or load_catalogue(Path(community_root), language)
    if catalogue.found:
        return None
    line, col = 1, 1
    if config_text is None:
        path = Path(community_root) / "commonplace.yaml"
        try:
            config_text = path.read_text(encoding="utf-8") if not path.is_symlink() else ""
        except (OSError, UnicodeDecodeError):
            config_text = ""
    doc, _ = load_yaml(config_text, "commonplace.yaml")
    if doc is not None and isinstance(doc.data, dict) and "language" in doc.data:
        line, col = doc.where(("language",))
    return Finding("commonplace.yaml", line, col,
                   f"no catalogue for language '{language}': the portal is shown in English. Add "
                   f"theme/i18n/{language}.yaml (see docs/languages.md) or use one of: {', '.join(shipped_languages())}",
                   "warning")


def shipped_languages() -> list[str]:
    folder = themes_dir() / "default" / "i18n"
    return sorted(p.stem for p in folder.glob("*.yaml")) if folder.is_dir() else ["en"]


__all__ = ["Catalogue", "load_catalogue", "english", "catalogue_findings", "language_finding", "shipped_languages", "PLURAL_RULES"]
