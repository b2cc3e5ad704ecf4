"""The words the site and the terminal use for value: each indicator's name, what it means and how
it is counted, in plain language, and its figure written for people (percentages, lists in words,
project titles rather than slugs).

The engine's registry (`value.registry`) keeps the exact formulas next to the code, for
developers; readers of the portal get these, which say the same without internal keys, file
names or code. An indicator missing here falls back to the registry's words, so a new one is
shown at once and worded later.
"""

from __future__ import annotations

from decimal import Decimal

from value.registry import ALL_DIMENSIONS, Indicator
from value.report_types import Report

from ..i18n import Catalogue
from ..vocabulary import FUNDING_PLATFORMS
from .contributors import format_figure, label as key_label

# key -> (name, what it means, how it is counted). `{days}`: the inactivity window of the config.
WORDS: dict[str, tuple[str, str | None, str | None]] = {
    # community building
    "active_contributors": (
        "Active contributors",
        "How many people contribute (CHAOSS Active Contributors): overall, in the last {days} days; each month, in that month.",
        "people with a record of something they did in the period: a commit authored, a co-author or review trailer, a record in the contributions files, an event organised or attended (kudos received and cred do not count), each person once"),
    "active_contributors_12m": (
        "Active contributors, last 12 months",
        "How many people took part in the 12 months up to the report's day.",
        "people with a record of something they did in the 12 months up to the report's day, counted as active contributors are; empty when nobody did anything in those months"),
    "active_contributors_whole_history": (
        "Contributors over the whole history",
        "Everyone who ever took part, up to the report's day.",
        "people with a record of something they did, over the whole history up to the report's day, counted as active contributors are"),
    "new_contributors": (
        "New contributors",
        "Newcomers (CHAOSS New Contributors): people whose first contribution ever falls in the last {days} days, not merely their first in some window.",
        "people whose first record of something they did, over the whole history, falls in the period"),
    "inactive_contributors": (
        "Contributors who stopped",
        "People who contributed and stopped (CHAOSS Inactive Contributors).",
        "people with a record of something they did before the period's end but none in the {days} days before it"),
    "retention": (
        "Contributors who stayed",
        "Share of the previous period's contributors who are still active: overall, the last {days} days against the {days} before; empty when nobody was active before.",
        "people active in both the previous period and this one, divided by the people active in the previous period"),
    "absence_factor": (
        "Bus factor",
        "How few people hold half of the commits of the whole history (CHAOSS Contributor Absence Factor): the lower, the more the work depends on a few. Half is reached at 50% or more (CHAOSS's text says \"more than\").",
        "sort people by commits, most first; the smallest number of them who together hold 50% or more of all commits"),
    "absence_factor_12m": (
        "Bus factor, last 12 months",
        "The bus factor of the 12 months up to the report's day, beside the whole history's: who holds the work now.",
        "the bus factor, counted the same way over the commits of the 12 months up to the report's day; empty when those months have no commit"),
    "elephant_factor": (
        "Organisations holding half the work",
        "How few organisations hold half of the commits of the whole history (CHAOSS Elephant Factor). The work of people without an affiliation is left out; the next figure says how much.",
        "the bus factor over organisations (each member's affiliation); the commits of people without one are left out"),
    "elephant_factor_12m": (
        "Organisations holding half the work, last 12 months",
        "Organisations holding half the commits of the 12 months up to the report's day, beside the whole history's.",
        "the organisations figure, counted the same way over the commits of the 12 months up to the report's day; empty when those months have no commit by someone with an affiliation"),
    "unaffiliated_share": (
        "Work without an organisation",
        "The share of commits that the organisations figure could not attribute to any organisation.",
        "commits of people without an affiliation, divided by all commits (automated accounts left out)"),
    "roles": (
        "Core, regular and casual contributors",
        "The onion model of participation (the 1-9-90 rule) over the whole history: the core holds 80% of the commits, regular contributors the next 15%, casual ones the rest.",
        "sort people by commits, most first; the core is the fewest people who together reach 80% or more of the commits, regular contributors the next people until 95% or more, casual contributors everyone else. People with equal commits are never split between two roles: a group of them that a threshold would cut goes whole to the outer role, a group that ends exactly on the threshold stays inside"),
    "roles_12m": (
        "Core, regular and casual contributors, last 12 months",
        "The onion of participation over the 12 months up to the report's day, beside the whole history's.",
        "the onion of participation, counted the same way over the commits of the 12 months up to the report's day; empty when those months have no commit"),
    "events": ("Events", "Community events held.", None),
    "event_participants": (
        "Event participations",
        None,
        "over the period's events, the number of organisers and participants of each (each person once per event), plus its guests, added up"),
    "members": ("Members", "People with a member file.", "member files"),
    # objective accomplishment
    "commits": (
        "Commits", None,
        "commits that are not merges (the same figure as git log --no-merges)"),
    "commits_with_merges": ("Commits, merges included", None, "commits that are not merges, plus merge commits"),
    "lines_added": (
        "Lines added", None,
        "lines added, summed over commits that are not merges (as git log --numstat counts them, a rename recognised only when the content is identical; binary files count 0)"),
    "lines_removed": ("Lines removed", None, "lines removed, counted as lines added are"),
    "lines_changed": ("Lines changed", None, None),
    "merged_pull_requests": (
        "Merged pull requests",
        "Pull requests and merge requests accepted through the forge's merge button.",
        None),
    "releases": (
        "Releases", None,
        "tags on a commit of the counted history, dated by the tagger (or by the commit, for a tag without its own date)"),
    "release_cadence_days": ("Time between releases", None, None),
    "goals_done": (
        "Goals reached", "Objectives reached, from the projects' pages.",
        "project goals marked done (each month: by the day each was done)"),
    "goals_total": ("Goals set", None, None),
    "goals": ("Goals by project", None, "for each project, its goals done out of its goals"),
    "projects_completed": ("Projects completed", None, None),
    # monetary value
    "income": ("Income", None, None),
    "expenses": ("Expenses", None, None),
    "balance": ("Balance", None, None),
    "donors": ("Donors", None, "distinct givers named in donations"),
    "returned_to_contributors": (
        "Spending returned to contributors", None,
        "spending paid to people who contribute, divided by all spending, per currency"),
    "funding_channels": (
        "Ways to give",
        "Ways to support the community financially, as listed in its funding file for GitHub.",
        "the platforms listed, with an account, in the community's funding file"),
    "replacement_cost": ("Replacement cost (estimate)", None, None),
    "rewards_received": (
        "Rewards received", None,
        "rewards the ledger shows were paid to them, per currency"),
    # social use value
    "downloads": ("Downloads", "Evidence of use: downloads reported in the community's usage records.",
                  "the counts of usage records of the kind downloads, added up"),
    "citations": ("Citations", "Evidence of use: citations reported in the community's usage records.",
                  "the counts of usage records of the kind citations, added up"),
    "users": ("Users", "Evidence of use: users reported in the community's usage records.",
              "the latest count of usage records of the kind users for each project, added up"),
    "deployments": ("Deployments", "Evidence of use: deployments reported in the community's usage records.",
                    "the latest count of usage records of the kind deployments for each project, added up"),
    "usage_by_kind": (
        "Use, by kind", None,
        "every kind of usage record except testimonials, each counted as downloads (added up) or as users (the latest count for each project)"),
    "testimonials": ("Testimonials", None, "usage records that are testimonials, or that quote someone"),
    "forks_and_peers": ("Forks and peer communities", None, "the communities this one declares it federates with"),
    "citable": (
        "Citable", None,
        "the community publishes a valid citation file (Citation File Format: its version, a message, a title and at least one author)"),
    "documentation_share": (
        "Work on documentation", None,
        "lines changed in documentation (a docs folder, Markdown and reStructuredText files, the README...), divided by all lines changed"),
    "documentation_lines": ("Documentation lines", None, None),
    "surveys": ("Surveys", "Surveys the community ran to hear from the people it serves.",
                "surveys that closed in the period"),
    "survey_respondents": ("Survey respondents", "How many answers the community's surveys gathered.",
                           "the respondents of the surveys that closed in the period, added up (someone who answered "
                           "two surveys counts twice)"),
    # ecological value
    "impact_records": ("Impact records", "Measured impact of the community's work, each record with its evidence.",
                       "impact records dated in the period"),
    "impact_totals": ("Impact, by indicator", "How much of each indicator, in the unit it is measured in.",
                      "the amounts of the impact records, added up for each indicator and unit: amounts in different "
                      "units are never added"),
    "impact_projects": ("Projects with impact", "The projects whose work has a recorded impact.",
                        "projects named by at least one impact record"),
    # reputation
    "kudos": ("Kudos", "Recognition given by one member to another.", None),
    "kudos_givers": ("People giving kudos", None, "distinct people who gave the period's kudos"),
    "mentions": ("Mentions", "How the world outside sees the community: press, citations, awards, talks and projects that depend on its work.", None),
    "mentions_by_kind": ("Mentions, by kind", None, "the period's mentions counted by kind (press, citation, award, talk, dependent)"),
    "cred_concentration": ("People holding half the cred", None,
                           "the smallest number of people who together hold 50% or more of the cred"),
    "recognised": (
        "Credited by name",
        "All Contributors coverage: how many of the people who did the work the community credits by name. Empty when the community keeps no All Contributors list.",
        "people with commits who appear in the community's All Contributors list (by login or by name), divided by the people with commits (automated accounts left out)"),
    "contribution_types": ("Kinds of work credited", None, "distinct kinds of contribution in the community's All Contributors list"),
    "cred": ("Cred", None,
             "1000 × the person's part of a simplified CredRank (PageRank over people, commits, co-authorship and review trailers and kudos), so that everyone's cred adds up to 1000"),
    "kudos_received": ("Kudos received", None, "kudos that name them as the receiver"),
    "kudos_given": ("Kudos given", None, "kudos that name them as the giver"),
    # per person, community building
    "events_organised": ("Events organised", None, None),
    "decisions": ("Decisions", "Governance in the open: the decisions proposed and taken, as the decisions folder records them.", None),
    "decision_participants": ("People taking part in decisions", None, "distinct people who proposed or took part in the period's decisions"),
    "events_attended": ("Events attended", None, None),
    "reviews": ("Reviews given", None, None),
    "signed_off": ("Sign-offs", None, None),
    "role": ("Role", None, "core, regular or casual, as in the onion of participation above"),
}

