"""`commonplace check`: every problem of every data file, at once, in the format a CI wants."""

from __future__ import annotations

import sys

from .. import diagnostics
from ..gitinfo import repo_info
from ..load.loader import check_community
from . import community_folder


def run(args) -> int:
    source = community_folder(args.source)
    findings = check_community(source)
    failing = [f for f in findings if f.severity == "error" or args.strict]
    prefix = repo_info(source).subdir if args.format in ("github", "gitlab") else ""
    sys.stdout.write(diagnostics.render(findings, args.format, prefix))
    if args.format == "text":
        print(diagnostics.summary(findings), file=sys.stderr)
    return 1 if failing else 0
