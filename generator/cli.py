"""The `commonplace` command line. Exit codes: 0 success, 1 invalid data, failed check or an
unexpected error (one line naming the command; COMMONPLACE_DEBUG=1 shows the traceback), 2 usage.

Every command's arguments are in one table, `COMMANDS`; each command's code is the `run(args)` of
its module in `generator/commands/`, imported only when that command runs, so that `--help` and
a build with nothing to do start fast.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from . import __version__, diagnostics
from .errors import CommonplaceError, DataError


def _decimal(text: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"'{text}' is not an amount such as 1000.00") from None
    if not value.is_finite() or value < 0:
        raise argparse.ArgumentTypeError(f"'{text}' must be a non-negative amount such as 1000.00")
    return value


def _currency(text: str) -> str:
    """An ISO 4217 code, as Babel's currency data knows them (the fix in the message), or the form
    of a community currency's code (3 to 8 capitals), checked against `currencies:` once the
    community is read (`commands.rewards`)."""
    from value import money

    if money.is_currency(text) or (money.COMMUNITY_CODE.fullmatch(text) and text not in money.NOT_MONEY):
        return text
    if money.is_currency(text.upper()):
        raise argparse.ArgumentTypeError(f"'{text}' is not an ISO 4217 code: write it in capitals, {text.upper()}")
    if text.upper() in money.NOT_MONEY:
        raise argparse.ArgumentTypeError(money.refusal(text.upper()))
    raise argparse.ArgumentTypeError(f"'{text}' is not an ISO 4217 currency code: give one such as EUR, USD or JPY")


def _period(text: str):
    """START..END, two ISO dates (both days included), START not after END."""
    from value.rewards import Period

    start, sep, end = text.partition("..")
    try:
        first, last = date.fromisoformat(start.strip()), date.fromisoformat(end.strip())
    except ValueError:
        first = last = None
    if not sep or first is None or len(start.strip()) != 10 or len(end.strip()) != 10:
        raise argparse.ArgumentTypeError(f"'{text}' is not a period START..END of two ISO dates, "
                                         "such as 2026-07-01..2026-09-30")
    if first > last:
        raise argparse.ArgumentTypeError(f"'{text}' starts after it ends: give the earlier date first, "
                                         f"{last.isoformat()}..{first.isoformat()}")
    return Period(first, last)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not an ISO date (YYYY-MM-DD)") from None


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number of seconds above 0")
    return value


def arg(*names: str, **options) -> tuple[tuple[str, ...], dict]:
    return names, options


@dataclass(frozen=True)
class Command:
    name: str
    help: str  # one line, in `commonplace --help`
    description: str  # the command's own `--help`
    arguments: tuple[tuple[tuple[str, ...], dict], ...]

    def run(self, args) -> int:
        return importlib.import_module(f"{__package__}.commands.{self.name}").run(args)


SOURCE = arg("source", nargs="?", default=".", help="community folder (default: current folder)")
ANY_REPOSITORY = arg("source", nargs="?", default=".",
                     help="community folder or git repository (default: current folder)")
STRICT = arg("--strict", action="store_true", help="fail on warnings too")
REF = arg("--ref", default="HEAD", help="the commit, branch or tag to read the history from (default: HEAD)")

COMMANDS = (
    Command("new", "create a new community repository from a template",
            "Create a new community repository (git initialised, first commit made), or with --example the "
            "living demo. Inside an existing git work tree, add the folder to that repository instead, filled "
            "from what the repository has (README, CITATION.cff, pyproject.toml, package.json, the licence "
            "file, origin), counting its whole history; nothing is committed unless --commit.", (
                arg("directory", help="folder to create (must not exist or be empty)"),
                arg("--name", help="the community's name (default: from the repository's files, else the folder name)"),
                arg("--handle", help="your handle, the name of your member file (default: from git config "
                                     "user.name; asked on a terminal)"),
                arg("--license", help="the SPDX id of the community's licence; a new repository gets its text in "
                                      "LICENSE (one of CC-BY-SA-4.0, the default, CC-BY-4.0, CC0-1.0, MIT, "
                                      "Apache-2.0, GPL-3.0-or-later; asked on a terminal); inside a repository, "
                                      "any SPDX id, when the repository's licence file is not recognised"),
                arg("--no-code-of-conduct", action="store_true",
                    help="write no CODE_OF_CONDUCT.md (by default a short one is written; inside a repository, "
                         "only when the repository has none)"),
                arg("--no-contributing", action="store_true",
                    help="write no CONTRIBUTING.md (by default a short one is written; inside a repository, only "
                         "when the repository has none)"),
                arg("--commit", action="store_true",
                    help="inside a repository: commit the new folder (by default it is only written)"),
                arg("--example", action="store_true",
                    help="make the living demo instead: the example community's data replayed as a git "
                         "history by its members, on the dates the data gives (the same commit ids every time), "
                         "and its two federation peers beside it (DIRECTORY-upstream, DIRECTORY-open-data), "
                         "fetched"),
            )),
    Command("check", "validate every data file and list every problem",
            "Validate every data file; print every problem at once. Exit 1 when anything is wrong.", (
                SOURCE,
                arg("--format", choices=diagnostics.FORMATS, default="text",
                    help="text (default), github (workflow annotations), gitlab (Code Quality JSON) or json"),
                STRICT,
                arg("--advice", action="store_true",
                    help="then print the sustainability advice (the findings of the sustainability/ page): "
                         "risks and strengths, each with its threshold and next step; with --format json, "
                         "the advice as data/advice.json has it. Risks are advice: they never fail the check"),
            )),
    Command("build", "build the portal into a folder",
            "Validate everything, then render the portal. A failed build leaves the previous output untouched.", (
                SOURCE,
                arg("-o", "--output", help="output folder (default: SOURCE/_site)"),
                arg("--base-url", help="publish under this URL instead of commonplace.yaml's base_url "
                                       "(for example the URL GitHub or GitLab Pages gives)"),
                STRICT,
                arg("--clean", action="store_true",
                    help="render and write everything, ignoring what the last build recorded"),
                arg("--no-search", action="store_true",
                    help="leave out the search page and index even when the search extra is installed"),
            )),
    Command("serve", "build, serve on localhost, rebuild and reload on every change",
            "Build the portal, serve it on 127.0.0.1, watch the files and rebuild on change; "
            "the open browser tab reloads by itself. A data error shows in the browser.", (
                SOURCE,
                arg("-p", "--port", type=int, default=8000,
                    help="port to listen on (default 8000; 0 picks a free one)"),
            )),
    Command("value", "the value report of a community (or of any git repository)",
            "Compute the five value dimensions from the history and the data. "
            "For local use: the JSON report includes contributors' e-mail addresses. The JSON report "
            "carries every figure but not the contribution records: --records writes those, one JSON "
            "object a line.", (
                ANY_REPOSITORY,
                arg("--format", choices=("table", "json"), default="table",
                    help="table (default) or json (every figure, without the contribution records)"),
                arg("--records", metavar="FILE",
                    help="also write every contribution record to FILE as JSON Lines, one record a line "
                         "(date, person, kind, dimension, weight, source, landed; bots' records add "
                         "\"bot\": true, the cred as of a reward plan's end \"as_of\"), streamed as they "
                         "are made; - writes them to the standard output instead of the report"),
                REF,
            )),
    Command("rewards", "split a budget among members, exact to the currency's minor unit",
            "Split a budget among members by their value, following SourceCred's policies, in the "
            "currency's minor unit (ISO 4217: JPY 0 decimals, EUR 2, BHD 3): the parts always sum exactly "
            "to the budget. People are shown as the site shows them (handles, pseudonyms, hidden members "
            "as one line), sorted by amount; --names shows real names, for paying only.", (
                ANY_REPOSITORY,
                arg("--budget", type=_decimal, help="the amount to distribute, e.g. 1000.00 (required unless "
                                                    "--plan or --settle, which read it from the plan)"),
                arg("--currency", type=_currency, help="ISO 4217 code, e.g. EUR, or a community currency declared under "
                    "currencies: in commonplace.yaml, e.g. HORA (required unless --plan or --settle)"),
                arg("--plan", metavar="PLAN",
                    help="the split of rewards/PLAN.yaml, with its budget, currency, policy, period and recipients: "
                         "its settled amounts once it is settled (never computed again), else computed from "
                         "today's data and configuration"),
                arg("--settle", metavar="PLAN",
                    help="settle rewards/PLAN.yaml: compute its split from HEAD's committed files and append it to "
                         "the file as a settled: block (as_of: HEAD's commit, date: today or SOURCE_DATE_EPOCH's "
                         "day, amounts by member id), leaving the rest of the file byte-identical; commit it "
                         "through a pull request. Refused when the period has not ended by HEAD's commit date, "
                         "the plan is settled already, anything is uncommitted, or HEAD is not on the default "
                         "branch"),
                arg("--period", type=_period, metavar="START..END",
                    help="the period rewarded, two ISO dates such as 2026-07-01..2026-09-30: counts the value "
                         "that counts by END (a record counts on the later of its date and the day it landed) "
                         "and payouts (ledger 'kind: reward') dated before START"),
                arg("--recipients", choices=("members", "all"),
                    help="members (default): only members are paid, the non-members' part is shared among "
                         "them; all: every contributor"),
                arg("--names", action="store_true",
                    help="show real names, for paying: this output is not for publishing"),
                arg("--policy", choices=("immediate", "recent", "balanced"),
                    help="immediate: last period's value; recent: value with a decay; "
                         "balanced (default): all-time value minus what the ledger shows was already paid"),
                arg("--decay", type=_decimal,
                    help="decay per month for the recent policy (default 0.5)"),
                arg("--format", choices=("table", "csv", "json"), default="table",
                    help="table (default), csv or json"),
                REF,
            )),
    Command("diff", "what a change does to the portal and its figures, as Markdown",
            "Build the community at --base REF and at the head (the work tree, or --head REF), "
            "and print as Markdown the pages added, changed and removed and the figures that move: "
            "members, goals done, events, ledger totals, value indicators. Fit for a pull request "
            "comment or a job summary. Exit 1 when the head's data is invalid.", (
                SOURCE,
                arg("--base", required=True, metavar="REF", help="the revision to compare with (branch, tag or commit)"),
                arg("--head", metavar="REF", help="the revision to compare (default: the work tree)"),
            )),
    Command("fetch", "fetch the federation peers into local mirrors",
            "Fetch every peer declared in federation.yaml into a bare mirror in the repository's "
            "git folder (.git/commonplace-cache/peers-*/, where no pull request can write; "
            "SOURCE/.commonplace-cache/peers/ outside a repository), using your git credentials; "
            "a peer in mode data with a web address is read from its published portal over HTTPS "
            "(asking only whether it changed), with the peers of peers when federation.yaml says "
            "discover. A peer that cannot be reached is a warning: the copy fetched before is kept.", (
                SOURCE,
                arg("--timeout", type=_positive, default=120, metavar="SECONDS",
                    help="give up on a peer after this many seconds (default: 120)"),
                arg("--forge", action="store_true",
                    help="instead of the peers: read reviews, issues opened and discussions from the GitHub or GitLab API "
                         "(commonplace.yaml forge:; token from GITHUB_TOKEN or GITLAB_TOKEN) and write them as "
                         "contributions/forge-YYYY-MM.yaml, for review"),
                arg("--since", type=_day, metavar="DATE",
                    help="with --forge: from the first day of DATE's month (default: the month of the latest "
                         "forge file, fetched again; without one, everything)"),
            )),
)


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="commonplace",
        description="Build the portal of a commons-based peer production community from its git repository.",
    )
    top.add_argument("--version", action="version", version=f"commonplace {__version__}")
    sub = top.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in COMMANDS:
        p = sub.add_parser(command.name, help=command.help, description=command.description)
        for names, options in command.arguments:
            p.add_argument(*names, **options)
        p.set_defaults(run=command.run)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except DataError as exc:
        sys.stderr.write(diagnostics.as_text(exc.findings))
        why = "" if any(f.severity == "error" for f in exc.findings) else " (--strict fails on warnings)"
        print(f"build stopped: {diagnostics.summary(exc.findings)}{why}; nothing was written", file=sys.stderr)
        return 1
    except CommonplaceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - a bug reached by some input: one line, not a traceback
        if os.environ.get(DEBUG, "").strip() not in ("", "0"):
            raise
        print(unexpected(args.command, exc), file=sys.stderr)
        return 1


DEBUG = "COMMONPLACE_DEBUG"  # set to 1: an unexpected error shows its traceback


def unexpected(command: str, exc: BaseException) -> str:
    """The one line an unexpected error (a bug, not a problem in the user's files) ends with."""
    what = " ".join(f"{type(exc).__name__}: {exc}".split())
    what = what if len(what) <= 300 else what[:299] + "…"
    return (f"error: commonplace {command} stopped on an unexpected error ({what}). This is a bug in "
            f"Commonplace, not a mistake in your files: please report it with the command you ran; "
            f"{DEBUG}=1 shows the details")


if __name__ == "__main__":
    sys.exit(main())
