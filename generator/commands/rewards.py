"""`commonplace rewards`: a budget split among members by value, exact to the currency's minor unit.

The treasurer's view: people appear as the site shows them (handle, or pseudonym for
pseudonymous members, and for non-members when the community's privacy says so; hidden members
as one "members not listed" line), sorted by amount (descending, ties by id). `--names` shows
real names, for paying, and says on stderr and in the table that the output is not for publishing.

`--plan PLAN` splits a declared plan with its own settings: its settled amounts once it is
settled (never computed again), else as today's data and configuration give it. `--settle PLAN`
writes the plan's `settled:` block (`generator.settlement.settle`, which says why it refuses).
"""

from __future__ import annotations

import sys
from decimal import Decimal

from value import money
from value.errors import ValueEngineError
from value.formats import no_commits_note, rewards_csv, rewards_json, rewards_table
from value.report_types import Report
from value.rewards import Split, split

from ..cache.folders import holds_community
from ..errors import CommonplaceError
from ..load.loader import load_community
from ..model import Model, RewardPlan
from ..people import People
from ..settlement import plan_split
from ..settlement import settle as settle_plan
from ..valuation import payouts, value_report
from ..views.contributors import public_contributors
from . import community_folder

NOT_FOR_PUBLISHING = ("this list shows real names, for paying; publish the site's rewards page "
                      "or CSV instead")
NOT_LISTED = "members not listed"


USAGE = "usage: commonplace rewards [SOURCE] (--budget AMOUNT --currency CODE | --plan PLAN | --settle PLAN) [options]"
FROM_PLAN = ("budget", "currency", "period", "policy", "decay", "recipients")  # what a plan file gives


def usage_error(message: str) -> int:
    """A usage mistake, as argparse reports one (exit 2)."""
    sys.stderr.write(f"{USAGE}\ncommonplace rewards: error: {message}\n")
    return 2


def run(args) -> int:
    if args.plan and args.settle:
        return usage_error("give --plan or --settle, not both")
    named = args.settle or args.plan
    if named:
        option = "--settle" if args.settle else "--plan"
        given = [f"--{key}" for key in FROM_PLAN if getattr(args, key) is not None]
        if given:
            return usage_error(f"{' and '.join(given)} cannot be given with {option}: rewards/{named}.yaml gives "
                               f"the plan's budget, currency, policy, period and recipients")
        if args.settle and args.ref != "HEAD":
            return usage_error("--settle settles at HEAD: leave out --ref (switch to the commit instead)")
    elif args.budget is None or args.currency is None:
        return usage_error("--budget and --currency are required, unless --plan PLAN or --settle PLAN reads "
                           "them from rewards/PLAN.yaml")
    folder = community_folder(args.source)
    if args.settle:
        return settle(folder, args)
    model = load_community(folder) if holds_community(folder) else None
    if args.currency is not None and not money.is_unit(args.currency):  # neither ISO 4217 nor declared: as argparse
        raise SystemExit(usage_error(f"argument --currency: '{args.currency}' is not an ISO 4217 currency code: give one such "
                           f"as EUR, USD or JPY, or, for a community currency, declare {args.currency} under "
                           "`currencies:` in commonplace.yaml"))
    if args.plan:
        if model is None:
            raise CommonplaceError(f"{folder} holds no community (no commonplace.yaml): --plan reads rewards/{args.plan}.yaml")
        plan = model.rewards.get(args.plan)
        if plan is None:
            known = ", ".join(sorted(model.rewards)) or "none"
            raise CommonplaceError(f"no reward plan '{args.plan}' (rewards/{args.plan}.yaml; plans: {known})")
        return plan_output(folder, model, plan, args)
    policy, decay = args.policy or "balanced", args.decay if args.decay is not None else Decimal("0.5")
    periods = [(args.period.start, args.period.end)] if args.period is not None else []
    result = value_report(folder, model, ref=args.ref, periods=periods)
    note = no_commits_note(result)
    if note:  # the split rests on the data alone: say so, never let it pass for the history's
        sys.stderr.write(f"note: {note}\n")
    if args.period is not None or model is not None:
        paid = payouts(model)  # dated: the period keeps those before its start
    else:
        paid = None  # any repository: what the report shows was paid (nothing, without a ledger)
    try:
        parts = split(result, budget=args.budget, currency=args.currency, policy=policy, decay=decay,
                      period=args.period, recipients=args.recipients or "members", payouts=paid,
                      minor_units=money.minor_units(args.currency))
    except ValueEngineError as exc:
        raise CommonplaceError(str(exc)) from None
    return show(parts.rows, result, model, args, args.currency, [non_member_line(parts)] if parts.non_members else [])


