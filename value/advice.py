"""Sustainability advice: what the figures mean for a community's future.

One registry of rules, as the indicators have one (registry.py): each rule reads figures of the
value report and a few facts from the data (`Facts`), compares one of them with a threshold the
community may set (`advice: {rule: {threshold: ..., enabled: ...}}` in commonplace.yaml), cites
the paper or report the threshold comes from (title, year) or says it is the project's choice,
and says one concrete next step. A rule answers a `risk`, a `strength`, or nothing (not
applicable: no commits, no ledger...). Findings name nobody: they count people, never point at one.

One window per concept: the rules on how concentrated the work is (bus factor, shrinking core,
core load) read the last 12 months up to the advice's day, and rules of one concept never call
it a risk and a strength in the same advice: a risk drops that concept's strengths.

`advise(report, facts, settings)` is pure and deterministic: the same inputs give the same
findings, in the registry's order, risks first.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Callable

from .dimensions.community_building import absence_factor, onion
from .money import INCOME_KINDS, SPENDING_KINDS, balance_sign, is_currency
from .report_types import Report

SCHEMA = "commonplace.advice/1"
# Records that come to a person without them acting (recognition, estimates): not "taking part".
PASSIVE = frozenset({"kudos_received", "cred", "usage", "replacement_cost", "mention"})
YEAR = timedelta(days=365)
MIN_NEWCOMERS = 3  # fewer newcomers than this say nothing about how many stay
MIN_PEOPLE_FOR_LOAD = 6  # in a group of five or fewer, three people doing most is simply its size

# Where each rule's threshold comes from: {key: (title, url)}; the page cites them. A title names
# the paper or report and its year; where no published source gives a threshold, "the project's
# choice" says so (no url). Never a home page: a reader must find the number in what is cited.
PROJECT_CHOICE = "project"
SOURCES = {
    "truck_factor": ("Avelino, Passos, Hora and Valente: A Novel Approach for Estimating Truck Factors "
                     "(ICPC, 2016): 65% of 133 popular GitHub projects have a truck factor of 2 or less",
                     "https://arxiv.org/abs/1604.06766"),
    PROJECT_CHOICE: ("the project's choice: no published source gives this threshold", None),
}

# One concept, one window, one verdict: the rules on how concentrated the work is (the bus factor,
# the core, the load of the top three) all read the last 12 months, and when one of them finds a
# risk, no rule of the same concept calls it a strength in the same advice.
CONCENTRATION = "concentration"
ALONE = "alone"  # the variant of a concentration finding when one person did all the work


@dataclass(frozen=True)
class Facts:
    """What the rules read beyond the value report, as plain data (the generator fills it)."""

    as_of: date  # the day the advice speaks of (the build's date)
    documents: frozenset = frozenset()  # of "licence", "governance", "code_of_conduct", "contribution_guide"
    events: tuple = ()  # dates
    projects: tuple = ()  # {"id", "status", "due": date | None, "open_goals": int, "source"}
    kudos: tuple = ()  # {"from", "to", "date"}
    ledger: tuple = ()  # {"date", "amount": Decimal, "currency", "kind", "from", "to"}
    decisions: tuple = ()  # {"date", "status", "people": how many proposed or took part}
    licences: tuple = ()  # {"key": "license" | "data_license", "id": the SPDX expression, "open": bool}


@dataclass(frozen=True)
class Outcome:
    kind: str  # risk | strength
    value: object  # the figure the finding comes from (JSON-ready)
    args: dict = field(default_factory=dict)  # what the message says, JSON-ready
    file: str = ""  # the file to edit, when it depends on the data (a project's file)
    variant: str = ""  # a key of the rule's `variants`: a case its usual words do not fit


@dataclass(frozen=True)
class Plural:
    """A text whose words follow a number: `count` names it ("value", "threshold" or an arg)."""

    singular: str
    plural: str
    count: str = "value"

    def english(self, n) -> str:
        return self.singular if n == 1 else self.plural


def count_of(text, finding: dict):
    """The number a Plural text of `finding` follows (None for a plain text)."""
    if not isinstance(text, Plural):
        return None
    if text.count in ("value", "threshold"):
        return finding[text.count]
    return finding["args"][text.count]


@dataclass(frozen=True)
class Rule:
    key: str
    dimension: str  # one of the five, or "micro" (the participants' own sustainability)
    threshold: object  # the default; None: the rule has no threshold (a file exists or not)
    unit: str
    source: str  # a key of SOURCES
    shown_at: str  # the site path (with anchor) where the figure is shown
    test: str  # when it is a risk, with {threshold}
    risk: str  # the finding, with {value}, {threshold} and the outcome's args
    strength: str  # the same when the figure is on the good side ("" : the rule never says)
    step: str  # the next step
    target: tuple  # ("edit", rel) | ("new", rel) | ("propose", folder) | ("folder", folder)
    func: Callable
    concept: str = ""  # rules of one concept never give a risk and a strength together ("": its own)
    variants: dict = field(default_factory=dict)  # {variant: the finding's words in that case}

    def describe(self, settings: dict | None = None) -> dict:
        chosen = self.settings(settings)
        test = self.test
        if isinstance(test, Plural):  # its count is the threshold
            test = test.english(chosen["threshold"])
        return {"key": self.key, "dimension": self.dimension, "unit": self.unit, "source": self.source,
                "default": self.threshold, "threshold": chosen["threshold"], "enabled": chosen["enabled"],
                "test": test}

    def text(self, finding: dict):
        """The words of `finding` (a str or a Plural), before translation."""
        if finding.get("variant"):
            return self.variants[finding["variant"]]
        return self.risk if finding["kind"] == "risk" else self.strength

    def settings(self, given: dict | None) -> dict:
        mine = (given or {}).get(self.key) or {}
        threshold = mine.get("threshold", self.threshold)
        if isinstance(threshold, Decimal):  # YAML numbers with a point are read as decimals
            threshold = int(threshold) if threshold == threshold.to_integral_value() else float(threshold)
        return {"threshold": threshold, "enabled": bool(mine.get("enabled", True))}


RULES: list[Rule] = []


def rule(key: str, dimension: str, *, threshold, unit: str, source: str, shown_at: str, test, risk,
         strength="", step: str, target: tuple, concept: str = "", variants: dict | None = None):
    """Register a rule: func(inputs: AdviceInputs, threshold) -> Outcome | None. `test`, `risk`,
    `strength` and each of `variants` are a str or a Plural."""

    def wrap(func):
        if any(r.key == key for r in RULES):
            raise ValueError(f"advice rule {key} registered twice")
        if source not in SOURCES:
            raise ValueError(f"advice rule {key}: unknown source {source!r}")
        RULES.append(Rule(key, dimension, threshold, unit, source, shown_at, test, risk, strength, step, target, func,
                          concept or key, dict(variants or {})))
        return func

    return wrap


def rules() -> list[Rule]:
    return list(RULES)


# -- what the rules read, worked out once per advice -------------------------------------------
def _month(day: date) -> int:
    return day.year * 12 + day.month - 1


def months_between(earlier: date, later: date) -> int:
    """Calendar months from one day's month to another's (March to May: 2)."""
    return _month(later) - _month(earlier)


class AdviceInputs:
    """What every rule reads, worked out once per advice: the report's figures and records, the facts."""

    def __init__(self, report: Report | None, facts: Facts):
        self.report = report
        self.facts = facts
        self.as_of = facts.as_of
        self.dimensions = report.dimensions if report is not None else {}
        self.contributors = report.people if report is not None else []
        columns = report.contributions if report is not None else {}
        self.records = [(date.fromisoformat(d), p, k) for d, p, k in
                        zip(columns.get("date", ()), columns.get("person", ()), columns.get("kind", ()))]
        humans = {c["id"] for c in self.contributors}
        self.acts = [(d, p) for d, p, k in self.records if k not in PASSIVE and p in humans and d <= self.as_of]
        self.commits = [(d, p) for d, p, k in self.records if k == "commit" and p in humans and d <= self.as_of]

    def figure(self, dimension: str, key: str):
        return (self.dimensions.get(dimension) or {}).get(key)

    def commits_between(self, start: date, end: date) -> Counter:
        """Commits per person dated in (start, end]."""
        return Counter(p for d, p in self.commits if start < d <= end)

    def active_months(self) -> dict[str, set[int]]:
        months: dict[str, set[int]] = defaultdict(set)
        for d, p in self.acts:
            months[p].add(_month(d))
        return months

    def ledger(self, kinds, since: date | None = None) -> list[dict]:
        return [e for e in self.facts.ledger if e["kind"] in kinds and e["date"] <= self.as_of
                and (since is None or e["date"] > since)]


