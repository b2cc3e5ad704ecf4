"""The `commonplace` command line. Exit codes: 0 success, 1 invalid data or failed check, 2 usage."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__
from .commands import diff
from . import diagnostics as report
from .errors import CommonplaceError, DataError
from .federation.mirrors import register as fetch_command


def _source(args) -> Path:
    source = Path(args.source)
    if not source.is_dir():
        raise CommonplaceError(f"{source} is not a folder: give the path of a community repository")
    return source


def cmd_new(args) -> int:
    from .commands.new import new_community

    created = new_community(Path(args.directory), args.name)
    print(f"Created {args.directory} with {len(created)} files and a first commit.")
    print(f"Next: edit the files, then run `commonplace build {args.directory}`.")
    return 0


def cmd_check(args) -> int:
    from .gitinfo import repo_info
    from .load.loader import check_community

    source = _source(args)
    findings = check_community(source)
    failing = [f for f in findings if f.severity == "error" or args.strict]
    prefix = repo_info(source).subdir if args.format in ("github", "gitlab") else ""
    sys.stdout.write(report.render(findings, args.format, prefix))
    if args.format == "text":
        print(report.summary(findings), file=sys.stderr)
    return 1 if failing else 0


def cmd_build(args) -> int:
    from .build import build

    source = _source(args)
    result = build(source, Path(args.output) if args.output else None, base_url=args.base_url,
                   incremental=not args.clean, search=False if args.no_search else None, strict=args.strict)
    for warning in result.warnings:
        print(warning, file=sys.stderr)
    for note in result.notes:
        print(note, file=sys.stderr)
    if args.strict and result.warnings:  # a build with nothing to do still fails on the last one's warnings
        print("failing because of warnings (--strict)", file=sys.stderr)
        return 1
    if result.unchanged:
        print(f"Nothing changed: {result.out_dir} is up to date ({result.pages} pages)", file=sys.stderr)
    else:
        print(f"Built {result.pages} pages ({result.files} files, {len(result.written)} written) into "
              f"{result.out_dir}", file=sys.stderr)
    return 0


def cmd_value(args) -> int:
    import json

    from value.formats import table
    from .valuation import value_report

    result = value_report(_source(args), ref=args.ref)
    if args.format == "json":
        sys.stdout.write(json.dumps(result, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(table(result))
    return 0


def _decimal(text: str):
    from decimal import Decimal, InvalidOperation

    try:
        value = Decimal(text)
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"'{text}' is not an amount such as 1000.00") from None
    if not value.is_finite() or value < 0:
        raise argparse.ArgumentTypeError(f"'{text}' must be a non-negative amount such as 1000.00")
    return value


def cmd_rewards(args) -> int:
    from value.errors import ValueEngineError
    from value.formats import rewards_csv, rewards_json, rewards_table
    from value.rewards import distribute
    from .valuation import value_report

    result = value_report(_source(args), ref=args.ref)
    try:
        rows = distribute(result, budget=args.budget, currency=args.currency, policy=args.policy, decay=args.decay)
    except ValueEngineError as exc:
        raise CommonplaceError(str(exc)) from None
    render = {"table": rewards_table, "csv": rewards_csv, "json": rewards_json}[args.format]
    sys.stdout.write(render(rows, args.currency))
    return 0


def cmd_serve(args) -> int:
    from .commands.serve import serve

    return serve(_source(args), args.port)


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="commonplace",
        description="Build the portal of a commons-based peer production community from its git repository.",
    )
    top.add_argument("--version", action="version", version=f"commonplace {__version__}")
    sub = top.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("new", help="create a new community repository from a template",
                       description="Create a new community repository (git initialised, first commit made).")
    p.add_argument("directory", help="folder to create (must not exist or be empty)")
    p.add_argument("--name", help="the community's name (default: from the folder name)")
    p.set_defaults(run=cmd_new)

    p = sub.add_parser("check", help="validate every data file and list every problem",
                       description="Validate every data file; print every problem at once. Exit 1 when anything is wrong.")
    p.add_argument("source", nargs="?", default=".", help="community folder (default: current folder)")
    p.add_argument("--format", choices=report.FORMATS, default="text",
                   help="text (default), github (workflow annotations), gitlab (Code Quality JSON) or json")
    p.add_argument("--strict", action="store_true", help="fail on warnings too")
    p.set_defaults(run=cmd_check)

    p = sub.add_parser("build", help="build the portal into a folder",
                       description="Validate everything, then render the portal. A failed build leaves the previous output untouched.")
    p.add_argument("source", nargs="?", default=".", help="community folder (default: current folder)")
    p.add_argument("-o", "--output", help="output folder (default: SOURCE/_site)")
    p.add_argument("--base-url", help="publish under this URL instead of commonplace.yaml's base_url "
                                        "(for example the URL GitHub or GitLab Pages gives)")
    p.add_argument("--strict", action="store_true", help="fail on warnings too")
    p.add_argument("--clean", action="store_true",
                   help="render and write everything, ignoring what the last build recorded")
    p.add_argument("--no-search", action="store_true",
                   help="leave out the search page and index even when the search extra is installed")
    p.set_defaults(run=cmd_build)

    p = sub.add_parser("serve", help="build, serve on localhost, rebuild and reload on every change",
                       description="Build the portal, serve it on 127.0.0.1, watch the files and rebuild on change; "
                                   "the open browser tab reloads by itself. A data error shows in the browser.")
    p.add_argument("source", nargs="?", default=".", help="community folder (default: current folder)")
    p.add_argument("-p", "--port", type=int, default=8000, help="port to listen on (default 8000; 0 picks a free one)")
    p.set_defaults(run=cmd_serve)

    p = sub.add_parser("value", help="the value report of a community (or of any git repository)",
                       description="Compute the five value dimensions from the history and the data. "
                                   "For local use: the JSON report includes contributors' e-mail addresses.")
    p.add_argument("source", nargs="?", default=".", help="community folder or git repository (default: current folder)")
    p.add_argument("--format", choices=("table", "json"), default="table", help="table (default) or json")
    p.add_argument("--ref", default="HEAD", help="the commit, branch or tag to read the history from (default: HEAD)")
    p.set_defaults(run=cmd_value)

    p = sub.add_parser("rewards", help="split a budget among contributors, exact to the cent",
                       description="Split a budget among contributors by their value, following SourceCred's policies. "
                                   "The parts always sum exactly to the budget.")
    p.add_argument("source", nargs="?", default=".", help="community folder or git repository (default: current folder)")
    p.add_argument("--budget", required=True, type=_decimal, help="the amount to distribute, e.g. 1000.00")
    p.add_argument("--currency", required=True, help="ISO 4217 code, e.g. EUR")
    p.add_argument("--policy", choices=("immediate", "recent", "balanced"), default="balanced",
                   help="immediate: last period's value; recent: value with a decay; "
                        "balanced (default): all-time value minus what the ledger shows was already paid")
    p.add_argument("--decay", type=_decimal, default="0.5", help="decay per month for the recent policy (default 0.5)")
    p.add_argument("--format", choices=("table", "csv", "json"), default="table", help="table (default), csv or json")
    p.add_argument("--ref", default="HEAD", help="the commit, branch or tag to read the history from (default: HEAD)")
    p.set_defaults(run=cmd_rewards)

    diff.register(sub)
    fetch_command(sub)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except DataError as exc:
        sys.stderr.write(report.as_text(exc.findings))
        why = "" if any(f.severity == "error" for f in exc.findings) else " (--strict fails on warnings)"
        print(f"build stopped: {report.summary(exc.findings)}{why}; nothing was written", file=sys.stderr)
        return 1
    except CommonplaceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
