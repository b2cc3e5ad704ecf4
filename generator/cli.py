"""The `commonplace` command line. Exit codes: 0 success, 1 invalid data or failed check, 2 usage."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__
from . import diff
from . import report
from .errors import CommonplaceError, DataError
from .gitinfo import repo_info
from .loader import check_community


def _source(args) -> Path:
    source = Path(args.source)
    if not source.is_dir():
        raise CommonplaceError(f"{source} is not a folder: give the path of a community repository")
    return source


def cmd_new(args) -> int:
    from .scaffold import new_community

    created = new_community(Path(args.directory), args.name)
    print(f"Created {args.directory} with {len(created)} files and a first commit.")
    print(f"Next: edit the files, then run `commonplace build {args.directory}`.")
    return 0


def cmd_check(args) -> int:
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
    result = build(source, Path(args.output) if args.output else None, base_url=args.base_url)
    for warning in result.model.warnings:
        print(warning, file=sys.stderr)
    if args.strict and result.model.warnings:
        print("failing because of warnings (--strict)", file=sys.stderr)
        return 1
    print(f"Built {result.pages} pages ({result.files} files) into {result.out_dir}", file=sys.stderr)
    return 0


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
    p.set_defaults(run=cmd_build)

    diff.register(sub)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except DataError as exc:
        sys.stderr.write(report.as_text(exc.findings))
        print(f"build stopped: {report.summary(exc.findings)}; nothing was written", file=sys.stderr)
        return 1
    except CommonplaceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