def _share(x) -> float:
    return round(float(x), 6)


# -- community building ------------------------------------------------------------------------
def last_year(inputs: AdviceInputs) -> Counter:
    """Commits per person in the 12 months up to the advice's day: the window of every rule on how
    concentrated the work is."""
    return inputs.commits_between(inputs.as_of - YEAR, inputs.as_of)


@rule("bus_factor", "community_building", threshold=2, unit="people", source="truck_factor",
      shown_at="value/community-building/#absence-factor-12m",
      test="absence factor of the last 12 months ≤ {threshold}",
      risk="Bus factor of the last 12 months: {value}. So few people made half of the commits that if they stepped away, the work would stall.",
      strength=Plural("The work of the last 12 months is spread: it takes {value} person to hold half of its commits.",
                      "The work of the last 12 months is spread: it takes {value} people to hold half of its commits."),
      step="Write down what only a few people know, and pair newcomers with them: improve the contribution guide.",
      target=("guide", "CONTRIBUTING.md"), concept=CONCENTRATION,
      variants={ALONE: "One person made every commit of the last 12 months, as in most communities that are "
                       "starting: the work rests on them until others join."})
def bus_factor(inputs: AdviceInputs, threshold):
    """The bus factor of the last 12 months (the whole history's can hide who does the work now);
    silent without commits in them. One person alone (a new community's founder) is said as such."""
    counts = last_year(inputs)
    value = absence_factor(counts.values())
    if not value:
        return None
    kind = "risk" if value <= threshold else "strength"
    return Outcome(kind, value, variant=ALONE if len(counts) == 1 and kind == "risk" else "")