def plan_output(folder, model: Model, plan: RewardPlan, args) -> int:
    """`--plan`: the settled amounts of a settled plan (never computed again), else its split now."""
    result = value_report(folder, model, ref=args.ref)
    if plan.settled is not None:
        sys.stderr.write(f"note: {plan.source} was settled on {plan.settled.date.isoformat()} as of "
                         f"{plan.settled.as_of[:12]}: these are its settled amounts\n")
        return show(settled_rows(plan, result), result, model, args, plan.currency, [])
    note = no_commits_note(result)
    if note:
        sys.stderr.write(f"note: {note}\n")
    try:
        parts = plan_split(model, result, plan)
    except ValueEngineError as exc:
        raise CommonplaceError(str(exc)) from None
    return show(parts.rows, result, model, args, plan.currency, [non_member_line(parts)] if parts.non_members else [])


def settled_rows(plan: RewardPlan, report: Report) -> list[dict]:
    """A settlement's amounts as a split's rows (id, name, amount, share of the budget)."""
    names = {c["id"]: c.get("name", c["id"]) for c in report.people}
    return [{"id": who, "name": names.get(who, who), "amount": amount,
             "share": round(float(amount / plan.budget), 6) if plan.budget else 0.0}
            for who, amount in sorted(plan.settled.amounts) if amount]


def settle(folder, args) -> int:
    path, head, plan, amounts, model, result = settle_plan(folder, args.settle)
    total = sum(amounts.values(), Decimal(0))
    sys.stderr.write(f"settled {plan.source} as of {head[:12]}: {len(amounts)} recipient"
                     f"{'s' * (len(amounts) != 1)}, {money.format_amount(total, plan.currency)} {plan.currency}. "
                     "Commit the file and propose it like any change (a pull request)\n")
    names = {c["id"]: c.get("name", c["id"]) for c in result.people}
    rows = [{"id": who, "name": names.get(who, who), "amount": amount,
             "share": round(float(amount / plan.budget), 6) if plan.budget else 0.0}
            for who, amount in sorted(amounts.items())]
    return show(rows, result, model, args, plan.currency, [])


def show(split_rows: list[dict], result: Report, model: Model | None, args, currency: str, notes: list[str]) -> int:
    rows = real_rows(split_rows, result, model) if args.names else public_rows(split_rows, result, model)
    if args.names:
        sys.stderr.write(f"warning: not for publishing: {NOT_FOR_PUBLISHING}\n")
    if args.format == "table":
        if args.names:
            sys.stdout.write(f"NOT FOR PUBLISHING: {NOT_FOR_PUBLISHING}\n")
        sys.stdout.write(rewards_table(rows, currency, notes))
    else:
        for line in notes:
            sys.stderr.write(f"note: {line}\n")
        sys.stdout.write({"csv": rewards_csv, "json": rewards_json}[args.format](rows, currency))
    return 0


def non_member_line(parts: Split) -> str:
    people = "person" if parts.non_members == 1 else "people"
    share = f"{float(parts.non_member_share) * 100:.1f} %"
    what = ("paid like members (--recipients all)" if parts.recipients == "all"
            else "their part is shared among members by the same policy (--recipients all pays them)")
    return f"Contributors who are not members: {parts.non_members} {people}, {share} of the value; {what}"


def _by_amount(rows: list[dict]) -> list[dict]:
    return sorted(rows, key=lambda r: (-r["amount"], r["id"]))


def public_rows(rows: list[dict], report: Report, model: Model | None) -> list[dict]:
    """The split as the site shows it: public ids and names, by amount; hidden members' total last."""
    salt = model.community.name if model else ""
    people = People(model.members if model else {}, salt)
    non_members = model.config.non_members if model else "name"
    shown = {c.engine_id: c for c in public_contributors(report, people, non_members, salt,
                                                     model.config.opt_out if model else frozenset())}
    out, hidden, hidden_share = [], Decimal(0), 0.0
    for r in rows:
        person = shown.get(r["id"])
        if person is None:
            hidden += r["amount"]
            hidden_share += r["share"]
        else:
            out.append({**r, "id": person.id, "name": person.name})
    out = _by_amount(out)
    if hidden:
        out.append({"id": "", "name": NOT_LISTED, "amount": hidden, "share": round(hidden_share, 6)})
    return out


def real_rows(rows: list[dict], report: Report, model: Model | None) -> list[dict]:
    """The split with every person's id and real name (members' files' names), for paying."""
    members = model.members if model else {}
    return _by_amount([{**r, "name": members[r["id"]].name if r["id"] in members else r["name"]} for r in rows])
