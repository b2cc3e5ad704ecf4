"""The theme's words and formats follow `language:`: Spanish shipped, English by default, a
community's own catalogue wins key by key, and a missing or broken catalogue is only a warning."""

from __future__ import annotations

import re
import textwrap
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from communities import MINIMAL, ROOT
from generator.vocabulary import AREAS
from generator.build import build
from generator.load.ecosystem import CONTRIBUTION_TYPES
from generator.i18n import Catalogue, PLURAL_RULES, catalogue_findings, english, load_catalogue
from generator.load.yamlsafe import load_yaml
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
    assert f"Subvención de City Council: 12.345,67{NBSP}EUR" in home
    assert "Saltar al contenido" in home and "Members" not in home

    members = read(out, "members/index.html")
    assert "<title>Miembros · Seed Library</title>" in members
    assert "3 personas forman Seed Library; 1 de ellas prefiere no aparecer en la lista." in members

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
    assert ">12.345,67</td>" in ledger  # five digits: grouped (CLDR es)
    assert ">−1234,50" in ledger  # four digits: not grouped; exactly two decimals
    assert ">subvención</td>" in ledger
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
    assert "Grant from City Council: 12,345.67 EUR" in home and "6 April 2024" in home
    assert "3 people make Seed Library; 1 of them prefers not to be listed." in read(out, "members/index.html")
    ana = read(out, "members/ana/index.html")
    assert "<li>Code</li>" in ana and "<li>Event organising</li>" in ana and "eventOrganizing" not in ana
    ledger = read(out, "ledger/index.html")
    assert ">12,345.67</td>" in ledger and ">−1,234.50" in ledger
    assert not result.model.warnings


def test_community_catalogue_overrides_one_string_and_keeps_the_rest(built):
    out, result = built("es", {"theme/i18n/es.yaml": """\
        messages:
          Members: Socias
          "{n} person":
            one: "{n} socia"
            other: "{n} socias"
        """})
    home = read(out, "index.html")
    assert ">Socias</a>" in home and ">Miembros</a>" not in home
    assert ">Proyectos</a>" in home  # the shipped Spanish is still there
    assert "15 socias, 12 de ellas invitadas" in read(out, "events/swap-2024/index.html")
    assert not result.model.warnings


def test_a_new_language_falls_back_to_english_for_missing_keys(built):
    out, result = built("eo", {"theme/i18n/eo.yaml": """\
        plural: one_other
        formats:
          months: [januaro, februaro, marto, aprilo, majo, junio, julio, aŭgusto, septembro, oktobro, novembro, decembro]
          date: "{day}-a de {month} {year}"
        messages:
          Members: Membroj
        """})
    home = read(out, "index.html")
    assert '<html lang="eo">' in home
    assert ">Membroj</a>" in home and ">Projects</a>" in home
    assert "6-a de aprilo 2024" in home
    assert not result.model.warnings


def test_missing_keys_and_plurals_fall_back_to_english():
    t = Catalogue("xx", messages={"{n} person": {"few": "{n} osoby"}}, plural="polish")
    assert t.gettext("Members") == "Members"
    assert t.gettext("Support {name}", name="Seeds") == "Support Seeds"
    assert t.ngettext("{n} person", "{n} people", 3) == "3 osoby"
    assert t.ngettext("{n} person", "{n} people", 5) == "5 people"  # no "many" and no "other": English
    assert t.ngettext("{n} person", "{n} people", 1) == "1 person"
    assert t.term("active") == "active" and t.term(None) == ""


def test_an_unknown_language_is_a_warning_at_its_line(built, community):
    out, result = built("fr")
    warnings = [str(w) for w in result.model.warnings]
    assert any(w.startswith("commonplace.yaml:7:11: warning: no catalogue for language 'fr'") for w in warnings), warnings
    assert ">Members</a>" in read(out, "index.html")  # shown in English, never a crash
    root = community({"commonplace.yaml": config("fr")}, name="check")
    (finding,) = catalogue_findings(root, "fr")
    assert (finding.path, finding.line, finding.severity) == ("commonplace.yaml", 7, "warning")
    assert "theme/i18n/fr.yaml" in finding.message and "es" in finding.message
    assert catalogue_findings(root, "es") == [] and catalogue_findings(root, "es-MX") == []


def test_a_symlinked_catalogue_is_not_followed(community, tmp_path):
    elsewhere = tmp_path / "elsewhere.yaml"
    elsewhere.write_text("messages:\n  Members: HACKED\n", encoding="utf-8")
    root = community({"commonplace.yaml": config("es")})
    (root / "theme" / "i18n").mkdir(parents=True)
    (root / "theme" / "i18n" / "es.yaml").symlink_to(elsewhere)
    out = tmp_path / "out-linked"
    result = build(root, out)
    home = read(out, "index.html")
    assert "HACKED" not in home and ">Miembros</a>" in home
    assert any(w.path == "theme/i18n/es.yaml" and "symbolic link" in w.message for w in result.model.warnings)


