"""Forge activity as contribution records: logins matched to members, files of one month each.

A login is matched through the members' `github:` / `gitlab:` logins (`load/logins.LoginIndex`,
the rule `.all-contributorsrc` and CODEOWNERS use); a login that matches no member is written as
`who: "@login"` (public on the forge already) and counts as a non-member's work. Bots (the
forge's own flag, or `value.identities.is_bot` on the login with the config's `bots:`) are left
out, and so is an item with a login the forge could not have given (every answer is untrusted
input) or dated outside the data's window. Only the day, the login, the kind, the number and the
title are read from an answer: no address from the forge is ever written, and an address inside
a title is replaced.

A file holds one calendar month, its records sorted, with no time of fetching: fetching the same
months twice writes the same bytes. Files are written to temporary files first and replaced at
the end, so a failed fetch leaves the folder as it was.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from datetime import date
from pathlib import Path

import yaml

from value.identities import is_bot, listed_bots

from ..load.logins import LOGIN, LoginIndex
from .activity import DISCUSSION, ISSUE, Activity

FILE = re.compile(r"forge-(\d{4})-(\d{2})\.yaml")
MAX_TITLE = 120
MAX_NUMBER = 10**12  # an issue or request number beyond this is no forge's
_ADDRESS = re.compile(r"[^\s<>()\[\]{}\"',;:]+@[^\s<>()\[\]{}\"',;:]+\.[A-Za-z]{2,}")


def clean_title(title: str) -> str:
    """A title fit to write: printable, one line, no address, at most MAX_TITLE characters."""
    text = "".join(c if unicodedata.category(c)[0] != "C" else " " for c in title)
    text = _ADDRESS.sub("[address]", " ".join(text.split()))
    return text if len(text) <= MAX_TITLE else text[:MAX_TITLE - 1].rstrip() + "…"


def description(a: Activity) -> str:
    verb = {ISSUE: "Opened", DISCUSSION: "Started"}.get(a.kind, "Reviewed")
    title = clean_title(a.title)
    return f"{verb} {a.what} #{a.number}" + (f": {title}" if title else "")


def records(found: list[Activity], members: dict, forge: str, host: str = "", bots=(),
            window: tuple[date | None, date | None] = (None, None)) -> tuple[list[dict], int, int]:
    """(the records, sorted; the number of bot items left out; the number of items left out as
    unreadable: a login the forge could not have given, a number out of bounds, a day outside
    the data's `window` of dates)."""
    index = LoginIndex(members, host)
    listed = listed_bots(bots)
    earliest, latest = window
    out, skipped, unreadable = [], 0, 0
    for a in sorted(set(found)):
        if a.bot or is_bot((a.login,), (), listed):
            skipped += 1
            continue
        day = date.fromisoformat(a.day)
        if (not LOGIN[forge].fullmatch(a.login) or not 0 < a.number < MAX_NUMBER
                or earliest and day < earliest or latest and day > latest):
            unreadable += 1
            continue
        who = index.member(forge, a.login) or f"@{a.login}"
        out.append({"date": day, "who": who, "kind": a.kind, "description": description(a)})
    out.sort(key=lambda r: (r["date"], r["kind"], r["who"], r["description"]))
    return out, skipped, unreadable


def by_month(recs: list[dict]) -> dict[str, list[dict]]:
    months: dict[str, list[dict]] = {}
    for r in recs:
        months.setdefault(r["date"].isoformat()[:7], []).append(r)
    return months


def render(source: str, recs: list[dict]) -> str:
    head = (f"# Work done in the forge ({source}), written by `commonplace fetch --forge`.\n"
            "# Review it like any data before merging; fetching this month again rewrites this file.\n")
    return head + yaml.safe_dump({"records": recs}, sort_keys=False, allow_unicode=True, width=1000,
                                 default_flow_style=False)


def months_written(folder: Path) -> list[str]:
    """The months ("YYYY-MM") forge files exist for in `folder`, in order."""
    return sorted(f"{m.group(1)}-{m.group(2)}" for p in (folder.iterdir() if folder.is_dir() else ())
                  if (m := FILE.fullmatch(p.name)))


def last_month(folder: Path) -> str:
    """The first day of the latest month a forge file is written for ("" when there is none)."""
    months = months_written(folder)
    return f"{months[-1]}-01" if months else ""


def write(folder: Path, files: dict[str, str]) -> list[Path]:
    """Write {month: text} as forge-<month>.yaml in `folder`: every file to a temporary one first,
    then each replaced in turn. Returns the paths written (those whose bytes changed)."""
    folder.mkdir(parents=True, exist_ok=True)
    staged = []
    try:
        for month in sorted(files):
            target = folder / f"forge-{month}.yaml"
            data = files[month].encode("utf-8")
            if target.is_file() and not target.is_symlink() and target.read_bytes() == data:
                continue
            fd, tmp = tempfile.mkstemp(prefix=".forge-", suffix=".tmp", dir=folder)
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            staged.append((tmp, target))
    except BaseException:
        for tmp, _target in staged:
            os.unlink(tmp)
        raise
    for tmp, target in staged:
        os.replace(tmp, target)
    return [target for _tmp, target in staged]
