"""Pages and open data that show value: dashboard, ledger, rewards, per-person figures."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from value import money
from value.contributions import from_report
from value.dimensions.community_building import last_12_months
from value.indicators import indicators
from value.registry import DIMENSIONS, ECOLOGICAL, present
from value.report_types import Report
from value.rewards import NO_VALUE, NOT_A_MEMBER, RECEIVED_MORE, ROUNDED, Reason

from ..datapackage import Table
from ..i18n import Catalogue, english
from ..model import Model, RewardPlan
from ..people import People
from ..settlement import plan_split
from . import charts
from .activity import party_name
from .populations import MonthlyPeople, populations_of, relation, report_day, yearly_series
from . import value_words as words
from .contributors import (
    DIMENSION_SUMMARIES,
    DIMENSION_TITLES,
    Contributor,
    monthly_series,
    person_dimension_title,
    public_contributors,
    signal_totals,
)
from .datatables import kudos_table, participation_table, usage_table
from .community_currency import money_codes
from .community_currency import sections as community_sections
from .governance import decisions_table, mention_items, mentions_table
from .impact import impact_page, impact_table
from .ledger import balance_chart, by_kind, by_month, kind_words, money_flow
from .records import contributions_tables, private_commits
from .surveys import survey_rows, surveys_table

NOT_LISTED = "Members not listed"  # the one row of hidden members' rewards, in the open data
# Why a line of a plan pays nothing, in the open data (English, as every column of it is).
WHY_NOTHING = {
    RECEIVED_MORE: "already received more than their fair part",
    NO_VALUE: "no value counted by the policy",
    NOT_A_MEMBER: "not a member: the plan pays members only",
    ROUNDED: "their part is less than the currency's smallest unit",
    "not_settled": "not in the settlement",
}


def _to_money(amount: Fraction, code: str) -> Decimal:
    """An exact fraction as an amount with the currency's decimals (half up: a figure explained,
    not a payment)."""
    exact = Decimal(amount.numerator) / Decimal(amount.denominator)
    return exact.quantize(Decimal(1).scaleb(-money.minor_units(code)), rounding=ROUND_HALF_UP)


def public_rows(rows: list[dict], by_engine_id: dict[str, Contributor]) -> tuple[list[dict], Decimal]:
    """A split's rows as the site shows them: {contributor, amount, share} for the people it
    lists, sorted by amount (descending, ties by public id), and the total of the others (hidden
    members), who are paid but never named."""
    shown, hidden = [], Decimal(0)
    for row in rows:
        person = by_engine_id.get(row["id"])
        if person is None:
            hidden += row["amount"]
        else:
            shown.append({"contributor": person, "amount": row["amount"], "share": row["share"]})
    shown.sort(key=lambda r: (-r["amount"], r["contributor"].id))
    return shown, hidden


def kinds_by_dimension(report: Report | None) -> dict[str, list[dict]]:
    """{dimension: [{"key", "label", "weight", "unit", "explanation", ...}, ...]}: the contribution
    kinds the report used, with their weights, by key; under "" the community's own kinds that
    have no dimension (each of their records names one)."""
    result: dict[str, list[dict]] = {d: [] for d in (present(report.dimensions) if report is not None else DIMENSIONS)}
    for key, kind in sorted((report.kinds if report is not None else {}).items()):
        result.setdefault(kind.get("dimension") or "", []).append({"key": key, **kind})
    return result


class ValueView:
    """Everything value-related the theme shows, computed once per build."""

    def __init__(self, model: Model, people: People, report: Report | None, party_name, catalogue: Catalogue | None = None,
                 private_head: str = ""):
        self.catalogue = catalogue = catalogue or english()
        self.private_head = private_head  # the build's commit when it names someone the site does not
        self.model = model
        self.people = people
        self.report = report
        self.party_name = party_name  # for the open data: English, whatever the site's language
        salt = model.community.name
        self.contributors: list[Contributor] = (
            public_contributors(report, people, model.config.non_members, salt, model.config.opt_out) if report else []
        )
        self.by_engine_id = {c.engine_id: c for c in self.contributors}
        # the report's dimensions: the five, and ecological value when impact is recorded
        self.dims = present(report.dimensions) if report is not None else DIMENSIONS
        # who each figure of people counts (populations.py): the pages name and relate them
        self.populations = populations_of(report, people, model.members, model.config.inactive_days)
        # the contributors the lists name: a record each (a row may have only a figure, such as kudos given)
        self.listed = [c for c in self.contributors if any(v > 0 for v in c.signals.values())]
        contributor_ids = {c["id"] for c in (report.contributors if report else ())} | set(model.members)
        self.is_contributor = lambda party: bool(party) and party in contributor_ids
        self._pages_cache: dict | None = None  # the value pages' figures, computed once when first asked
        self.rewards = {slug: self.distribution(plan) for slug, plan in sorted(model.rewards.items())}

    def community_indicators(self, d: str) -> list:
        """The community indicators of dimension `d` that the report has (one that counts what the
        community does not record, such as surveys, is not in it)."""
        figures = self.report.dimensions.get(d, {}) if self.report is not None else {}
        return [ind for ind in indicators("community", d) if ind.key in figures]

    # -- value pages -------------------------------------------------------------------------
    # value/ is a dashboard: each dimension's headline figures and what they mean; each dimension
    # has its own page with every figure, value/contributors/ the people and value/methodology/
    # every formula. Built once per build, shared by the pages.
    def _value_pages(self) -> dict:
        if self._pages_cache is None:
            self._pages_cache = self._compute_value_pages()
        return self._pages_cache

    def _compute_value_pages(self) -> dict:
        report, catalogue = self.report, self.catalogue
        _ = catalogue.gettext
        days = self.model.config.inactive_days
        titles = {d: _(DIMENSION_TITLES[d]) for d in self.dims}
        person_titles = {d: _(person_dimension_title(d)) for d in self.dims}  # a person's part of each
        months = report.monthly["months"]  # the whole history: the charts group its older years
        projects = {slug: p.title for slug, p in self.model.projects.items()}
        people = MonthlyPeople(report, {c["id"]: c.get("affiliation") or "" for c in report.contributors},
                               [(k.giver, k.date) for k in self.model.kudos],
                               [(e.party_from, e.date) for e in self.model.ledger if e.kind == "donation"])
        founding = self.founding()
        figures = {d: self._figures(d, months, days, projects, people, founding) for d in self.dims}
        return {"titles": titles, "person_titles": person_titles, "months": months, "figures": figures,
                "days": days, "people": people, "founding": founding}

    def founding(self) -> charts.Founding | None:
        """The community's founding (`founded` in community.yaml) as time charts mark it; the
        history before it is named as the upstream's when federation.yaml declares one."""
        day = self.model.community.founded
        if day is None:
            return None
        _ = self.catalogue.gettext
        upstream = next((p.title or p.name for p in self.model.peers if p.relation == "upstream"), "")
        when = self.catalogue.date(day)
        if upstream:
            before = _("Before the founding: the history of {upstream}", upstream=upstream)
            note = _("{name} was founded on {date}; the shaded history before it is that of {upstream}, the upstream "
                     "network it grew from.", name=self.model.community.name, date=when, upstream=upstream)
        else:
            before = _("Before the founding")
            note = _("{name} was founded on {date}; the shaded history before it predates the community.",
                     name=self.model.community.name, date=when)
        return charts.Founding(day, _("Founded"), before, note)

    def _figures(self, d: str, months: list, days: int, projects: dict, people: MonthlyPeople,
                 founding: charts.Founding | None = None) -> list[dict]:
        """Every community figure of a dimension: name, figure, what it means, and its trend chart."""
        report, catalogue = self.report, self.catalogue
        _ = catalogue.gettext
        result = []
        for ind in self.community_indicators(d):
            value = report.dimensions[d].get(ind.key)
            values = report.monthly.get(d, {}).get(ind.key) if ind.monthly else None
            series = monthly_series(values, ind.unit) if values else None
            if series and ind.unit == "currency":  # money only: a community currency shares no axis with it
                series = {k: v for k, v in series.items() if money.unit(k) is None} or None
            name, caption = words.indicator_name(ind.key, catalogue), words.meaning(ind, catalogue, days, value)
            trend = None
            if series and any(any(v for v in vs) for vs in series.values()):
                if ind.unit == "share":  # shares are read as percentages, in the chart and its table
                    series = {_("Percent"): [round(100 * (v or 0), 1) for v in series["value"]]}
                else:
                    series = {(name if k == "value" else k): v for k, v in series.items()}  # one series: the figure's name
                series, stocks, means = yearly_series(ind.key, ind.unit, series, people, catalogue)
                trend = charts.line_chart(
                    _("{label} per month", label=name),
                    caption, months, series, label_name=_("Month"), localise=charts.grouped(catalogue), width=charts.CARD_WIDTH,
                    stocks=stocks, means=means, catalogue=catalogue, founding=founding)
            text = words.figure_text(ind.key, value, ind.unit, catalogue, projects)
            if d == "community_building" and ind.key in WINDOWED_12M and self._year_is_empty():
                text = _("No history in the last 12 months")
            parts = words.goal_items(value, catalogue, projects) if ind.key == "goals" and isinstance(value, dict) else []
            result.append({"key": ind.key, "anchor": ind.key.replace("_", "-"), "label": name,
                           "text": text, "wordy": ind.key in words.WORDY, "parts": parts,
                           "explanation": caption, "chart": trend})
        return result

    def _year_is_empty(self) -> bool:
        """True when the last 12 months have neither a commit nor anything else someone did: the
        12-month figures then say so instead of showing 0 or a dash."""
        building = self.report.dimensions["community_building"]
        return building.get("roles_12m") is None and not building.get("active_contributors_12m")

    def windows(self) -> dict:
        """The figures given for two windows, side by side: [(name, whole history, last 12 months)],
        and the last 12 months' first and last days (None without history)."""
        report, catalogue = self.report, self.catalogue
        _ = catalogue.gettext
        building = report.dimensions["community_building"]
        units = {i.key: i.unit for i in indicators("community", "community_building")}
        empty = self._year_is_empty()
        rows = []
        for whole, year, name in WINDOW_ROWS:
            year_text = (_("No history in the last 12 months") if empty else
                         words.figure_text(year, building.get(year), units[year], catalogue))
            rows.append({"name": _(name), "whole": words.figure_text(whole, building.get(whole), units[whole], catalogue),
                         "year": year_text, "anchor": whole.replace("_", "-"), "year_anchor": year.replace("_", "-")})
        day = report_day(report, () if report.source.as_of else from_report(report))
        span = last_12_months(day) if day else None
        return {"rows": rows, "first": date.fromisoformat(span[0]) if span else None,
                "last": date.fromisoformat(span[1]) if span else None}

    def value_nav(self) -> list[tuple[str, str]]:
        """The value section's own pages, (title, site path), for its navigation and the sitemap."""
        _ = self.catalogue.gettext
        return ([(_("Overview"), "value/")]
                + [(_(DIMENSION_TITLES[d]), f"value/{words.SLUGS[d]}/") for d in self.dims]
                + [(_("Contributors"), "value/contributors/"), (_("Methodology"), "value/methodology/")])

    def dashboard(self) -> dict:
        """value/: each dimension with its headline figures, what they mean, and a link to its page."""
        pages, catalogue = self._value_pages(), self.catalogue
        cards = []
        for d in self.dims:
            by_key = {f["key"]: f for f in pages["figures"][d]}
            shown = []
            for key in words.HEADLINES[d]:
                if key == "usage":
                    usage = words.usage_headline(self.report, catalogue)
                    if usage:
                        shown.append(usage)
                elif key == "impact":
                    impact = words.impact_headline(self.report, catalogue)
                    if impact:
                        shown.append(impact)
                elif key == "roles" and "roles_12m" in by_key and "roles" in by_key:  # the onion's two windows
                    shown.append((by_key[key]["label"],
                                  catalogue.gettext("{whole} over the whole history; last 12 months: {year}",
                                                    whole=by_key["roles"]["text"], year=by_key["roles_12m"]["text"])))
                elif key in by_key:
                    shown.append((by_key[key]["label"], by_key[key]["text"]))
            cards.append({"key": d, "slug": words.SLUGS[d], "title": pages["titles"][d], "figures": shown[:4],
                          "meaning": catalogue.gettext(words.HEADLINE_MEANINGS[d], days=catalogue.number(pages["days"]))})
        return {"populations": self.populations, "relation": relation(self.populations, catalogue),
                "cards": cards, "top": self.listed[:5], "count": len(self.listed),
                "six": ECOLOGICAL in self.dims,  # ecological value is recorded: six dimensions, not five
                "hidden": self.hidden_count(), "value_nav": self.value_nav(),
                "source": self.shown_source(),
                # the folder whose commits are counted ("": every commit of the repository)
                "counted_folder": self.report.source.subdir or ""}

    def dimension_page(self, d: str) -> dict:
        """value/<dimension>/: every figure of one dimension, with what it means and its trend."""
        report, catalogue = self.report, self.catalogue
        _ = catalogue.gettext
        pages = self._value_pages()
        context = {"key": d, "title": pages["titles"][d], "summary": _(DIMENSION_SUMMARIES[d]),
                   "figures": pages["figures"][d], "value_nav": self.value_nav(), "charts": [], "windows": None}
        if d == ECOLOGICAL:  # its records, with their evidence, and the totals per unit
            context["impact"] = impact_page(self.model, self.people, catalogue)
        if d == "social_use_value" and self.model.surveys:  # what the surveys heard: links to their pages
            context["surveys"] = survey_rows(self.model)
        if d == "community_building":
            context["windows"] = self.windows()
            months = pages["months"]
            people = pages["people"]
            distinct = _("each person counted once in the period")
            roles = report.dimensions["community_building"].get("roles") or {}
            committers = sum(roles.get(r, 0) or 0 for r in ("core", "regular", "casual"))
            context["charts"] = [
                charts.bar_chart(
                    _("Contributors over time"),
                    _("Active contributors (people with a record of something they did), split into new ones (their "
                      "first such record ever) and returning ones; a bar of several months counts each person once."),
                    months, {_("Active"): people.active(distinct), _("New"): people.new(distinct),
                             _("Returning"): people.returning(distinct)},
                    label_name=_("Period"), localise=charts.grouped(catalogue), catalogue=catalogue, founding=pages["founding"]),
                charts.onion(
                    _n_people_with_a_commit(catalogue, committers),
                    _("Over the whole history: core contributors hold 80% of the commits, regular ones the next 15%, "
                      "casual ones the rest."),
                    [(_("Core"), roles.get("core", 0)), (_("Regular"), roles.get("regular", 0)),
                     (_("Casual"), roles.get("casual", 0))],
                    headers=[_("Layer"), _("People")]),
            ]
        if d == "reputation":
            context["mentions"] = mention_items(self.model, self.people)
        return context

    def contributors_page(self) -> dict:
        """value/contributors/: each person's share of each dimension, and their value."""
        pages = self._value_pages()
        catalogue = self.catalogue
        breadth = charts.hbar_chart(
            catalogue.gettext("People creating value in each dimension"),
            catalogue.ngettext("How many of the {n} contributor have a share above zero in each of the six dimensions.",
                               "How many of the {n} contributors have a share above zero in each of the six dimensions.",
                               self.populations.contributors) if ECOLOGICAL in self.dims else
            catalogue.ngettext("How many of the {n} contributor have a share above zero in each of the five dimensions.",
                               "How many of the {n} contributors have a share above zero in each of the five dimensions.",
                               self.populations.contributors),
            [(pages["person_titles"][d], sum(1 for c in self.listed if c.scores.get(d, 0) > 0)
              + self.hidden_with(d)) for d in self.dims],
            value_name=catalogue.gettext("People"),
        )
        return {"contributors": self.listed, "bots": self.report.bots,
                "populations": self.populations, "relation": relation(self.populations, catalogue),
                "dimensions": [(d, pages["titles"][d]) for d in self.dims],
                "person_titles": pages["person_titles"], "hidden": self.hidden_count(), "breadth": breadth,
                "value_nav": self.value_nav()}

    def methodology(self) -> dict:
        """value/methodology/: every indicator with how it is counted, the kinds and the weights."""
        report, catalogue = self.report, self.catalogue
        pages = self._value_pages()
        days = pages["days"]

        def described(ind, per_person=False):
            return {"anchor": ind.key.replace("_", "-"), "label": words.indicator_name(ind.key, catalogue),
                    "unit": words.unit_words(ind.unit, catalogue), "monthly": ind.monthly, "per_person": per_person,
                    "how": words.formula_words(ind, catalogue, days), "explanation": words.meaning(ind, catalogue, days)}

        return {
            "dimensions": [(d, pages["titles"][d]) for d in self.dims],
            "indicators": {d: [described(i) for i in self.community_indicators(d)]
                           + [described(i, True) for i in indicators("person", d)] for d in self.dims},
            "weights": report.weights,
            "totals": signal_totals(report),
            "without_records": set(report.scoring.get("without_records", ())),
            "kinds": kinds_by_dimension(report),
            "source": self.shown_source(),
            # the folder whose commits are counted ("": every commit of the repository)
            "counted_folder": report.source.subdir or "",
            "value_nav": self.value_nav(),
        }

    def shown_source(self) -> dict:
        """The report's source as the pages show it: without the commit when it names a person the
        site does not name (its id would lead to them in the history): as the author, co-author or
        reviewer of one of its records, or in the lines of the build's commit itself (a merge has no records)."""
        source = self.report.source.to_json()
        commit = source.get("commit")
        if commit and (commit == self.private_head
                       or commit in private_commits(self.report, self.contributors, self.people, self.model.community.name)):
            return {**source, "commit": None}
        return source

    def hidden_count(self) -> int:
        return self.populations.hidden  # contributors not listed at their request (populations.py)

    def hidden_with(self, dimension: str) -> int:
        return sum(1 for c in (self.report.contributors if self.report else ())
                   if self.people.is_hidden(c["id"]) and c.get("scores", {}).get(dimension, 0) > 0)

    def profile(self, contributor: Contributor) -> charts.Chart:
        catalogue = self.catalogue
        return charts.hbar_chart(
            catalogue.gettext("Value profile of {name}", name=contributor.name),
            catalogue.gettext("{name}'s share of the weight of each dimension's contribution records, in percent.",
                      name=contributor.name),
            [(catalogue.gettext(person_dimension_title(d)), round(100 * contributor.scores.get(d, 0.0), 2)) for d in self.dims],
            maximum=100.0, value_name=catalogue.gettext("Share (%)"), fmt=lambda v: catalogue.percent(v / 100, 2),
        )

    # -- ledger ------------------------------------------------------------------------------
    def ledger(self) -> dict:
        entries = self.model.ledger
        per_currency = []
        returned = (self.report.dimensions if self.report else {}).get("monetary_value", {}).get("returned_to_contributors") or {}
        shown = lambda p: party_name(p, self.people, self.catalogue) if p else ""  # noqa: E731
        for currency in money_codes(entries):  # community currencies apart: `community`
            per_currency.append({
                "currency": currency,
                "months": by_month(entries, currency),
                "chart": balance_chart(entries, currency, self.catalogue, self.founding()),
                "flow": money_flow(entries, currency, shown, self.is_contributor, self.catalogue),
                "returned": returned.get(currency),
            })
        return {"per_currency": per_currency, "kinds": by_kind(entries), "kind_words": kind_words(self.catalogue),
                "community_currencies": community_sections(entries, self.people, shown, self.catalogue)}

    # -- rewards -----------------------------------------------------------------------------
    def distribution(self, plan: RewardPlan) -> dict:
        """A declared plan split as the site shows it: people through their visibility, sorted by
        amount (descending, ties by id); hidden members paid, as one "members not listed" total;
        the non-members' part of the value (shared among members unless `recipients: all`).
        Counts only value up to the plan's end and payouts before its start (`value.rewards.counted`);
        with `verified: true`, only verified commits, and says how many of the period's were.
        A settled plan shows its settled amounts and is never computed again: what explains each
        line (share of value, fair part, already received) is the split this version computes at
        the settlement's commit (`model.settled_splits`), which later data, weights and records
        cannot move. `lines`: everyone the plan may pay who has value or payouts counted, with why."""
        empty = {"plan": plan, "rows": [], "hidden": Decimal(0), "total": Decimal(0),
                 "non_members": 0, "non_member_share": 0.0, "decimals": money.minor_units(plan.currency),
                 "commits": 0, "verified": None, "lines": [], "settled": plan.settled}
        if not self.report:
            return empty
        if plan.settled is not None:
            result = self.model.settled_splits.get(plan.slug)
            amounts = {who: a for who, a in plan.settled.amounts}
            rows = [{"id": who, "amount": a, "share": round(float(a / plan.budget), 6) if plan.budget else 0.0}
                    for who, a in sorted(amounts.items()) if a]
        else:
            result = plan_split(self.model, self.report, plan)
            rows = result.rows
            amounts = {r["id"]: r["amount"] for r in rows}
        shown, hidden = public_rows(rows, self.by_engine_id)
        total = sum((r["amount"] for r in rows), Decimal(0))
        found = {"non_members": result.non_members, "non_member_share": float(result.non_member_share),
                 "commits": result.commits, "verified": result.verified} if result is not None else {}
        return {**empty, "rows": shown, "hidden": hidden, "total": total, **found,
                "lines": self.explained(plan, result.reasons if result is not None else {}, amounts)}

    def explained(self, plan: RewardPlan, reasons: dict[str, Reason], amounts: dict[str, Decimal]) -> list[dict]:
        """Each line of a plan, explained: {contributor (None: the members not listed, as one
        line), share (of the value the policy counts, 0..1), fair, received, amount, why}; share,
        fair and received are None when not known (a settlement whose commit cannot be read).
        Paid lines first by amount, then those paid nothing by share; the hidden total last."""
        code, zero = plan.currency, money.from_units(0, plan.currency)
        people = {c["id"]: c for c in self.report.people}
        lines, hidden = [], None
        for pid in sorted(set(amounts) | set(reasons)):
            reason, amount = reasons.get(pid), amounts.get(pid, zero)
            member = pid in self.model.members or bool(people.get(pid, {}).get("member"))
            if not amount and plan.recipients == "members" and not member:
                continue  # the non-members' part is said once, above the table
            why = "" if amount else (reason.why if reason is not None and reason.why else "not_settled")
            line = {"share": float(reason.share) if reason else None,
                    "fair": _to_money(reason.fair, code) if reason else None,
                    "received": _to_money(reason.received, code) if reason else None,
                    "amount": money.quantize(amount, code), "why": why}
            person = self.by_engine_id.get(pid)
            if person is None:  # hidden: added into one line, never named
                if hidden is None:
                    hidden = {"contributor": None, "share": 0.0, "fair": zero, "received": zero, "amount": zero, "why": ""}
                for key in ("share", "fair", "received", "amount"):
                    if hidden[key] is not None and line[key] is not None:
                        hidden[key] += line[key]
                    else:
                        hidden[key] = None
                continue
            lines.append({"contributor": person, **line})
        lines.sort(key=lambda r: (-r["amount"], -(r["share"] or 0), r["contributor"].id))
        if hidden is not None:
            hidden["share"] = round(hidden["share"], 6) if hidden["share"] is not None else None
            lines.append(hidden)
        return lines

    def rewards_received(self, contributor: Contributor) -> dict[str, list[tuple[str, str, Decimal]]]:
        """What the rewards mean for one person, kept apart (VALUE.md, "Settling a period"):
        "settled": (plan title, currency, amount) of settled plans' amounts not yet paid (no ledger
        payout to them names the plan, or the payouts that do fall short: the rest);
        "planned": (plan title, currency, amount) of plans not settled, as computed today.
        What was paid is the ledger's (`contributor.rewards_received`)."""
        who = contributor.engine_id
        paid: dict[tuple[str, str], Decimal] = {}
        for e in self.model.ledger:
            if e.kind == "reward" and e.plan and e.party_to == who:
                paid[(e.plan, e.currency)] = paid.get((e.plan, e.currency), Decimal(0)) + e.amount
        settled, planned = [], []
        for slug, dist in self.rewards.items():
            plan = dist["plan"]
            title = plan.title or slug
            if plan.settled is not None:
                owed = dict(plan.settled.amounts).get(who, Decimal(0)) - paid.get((slug, plan.currency), Decimal(0))
                if owed > 0:
                    settled.append((title, plan.currency, owed))
                continue
            for row in dist["rows"]:
                if row["contributor"] is contributor:
                    planned.append((title, plan.currency, row["amount"]))
        return {"settled": settled, "planned": planned}

    # -- open data ---------------------------------------------------------------------------
    def tables(self) -> list[Table]:
        model, tables = self.model, []
        if self.report:
            tables += [self.contributors_table(), self.dimensions_table(), self.kinds_table(), self.indicators_table(),
                       self.monthly_table()]
        tables.append(Table(
            "ledger", "Ledger", "Every ledger entry; amounts are exact decimals, always positive (kind gives the direction).",
            [("date", "date", "Date of the entry"), ("kind", "string", "donation, grant, sale, expense, reward or opening_balance (money held before the ledger began: added to the balance, not income), or transfer (a community currency moved from one member to another: neither income nor spending)"),
             ("amount", "number", "Exact decimal amount, with its currency's decimals (ISO 4217 minor unit, or a community currency's declared decimals)"),
             ("currency", "string", "ISO 4217 code, or a community currency's code (data/currencies.json): never converted, never added to money"),
             ("from", "string", "Who paid (members through their visibility)"),
             ("to", "string", "Who was paid (members through their visibility)"),
             ("project", "string", "Project slug"), ("note", "string", "Note"),
             ("plan", "string", "For a reward payout: the reward plan it pays out (rewards/<plan>.yaml)")],
            [{"date": e.date, "kind": e.kind, "amount": e.amount, "currency": e.currency,
              "from": self.party_name(e.party_from) if e.party_from else "",
              "to": self.party_name(e.party_to) if e.party_to else "", "project": e.project, "note": e.note,
              "plan": e.plan}
             for e in model.ledger],
        ))
        tables.append(self.rewards_table([row for slug, dist in self.rewards.items()
                                          for row in self.reward_rows(slug, dist)]))
        tables.append(Table(
            "projects", "Projects", "Projects and their goals.",
            [("slug", "string", "Project id"), ("title", "string", "Title"), ("status", "string", "Status"),
             ("goals_done", "integer", "Goals done"), ("goals_total", "integer", "Goals"),
             ("started", "date", "Start date"), ("due", "date", "Due date")],
            [{"slug": p.slug, "title": p.title, "status": p.status, "goals_done": p.goals_done,
              "goals_total": len(p.goals), "started": p.started, "due": p.due}
             for p in sorted(model.projects.values(), key=lambda p: p.slug)],
            ["slug"],
        ))
        tables.append(Table(
            "events", "Events", "Community events and their attendance (hidden members are counted, not named).",
            [("slug", "string", "Event id"), ("title", "string", "Title"), ("date", "date", "Date"),
             ("kind", "string", "Kind"), ("organisers", "integer", "Organisers"),
             ("attendance", "integer", "Organisers, members taking part and guests")],
            [{"slug": e.slug, "title": e.title, "date": e.date, "kind": e.kind, "organisers": len(e.organisers),
              "attendance": len(set(e.organisers) | set(e.participants)) + e.guests}
             for e in sorted(model.events.values(), key=lambda e: (e.date, e.slug))],
            ["slug"],
        ))
        tables += [kudos_table(model, self.party_name), usage_table(model), participation_table(model, self.people)]
        tables += [decisions_table(model, self.people), mentions_table(model, self.people)]
        if model.impact:  # only when recorded, as the ecological value dimension
            tables.append(impact_table(model, self.party_name))
        if model.surveys:
            tables.append(surveys_table(model))
        tables += contributions_tables(self.report, self.contributors, self.people, model.community.name)
        return tables

    @staticmethod
    def rewards_table(rows: list[dict]) -> Table:
        return Table(
            "rewards", "Reward distributions", "Each declared distribution split among members (among every "
            "contributor when the plan says recipients: all), counting only its period; members who are not "
            "listed are paid, and appear as one row. A settled plan shows its settled amounts, never computed "
            "again. Each row explains itself: share of value, fair part, what was already received, this "
            "payout, and why someone the plan may pay gets nothing.",
            [("plan", "string", "Reward plan (file name)"), ("id", "string", "Contributor id"),
             ("name", "string", "Contributor name"),
             ("amount", "number", "This payout, with its currency's decimals (ISO 4217 minor unit); the settled "
                                  "amount once the plan is settled"),
             ("currency", "string", "ISO 4217 code, or a community currency's code (data/currencies.json)"),
             ("policy", "string", "immediate, recent or balanced"),
             ("share_of_value", "number", "Their part of the value the policy counts, in percent (c_i / Σ c: "
                                          "the period's value for immediate, the months' value with older "
                                          "months decayed for recent, all value up to the period's end for "
                                          "balanced); empty when not known"),
             ("fair_part", "number", "Their fair part: budget × share for immediate and recent; for balanced, "
                                     "the target (everything paid before the period plus the budget) × share; "
                                     "rounded to the currency's decimals; empty when not known"),
             ("already_received", "number", "Rewards the ledger shows paid to them before the period's start, "
                                            "in this currency (g_i); empty when not known"),
             ("settled", "boolean", "Whether the plan is settled (its amounts are final)"),
             ("reason", "string", "Why they get nothing (empty when they get something)")],
            rows,
        )

    def reward_rows(self, slug: str, dist: dict) -> list[dict]:
        plan = dist["plan"]
        amount = lambda a: money.quantize(a, plan.currency) if a is not None else None  # noqa: E731 - its currency's decimals
        rows = []
        for line in dist["lines"]:
            person = line["contributor"]
            rows.append({"plan": slug, "id": person.id if person else "", "name": person.name if person else NOT_LISTED,
                         "amount": amount(line["amount"]), "currency": plan.currency, "policy": plan.policy,
                         "share_of_value": round(100 * line["share"], 2) if line["share"] is not None else None,
                         "fair_part": amount(line["fair"]), "already_received": amount(line["received"]),
                         "settled": plan.settled is not None, "reason": WHY_NOTHING.get(line["why"], "")})
        return rows

    def contributors_table(self) -> Table:
        fields = [("id", "string", "Public id: member handle, pseudonym or contributor slug"),
                  ("name", "string", "Name as shown on the site"),
                  ("member", "boolean", "Has a member file"),
                  ("commits", "integer", "Non-merge commits authored"),
                  ("coauthored_commits", "integer", "Commits naming them in a Co-authored-by trailer "
                   "(of a commit's trailers, the first 50 count)"),
                  ("lines_added", "integer", "Lines added (git log --numstat -M100%)"),
                  ("lines_removed", "integer", "Lines removed"),
                  ("reviews", "integer", "Reviewed-by and Acked-by trailers (the first 50 of a commit count)"),
                  ("events_organised", "integer", "Events organised"),
                  ("events_attended", "integer", "Events attended"),
                  ("kudos_received", "integer", "Kudos received"),
                  ("kudos_given", "integer", "Kudos given"),
                  ("cred", "number", "Simplified CredRank (1000 shared by everyone)"),
                  ("first_commit", "date", "Date of the first commit (UTC)"),
                  ("last_commit", "date", "Date of the last commit (UTC)")]
        fields += [(f"records_{d}", "number", f"Weight of their contribution records in "
                                              f"{person_dimension_title(d).lower()}") for d in self.dims]
        fields += [(f"score_{d}", "number", f"Their share of {person_dimension_title(d).lower()}: records_{d} / the "
                                            "dimension's records_total") for d in self.dims]
        fields += [("value", "number", "Weighted sum of the scores over the dimensions that have records, divided by "
                                       "the sum of their weights")]
        rows = []
        for c in sorted(self.listed, key=lambda c: c.id):
            row = {"id": c.id, "name": c.name, "member": c.member, "first_commit": c.first_commit,
                   "last_commit": c.last_commit, "value": c.value, **c.figures}
            for d in self.dims:
                row[f"records_{d}"] = c.signals.get(d, 0)
                row[f"score_{d}"] = c.scores.get(d, 0.0)
            rows.append(row)
        return Table("contributors", "Contributors", "Per-contributor figures and scores: every person with a "
                     "contribution record (hidden members left out; their part is in the dimension totals).",
                     fields, rows, ["id"])

    def dimensions_table(self) -> Table:
        totals = signal_totals(self.report)
        kinds = kinds_by_dimension(self.report)
        return Table("dimensions", "Dimensions", "Weights and contribution record totals: score = records / "
                     "records_total; value = Σ weight × score / Σ weight, over the dimensions with records.",
                     [("dimension", "string", "Dimension key"), ("weight", "number", "Weight in the value"),
                      ("records_total", "number", "Weight of every contributor's records, hidden members included"),
                      ("has_records", "boolean", "Whether the dimension has records (without, it is left out of the value)"),
                      ("kinds", "string", "The kinds of contribution records that count in it")],
                     [{"dimension": d, "weight": float(self.report.weights[d]), "records_total": totals[d],
                       "has_records": totals[d] > 0, "kinds": " ".join(k["key"] for k in kinds[d])} for d in self.dims],
                     ["dimension"])

    def kinds_table(self) -> Table:
        return Table("kinds", "Contribution kinds", "Every kind of contribution record, with its dimension and weight.",
                     [("kind", "string", "Kind key"), ("dimension", "string", "Dimension key"),
                      ("weight", "number", "Weight of one record, per unit"), ("unit", "string", "What the weight is given for"),
                      ("explanation", "string", "What the kind counts")],
                     [{"kind": k["key"], "dimension": d, "weight": k["weight"], "unit": k["unit"],
                       "explanation": k["explanation"]}
                      for d, items in kinds_by_dimension(self.report).items() for k in items],
                     ["kind"])

    def indicators_table(self) -> Table:
        rows = []
        for d in self.dims:
            for ind in self.community_indicators(d):
                rows.extend(_flatten(d, ind.key, self.report.dimensions[d].get(ind.key), ind.unit))
        return Table("indicators", "Indicators", "Community indicators over the whole history (a key ending in "
                     "_12m: over the 12 months up to the report's day), flattened (a figure per currency or per "
                     "part is one row each).", _INDICATOR_FIELDS, rows)

    def monthly_table(self) -> Table:
        months = self.report.monthly["months"]
        rows = []
        for d in self.dims:
            for key, values in sorted(self.report.monthly[d].items()):
                unit = next((i.unit for i in self.community_indicators(d) if i.key == key), "")
                for month, value in zip(months, values):
                    rows.extend({"month": month, **r} for r in _flatten(d, key, value, unit))
        return Table("indicators-monthly", "Indicators per month", "Community indicators per calendar month (UTC).",
                     [("month", "string", "Calendar month, YYYY-MM")] + _INDICATOR_FIELDS, rows)