def test_a_broken_catalogue_gives_warnings_not_a_crash(built):
    out, result = built("es", {"theme/i18n/es.yaml": """\
        plural: klingon
        formats:
          months: [one, two]
          decimal: "5"
        messages:
          Members: "Socias {nombre}"
          Projects: [not, text]
          "{n} person": {single: "x"}
          Events: Actividades
        """})
    messages = sorted(f"{w.line}: {w.message}" for w in result.model.warnings if w.path == "theme/i18n/es.yaml")
    assert len(messages) == 6, messages
    assert any("unknown plural rule 'klingon'" in m for m in messages)
    assert any(m.startswith("6: the translation uses {nombre}") for m in messages)
    home = read(out, "index.html")
    assert ">Miembros</a>" in home and ">Proyectos</a>" in home and ">Actividades</a>" in home
    assert "6 de abril de 2024" in home and f"12.345,67{NBSP}EUR" in home

    out, result = built("es", {"theme/i18n/es.yaml": "messages: [unclosed\n"}, name="invalid")
    (warning,) = [w for w in result.model.warnings if w.path == "theme/i18n/es.yaml"]
    assert warning.severity == "warning" and "invalid YAML" in warning.message
    assert ">Miembros</a>" in read(out, "index.html")


def test_translations_are_text_and_arguments_are_escaped():
    t = Catalogue("xx", messages={"Support {name}": "<b>Apoya</b> a {name} & co"})
    assert str(t.markup("Support {name}", name="<script>")) == "&lt;b&gt;Apoya&lt;/b&gt; a &lt;script&gt; &amp; co"
    # Placeholders are plain names: no attribute access, no format spec.
    assert t.gettext("{name.__class__} {name!r}", name="x") == "{name.__class__} {name!r}"


def test_number_and_date_formats_are_deterministic():
    es, en = load_catalogue(Path("/nonexistent"), "es"), english()
    assert [es.number(v, 2) for v in (Decimal("1234.56"), Decimal("12345.67"), Decimal("-1234567.8"))] == \
        ["1234,56", "12.345,67", "-1.234.567,80"]
    assert [en.number(v, 2) for v in (Decimal("1234.56"), Decimal("-1234567.8"))] == ["1,234.56", "-1,234,567.80"]
    assert es.number(12345) == "12.345" and es.number(1234) == "1234" and en.number(1234) == "1,234"
    assert es.percent(0.186) == f"18,6{NBSP}%" and en.percent(0.186) == "18.6%"
    assert es.money(Decimal("40"), "EUR") == f"40,00{NBSP}EUR" and en.money(Decimal("1234.5")) == "1,234.50"
    assert es.date(date(2026, 3, 14)) == "14 de marzo de 2026" and en.date(date(2026, 3, 14)) == "14 March 2026"
    assert es.number(0.000123, significant=6) == "0,000123"


def test_plural_rules():
    slavic = PLURAL_RULES["east_slavic"]
    assert [slavic(n) for n in (1, 2, 5, 11, 21, 22, 25, 112, 102)] == ["one", "few", "many", "many", "one", "few", "many", "many", "few"]
    assert PLURAL_RULES["zero_one_other"](0) == "one" and PLURAL_RULES["one_other"](0) == "other"
    assert load_catalogue(Path("/nonexistent"), "ru").plural == "east_slavic"


def _theme_keys() -> set[str]:
    """Every message the default theme and the generator ask for by literal text."""
    literal = r'"((?:[^"\\]|\\.)*)"'
    keys = set()
    for path in (ROOT / "themes" / "default").glob("*.html"):
        text = path.read_text(encoding="utf-8")
        keys |= {m.replace('\\"', '"') for m in re.findall(r"\b_\(\s*" + literal, text)}
        keys |= set(re.findall(r"\b_n\(\s*" + literal, text))
        keys |= set(re.findall(literal + r"\s*\|\s*tr\b", text))
    for path in (ROOT / "generator").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        keys |= {k for k in re.findall(r"\b_\(\s*" + literal, text)}
        keys |= set(re.findall(r"\.gettext\(\s*" + literal, text))
    # Words the theme shows for slugs in the data, through the `area` and `contribution` filters.
    return keys | set(AREAS.values()) | set(CONTRIBUTION_TYPES.values())


def test_the_spanish_catalogue_translates_every_theme_string():
    doc, findings = load_yaml((ROOT / "themes/default/i18n/es.yaml").read_text(encoding="utf-8"), "es.yaml")
    assert findings == []
    missing = sorted(_theme_keys() - set(doc.data["messages"]))
    assert missing == []
    assert load_catalogue(Path("/nonexistent"), "es").findings == []


@pytest.mark.parametrize("formats", [{}, {"group": ".", "decimal": ",", "min_grouping": 2}, {"group": " ", "min_grouping": 0}])
def test_small_whole_numbers_are_written_as_the_general_rule_writes_them(formats):
    catalogue = Catalogue()
    catalogue.formats.update(formats)
    for value in range(-1200, 1200):
        assert catalogue.number(value) == catalogue._localise(format(value, ",")), value