# The dashboard: each dimension's headline figures (at most four), in this order, and what they mean.
HEADLINES = {
    "community_building": ("active_contributors", "new_contributors", "retention", "roles"),
    "objective_accomplishment": ("commits", "merged_pull_requests", "releases", "goals_done"),
    "monetary_value": ("income", "expenses", "balance", "returned_to_contributors"),
    "social_use_value": ("usage", "testimonials", "documentation_share"),
    "reputation": ("kudos", "kudos_givers", "recognised", "cred_concentration"),
    "ecological_value": ("impact", "impact_records", "impact_projects"),
}
HEADLINE_MEANINGS = {
    "community_building": "How many people took part in the last {days} days, how many of them were new, how many "
                          "of the people active before stayed, and how the work is spread between a core and the rest.",
    "objective_accomplishment": "What got done over the whole history: changes recorded, proposals accepted, "
                                "versions released and project goals reached.",
    "monetary_value": "The money that came in and went out, exact and never converted between currencies, what is "
                      "left, and how much of the spending went back to the people who do the work.",
    "social_use_value": "Evidence that people use what the community makes, in its own records and in their own "
                        "words, and how much of the work makes it understandable.",
    "reputation": "Recognition between peers: how much was given, by how many people, how many contributors are "
                  "credited by name, and how few people hold half of the reputation.",
    "ecological_value": "The impact the community's work had, as it records it with its evidence: each indicator "
                        "in its own unit, never added across units.",
}
# Dimension slugs in the site's paths: value/<slug>/.
SLUGS = {d: d.replace("_", "-") for d in ALL_DIMENSIONS}
ROLE_ORDER = ("core", "regular", "casual")


