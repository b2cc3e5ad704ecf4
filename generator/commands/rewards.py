"""`commonplace rewards`: a budget split among members by value, exact to the currency's minor unit.

The treasurer's view: people appear as the site shows them (handle, or pseudonym for
pseudonymous members, and for non-members when the community's privacy says so; hidden members
as one "members not listed" line), sorted by amount (descending, ties by id). `--names` shows
real names, for paying, and says on stderr and in the table that the output is not for publishing.
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
from ..model import Model
from ..people import People
from ..valuation import payouts, value_report
from ..views.contributors import public_contributors
from . import community_folder

NOT_FOR_PUBLISHING = ("this list shows real names, for paying; publish the site's rewards page "
                      "or CSV instead")
NOT_LISTED = "members not listed"


def run(args) -> int:
    folder = community_folder(args.source)
    model = load_community(folder) if holds_community(folder) else None
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
        parts = split(result, budget=args.budget, currency=args.currency, policy=args.policy, decay=args.decay,
                      period=args.period, recipients=args.recipients, payouts=paid,
                      minor_units=money.minor_units(args.currency))
    except ValueEngineError as exc:
        raise CommonplaceError(str(exc)) from None
    rows = real_rows(parts.rows, result, model) if args.names else public_rows(parts.rows, result, model)
    notes = [non_member_line(parts)] if parts.non_members else []
    if args.names:
        sys.stderr.write(f"warning: not for publishing: {NOT_FOR_PUBLISHING}\n")
    if args.format == "table":
        if args.names:
            sys.stdout.write(f"NOT FOR PUBLISHING: {NOT_FOR_PUBLISHING}\n")
        sys.stdout.write(rewards_table(rows, args.currency, notes))
    else:
        for line in notes:
            sys.stderr.write(f"note: {line}\n")
        sys.stdout.write({"csv": rewards_csv, "json": rewards_json}[args.format](rows, args.currency))
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
    shown = {c.engine_id: c for c in public_contributors(report, people, non_members, salt)}
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
