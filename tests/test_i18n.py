"""The theme's words and formats follow `language:`: Spanish shipped as gettext catalogues,
English by default, Babel's CLDR data for plurals, numbers, dates and money, a community's own
theme/i18n/<lang>.po wins message by message, and a missing or broken one is only a warning."""

from __future__ import annotations

import io
import re
import textwrap
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from communities import MINIMAL, ROOT
from generator.vocabulary import AREAS, CONTRIBUTION_TYPES
from generator.build import build
from generator.i18n import Catalogue, catalogue_findings, english, load_catalogue
from gitrepo import commit_all

NBSP = "\u00a0"
LEDGER = {
    "ledger/2024.yaml": """\
        currency: EUR
        entries:
          - {date: 2024-03-14, amount: "12345.67", kind: grant, from: City Council}
          - {date: 2024-03-20, amount: "1234.5", kind: expense, to: Print shop}
          - {date: 2024-04-01, amount: "40.00", kind: reward, to: ana}
        """,
}
# What All Contributors recognises Ana for: two known types and one it may add later.
RECOGNITION = {".all-contributorsrc": '{"contributors": [{"login": "ana", "contributions": ["eventOrganizing", "code", "stargazing"]}]}'}


def config(language: str | None) -> str:
    text = textwrap.dedent(MINIMAL["commonplace.yaml"]).rstrip() + "\n"
    return text + (f"language: {language}\n" if language else "")


def read(out: Path, rel: str) -> str:
    return (out / rel).read_text(encoding="utf-8")


@pytest.fixture
def built(community, tmp_path):
    """built(language, extra files) -> (output folder, build result), with git history."""

    def make(language=None, files=None, name="community"):
        root = community({"commonplace.yaml": config(language), **LEDGER, **RECOGNITION, **(files or {})}, name=name)
        commit_all(root)
        out = tmp_path / f"out-{name}"
        return out, build(root, out)

    return make


I18N = ROOT / "themes" / "default" / "i18n"
SPANISH = I18N / "es" / "LC_MESSAGES"