def indicator_name(key: str, catalogue: Catalogue) -> str:
    """An indicator's name as the site writes it."""
    entry = WORDS.get(key)
    return catalogue.gettext(entry[0]) if entry else catalogue.gettext(key_label(key))


def meaning(ind: Indicator, catalogue: Catalogue, days: int, value=None) -> str:
    """What an indicator means; for the replacement cost given its figure, the estimate's method
    in one sentence with its numbers (or why there is no estimate)."""
    if ind.key == "replacement_cost" and isinstance(value, dict) and value.get("estimate"):
        return estimate_method(value, catalogue)
    entry = WORDS.get(ind.key)
    text = entry[1] if entry and entry[1] else ind.explanation
    return catalogue.gettext(text, days=catalogue.number(days))


def estimate_method(value: dict, catalogue: Catalogue) -> str:
    """The replacement cost's method in one sentence, with the lines and the salary it used."""
    if not value.get("lines"):
        return catalogue.gettext("No estimate: the history has no source code. The replacement cost counts only files "
                                 "in programming languages; data and prose such as YAML, Markdown or CSV are not code.")
    return catalogue.gettext(
        "An estimate, rounded to two significant figures: Open Hub's COCOMO model over {lines} lines of source code "
        "(programming languages only), 2.4 × KLOC^1.05 person-months at {salary} a year.",
        lines=catalogue.number(value["lines"]),
        salary=catalogue.money(value["salary"], value["currency"], places=0))


