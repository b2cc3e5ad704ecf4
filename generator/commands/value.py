"""`commonplace value`: the value report of a community, or of any git repository."""

from __future__ import annotations

import json
import sys

from value.formats import table

from ..valuation import value_report
from . import community_folder


def run(args) -> int:
    result = value_report(community_folder(args.source), ref=args.ref)
    if args.format == "json":
        sys.stdout.write(json.dumps(result, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(table(result))
    return 0
