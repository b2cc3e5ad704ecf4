"""The theme's words and number formats in the site's language: gettext catalogues and Babel.

The words are gettext messages keyed by their English text. The default theme ships compiled
catalogues, `i18n/<lang>/LC_MESSAGES/messages.mo` (the sentences `pybabel extract` finds in the
templates and the generator, babel.cfg) and `terms.mo` (words the theme translates from the
data: statuses, kinds, indicator texts). A community adds or rewords a language with one file,
`theme/i18n/<lang>.po`, which wins message by message; a missing translation shows the English
words and nothing ever fails. Plural forms, dates, numbers, percentages and amounts come from
Babel's CLDR data for the language, never from the machine's locale: the same commit gives
byte-identical pages on every machine. docs/languages.md is the guide.
"""

from __future__ import annotations

import io
import re
import stat
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, localcontext
from functools import lru_cache
from pathlib import Path

from markupsafe import Markup, escape
from value import money as currencies

from .errors import Finding
from .load import safepath
from .load.yamlsafe import load_yaml
from .render.theme import theme_folders
from .resources import themes_dir

PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
DOMAINS = ("messages", "terms")  # the shipped catalogues of a language, both read into one
MAX_PO_BYTES = 2_000_000  # a community's catalogue: the shipped Spanish is about 100 kB


def _escape_text(text: str) -> str:
    """A translation as HTML: &, <, > and both quotes escaped.

    A catalogue is data from a pull request like any other, and the theme puts `_()` in text and
    in attributes (`title="{{ _('...') }}"`): a quote kept as typed would end the attribute and
    start a handler of the translator's choosing. An escaped quote reads the same in text."""
    return str(escape(text))


def _fill(text: str, args: dict, quote=str) -> str:
    """`{name}` placeholders replaced by args (nothing else: no attribute access, no format spec)."""
    return PLACEHOLDER.sub(lambda m: quote(args[m.group(1)]) if m.group(1) in args else m.group(0), text)


# -- Babel's locale data -------------------------------------------------------------------------
@lru_cache(maxsize=16)
def babel_locale(language: str):
    """Babel's locale for a BCP 47 tag ("pt-BR" -> pt_BR); English for a tag CLDR does not know."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return Locale.parse("en")


@lru_cache(maxsize=16)
def plural_forms(language: str) -> tuple[int, str]:
    """How many plural forms the language has and gettext's expression that picks one for n,
    from Babel's data (a .po file's own Plural-Forms header is not trusted)."""
    from babel.messages.plurals import get_plural

    rule = get_plural(babel_locale(language))
    return rule.num_plurals, rule.plural_expr


@lru_cache(maxsize=16)
def _plural_index(language: str):
    import gettext

    return gettext.c2py(plural_forms(language)[1])  # a checked expression of n, from Babel's table


@lru_cache(maxsize=64)
def _pattern(language: str, kind: str, decimals: int | None):
    """The language's decimal or percent pattern, with exactly `decimals` decimals if given."""
    from babel.numbers import parse_pattern

    locale = babel_locale(language)
    formats = locale.percent_formats if kind == "percent" else locale.decimal_formats
    pattern = parse_pattern(formats[None].pattern)  # a copy of its own, changed below
    if decimals is not None:
        pattern.frac_prec = (decimals, decimals)
    return pattern