@rule("elephant_factor", "community_building", threshold=1, unit="organisations", source=PROJECT_CHOICE,
      shown_at="value/community-building/#elephant-factor-12m",
      test="elephant factor of the last 12 months ≤ {threshold}",
      risk="In the last 12 months, one organisation's people made half of the commits: the community depends on it.",
      strength="No single organisation holds half of the last 12 months' work: it takes {value}.",
      step="Invite people from other organisations, and record each member's affiliation.",
      target=("propose", "members"))
def elephant_factor(inputs: AdviceInputs, threshold):
    """The elephant factor of the last 12 months; silent when nobody with an affiliation made a
    commit in them."""
    affiliation = {c["id"]: c.get("affiliation") for c in inputs.contributors}
    orgs: Counter = Counter()
    for pid, count in last_year(inputs).items():
        if affiliation.get(pid):
            orgs[affiliation[pid]] += count
    if not orgs:
        return None
    value = absence_factor(orgs.values())
    return Outcome("risk" if value <= threshold else "strength", value)


@rule("newcomer_retention", "community_building", threshold=0.25, unit="share", source=PROJECT_CHOICE,
      shown_at="value/community-building/#new-contributors",
      test="share of the last 12 months' newcomers who took part in a second month < {threshold} "
           "(with at least 3 newcomers)",
      risk="Of {newcomers} newcomers in the last 12 months, {value} came back for a second month.",
      strength="Of {newcomers} newcomers in the last 12 months, {value} came back for a second month.",
      step="Welcome each newcomer and suggest a next task: say how in the contribution guide.",
      target=("guide", "CONTRIBUTING.md"))
