"""Identity clusters: people of the history who may be one person under several addresses,
proposed as `.mailmap` lines, never merged here.

Two contributors (mailmap-resolved, after members' files merged their addresses) form a cluster
when their names are the same once normalised (`normalised_name`: accents, case, punctuation
and spacing folded). Two people can share a name, so a cluster is only a proposal for someone
who knows them to check. A name too weak to say anything is never clustered: one word ("admin",
"root", a login, a first name alone; but a name of two or more characters in a script that
writes names without spaces, such as Chinese, counts), fewer than four letters in all ("J. S."), an address
written as a name, a placeholder git users leave ("Your Name"), or a name or address with a
control character or `<`/`>` in it (the lines are printed to a terminal and read back by git). Bots are never proposed. What members' files or an
existing `.mailmap` already merged is one contributor, so it is never proposed again.

The proposals hold e-mail addresses: they are for the terminal only (`check --advice`, `new`),
never for the site, `data/` or `advice.json`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .identities import is_bot

# Names git users leave unchanged from a template or a tool's default: never one person.
PLACEHOLDER_NAMES = frozenset({"your name", "unknown author", "no name", "not committed yet", "git user"})


def normalised_name(name: str) -> str | None:
    """The name with accents, case, punctuation and spacing folded ("José  García-Ruiz" ->
    "jose garcia ruiz"), or None when it is too weak to cluster on (see the module's text)."""
    if "@" in name or not name.isprintable() or any(c in name for c in "<>"):
        return None  # printed to a terminal and read back by git: no control character, no < >
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    words = re.sub(r"[\W_]+", " ", plain).split()
    folded = " ".join(words)
    if len(words) == 1 and len(folded) >= 2 and all(_unspaced(c) for c in folded):
        return folded  # a script that writes a whole name without spaces: 王小明
    if len(words) < 2 or sum(map(len, words)) < 4 or folded in PLACEHOLDER_NAMES:
        return None
    return folded


def _plain(address: str) -> bool:
    return address.isprintable() and not any(c in address for c in "<> ")


def _unspaced(char: str) -> bool:
    return unicodedata.name(char, "").startswith(("CJK ", "HANGUL ", "HIRAGANA ", "KATAKANA "))


@dataclass(frozen=True)
class Proposal:
    """Addresses that may be one person's: `others` would map to `name <address>`."""

    name: str
    address: str
    others: tuple[str, ...]

    def lines(self) -> list[str]:
        """The `.mailmap` lines, one per other address: `Name <kept@address> <other@address>`."""
        return [f"{self.name} <{self.address}> <{other}>" for other in self.others]


def _weight(row: dict) -> tuple:
    return (-(row.get("commits") or 0), -(row.get("coauthored_commits") or 0), not row.get("member"), row["id"])


def propose(contributors) -> list[Proposal]:
    """The proposals for contributor rows of a value report (id, name, emails, commits,
    coauthored_commits, member, bot), sorted by name. The address kept is the one of the person
    with the most commits (then co-authored commits; a member before a non-member; then id); when a
    member's file lists several, the first in alphabetical order (the file merges them anyway)."""
    groups: dict[str, list[dict]] = {}
    for row in contributors:
        emails = sorted(row.get("emails") or ())
        if not emails or row.get("bot") or is_bot((row["id"], row["name"]), emails) or not all(map(_plain, emails)):
            continue
        key = normalised_name(row["name"])
        if key is not None:
            groups.setdefault(key, []).append(row)
    found = []
    for key in sorted(groups):
        rows = sorted(groups[key], key=_weight)
        if len(rows) < 2:
            continue
        kept = rows[0]
        address = sorted(kept["emails"])[0]
        others = sorted({e for row in rows[1:] for e in row["emails"]} - set(kept["emails"]))
        if others:
            found.append(Proposal(kept["name"], address, tuple(others)))
    return found


def mailmap_proposals(report) -> list[str]:
    """The `.mailmap` lines proposed for a value report (a `Report`, or None: none), in order:
    what `check --advice` prints, and `new` in an existing repository."""
    if report is None:
        return []
    return [line for proposal in propose(report.contributors) for line in proposal.lines()]