def po(entries: str, header: str = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n') -> str:
    """A community's .po file: a header and `entries` (gettext's own syntax)."""
    return header + textwrap.dedent(entries)


def test_spanish_site_words_dates_and_numbers(built):
    out, result = built("es")
    assert not [w for w in result.model.warnings if "i18n" in w.path or "language" in w.message]

    home = read(out, "index.html")
    assert '<html lang="es">' in home
    assert ">Miembros</a>" in home and ">Proyectos</a>" in home and ">Cuentas</a>" in home
    assert '<h2 id="at-a-glance">De un vistazo</h2>' in home
    assert "Evento: Spring seed swap" in home
    assert "Objetivo alcanzado en Seed catalogue: List 100 varieties" in home
    assert "6 de abril de 2024" in home
    assert f"Subvención de City Council: 12.345,67{NBSP}€" in home  # Babel's es: symbol after the amount
    assert "Saltar al contenido" in home and "Members" not in home

    members = read(out, "members/index.html")
    assert "<title>Miembros · Seed Library</title>" in members
    assert "Seed Library tiene 3 miembros; 1 de ellas prefiere no aparecer en la lista." in members

    event = read(out, "events/swap-2024/index.html")
    assert "15 personas, 12 de ellas invitadas" in event
    assert "<dd>Encuentro</dd>" in event  # the event kind, a word from the data

    project = read(out, "projects/catalogue/index.html")
    assert "1 de 2 objetivos cumplidos" in project and ">Activo</p>" in project
    assert "(1 de mayo de 2024)" in project

    ana = read(out, "members/ana/index.html")
    assert "<li>Código</li>" in ana and "<li>Organización de eventos</li>" in ana
    assert "<li>stargazing</li>" in ana  # a type the catalogue does not know: as written

    ledger = read(out, "ledger/index.html")
    assert "<h2 id=\"totals\">Totales</h2>" in ledger
    assert ">12.345,67</td>" in ledger  # a table whose column names the currency: the amount alone
    assert f">−1.234,50{NBSP}€" in ledger  # exactly two decimals, the euro after the amount
    assert ">Subvención</td>" in ledger  # a ledger kind as a word, in the language
    assert re.search(r"<strong>\d+,\d" + NBSP + "%</strong> de lo gastado en EUR", ledger)

    value = read(out, "value/index.html")
    assert "<h1>Valor</h1>" in value and "Construcción de comunidad" in value and "Metodología" in value
    assert "Todas las cifras de construcción de comunidad" in value
    people = read(out, "value/contributors/index.html")
    assert re.search(r'</th>\s*<td class="num">\d+,\d\d' + NBSP + "%</td>", people)  # each person's value, in percent
    assert "Cómo se cuenta" in read(out, "value/community-building/index.html")

    feed = read(out, "feed.xml")
    assert 'xml:lang="es"' in feed and "<title>Evento: Spring seed swap</title>" in feed


def test_english_is_the_default(built):
    out, result = built(None)
    home = read(out, "index.html")
    assert '<html lang="en">' in home and ">Members</a>" in home
    assert "Grant from City Council: €12,345.67" in home and "April 6, 2024" in home  # CLDR's en
    assert "Seed Library has 3 members; 1 of them prefers not to be listed." in read(out, "members/index.html")
    ana = read(out, "members/ana/index.html")
    assert "<li>Code</li>" in ana and "<li>Event organising</li>" in ana and "eventOrganizing" not in ana
    ledger = read(out, "ledger/index.html")
    assert ">12,345.67</td>" in ledger and ">−€1,234.50" in ledger
    assert not result.model.warnings


def test_a_regional_tag_takes_its_region_s_formats(built):
    out, result = built("en-GB")
    home = read(out, "index.html")
    assert '<html lang="en-GB">' in home and ">Members</a>" in home and "6 April 2024" in home
    assert not result.model.warnings


def test_community_po_overrides_one_word_and_keeps_the_rest(built):
    out, result = built("es", {"theme/i18n/es.po": po('''\
        msgid "Members"
        msgstr "Socias"

        msgid "{n} person"
        msgid_plural "{n} people"
        msgstr[0] "{n} socia"
        msgstr[1] "{n} socias"
        msgstr[2] "{n} socias"

        #, fuzzy
        msgid "Projects"
        msgstr "Proyectitos"
        ''')})
    home = read(out, "index.html")
    assert ">Socias</a>" in home and ">Miembros</a>" not in home
    assert ">Proyectos</a>" in home  # the shipped Spanish is still there; a fuzzy guess is not used
    assert "15 socias, 12 de ellas invitadas" in read(out, "events/swap-2024/index.html")
    assert not result.model.warnings


def test_a_community_rewords_english(built):
    out, result = built(None, {"theme/i18n/en.po": po('msgid "Members"\nmsgstr "People"\n')})
    assert ">People</a>" in read(out, "index.html")
    assert not result.model.warnings


def test_a_new_language_falls_back_to_english_for_missing_keys(built):
    out, result = built("eo", {"theme/i18n/eo.po": po('msgid "Members"\nmsgstr "Membroj"\n')})
    home = read(out, "index.html")
    assert '<html lang="eo">' in home
    assert ">Membroj</a>" in home and ">Projects</a>" in home
    assert "6 Aprilo 2024" in home  # Babel's Esperanto date
    assert not result.model.warnings


def test_missing_keys_and_plurals_fall_back_to_english():
    t = Catalogue("pl", messages={"{n} person": ("", "{n} osoby", ""), "{n} file": ("", "", "")})
    assert t.gettext("Members") == "Members"
    assert t.gettext("Support {name}", name="Seeds") == "Support Seeds"
    assert t.ngettext("{n} person", "{n} people", 3) == "3 osoby"
    assert t.ngettext("{n} person", "{n} people", 5) == "5 osoby"  # no "many": the last form given
    assert t.ngettext("{n} file", "{n} files", 5) == "5 files"  # no form at all: English
    assert t.term("active") == "active" and t.term(None) == ""


def test_plural_forms_come_from_babel():
    files = ("{n} файл", "{n} файла", "{n} файлов")
    ru = Catalogue("ru", messages={"{n} file": files})
    assert [ru.ngettext("{n} file", "{n} files", n) for n in (1, 2, 5, 11, 21, 22, 112)] == \
        ["1 файл", "2 файла", "5 файлов", "11 файлов", "21 файл", "22 файла", "112 файлов"]
    fr = Catalogue("fr", messages={"{n} file": ("{n} fichier", "{n} de fichiers", "{n} fichiers")})
    assert [fr.ngettext("{n} file", "{n} files", n) for n in (0, 1, 2)] == ["0 fichier", "1 fichier", "2 fichiers"]
    es = load_catalogue(Path("/nonexistent"), "es")
    assert es.ngettext("{n} person", "{n} people", 1) == "1 persona"
    assert es.ngettext("{n} person", "{n} people", 1000000) == "1.000.000 personas"  # CLDR's "many"
    assert es.ngettext("{n} person", "{n} people", 2.5) == "2,5 personas"


def test_an_unknown_language_is_a_warning_at_its_line(built, community):
    out, result = built("fr")
    warnings = [str(w) for w in result.model.warnings]
    assert any(w.startswith("commonplace.yaml:7:11: warning: no catalogue for language 'fr'") for w in warnings), warnings
    assert ">Members</a>" in read(out, "index.html")  # shown in English, never a crash
    root = community({"commonplace.yaml": config("fr")}, name="check")
    (finding,) = catalogue_findings(root, "fr")
    assert (finding.path, finding.line, finding.severity) == ("commonplace.yaml", 7, "warning")
    assert "theme/i18n/fr.po" in finding.message and "es" in finding.message
    assert catalogue_findings(root, "es") == [] and catalogue_findings(root, "es-MX") == []


def test_a_symlinked_catalogue_is_not_followed(community, tmp_path):
    elsewhere = tmp_path / "elsewhere.po"
    elsewhere.write_text(po('msgid "Members"\nmsgstr "HACKED"\n'), encoding="utf-8")
    root = community({"commonplace.yaml": config("es")})
    (root / "theme" / "i18n").mkdir(parents=True)
    (root / "theme" / "i18n" / "es.po").symlink_to(elsewhere)
    out = tmp_path / "out-linked"
    result = build(root, out)
    home = read(out, "index.html")
    assert "HACKED" not in home and ">Miembros</a>" in home
    assert any(w.path == "theme/i18n/es.po" and "symbolic link" in w.message for w in result.model.warnings)


def test_a_broken_po_gives_located_warnings_not_a_crash(built):
    out, result = built("es", {"theme/i18n/es.po": po('''\
        msgid "Members"
        msgstr "Socias {nombre}"

        msgid "Events"
        msgstr "Actividades"
        ''')})
    (warning,) = [w for w in result.model.warnings if w.path == "theme/i18n/es.po"]
    assert (warning.line, warning.severity) == (5, "warning")
    assert warning.message.startswith("the translation uses {nombre}, which the English text does not have")
    home = read(out, "index.html")
    assert ">Miembros</a>" in home and ">Proyectos</a>" in home and ">Actividades</a>" in home
    assert "6 de abril de 2024" in home and f"12.345,67{NBSP}€" in home

    out, result = built("es", {"theme/i18n/es.po": po('msgid "Members"\nmsgstr "Socias"\nthis is not gettext\n')},
                        name="invalid")
    (warning,) = [w for w in result.model.warnings if w.path == "theme/i18n/es.po"]
    assert warning.line == 7 and "the catalogue is ignored" in warning.message, warning
    assert ">Miembros</a>" in read(out, "index.html")


def test_a_hostile_plural_header_or_encoding_is_refused_quietly(community):
    hostile = po('''\
        msgid "{n} person"
        msgid_plural "{n} people"
        msgstr[0] "{n} socia"
        msgstr[1] "{n} socias"
        ''', header='msgid ""\nmsgstr ""\n"Plural-Forms: nplurals=999999999; plural=n;\\n"\n\n')
    root = community({"commonplace.yaml": config("es"), "theme/i18n/es.po": hostile})
    t = load_catalogue(root, "es")  # the number of forms is Spanish's, from Babel: no huge list
    assert t.findings == [] and t.ngettext("{n} person", "{n} people", 2) == "2 socias"
    root = community({"commonplace.yaml": config("es")}, name="latin1")
    (root / "theme" / "i18n").mkdir(parents=True)
    (root / "theme" / "i18n" / "es.po").write_bytes(b'msgid "Members"\nmsgstr "Se\xf1oras"\n')
    (finding,) = load_catalogue(root, "es").findings
    assert (finding.path, finding.line) == ("theme/i18n/es.po", 2) and "UTF-8" in finding.message


def test_translations_are_text_and_arguments_are_escaped():
    t = Catalogue("xx", messages={"Support {name}": "<b>Apoya</b> a {name} & co"})
    assert str(t.markup("Support {name}", name="<script>")) == "&lt;b&gt;Apoya&lt;/b&gt; a &lt;script&gt; &amp; co"
    # Placeholders are plain names: no attribute access, no format spec.
    assert t.gettext("{name.__class__} {name!r}", name="x") == "{name.__class__} {name!r}"


def test_number_date_and_money_formats_come_from_babel():
    es, en = load_catalogue(Path("/nonexistent"), "es"), english()
    assert [es.number(v, 2) for v in (Decimal("1234.56"), Decimal("12345.67"), Decimal("-1234567.8"))] == \
        ["1.234,56", "12.345,67", "-1.234.567,80"]
    assert [en.number(v, 2) for v in (Decimal("1234.56"), Decimal("-1234567.8"))] == ["1,234.56", "-1,234,567.80"]
    assert es.number(12345) == "12.345" and en.number(1234) == "1,234"
    assert es.percent(0.186) == f"18,6{NBSP}%" and en.percent(0.186) == "18.6%"
    assert es.money(Decimal("492.8"), "EUR") == f"492,80{NBSP}€" and en.money(Decimal("492.8"), "EUR") == "€492.80"
    assert es.money(Decimal("1.25"), "BHD") == f"1,250{NBSP}BHD"  # the currency's own minor unit: three
    assert en.money(1500, "JPY") == "¥1,500" and en.money(Decimal("1234.5")) == "1,234.50"
    assert es.money(Decimal("40"), "EUR", code=False) == "40,00"
    assert es.date(date(2026, 3, 14)) == "14 de marzo de 2026" and en.date(date(2026, 3, 14)) == "March 14, 2026"
    assert es.number(0.000123, significant=6) == "0,000123"


def _extracted() -> dict:
    """What `pybabel extract -F babel.cfg` finds: English singular -> its source files."""
    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    with (ROOT / "babel.cfg").open(encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f)
    found: dict = {}
    for filename, _line, message, _comments, _context in extract_from_dir(str(ROOT), method_map, options_map,
                                                                          keywords=DEFAULT_KEYWORDS):
        found.setdefault(message if isinstance(message, str) else message[0], set()).add(filename)
    return found


def _po(path: Path):
    from babel.messages.pofile import read_po

    return read_po(path.open("rb"))


def test_every_theme_message_has_a_spanish_translation():
    extracted = _extracted()
    assert "Skip to content" in extracted and "{count} member" in extracted  # a `_()` and an `_n()` call
    assert "Search the site" in extracted  # a `"words" | tr`
    messages = {m.id if isinstance(m.id, str) else m.id[0]: m.string for m in _po(SPANISH / "messages.po") if m.id}
    assert sorted(set(extracted) - set(messages)) == []  # run pybabel extract and update (docs/languages.md)
    assert sorted(set(messages) - set(extracted)) == []  # nothing stale
    assert sorted(k for k, v in messages.items() if not all(v if isinstance(v, tuple) else (v,))) == []
    terms = {m.id: m.string for m in _po(SPANISH / "terms.po") if m.id}
    template = {m.id for m in _po(I18N / "terms.pot") if m.id}
    assert set(terms) == template and all(terms.values())
    # Words the theme shows for slugs in the data, through the `area` and `contribution` filters.
    shipped = load_catalogue(Path("/nonexistent"), "es")
    assert sorted(w for w in set(AREAS.values()) | set(CONTRIBUTION_TYPES.values()) if w not in shipped.messages) == []
    assert shipped.findings == []


def test_the_shipped_mo_files_are_compiled_from_the_po_files():
    from babel.messages.mofile import write_mo

    for domain in ("messages", "terms"):
        compiled = io.BytesIO()
        write_mo(compiled, _po(SPANISH / f"{domain}.po"))
        assert compiled.getvalue() == (SPANISH / f"{domain}.mo").read_bytes(), \
            f"run: pybabel compile -d themes/default/i18n -D '{domain}' -l es"


@pytest.mark.parametrize("language", ["en", "es", "de-CH"])
def test_small_whole_numbers_are_written_as_babel_writes_them(language):
    from babel.numbers import format_decimal

    catalogue = Catalogue(language)
    for value in range(-1200, 1200):
        assert catalogue.number(value) == format_decimal(value, locale=catalogue.locale), value