def newcomer_retention(inputs: AdviceInputs, threshold):
    last = _month(inputs.as_of)
    months = inputs.active_months()
    # newcomers whose first month is over, so that they had a chance to come back
    newcomers = [p for p, ms in months.items() if last - 12 <= min(ms) < last]
    if len(newcomers) < MIN_NEWCOMERS:
        return None
    back = sum(1 for p in newcomers if len(months[p]) > 1) / len(newcomers)
    return Outcome("risk" if back < threshold else "strength", _share(back), {"newcomers": len(newcomers)})


@rule("shrinking_core", "community_building", threshold=0.3, unit="share", source=PROJECT_CHOICE,
      shown_at="value/community-building/",
      test="the core (people holding 80% of commits) of the last 12 months is smaller than the 12 before by "
           "≥ {threshold} of its people (with a core of at least 2 before)",
      risk=Plural("The core shrank from {before} people to {after} person over the last year.",
                  "The core shrank from {before} to {after} people over the last year.", "after"),
      strength=Plural("The core grew from {before} to {after} person over the last year.",
                      "The core grew from {before} to {after} people over the last year.", "after"),
      step="Share the core's work: plan a project that hands over one task to a regular contributor.",
      target=("propose", "projects"), concept=CONCENTRATION)
def shrinking_core(inputs: AdviceInputs, threshold):
    def core(counts):
        return sum(1 for layer in onion(dict(counts)).values() if layer == "core")

    after = core(last_year(inputs))
    before = core(inputs.commits_between(inputs.as_of - 2 * YEAR, inputs.as_of - YEAR))
    if before < 2 and after <= before:
        return None
    lost = (before - after) / before if before else 0.0
    args = {"before": before, "after": after}
    if lost >= threshold:
        return Outcome("risk", _share(lost), args)
    return Outcome("strength", 0.0, args) if after > before else None


@rule("inactivity", "community_building", threshold=3, unit="months", source=PROJECT_CHOICE,
      shown_at="value/community-building/#active-contributors",
      test="months since anyone last took part ≥ {threshold}",
      risk=Plural("Nobody has taken part for {value} month.", "Nobody has taken part for {value} months."),
      step="Call the community together: propose an event to restart the work.",
      target=("propose", "events"))
def inactivity(inputs: AdviceInputs, threshold):
    if not inputs.acts:
        return None
    quiet = months_between(max(d for d, _p in inputs.acts), inputs.as_of)
    return Outcome("risk", quiet) if quiet >= threshold else None


@rule("no_recent_event", "community_building", threshold=12, unit="months", source=PROJECT_CHOICE,
      shown_at="events/",
      test=Plural("no event dated in the last {threshold} month, or planned",
                  "no event dated in the last {threshold} months, or planned", "threshold"),
      risk=Plural("No event in the last {threshold} month, and none planned.",
                  "No event in the last {threshold} months, and none planned.", "threshold"),
      strength=Plural("{value} event in the last {period} or planned.",
                      "{value} events in the last {period} or planned."),
      step="Meet in person or online: propose an event.",
      target=("propose", "events"))
def no_recent_event(inputs: AdviceInputs, threshold):
    since = _month(inputs.as_of) - int(threshold)
    count = sum(1 for d in inputs.facts.events if _month(d) > since)
    return Outcome("strength" if count else "risk", count)