def formula_words(ind: Indicator, catalogue: Catalogue, days: int) -> str:
    """How an indicator is computed, in words (the methodology's 'how')."""
    entry = WORDS.get(ind.key)
    text = entry[2] if entry and entry[2] else ind.formula
    return catalogue.gettext(text, days=catalogue.number(days))


def unit_words(unit: str, catalogue: Catalogue) -> str:
    """An indicator's unit as a reader says it ("share" is a percentage, "yes/no" an answer)."""
    return catalogue.gettext(_UNIT_WORDS.get(unit, unit))


# Units as a reader says them (a name, not a literal in the call: `pybabel extract` reads calls).
_UNIT_WORDS = {"share": "percentage", "yes/no": "yes or no", "currency": "amount per currency",
               "tags": "releases", "merges": "pull requests", "count": "records",
               "quotes": "testimonials", "channels": "platforms", "types": "kinds of work",
               "peers": "communities", "role": "role"}


def join_words(items: list[str], catalogue: Catalogue) -> str:
    """["a", "b", "c"] -> "a, b and c" in the site's language."""
    if not items:
        return catalogue.gettext("none")
    if len(items) == 1:
        return items[0]
    return catalogue.gettext("{items} and {last}", items=", ".join(items[:-1]), last=items[-1])


def roles_text(roles: dict, catalogue: Catalogue) -> str:
    """{"casual": 3, "core": 5, "regular": 5} -> "5 core, 5 regular, 3 casual"."""
    parts = {"core": lambda n: catalogue.ngettext("{n} core", "{n} core", n),
             "regular": lambda n: catalogue.ngettext("{n} regular", "{n} regular", n),
             "casual": lambda n: catalogue.ngettext("{n} casual", "{n} casual", n)}
    return ", ".join(parts[r](roles.get(r, 0) or 0) for r in ROLE_ORDER)


def funding_text(channels: list, catalogue: Catalogue) -> str:
    """Platform keys of a funding file as their names: "Liberapay, Open Collective and others"."""
    known = [FUNDING_PLATFORMS[c][0] for c in channels if c in FUNDING_PLATFORMS]
    unknown = [key_label(str(c)) for c in channels if c not in FUNDING_PLATFORMS and c != "custom"]
    words = sorted(known + unknown, key=str.lower)
    if "custom" in channels:
        words.append(catalogue.gettext("others") if words else catalogue.gettext("the community's own pages"))
    return join_words(words, catalogue)


# Figures written in words or as a list (not one number): set as text, never as a headline figure.
WORDY = frozenset({"goals", "funding_channels", "usage_by_kind", "mentions_by_kind", "impact_totals"})