@dataclass
class Catalogue:
    """One language's messages; English for anything it does not have."""

    language: str = "en"
    messages: dict = field(default_factory=dict)  # English text -> text, or a tuple of plural forms
    findings: list = field(default_factory=list)  # warnings about the catalogue files
    found: bool = True  # False when no catalogue exists for the language (English is shown)
    _fixed: dict = field(default_factory=dict, repr=False, compare=False)  # markup of messages without arguments

    @property
    def locale(self):
        return babel_locale(self.language)

    @property
    def plural(self) -> str:
        return plural_forms(self.language)[1]

    @property
    def formats(self) -> dict:
        """What decides how numbers and dates are written (compiled templates are keyed by it)."""
        return {"locale": str(self.locale), "babel": _babel_version()}

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
        if isinstance(entry, tuple):
            whole = isinstance(n, int) or (isinstance(n, (float, Decimal)) and n == int(n))
            # CLDR puts a fraction in "other", the last form, in the languages Commonplace ships
            index = _plural_index(self.language)(abs(int(n))) if whole else len(entry) - 1
            # A form left empty: the last one given (a file written with fewer forms than Babel's
            # ends with its "other"), else the English.
            text = (entry[index] if index < len(entry) else "") or next((f for f in reversed(entry) if f), "")
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

    # -- numbers and dates, from Babel's CLDR data ---------------------------------------------
    def number(self, value, decimals: int | None = None, significant: int | None = None) -> str:
        """A number as the language writes it; `decimals` fixed, or every decimal it has."""
        if value is None:
            return ""
        if type(value) is int and -1000 < value < 1000 and decimals is None and significant is None:
            return str(value)  # no separator to place: the theme's many small counts
        if isinstance(value, bool):
            value = int(value)
        if isinstance(value, str):
            value = Decimal(value)
        if significant is not None:
            return self.decimal(format(value, f".{significant}g"))
        if type(value) in (int, float, Decimal):  # a page shows the same few weights and counts many times
            return _number(self.language, type(value), str(value), decimals)
        pattern = _pattern(self.language, "decimal", decimals)
        return _apply(pattern, value, self.locale, decimal_quantization=decimals is not None)

    def decimal(self, text: str) -> str:
        """A number already written with a "." ("1234.50") with the language's decimal mark."""
        from babel.numbers import get_decimal_symbol

        return text.replace(".", get_decimal_symbol(self.locale), 1)

    def percent(self, fraction, decimals: int = 1) -> str:
        """A share (0.186) as a percentage ("18.6%", "18,6 %")."""
        # Every member's page shows a dozen shares, mostly the same few: Babel formats each once.
        if isinstance(fraction, (int, float)) and not isinstance(fraction, bool):
            return _percent(self.language, type(fraction), repr(fraction), decimals)
        return _apply(_pattern(self.language, "percent", decimals), fraction, self.locale)

    def money(self, amount, currency: str = "", code: bool = True, places: int | None = None) -> str:
        """An exact amount with its currency's decimals (ISO 4217 minor unit: "€120.00", "¥5",
        "1,250 BHD" in Spanish) and its symbol where the language puts it, unless `code` is false
        (a table whose column names the currency). Without a known currency, two decimals.
        `places`: that many decimals instead (0 for an estimate in whole units: "€11,000").
        A community currency (`currencies:`, unknown to Babel) has its declared decimals and its
        symbol after the number: "2.5 h", "2,5 h"."""
        declared = currencies.unit(currency)
        if declared is not None:
            places = declared.decimals if places is None else places
            text = self.number(Decimal(str(amount)).quantize(Decimal(1).scaleb(-places)), places)
            return f"{text}\u00a0{declared.symbol}" if code else text
        if places is None:
            places = currencies.minor_units(currency) if currencies.is_currency(currency) else 2
        value = Decimal(str(amount)).quantize(Decimal(1).scaleb(-places))
        if not currency or not code:
            return self.number(value, places)
        return _apply(_currency_pattern(self.language, places), value, self.locale, currency=currency,
                      currency_digits=False)

    def date(self, value) -> str:
        if not value:
            return ""
        if isinstance(value, datetime):
            value = value.date()
        if isinstance(value, str):
            value = date.fromisoformat(value[:10])
        return _date(self.language, value)

    def month(self, value: str) -> str:
        """A month of the data ("2024-11") as the language writes it: "November 2024"."""
        try:
            day = date.fromisoformat(f"{value[:7]}-01")
        except ValueError:
            return value
        from babel.dates import format_skeleton

        return format_skeleton("yMMMM", day, locale=self.locale)


@lru_cache(maxsize=4096)
def _percent(language: str, kind: type, written: str, decimals: int) -> str:
    """`Catalogue.percent` of a number, by its type and repr (0.0 and -0.0 are told apart)."""
    return _apply(_pattern(language, "percent", decimals), kind(written), babel_locale(language))


@lru_cache(maxsize=8192)
def _number(language: str, kind: type, written: str, decimals: int | None) -> str:
    """`Catalogue.number` of a number, by its type and text, which gives it back exactly (0.0 and
    -0.0, 1 and 1.0 are told apart, as equal keys would not be); each written once per build."""
    return _apply(_pattern(language, "decimal", decimals), kind(written), babel_locale(language),
                  decimal_quantization=decimals is not None)


@lru_cache(maxsize=8192)
def _date(language: str, day: date) -> str:
    """`Catalogue.date` of a day: a site shows a few hundred days on thousands of pages."""
    from babel.dates import format_date

    return format_date(day, "long", locale=babel_locale(language))


def _apply(pattern, value, locale, **options) -> str:
    """Babel's pattern applied with room for every digit: a count in the data may be huge, and
    Babel rounds in the decimal context, whose default 28 digits would refuse it."""
    digits = Decimal(str(value)).adjusted() if isinstance(value, (int, float, Decimal)) else 0
    if digits < 20:
        return pattern.apply(value, locale, **options)
    with localcontext() as context:
        context.prec = digits + 40
        return pattern.apply(value, locale, **options)


@lru_cache(maxsize=64)
def _currency_pattern(language: str, places: int):
    from babel.numbers import parse_pattern

    pattern = parse_pattern(babel_locale(language).currency_formats["standard"].pattern)
    pattern.frac_prec = (places, places)
    return pattern


@lru_cache(maxsize=1)
def _babel_version() -> str:
    from importlib.metadata import version

    return version("babel")


# -- loading -------------------------------------------------------------------------------------
def _candidates(language: str) -> list[str]:
    """Tags to look for, most general first: "pt-BR" -> ["pt", "pt-BR"]."""
    base = language.split("-")[0]
    return [base, language] if base != language else [language]