# -- governance: the files a newcomer looks for ---------------------------------------------------
def _document(key: str, label: str, step: str, rel: str, source: str = PROJECT_CHOICE):
    @rule(key, "community_building", threshold=None, unit="file", source=source, shown_at="",
          test=f"no {label}",
          risk=f"There is no {label}.",
          strength=f"The community has a {label}.",
          step=step, target=("new", rel))
    def check(inputs: AdviceInputs, _threshold):
        present = key in inputs.facts.documents
        return Outcome("strength" if present else "risk", present)

    return check


_document("licence", "licence file", "Add a LICENSE file with the text of the licence community.yaml names.", "LICENSE")
_document("governance", "governance description",
          "Describe how decisions are taken: write governance in community.yaml, or a GOVERNANCE.md file.",
          "GOVERNANCE.md")
_document("code_of_conduct", "code of conduct", "Adopt a code of conduct (the Contributor Covenant is a common start).",
          "CODE_OF_CONDUCT.md")
_document("contribution_guide", "contribution guide", "Write how to take part: a CONTRIBUTING.md file.",
          "CONTRIBUTING.md")


# -- governance: decisions taken in the open ----------------------------------------------------------
MIN_DECISIONS = 2  # fewer decisions taken than this say nothing about how they are taken


def _decisions_within(inputs: AdviceInputs, months: int) -> list[dict]:
    since = _month(inputs.as_of) - int(months)
    return [d for d in inputs.facts.decisions if since < _month(d["date"]) and d["date"] <= inputs.as_of]


@rule("no_recent_decision", "community_building", threshold=12, unit="months", source=PROJECT_CHOICE,
      shown_at="decisions/",
      test=Plural("no decision recorded in the last {threshold} month, by a community that records its decisions",
                  "no decision recorded in the last {threshold} months, by a community that records its decisions",
                  "threshold"),
      risk=Plural("No decision recorded in the last {threshold} month.",
                  "No decision recorded in the last {threshold} months.", "threshold"),
      strength=Plural("{value} decision recorded in the last {period}.",
                      "{value} decisions recorded in the last {period}."),
      step="Record the decisions the community takes: one file each in decisions/, with who proposed it and who "
           "took part.",
      target=("propose", "decisions"))
def no_recent_decision(inputs: AdviceInputs, threshold):
    """Only for a community that records its decisions (a decisions/ file at all): one that never
    has is told by the governance rule to describe how it decides, not blamed for a folder it may
    not know of. A risk means the last decision is older than the threshold, so the community has
    been around that long."""
    recorded = [d for d in inputs.facts.decisions if d["date"] <= inputs.as_of]
    if not recorded:
        return None
    recent = _decisions_within(inputs, threshold)
    return Outcome("strength", len(recent)) if recent else Outcome("risk", 0)


@rule("lone_decisions", "community_building", threshold=0.5, unit="share", source=PROJECT_CHOICE,
      shown_at="decisions/",
      test="share of the last 12 months' decisions (at least 2 taken) that one person took alone ≥ {threshold}",
      risk="One person alone took {value} of the decisions of the last 12 months.",
      step="Decide together: ask for participants before a decision is taken, and record who took part.",
      target=("propose", "decisions"))
def lone_decisions(inputs: AdviceInputs, threshold):
    taken = [d for d in _decisions_within(inputs, 12) if d["status"] != "proposed"]
    if len(taken) < MIN_DECISIONS:
        return None
    share = sum(1 for d in taken if d["people"] <= 1) / len(taken)
    return Outcome("risk", _share(share)) if share >= threshold else None


# -- objective accomplishment --------------------------------------------------------------------
@rule("overdue_goals", "objective_accomplishment", threshold=1, unit="goals", source=PROJECT_CHOICE,
      shown_at="projects/",
      test="open goals of active projects past their due date ≥ {threshold}",
      risk=Plural("{value} open goal belongs to an active project past its due date.",
                  "{value} open goals belong to active projects past their due date ({projects})."),
      step="Update the plan: mark goals done, move the due date, or pause the project.",
      target=("project", "projects"))
