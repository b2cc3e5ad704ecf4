"""`commonplace fetch --forge [--since DATE]`: reviews, issues opened and (GitHub, with a token)
discussions started on the community's forge
(commonplace.yaml `forge:`), written as contribution records into `contributions/forge-YYYY-MM.yaml`.

The period starts on the first day of `--since`'s month (each file holds a whole month); without
it, on the first day of the latest month a forge file exists for (that month is fetched again:
it may have been fetched part way through), else the repository's whole history. The token is
read from GITHUB_TOKEN or GITLAB_TOKEN, sent to the API's host only, never printed or written.
"""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path

from ..forge import github, gitlab
from ..forge.http import ForgeClient, ForgeError, RateLimits
from ..forge.records import by_month, last_month, months_written, records, render, write
from ..model import Model
from ..progress import Progress, interactive

CLIENTS = {"github": (github, "GITHUB_TOKEN"), "gitlab": (gitlab, "GITLAB_TOKEN")}


def start_of(source: Path, since: date | None) -> str:
    """The first day fetched, ISO ("" for everything)."""
    if since is not None:
        return since.replace(day=1).isoformat()
    return last_month(source / "contributions")


def run_forge(source: Path, model: Model, args) -> int:
    """0 when the files are written, 1 on a failed fetch (nothing written then). `model`: the
    community as `fetch` loaded it (invalid data stopped it there)."""
    forge = model.config.forge
    if forge is None:
        print("fetch --forge: commonplace.yaml names no forge; add forge: {kind: github, repo: owner/name} "
              "(or kind: gitlab)", file=sys.stderr)
        return 1
    client_module, variable = CLIENTS[forge.kind]
    base = forge.api or client_module.api_base(forge.host)
    since = start_of(source, args.since)
    token = os.environ.get(variable, "").strip()
    if token and not (token.isascii() and token.isprintable()):
        print(f"fetch --forge: {variable} holds characters no token has (a line break, a space, a letter outside "
              "ASCII): set it to the token alone", file=sys.stderr)
        return 1
    rates = RateLimits(longest_wait=120.0 if interactive() else 5.0)
    progress = Progress(f"Reading the reviews of {forge.repo}", "pull requests")
    where = f"{forge.kind}:{forge.repo}"
    try:
        with ForgeClient(base, token, rates=rates) as client:
            found = client_module.activity(client, forge.repo, since, progress=progress)
            if forge.kind == "github" and token:  # GraphQL answers only with a token
                found += github.discussions(client, forge.repo, since)
    except ForgeError as exc:
        progress.done()
        print(f"fetch --forge stopped: {exc}; nothing was written", file=sys.stderr)
        return 1
    progress.done()
    recs, bots, unreadable = records(found, model.members, forge.kind, forge.host, model.config.bots,
                                     (model.config.earliest, model.config.latest))
    months = by_month(recs)
    for month in months_written(source / "contributions"):
        if month >= since[:7]:  # fetched again and nothing found: the forge no longer shows it
            months.setdefault(month, [])
    files = {month: render(where, items) for month, items in months.items()}
    try:
        written = write(source / "contributions", files)
    except OSError as exc:
        print(f"fetch --forge stopped: cannot write {source / 'contributions'}: {exc.strerror}; nothing was written",
              file=sys.stderr)
        return 1
    print(summary(where, since, recs, bots, unreadable, forge.kind == "github", bool(token), files, written),
          file=sys.stderr)
    return 0


def summary(where: str, since: str, recs: list[dict], bots: int, unreadable: int, github: bool, token: bool,
            files: dict, written: list[Path]) -> str:
    """The one line a fetch ends with: what was read, what was left out, which files changed."""
    counts = {kind: sum(1 for r in recs if r["kind"] == kind) for kind in ("forge_review", "issue_opened", "discussion")}
    parts = [f"{counts['forge_review']} reviews", f"{counts['issue_opened']} issues opened"]
    if github:
        parts.append(f"{counts['discussion']} discussions started" if token else
                     "discussions left out (GitHub's GraphQL API needs GITHUB_TOKEN)")
    if bots:
        parts.append(f"{bots} by bots left out")
    if unreadable:
        parts.append(f"{unreadable} left out as unreadable (a login no forge gives, or a date outside the data window)")
    changed = f" ({', '.join(p.name for p in written)})" if written else ""
    period = f"since {since}" if since else "over the whole history"
    return (f"Read {where} {period}: {', '.join(parts)}; {len(files)} month files, {len(written)} changed{changed}. "
            "Review them before merging.")