# Figures given for the whole history and for the last 12 months: (whole key, 12-month key, name).
WINDOW_ROWS = (
    ("active_contributors_whole_history", "active_contributors_12m", "Active contributors"),
    ("absence_factor", "absence_factor_12m", "Bus factor"),
    ("elephant_factor", "elephant_factor_12m", "Organisations holding half the work"),
    ("roles", "roles_12m", "Core, regular and casual contributors"),
)
WINDOWED_12M = frozenset(year for _whole, year, _name in WINDOW_ROWS)


def _n_people_with_a_commit(catalogue: Catalogue, n: int) -> str:
    """The onion's title, naming its population: the people with a commit authored."""
    return catalogue.ngettext("The onion of participation: {n} person with a commit",
                              "The onion of participation: {n} people with a commit", n)


_INDICATOR_FIELDS = [("dimension", "string", "Dimension key"), ("indicator", "string", "Indicator key"),
                     ("part", "string", "Currency or part, when the figure has several"),
                     ("value", "number", "The figure (empty when not applicable)"), ("unit", "string", "Unit")]


def _flatten(dimension: str, key: str, value, unit: str) -> list[dict]:
    base = {"dimension": dimension, "indicator": key, "unit": unit}
    if isinstance(value, bool):
        return [{**base, "part": "", "value": 1 if value else 0}]
    if isinstance(value, (int, float)) or value is None:
        return [{**base, "part": "", "value": value}]
    if isinstance(value, str):
        return [{**base, "part": "", "value": Decimal(value)}]
    if isinstance(value, list) and value and all(isinstance(v, dict) and "unit" in v and "amount" in v for v in value):
        # impact totals: a row per indicator and unit, the amount exact and in its own unit, never added
        return [{**base, "part": f"{v.get('indicator', '')} ({v['unit']})", "value": Decimal(v["amount"]),
                 "unit": v["unit"]} for v in value]
    if isinstance(value, list):
        return [{**base, "part": "count", "value": len(value)}]
    rows = []
    for part in sorted(value, key=str):
        v = value[part]
        if isinstance(v, dict):
            rows.extend({**r, "part": f"{part}.{r['part']}".rstrip(".")} for r in _flatten(dimension, key, v, unit))
        elif isinstance(v, str) and not _is_number(v):
            continue
        else:
            rows.extend({**r, "part": str(part)} for r in _flatten(dimension, key, v, unit))
    return rows


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
    except Exception:
        return False
    return True
