"""One-off: themes/default/i18n/es.yaml -> gettext catalogues (kept in git history only).

Messages that `pybabel extract` finds (babel.cfg) go to the `messages` domain, with the plural
forms the theme's calls give; the words the theme translates from the data (statuses, kinds,
indicator texts) go to the `terms` domain, in es.yaml's order. Every text is copied as it is.
"""
import subprocess, sys
from datetime import datetime, timezone
from pathlib import Path

import yaml
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po
from babel.messages.mofile import write_mo

I18N = Path("themes/default/i18n")
STAMP = datetime(2026, 1, 1, tzinfo=timezone.utc)
EXTRA = {  # Python-side messages es.yaml never had (the terminal's value report)
    "Largest shares:": "Mayores partes:",
    "Largest value:": "Mayor valor:",
    "Value report: commit {commit}": "Informe de valor: commit {commit}",
    "as of {date}": "a {date}",
    "folder {folder}": "carpeta {folder}",
    "on {branch}": "en {branch}",
    "{n} automated account": ("{n} cuenta automatizada", "{n} cuentas automatizadas"),
    "{n} contributor": ("{n} persona que contribuye", "{n} personas que contribuyen"),
}

subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "--no-location",
                "--sort-output", "--project", "Commonplace", "--copyright-holder", "Commonplace",
                "-o", str(I18N / "messages.pot"), "."], check=True)
pot = read_po((I18N / "messages.pot").open("rb"))
es = yaml.safe_load((I18N / "es.yaml").read_text(encoding="utf-8"))["messages"]
es = {str(k): v for k, v in es.items()}


def catalog(domain):
    cat = Catalog(locale="es", domain=domain, project="Commonplace", version="", creation_date=STAMP,
                  revision_date=STAMP, last_translator="Commonplace contributors", language_team="Español",
                  fuzzy=False, copyright_holder="Commonplace contributors", msgid_bugs_address="-",
                  header_comment=HEADER)
    return cat


HEADER = """# Spanish (es) translations of the Commonplace theme, español neutro (es-ES).
# Placeholders in braces ({name}) are filled in by the theme: keep them. See docs/languages.md.
# This file is distributed under the same license as Commonplace."""

# Which CLDR category each of Babel's plural forms for Spanish is (one, many, other).
import gettext
from babel import Locale
_expr = Catalog(locale="es").plural_expr
_index = gettext.c2py(_expr)
CATEGORIES = {}
for n in (0, 1, 2, 5, 1000000):
    CATEGORIES.setdefault(_index(n), Locale.parse("es").plural_form(n))
ORDER = [CATEGORIES[i] for i in range(len(CATEGORIES))]
print("es plural forms:", ORDER)


def forms(value):
    if isinstance(value, str):
        return tuple(value for _ in ORDER)
    if isinstance(value, dict):
        return tuple(value.get(c) or value["other"] for c in ORDER)
    one, other = value
    return tuple(one if c == "one" else other for c in ORDER)


messages, used = catalog("messages"), set()
for m in pot:
    if not m.id:
        continue
    key = m.id if isinstance(m.id, str) else m.id[0]
    value = es.get(key, EXTRA.get(key))
    assert value is not None, key
    used.add(key)
    if isinstance(m.id, tuple):
        messages.add(m.id, forms(value), flags=m.flags)
    else:
        assert isinstance(value, str), key
        messages.add(m.id, value, flags=m.flags)

terms = catalog("terms")
for key, value in es.items():
    if key in used:
        continue
    flags = ["python-brace-format"] if "{" in key else []
    if key == "{n} problem with this peer":  # no caller today; its English plural is the obvious one
        terms.add((key, "{n} problems with this peer"), forms(value), flags=flags)
        continue
    assert isinstance(value, str), key
    terms.add(key, value, flags=flags)

template = Catalog(domain="terms", project="Commonplace", version="", creation_date=STAMP, fuzzy=False,
                   copyright_holder="Commonplace contributors", msgid_bugs_address="-",
                   header_comment="# The words the theme translates from the data: statuses, kinds, indicator texts.\n"
                                  "# Not found by `pybabel extract`: add a word here when the code gains one.")
for m in terms:
    if m.id:
        template.add(m.id, ("", "") if isinstance(m.id, tuple) else "", flags=m.flags)

out = I18N / "es" / "LC_MESSAGES"
out.mkdir(parents=True, exist_ok=True)
for name, cat in (("messages", messages), ("terms", terms)):
    with (out / f"{name}.po").open("wb") as f:
        write_po(f, cat, width=100, omit_header=False)
with (I18N / "terms.pot").open("wb") as f:
    write_po(f, template, width=100)
print(len(messages), "messages,", len(terms), "terms")