def overdue_goals(inputs: AdviceInputs, threshold):
    late = [p for p in inputs.facts.projects
            if p["status"] == "active" and p["due"] is not None and p["due"] < inputs.as_of and p["open_goals"]]
    count = sum(p["open_goals"] for p in late)
    if not late or count < threshold:
        return None
    first = min(late, key=lambda p: (p["due"], p["id"]))
    return Outcome("risk", count, {"projects": len(late)}, first["source"])


# -- monetary value ------------------------------------------------------------------------------
def _main_currency(entries) -> str | None:
    counts = Counter(e["currency"] for e in entries)
    return min(counts, key=lambda c: (-counts[c], c)) if counts else None


@rule("no_income", "monetary_value", threshold=12, unit="months", source=PROJECT_CHOICE,
      shown_at="ledger/",
      test=Plural("no donation, grant or sale in the last {threshold} month",
                  "no donation, grant or sale in the last {threshold} months", "threshold"),
      risk=Plural("No income in the last {threshold} month.", "No income in the last {threshold} months.", "threshold"),
      step="Open a way to support the community: list funding channels in .github/FUNDING.yml.",
      target=("new", ".github/FUNDING.yml"))
def no_income(inputs: AdviceInputs, threshold):
    since = _month(inputs.as_of) - int(threshold)
    recent = [e for e in inputs.ledger(INCOME_KINDS) if _month(e["date"]) > since]
    return None if recent else Outcome("risk", 0)


@rule("single_funder", "monetary_value", threshold=0.5, unit="share", source=PROJECT_CHOICE,
      shown_at="ledger/",
      test="one funder's share of all income (in the main currency) ≥ {threshold}",
      risk="One funder gave {value} of all income in {currency}.",
      strength="Income comes from {funders} funders; none gave more than {value}.",
      step="Look for a second source of income: record every funder in the ledger and ask for support.",
      target=("folder", "ledger"))
def single_funder(inputs: AdviceInputs, threshold):
    entries = inputs.ledger(INCOME_KINDS)
    currency = _main_currency(entries)
    if currency is None:
        return None
    by_funder: dict[str, Decimal] = defaultdict(Decimal)
    total = Decimal(0)
    for e in entries:
        if e["currency"] == currency:
            total += e["amount"]
            if e.get("from"):
                by_funder[e["from"]] += e["amount"]
    if not total or not by_funder:
        return None
    share = max(by_funder.values()) / total
    args = {"currency": currency, "funders": len(by_funder)}
    return Outcome("risk" if share >= Decimal(str(threshold)) else "strength", _share(share), args)


@rule("runway", "monetary_value", threshold=6, unit="months", source=PROJECT_CHOICE,
      shown_at="ledger/",
      test="months the balance lasts at the last 12 months' spending < {threshold}",
      risk=Plural("At the last 12 months' spending, the {currency} balance lasts {value} month.",
                  "At the last 12 months' spending, the {currency} balance lasts {value} months."),
      strength=Plural("At the last 12 months' spending, the {currency} balance lasts {value} month.",
                      "At the last 12 months' spending, the {currency} balance lasts {value} months."),
      step="Plan the coming months' income and spending: raise funds or spend less.",
      target=("folder", "ledger"))
def runway(inputs: AdviceInputs, threshold):
    spent: dict[str, Decimal] = defaultdict(Decimal)
    for e in inputs.ledger(SPENDING_KINDS, since=inputs.as_of - YEAR):
        spent[e["currency"]] += e["amount"]
    if not any(spent.values()):
        return None
    balance: dict[str, Decimal] = defaultdict(Decimal)
    for e in inputs.facts.ledger:
        if e["date"] <= inputs.as_of:
            balance[e["currency"]] += balance_sign(e["kind"]) * e["amount"]  # opening balances count
    months = {cur: max(Decimal(0), balance[cur]) / (spent[cur] / 12) for cur in sorted(spent) if spent[cur]}
    currency = min(months, key=lambda c: (months[c], c))
    value = float(months[currency].quantize(Decimal("0.1")))
    return Outcome("risk" if value < threshold else "strength", value, {"currency": currency})


