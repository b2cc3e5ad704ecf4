"""The value report as the published site may show it: people through their visibility,
no e-mail address, figures formatted with the explanation the methodology gives."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from value.dimensions.monetary_value import rounded
from value.identities import slugify
from value.registry import DIMENSION_TITLES, present
from value.report_types import Report

from ..i18n import Catalogue, english
from ..people import People, pseudonym

EMAIL = re.compile(r"[^\s@<>]+@[^\s@<>]+")
DIMENSION_SUMMARIES = {
    "community_building": "Who takes part, who joins, who stays, and how the work is spread.",
    "objective_accomplishment": "What gets done: commits, merged changes, releases, project goals.",
    "monetary_value": "Money in and out, what returns to contributors, and what the work would cost.",
    "social_use_value": "Evidence that people use what the community makes.",
    "reputation": "Recognition between peers: kudos, cred, All Contributors.",
    "ecological_value": "The impact the community's work had: trees mapped, CO2 avoided, each in its own unit.",
}
# A person's part of a dimension under the dimension's own name: each name says what it counts
# (money raised and the estimated replacement cost of their work, never money they are worth).
PERSON_DIMENSION_TITLES = dict(DIMENSION_TITLES)
PERSON_FIGURES = ("commits", "coauthored_commits", "lines_added", "lines_removed", "reviews", "merges",
                  "events_organised", "events_attended", "kudos_received", "kudos_given", "cred")


def person_dimension_title(key: str) -> str:
    """A dimension's title where it measures one person (a column of people, a person's page)."""
    return PERSON_DIMENSION_TITLES.get(key, label(key))


def label(key: str) -> str:
    return key.replace("_", " ").capitalize()


@dataclass
class Contributor:
    """One published row: a member through their visibility, or a contributor without a file."""

    id: str  # public id: handle, pseudonym slug, or (non-members) the engine's id or a pseudonym
    name: str
    slug: str | None  # member page, when there is one
    member: bool
    figures: dict
    first_commit: str | None
    last_commit: str | None
    role: str | None
    scores: dict
    signals: dict
    value: float
    rewards_received: dict = field(default_factory=dict)
    monthly_value: dict = field(default_factory=dict)
    engine_id: str = ""  # the report's id, to join with other parts of the report; never published
    verified_commits: int | None = None  # commits signed with a key in their member file; None: no member lists keys


def opted_out(row: dict, opt_out) -> bool:
    """Whether a non-member's report row names a person who asked not to be named (by their
    name or one of their addresses, `privacy: opt_out` in commonplace.yaml)."""
    if not opt_out:
        return False
    keys = {(row.get("name") or "").strip().lower(), *(e.strip().lower() for e in row.get("emails") or ())}
    return not keys.isdisjoint(opt_out)


def public_contributors(report: Report, people: People, non_members: str, salt: str,
                        opt_out: frozenset[str] = frozenset()) -> list[Contributor]:
    """Contributors the site may show, sorted by value then id. Hidden members are left out.
    Non-members appear by the name they commit under, or under a pseudonym when the community
    says `non_members: pseudonym`, when they opted out (`opt_out`), or when the name is an address."""
    rows: list[Contributor] = []
    taken = {p.slug for p in people.listed()}
    for c in report.contributors:
        engine_id = c["id"]
        if c.get("member"):
            if people.is_hidden(engine_id):
                continue
            person = people.get(engine_id)
            if person is None:
                continue
            public_id, name, slug = person.slug, person.name, person.slug
        else:
            name = c.get("name") or engine_id
            if (non_members == "pseudonym" or EMAIL.search(name) or EMAIL.search(engine_id)
                    or opted_out(c, opt_out)):
                name = pseudonym(engine_id, salt)
                public_id = slugify(name) or "contributor"
            else:
                public_id = engine_id
            base, n = public_id, 2
            while public_id in taken:
                public_id, n = f"{base}-{n}", n + 1
            slug = None
        taken.add(public_id)
        rows.append(Contributor(
            id=public_id, name=name, slug=slug, member=bool(c.get("member")),
            figures={k: c.get(k) or 0 for k in PERSON_FIGURES},
            first_commit=(c.get("first_commit") or "")[:10] or None,
            last_commit=(c.get("last_commit") or "")[:10] or None,
            role=c.get("role"), scores=dict(c.get("scores", {})), signals=dict(c.get("signals", {})),
            value=c.get("value", 0.0), rewards_received=dict(c.get("rewards_received") or {}),
            monthly_value=dict(c.get("monthly_value") or {}), engine_id=engine_id,
            verified_commits=c.get("verified_commits"),
        ))
    return sorted(rows, key=lambda r: (-r.value, r.id))


def signal_totals(report: Report) -> dict[str, float]:
    """Each dimension's total person signal over every human (hidden members included)."""
    dims = present(report.dimensions)
    totals = {d: 0.0 for d in dims}
    for c in report.contributors:
        for d in dims:
            v = c.get("signals", {}).get(d, 0) or 0
            if v > 0:
                totals[d] += v
    return totals


def format_figure(value, unit: str, catalogue: Catalogue | None = None) -> str:
    """A figure of the report as a reader sees it, in the catalogue's language (English by default)."""
    catalogue = catalogue or english()
    if value is None:
        return "—"
    if isinstance(value, bool):
        return catalogue.gettext("yes") if value else catalogue.gettext("no")
    if isinstance(value, dict):
        if value.get("estimate"):  # the replacement cost: rounded as the estimate it is, never to the cent
            if not value.get("lines"):
                return "—"
            return catalogue.gettext("≈ {cost}", cost=catalogue.money(rounded(Decimal(str(value["cost"]))),
                                                                      value["currency"], places=0))
        if not value:
            return "—"
        if unit == "currency":
            return " · ".join(catalogue.money(v, cur) for cur, v in sorted(value.items()))
        if unit == "share":
            return " · ".join(f"{format_figure(v, 'share', catalogue)} ({cur})" for cur, v in sorted(value.items()))
        if all(isinstance(v, dict) and {"done", "total"} <= set(v) for v in value.values()):
            return " · ".join(f"{k} {catalogue.number(v['done'])}/{catalogue.number(v['total'])}" for k, v in sorted(value.items()))
        return " · ".join(f"{catalogue.gettext(label(str(k))).lower()} {format_figure(v, '', catalogue)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) if value else catalogue.gettext("none")
    if unit == "share" and isinstance(value, (int, float)):
        return catalogue.percent(value, 1)
    if isinstance(value, float):
        return catalogue.number(value, 2)
    if isinstance(value, int):
        return catalogue.number(value)
    if isinstance(value, Decimal):  # a peer's published figure, read as the exact decimal it wrote
        return catalogue.number(int(value)) if value == value.to_integral_value() else catalogue.number(value)
    return str(value)


def monthly_series(values: list, unit: str) -> dict | None:
    """Monthly values as numeric series: one per currency for money, else one."""
    if not values:
        return None
    if all(isinstance(v, dict) or v is None for v in values):
        if unit not in ("currency",):
            return None
        currencies = sorted({c for v in values if v for c in v})
        return {c: [float(Decimal(str((v or {}).get(c, 0)))) for v in values] for c in currencies} or None
    if all(isinstance(v, (int, float)) or v is None for v in values):
        return {"value": [v or 0 for v in values]}
    return None