@lru_cache(maxsize=8)
def _shipped(tag: str) -> tuple:
    """The default theme's compiled catalogues for one tag, as (msgid, text) pairs; () if none."""
    folder = themes_dir() / "default" / "i18n" / tag.replace("-", "_") / "LC_MESSAGES"
    pairs = []
    for domain in DOMAINS:
        path = folder / f"{domain}.mo"
        if not path.is_file():
            continue
        from babel.messages.mofile import read_mo

        with path.open("rb") as f:
            for message in read_mo(f):
                if message.id and message.string:
                    key = message.id if isinstance(message.id, str) else message.id[0]
                    pairs.append((key, message.string if isinstance(message.string, str) else tuple(message.string)))
    return tuple(pairs)


def _read_po(folder: Path, rel_folder: str, tag: str, language: str, findings: list) -> dict | None:
    """The translations of `folder/i18n/<tag>.po`, or None; every problem is a located warning."""
    rel = f"i18n/{tag}.po"
    shown = f"{rel_folder}/{rel}" if rel_folder else rel
    status, info = safepath.walk(folder, rel)
    if status == "symlink":
        findings.append(Finding(shown, 1, 1, safepath.SYMLINK_MESSAGE, "warning"))
        return None
    if status != "ok" or not stat.S_ISREG(info.st_mode):
        return None
    if info.st_size > MAX_PO_BYTES:
        findings.append(Finding(shown, 1, 1, f"the catalogue is larger than {MAX_PO_BYTES // 1_000_000} MB: "
                                             "it is ignored (split off what the theme does not use)", "warning"))
        return None
    text, bad_line = safepath.decode((folder / rel).read_bytes())
    if text is None:
        findings.append(Finding(shown, bad_line, 1, safepath.NOT_UTF8_MESSAGE, "warning"))
        return None
    catalog, problem = _parse_po(text, language)
    if problem:
        line, message = problem
        findings.append(Finding(shown, line, 1, f"{message}: the catalogue is ignored (is it a gettext .po file?)",
                                "warning"))
        return None
    return _checked(catalog, shown, findings)


def _parse_po(text: str, language: str):
    """Babel's reading of a .po text: (catalog, None), or (None, (line, what is wrong))."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import PoFileError, PoFileParser

    class OwnPlurals(Catalog):
        # The file's Plural-Forms header may say anything ("nplurals=99999999"): the number of
        # forms is the language's, from Babel.
        num_plurals = property(lambda self: plural_forms(language)[0])

    catalog = OwnPlurals(locale=None, domain=None, charset="utf-8")
    try:
        PoFileParser(catalog, ignore_obsolete=True, abort_invalid=True).parse(io.StringIO(text))
    except PoFileError as exc:
        return None, (exc.lineno + 1, str(exc.args[0]).rsplit(" on ", 1)[0])
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:  # a header Babel cannot read
        return None, (1, f"unreadable: {exc}")
    return catalog, None


def _checked(catalog, shown: str, findings: list) -> dict:
    """The catalogue's usable translations; a bad one is a warning and is left out."""
    result = {}
    for message in catalog:
        if not message.id or message.context or message.fuzzy:
            continue  # the header; a context the theme never asks for; a guess not yet reviewed
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        texts = message.string if isinstance(message.string, tuple) else (message.string,)
        if not any(texts):
            continue  # not translated yet: English shows
        allowed = {p for i in ids for p in PLACEHOLDER.findall(i)} | ({"n"} if len(ids) > 1 else set())
        unknown = sorted({p for t in texts if t for p in PLACEHOLDER.findall(t)} - allowed)
        if unknown:
            findings.append(Finding(shown, message.lineno or 1, 1,
                                    f"the translation uses {{{unknown[0]}}}, which the English text does not have: "
                                    "it is left out", "warning"))
            continue
        result[ids[0]] = tuple(texts) if len(ids) > 1 else texts[0]
    return result


def load_catalogue(community_root: Path, language: str) -> Catalogue:
    """The catalogue for `language`: the default theme's, then the community's own files."""
    catalogue = Catalogue(language=language)
    found = language.split("-")[0] == "en"
    own = community_root / "theme"
    for folder in reversed(theme_folders(community_root)):
        for tag in _candidates(language):
            if folder == own:
                data = None
                for name in dict.fromkeys((tag, tag.replace("-", "_"))):
                    data = _read_po(folder, "theme", name, language, catalogue.findings)
                    if data is not None:
                        break
            else:
                data = dict(_shipped(tag)) or None
            if data is None:
                continue
            found = True
            catalogue.messages.update(data)
    catalogue.found = found
    return catalogue


def english() -> Catalogue:
    """The default theme's English: what every page shows without a `language:`."""
    return Catalogue("en")


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
                   f"theme/i18n/{language}.po (see docs/languages.md) or use one of: {', '.join(shipped_languages())}",
                   "warning")


def shipped_languages() -> list[str]:
    folder = themes_dir() / "default" / "i18n"
    found = {p.parent.parent.name.replace("_", "-") for p in folder.glob("*/LC_MESSAGES/messages.mo")}
    return sorted(found | {"en"})


__all__ = ["Catalogue", "load_catalogue", "english", "catalogue_findings", "language_finding", "shipped_languages",
           "babel_locale", "plural_forms"]
