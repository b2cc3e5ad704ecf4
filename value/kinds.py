"""The kinds of contribution (VALUE.md, "Contributions"): the one table of them, and the kinds a
report uses once `commonplace.yaml` has changed their weights or declared its own.

A leaf of the engine: the context and the contribution records both read it.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import ValueEngineError
from .registry import DIMENSIONS

GIT, DATA, CONTRIBUTIONS, ENGINE = "git", "data", "contributions", "engine"
# The largest weight of a kind or a dimension: weights times hours, counts and lines stay finite
# floats however many records add up (schemas/commonplace.schema.json holds the same bound).
MAX_WEIGHT = 1_000_000


@dataclass(frozen=True)
class Kind:
    """A kind of contribution: where its records come from and what one weighs."""

    key: str
    label: str  # in plain words, for pages
    dimension: str
    weight: float  # per unit
    unit: str  # what one `weight` is given for, in plain words
    origin: str  # GIT | DATA | CONTRIBUTIONS | ENGINE: who makes its records
    explanation: str  # one line, shown on the methodology page

    def describe(self) -> dict:
        return {"label": self.label, "dimension": self.dimension, "weight": self.weight, "unit": self.unit, "origin": self.origin,
                "explanation": self.explanation}


# The one table of kinds (VALUE.md, "Contributions"). Order: by dimension, as DIMENSIONS.
KINDS: dict[str, Kind] = {k.key: k for k in (
    Kind("event_organised", "Event organised", "community_building", 5.0, "per event, split among its organisers", DATA,
         "Organising an event: bringing people together."),
    Kind("event_attended", "Event attended", "community_building", 1.0, "per event, for each participant", DATA,
         "Taking part in an event (organisers count as organisers only)."),
    Kind("mentoring", "Mentoring", "community_building", 2.0, "per record, or per hour when hours are given", CONTRIBUTIONS,
         "Mentoring someone, as recorded in the contributions files."),
    Kind("welcome", "Welcoming newcomers", "community_building", 2.0, "per record, or per hour when hours are given", CONTRIBUTIONS,
         "Welcoming newcomers, as recorded in the contributions files."),
    Kind("discussion", "Discussion started in the forge", "community_building", 0.5, "per record, or per hour when hours are given",
         CONTRIBUTIONS, "A discussion started on the forge (GitHub Discussions), as the forge import records it in the "
         "contributions files."),
    Kind("decision", "Decision taken part in", "community_building", 3.0,
         "per decision, split among its proposers; a third of it (1) to each other participant", DATA,
         "Taking part in governance: proposing a decision (the weight split among its proposers) or taking part "
         "in deciding it (a third of the weight each), as decisions/ records."),
    Kind("commit", "Commit", "objective_accomplishment", 1.0, "per commit", GIT,
         "A commit they authored (merge commits are left out)."),
    Kind("coauthor", "Co-authored commit", "objective_accomplishment", 0.5, "per commit", GIT,
         "A commit naming them in a Co-authored-by trailer."),
    Kind("review", "Review", "objective_accomplishment", 0.5, "per commit", GIT,
         "A commit naming them in a Reviewed-by or Acked-by trailer: a review given."),
    Kind("forge_review", "Review in the forge", "objective_accomplishment", 0.5, "per record, or per hour when hours are given",
         CONTRIBUTIONS, "Reviewing someone else's pull or merge request on the forge: one record per reviewer and "
         "request, as the forge import records it in the contributions files."),
    Kind("goal_done", "Project goal reached", "objective_accomplishment", 5.0, "per goal, split among the project's leads", DATA,
         "A project goal reached (done, with the day it was done), credited to the project's leads."),
    Kind("replacement_cost", "Estimated replacement cost of their work", "monetary_value", 1.0,
         "per 100 lines of source code added", GIT,
         "The estimated replacement cost of their work: the lines of source code they added (files in "
         "programming languages), which the replacement cost estimate values (an estimate, not money paid)."),
    Kind("income_raised", "Income raised", "monetary_value", 3.0, "per income entry", DATA,
         "Money they brought in: a donation, grant or sale whose ledger entry names them as the one who raised it. "
         "Amounts in different currencies are never added."),
    Kind("documentation", "Documentation", "social_use_value", 1.0, "per 100 lines changed in documentation", GIT,
         "Making the work usable by others: documentation written and kept up."),
    Kind("issue_opened", "Issue opened in the forge", "social_use_value", 0.5, "per record, or per hour when hours are given",
         CONTRIBUTIONS, "An issue opened on the forge: a problem reported or a need stated by someone who uses the work, "
         "as the forge import records it in the contributions files."),
    Kind("usage", "Use of a project they lead", "social_use_value", 1.0, "per usage record naming a project, split among its leads", DATA,
         "Evidence that people use a project, credited to the project's leads."),
    Kind("kudos_received", "Kudos received", "reputation", 1.0, "per kudos", DATA,
         "Recognition received from a peer."),
    Kind("mention", "Mention by others", "reputation", 1.0, "per mention, split among the people it names", DATA,
         "How the world outside sees the work: press, citations, awards, talks and projects that depend on it, "
         "as mentions/ records; a mention naming nobody is the community's and credits no one."),
    Kind("cred", "Cred", "reputation", 1.0, "per 100 cred, each month", ENGINE,
         "Reputation from the contribution graph (CredRank): one record per person and month, the "
         "cred that flowed to them from that month's work, dated at the month's end."),
    Kind("impact", "Impact recorded", "ecological_value", 1.0,
         "per impact record, split among its people, else among its project's leads", DATA,
         "Ecological (or other) impact of their work, recorded with its evidence: trees mapped, CO2 avoided."),
)}

CUSTOM_UNIT = "per record, or per hour when hours are given"
# Kinds of contributions files that `commonplace fetch --forge` writes: a hint for a hand-written
# record names the others.
FORGE_KINDS = frozenset({"forge_review", "issue_opened", "discussion"})


class BadKinds(ValueEngineError):
    pass


def kinds_of(given: dict | None, present: tuple[str, ...] = DIMENSIONS) -> dict[str, Kind]:
    """The kinds a report uses: `KINDS` with the config's weights, and the config's own kinds.

    `given` is `value.kinds` of `commonplace.yaml`: {kind: weight} or {kind: {"weight": w,
    "dimension": d}} (a custom kind given as a number has no dimension: each of its records must
    then name one). `present`: the report's dimensions (`registry.dimensions_of`); a kind of a
    dimension it lacks (impact, without impact records) is not one of its kinds."""
    kinds = {key: kind for key, kind in KINDS.items() if kind.dimension in present}
    for key in sorted(given or {}):
        spec = given[key]
        weight, dimension = (spec.get("weight"), spec.get("dimension")) if isinstance(spec, dict) else (spec, None)
        base = kinds.get(key)
        if dimension is not None and dimension not in DIMENSIONS:
            raise BadKinds(f"kind '{key}': unknown dimension '{dimension}'; use {', '.join(DIMENSIONS)}")
        if base is None and key in KINDS:  # a kind of a dimension the report lacks: its weight is unused
            continue
        if weight is None:
            weight = base.weight if base else 1.0
        weight = float(weight)
        if not 0 <= weight <= MAX_WEIGHT:  # NaN fails both comparisons
            raise BadKinds(f"kind '{key}': the weight must be a number from 0 to {MAX_WEIGHT:,}")
        if base is not None:
            kinds[key] = Kind(key, base.label, dimension or base.dimension, weight, base.unit, base.origin,
                              base.explanation)
        else:
            kinds[key] = Kind(key, key.replace("_", " ").capitalize(), dimension or "", weight, CUSTOM_UNIT,
                              CONTRIBUTIONS, "Work of a kind this community declared, recorded in its "
                              "contributions files" + ("" if dimension else "; each record names its dimension")
                              + ".")
    return kinds
