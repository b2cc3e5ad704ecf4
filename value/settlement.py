"""Settling a reward plan: the `settled:` block written once its period has ended (VALUE.md,
"Settling a period").

The block is appended to the plan's file and nothing before it changes, byte for byte (comments,
a `note:` block scalar, the file's line endings; a file without a final newline gets one first).
Amounts are quoted decimal strings with exactly the currency's decimals, so that YAML never
reads them as numbers; ids that YAML would read as something else (`no`, `on`, `2024`) are
quoted too.

Whether a plan may be settled now is decided here from git alone (`refusal`): its period has
ended by HEAD's committer date (UTC day), it is not settled already, nothing in the community's
folder is uncommitted (its index or work tree differ from HEAD, or an untracked file is in it),
and HEAD is on the default branch's first-parent line (`value.branch`; a detached HEAD
at the branch's tip is on it).
"""

from __future__ import annotations

import json
import os
import re
from datetime import date, datetime, timezone
from decimal import Decimal

import pygit2

from . import money
from .branch import default_branch, on_default_branch

_PLAIN_KEY = re.compile(r"[a-z][a-z0-9-]*\Z")
# Words YAML 1.1 reads as booleans or null: a key spelled so is quoted.
_YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


def _key(who: str) -> str:
    if _PLAIN_KEY.match(who) and who not in _YAML_WORDS:
        return who
    return json.dumps(who, ensure_ascii=False)  # a YAML double-quoted scalar


def block(as_of: str, day: date, amounts: dict[str, Decimal], currency: str, newline: str = "\n") -> str:
    """The `settled:` block, amounts by id (sorted), each with the currency's decimals."""
    lines = ["settled:", f"  as_of: {as_of}", f"  date: {day.isoformat()}", "  amounts:" + (" {}" if not amounts else "")]
    lines += [f'    {_key(who)}: "{money.format_amount(amounts[who], currency)}"' for who in sorted(amounts)]
    return newline.join(lines) + newline


def appended(original: bytes, text: str) -> bytes:
    """`original` with `text` after it, in the file's own line endings; the original bytes are
    kept as they are (a missing final newline is added before the block)."""
    newline = "\r\n" if b"\r\n" in original else "\n"
    text = text.replace("\n", newline) if newline != "\n" else text
    head = original if not original or original.endswith(b"\n") else original + newline.encode()
    return head + text.encode("utf-8")


def settle_day() -> date:
    """The day of settling: SOURCE_DATE_EPOCH's when set (reproducible runs), else today (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), timezone.utc).date()
    return datetime.now(timezone.utc).date()


def commit_day(commit: pygit2.Commit) -> date:
    """A commit's committer date, as a UTC day."""
    return datetime.fromtimestamp(commit.commit_time, timezone.utc).date()


def uncommitted(repo: pygit2.Repository, folder: str) -> list[str]:
    """The community's paths (in `folder`, "" for the whole work tree) whose index or work tree
    differ from HEAD, untracked files included; ignored files do not count. What lies outside the
    community's folder is not the community's (the split reads HEAD's objects in any case)."""
    prefix = folder.rstrip("/") + "/" if folder else ""
    return [path for path, flags in sorted(repo.status().items())
            if path.startswith(prefix) and flags != pygit2.enums.FileStatus.CURRENT
            and not flags & pygit2.enums.FileStatus.IGNORED]


def refusal(repo: pygit2.Repository, folder: str, end: date, settled: bool, plan_rel: str) -> str | None:
    """Why the plan cannot be settled at HEAD now, or None when it can."""
    if settled:
        return (f"{plan_rel} is settled already: a settled plan is never computed again "
                "(to correct it, remove its settled: block in a reviewed change, then settle again)")
    if repo.head_is_unborn:
        return "the repository has no commits yet"
    head = repo.head.peel(pygit2.Commit)
    day = commit_day(head)
    if day <= end:
        return (f"the period of {plan_rel} ends on {end.isoformat()}, and HEAD ({str(head.id)[:7]}) was committed "
                f"on {day.isoformat()}: settle once a commit after the period's end is on the default branch")
    changed = uncommitted(repo, folder)
    if changed:
        shown = ", ".join(changed[:5]) + (f" and {len(changed) - 5} more" if len(changed) > 5 else "")
        return (f"the community has uncommitted changes ({shown}): the split is computed from the committed "
                "files, so commit or stash them first")
    if not on_default_branch(repo, str(head.id)):
        name = default_branch(repo)
        branch = name[0].removeprefix("refs/heads/").removeprefix("refs/remotes/") if name else "the default branch"
        return (f"HEAD ({str(head.id)[:7]}) is not on {branch}: settle from the default branch as it is, so that "
                "the split counts only what has landed (git switch to it and pull first)")
    return None
