"""`commonplace check`: every problem of every data file, at once, in the format a CI wants;
with `--advice`, then the sustainability advice (the same findings as the site's)."""

from __future__ import annotations

import json
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
    if not (args.advice and args.format == "json"):  # one JSON document on stdout, not two
        sys.stdout.write(diagnostics.render(findings, args.format, prefix))
    if args.format == "text" or (args.advice and args.format == "json"):
        print(diagnostics.summary(findings), file=sys.stderr)
    if args.advice and not any(f.severity == "error" for f in findings):
        print_advice(source, args.format)
    return 1 if failing else 0


def print_advice(source, output_format: str) -> None:
    """The advice as of the build's date (SOURCE_DATE_EPOCH, else the last commit's), as a build
    of this commit would publish it."""
    from ..gitinfo import build_epoch
    from ..i18n import english
    from ..load.loader import load_community
    from ..render.context import epoch_datetime
    from ..valuation import value_report
    from ..views.advice import advise_model, terminal_lines

    model = load_community(source)
    info = repo_info(source)
    report = value_report(source, model) if info.head_commit else None
    advice = advise_model(model, report, epoch_datetime(build_epoch(info)).date())
    if output_format == "json":
        sys.stdout.write(json.dumps(advice, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
        return
    sys.stdout.write("\n".join(["", "Sustainability advice", *terminal_lines(model, advice, english())]) + "\n")