@rule("returned_to_contributors", "monetary_value", threshold=0.2, unit="share", source=PROJECT_CHOICE,
      shown_at="value/monetary-value/#returned-to-contributors",
      test="share of spending paid to contributors < {threshold}",
      risk="Only {value} of the {currency} spent went to the people doing the work.",
      strength="{value} of the {currency} spent went to the people doing the work.",
      step="Return part of the income to contributors: declare a reward plan.",
      target=("propose", "rewards"))
def returned_to_contributors(inputs: AdviceInputs, threshold):
    shares = {cur: s for cur, s in (inputs.figure("monetary_value", "returned_to_contributors") or {}).items()
              if s is not None and is_currency(cur)}  # money only: a community currency's spending is not
    if not shares:
        return None
    currency = min(shares, key=lambda c: (shares[c], c))
    value = shares[currency]
    return Outcome("risk" if value < threshold else "strength", _share(value), {"currency": currency})


# -- reputation ------------------------------------------------------------------------------------
@rule("unrecognised", "reputation", threshold=5, unit="kudos", source=PROJECT_CHOICE,
      shown_at="value/reputation/#kudos",
      test="someone active in the last 12 months has no kudos while another has ≥ {threshold}",
      risk=Plural("{value} person active in the last 12 months has had no kudos at all, while one has had {top}.",
                  "{value} people active in the last 12 months have had no kudos at all, while one has had {top}."),
      step="Thank someone whose work goes unseen: give kudos.",
      target=("propose", "kudos"))
def unrecognised(inputs: AdviceInputs, threshold):
    active = {p for d, p in inputs.acts if d > inputs.as_of - YEAR}
    if len(active) < 2:
        return None
    received = Counter(k["to"] for k in inputs.facts.kudos if k["date"] <= inputs.as_of)
    top = max(received[p] for p in active)
    zero = sum(1 for p in active if not received[p])
    return Outcome("risk", zero, {"top": top}) if zero and top >= threshold else None


# -- social use value: the work as a public good -----------------------------------------------------
@rule("open_licence", "social_use_value", threshold=None, unit="licence", source=PROJECT_CHOICE,
      shown_at="",
      test="the licence in community.yaml (license, data_license) is not an OSI-approved or Open Definition "
           "conformant licence",
      risk="The licence {licence} is not an open licence (approved by the OSI or conformant with the Open "
           "Definition): what the community makes is not accessible as a public good.",
      strength="What the community makes is under open licences ({licence}): accessible as a public good.",
      step="Choose an open licence (see opensource.org/licenses and opendefinition.org/licenses) and write its SPDX "
           "id as license (and data_license) in community.yaml.",
      target=("edit", "community.yaml"))
def open_licence(inputs: AdviceInputs, _threshold):
    given = inputs.facts.licences
    if not given:
        return None
    closed = [item for item in given if not item["open"]]
    if closed:
        return Outcome("risk", False, {"licence": closed[0]["id"]})
    return Outcome("strength", True, {"licence": " · ".join(dict.fromkeys(item["id"] for item in given))})


# -- micro-sustainability: the people doing the work -----------------------------------------------
def core_load(inputs: AdviceInputs) -> dict | None:
    """The share of the last 12 months' commits made by the three people who made most, and of
    how many people."""
    counts = last_year(inputs)
    total = sum(counts.values())
    if not total:
        return None
    top = sum(sorted(counts.values(), reverse=True)[:3])
    return {"share": _share(top / total), "people": len(counts)}


def rewards_reach(inputs: AdviceInputs) -> dict | None:
    """Of the three members with most value, how many the ledger shows were ever rewarded (only
    when the community pays rewards at all)."""
    if not inputs.ledger({"reward"}):
        return None
    members = sorted((c for c in inputs.contributors if c.get("member") and c.get("value")),
                     key=lambda c: (-c["value"], c["id"]))[:3]
    if not members:
        return None
    return {"top": len(members), "rewarded": sum(1 for c in members if c.get("rewards_received"))}


