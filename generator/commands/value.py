"""`commonplace value`: the value report of a community, or of any git repository."""

from __future__ import annotations

import json
import sys

from value.formats import no_commits_note, table

from ..valuation import value_report
from . import community_folder


def run(args) -> int:
    result = value_report(community_folder(args.source), ref=args.ref)
    if args.format == "json":
        note = no_commits_note(result)
        if note:  # the table says it first; JSON says it beside the figures
            sys.stderr.write(f"note: {note}\n")
        sys.stdout.write(json.dumps(result, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(table(result))
    return 0