def goal_items(value: dict, catalogue: Catalogue, projects: dict[str, str] | None = None) -> list[str]:
    """Each project's goals as "title: done of total", by title."""
    titles = projects or {}
    return [catalogue.gettext("{project}: {done} of {total}", project=titles.get(slug, key_label(slug)),
                              done=catalogue.number(v.get("done", 0)), total=catalogue.number(v.get("total", 0)))
            for slug, v in sorted(value.items(), key=lambda kv: titles.get(kv[0], kv[0]).lower())]


def figure_text(key: str, value, unit: str, catalogue: Catalogue, projects: dict[str, str] | None = None) -> str:
    """A report figure as a reader sees it: percentages, words and titles, never a raw mapping."""
    if value is None:
        return "—"
    if key in ("roles", "roles_12m") and isinstance(value, dict):
        return roles_text(value, catalogue)
    if key == "funding_channels" and isinstance(value, list):
        return funding_text(value, catalogue)
    if key == "goals" and isinstance(value, dict):
        if not value:
            return catalogue.gettext("none")
        return "; ".join(goal_items(value, catalogue, projects))
    if key == "impact_totals" and isinstance(value, list):
        return impact_text(value, catalogue)
    if key == "usage_by_kind" and isinstance(value, dict):
        ranked = sorted(value.items(), key=lambda kv: (-(kv[1] or 0), kv[0]))
        return join_words([catalogue.gettext("{count} {kind}", count=catalogue.number(n), kind=catalogue.term(kind)) for kind, n in ranked], catalogue)
    if key == "release_cadence_days" and isinstance(value, (int, float)):
        days = round(value)
        return catalogue.ngettext("about {n} day", "about {n} days", days)
    if unit == "share" and isinstance(value, dict):
        shares = {cur: v for cur, v in sorted(value.items()) if v is not None}
        if not shares:
            return "—"
        if len(shares) == 1:
            return catalogue.percent(next(iter(shares.values())), 1)
        return join_words([catalogue.gettext("{share} in {currency}", share=catalogue.percent(v, 1), currency=cur)
                           for cur, v in shares.items()], catalogue)
    if isinstance(value, list):
        return join_words([str(v) for v in value], catalogue)
    if isinstance(value, dict) and not value.get("estimate") and unit != "currency":
        return join_words([catalogue.gettext("{count} {kind}", count=format_figure(v, "", catalogue), kind=catalogue.term(k))
                           for k, v in value.items()], catalogue)
    return format_figure(value, unit, catalogue)


def impact_text(totals: list[dict], catalogue: Catalogue) -> str:
    """Impact totals in words, one per indicator and unit: "1,240 trees (trees mapped) and 3.5 t
    CO2e (CO2 avoided)". Amounts are exact decimal texts, shown as written."""
    if not totals:
        return catalogue.gettext("none")
    return join_words([catalogue.gettext("{amount} {unit} ({indicator})", amount=amount_text(t["amount"], catalogue),
                                         unit=t["unit"], indicator=t["indicator"]) for t in totals], catalogue)


def amount_text(amount: str, catalogue: Catalogue) -> str:
    """An exact decimal text in the site's number format, never rounded ("1240.5" -> "1,240.5")."""
    return catalogue.number(Decimal(amount))


def impact_headline(report: Report, catalogue: Catalogue) -> tuple[str, str] | None:
    """The indicator with the most impact records, as (its name, its total in its unit), for a
    dashboard card: one figure, not the whole list."""
    totals = report.dimensions.get("ecological_value", {}).get("impact_totals") or []
    if not totals:
        return None
    top = sorted(totals, key=lambda t: -t["records"])[0]
    return top["indicator"][:1].upper() + top["indicator"][1:], f"{amount_text(top['amount'], catalogue)} {top['unit']}"


def usage_headline(report: Report, catalogue: Catalogue) -> tuple[str, str] | None:
    """The largest kind of usage evidence, as (name, figure), for a dashboard card."""
    by_kind = report.dimensions.get("social_use_value", {}).get("usage_by_kind") or {}
    if not by_kind:
        return None
    kind, count = sorted(by_kind.items(), key=lambda kv: (-(kv[1] or 0), kv[0]))[0]
    return catalogue.gettext(key_label(kind)), catalogue.number(count)