@rule("core_load", "micro", threshold=0.9, unit="share", source=PROJECT_CHOICE,
      shown_at="sustainability/#micro",
      test="share of the last 12 months' commits made by the top three ≥ {threshold} (with at least 6 people)",
      risk="Three people made {value} of the last 12 months' commits, among {people}.",
      step="Hand over: plan a project that moves one recurring task from the core to someone new.",
      target=("propose", "projects"), concept=CONCENTRATION)
def core_load_rule(inputs: AdviceInputs, threshold):
    load = core_load(inputs)
    if load is None or load["people"] < MIN_PEOPLE_FOR_LOAD or load["share"] < threshold:
        return None
    return Outcome("risk", load["share"], {"people": load["people"]})


@rule("rewards_reach", "micro", threshold=2, unit="people", source=PROJECT_CHOICE,
      shown_at="sustainability/#micro",
      test="of the three members with most value, fewer than {threshold} were ever rewarded",
      risk=Plural("The member who contributes most was never rewarded.",
                  "Only {value} of the {top} members who contribute most were ever rewarded.", "top"),
      strength=Plural("The member who contributes most was rewarded.",
                      "{value} of the {top} members who contribute most were rewarded.", "top"),
      step="Let the next reward plan count past work: use the balanced policy.",
      target=("propose", "rewards"))
def rewards_reach_rule(inputs: AdviceInputs, threshold):
    reach = rewards_reach(inputs)
    if reach is None:
        return None
    kind = "risk" if reach["rewarded"] < min(threshold, reach["top"]) else "strength"
    return Outcome(kind, reach["rewarded"], {"top": reach["top"]})


# -- the advice --------------------------------------------------------------------------------------
def advise(report: Report | None, facts: Facts, settings: dict | None = None) -> dict:
    """Every rule's finding: {"schema", "as_of", "findings": [...], "micro": {...}, "rules": [...]}.

    A finding: rule, kind (risk | strength), dimension, value, threshold, source, args, file, and
    variant when the rule's usual words do not fit the case (one person alone, say).
    Risks come first, then strengths, each in the registry's order."""
    inputs = AdviceInputs(report, facts)
    outcomes = []
    for item in RULES:
        chosen = item.settings(settings)
        if not chosen["enabled"]:
            continue
        outcome = item.func(inputs, chosen["threshold"])
        if outcome is None or (outcome.kind == "strength" and not item.strength):
            continue
        outcomes.append((item, chosen, outcome))
    # a concept found at risk is not also a strength (the core shrinking while "the work is spread")
    at_risk = {item.concept for item, _chosen, outcome in outcomes if outcome.kind == "risk"}
    findings = [{"rule": item.key, "kind": outcome.kind, "dimension": item.dimension,
                 "value": outcome.value, "threshold": chosen["threshold"], "source": item.source,
                 "args": dict(sorted(outcome.args.items())), "file": outcome.file,
                 **({"variant": outcome.variant} if outcome.variant else {})}
                for item, chosen, outcome in outcomes
                if not (outcome.kind == "strength" and item.concept in at_risk)]
    findings.sort(key=lambda f: f["kind"] != "risk")  # stable: the registry's order within each kind
    return {
        "schema": SCHEMA,
        "as_of": facts.as_of.isoformat(),
        "findings": findings,
        "micro": {"core_load": core_load(inputs), "rewards_reach": rewards_reach(inputs)},
        "rules": [item.describe(settings) for item in RULES],
        "sources": {key: {"title": title, "url": url} for key, (title, url) in sorted(SOURCES.items())},
    }


def risks(advice: dict) -> int:
    return sum(1 for f in advice["findings"] if f["kind"] == "risk")
