"""`commonplace rewards`: a budget split among contributors by value, exact to the minor unit."""

from __future__ import annotations

import sys

from value.errors import ValueEngineError
from value.formats import no_commits_note, rewards_csv, rewards_json, rewards_table
from value.rewards import distribute

from ..errors import CommonplaceError
from ..valuation import value_report
from . import community_folder


def run(args) -> int:
    result = value_report(community_folder(args.source), ref=args.ref)
    note = no_commits_note(result)
    if note:  # the split rests on the data alone: say so, never let it pass for the history's
        sys.stderr.write(f"note: {note}\n")
    try:
        rows = distribute(result, budget=args.budget, currency=args.currency, policy=args.policy, decay=args.decay)
    except ValueEngineError as exc:
        raise CommonplaceError(str(exc)) from None
    render = {"table": rewards_table, "csv": rewards_csv, "json": rewards_json}[args.format]
    sys.stdout.write(render(rows, args.currency))
    return 0
