"""What the ecological value page and the open data show of impact records (`impact/*.yaml`).

Totals are per (indicator, unit), exact: amounts in different units are never added. People
appear as every page shows them: a pseudonym for a pseudonymous member, hidden members counted
("a member"), never named.
"""

from __future__ import annotations

from typing import Callable

from value.dimensions.ecological_value import totals as impact_totals

from ..datapackage import Table
from ..i18n import Catalogue
from ..load.impact import is_link
from ..model import Model
from ..people import People
from .value_words import amount_text


def impact_page(model: Model, people: People, catalogue: Catalogue) -> dict:
    """The records and totals of value/ecological-value/: {"totals": [...], "records": [...]}."""
    projects = {slug: p.title for slug, p in model.projects.items()}
    totals = [{**t, "amount_text": amount_text(t["amount"], catalogue)} for t in impact_totals(model.impact)]
    records = []
    for r in sorted(model.impact, key=lambda r: (r.date, r.source, r.line), reverse=True):
        shown = people.shown(r.people)
        records.append({
            "date": r.date, "indicator": r.indicator, "amount": amount_text(str(r.amount), catalogue),
            "unit": r.unit, "evidence": r.evidence, "link": is_link(r.evidence),
            "project": r.project, "project_title": projects.get(r.project, r.project),
            "people": [{"name": p.name, "slug": p.slug} for p in shown],
            "unlisted": sum(1 for h in r.people if people.is_hidden(h)),
        })
    return {"totals": totals, "records": records}


def impact_table(model: Model, shown: Callable[[str], str]) -> Table:
    """The open data table `impact`: one row per record, its amount exact."""
    return Table(
        "impact", "Impact", "Ecological (and other) impact the community records, with its evidence. Amounts are "
        "exact and are only ever added within one indicator and unit.",
        [("date", "date", "Date"), ("indicator", "string", "What is measured"),
         ("amount", "number", "How much, exact"), ("unit", "string", "The amount's unit (free text)"),
         ("evidence", "string", "Where the figure can be checked: an address or a short text"),
         ("project", "string", "Project slug"),
         ("people", "string", "Who did the work, '; ' between names (members through their visibility)")],
        [{"date": r.date, "indicator": r.indicator, "amount": r.amount, "unit": r.unit, "evidence": r.evidence,
          "project": r.project, "people": "; ".join(shown(h) for h in r.people)} for r in model.impact],
    )
