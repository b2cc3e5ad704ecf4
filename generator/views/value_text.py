"""`commonplace value` as text: the portal's words and formats in a terminal.

Each dimension's figures under the names and captions of the value pages (percentages, lists in
words, project titles), then the people with the largest share of it. Local output: contributors
are shown by the report's id too, the one `commonplace rewards` prints."""

from __future__ import annotations

from value.formats import no_commits_note
from value.indicators import indicators
from value.registry import present
from value.report_types import Report

from ..i18n import Catalogue
from . import value_words as words
from .contributors import DIMENSION_TITLES

TOP = 5


def report_text(report: Report, catalogue: Catalogue, days: int = 180, projects: dict[str, str] | None = None) -> str:
    _ = catalogue.gettext
    src = report.source
    head = _("Value report: commit {commit}", commit=str(src.commit or "-")[:12])
    if src.branch:
        head += " " + _("on {branch}", branch=src.branch)
    if src.subdir:
        head += ", " + _("folder {folder}", folder=src.subdir + "/")
    if src.as_of:
        head += ", " + _("as of {date}", date=catalogue.date(src.as_of))
    lines = [head]
    note = no_commits_note(report)
    if note:
        lines.append(note)
    people = report.contributors
    for dim in present(report.dimensions):
        title = _(DIMENSION_TITLES[dim])
        lines += ["", title, "─" * len(title)]
        values = report.dimensions.get(dim, {})
        shown = [(words.indicator_name(ind.key, catalogue), words.figure_text(ind.key, values[ind.key], ind.unit, catalogue, projects))
                 for ind in indicators("community", dim) if ind.key in values]
        width = max((len(n) for n, _v in shown), default=0)
        lines += [f"  {n.ljust(width)}  {v}" for n, v in shown]
        if isinstance(values.get("replacement_cost"), dict):  # an estimate says how it was made
            lines.append("  " + words.estimate_method(values["replacement_cost"], catalogue))
        ranked = sorted((p for p in people if p.get("scores", {}).get(dim)),
                        key=lambda p: (-p["scores"][dim], p["id"]))[:TOP]
        if ranked:
            lines.append("  " + _("Largest shares:"))
            lines += [f"    {catalogue.percent(p['scores'][dim], 1):>7}  {p['name']} ({p['id']})" for p in ranked]
    bots = len(report.bots)
    lines += ["", catalogue.ngettext("{n} contributor", "{n} contributors", len(people)) + ", "
              + catalogue.ngettext("{n} automated account", "{n} automated accounts", bots)]
    ranked = sorted(people, key=lambda p: (-p.get("value", 0), p["id"]))[:TOP]
    if ranked:
        lines.append(_("Largest value:"))
        lines += [f"  {catalogue.percent(p.get('value', 0), 1):>7}  {p['name']} ({p['id']}), "
                  + catalogue.ngettext("{n} commit", "{n} commits", p.get("commits", 0)) for p in ranked]
    return "\n".join(lines) + "\n"
