"""The identity part of `commonplace diff`: every change to `.mailmap` or to the members' e-mail
lists that gives existing commits to someone else, with how many and why.

The commits are those of the base's history that the head still has; their authors are resolved
with the base's `.mailmap` and members, then with the head's (`value.moves`). Each author whose
commits change hands is explained by what changed: the `.mailmap` lines for their address
(added, changed or removed, by line number), or the member files that list it now or no longer
(a file added or removed included). A pull request comment is public: people are shown as the
site shows them (a name or a pseudonym; a hidden member as "a hidden member"), and neither an
address nor a `.mailmap` line's text is ever printed.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pygit2

    from ..model import Model

MAX_ROWS = 50


def mailmap_files(subdir: str) -> list[str]:
    """The `.mailmap` files the value engine reads, in its order (the community folder's last)."""
    return [".mailmap"] + ([f"{subdir}/.mailmap"] if subdir else [])


def mailmaps_at(repo: pygit2.Repository, commit: pygit2.Commit | None, workdir: Path, subdir: str) -> dict[str, str]:
    """{path: text} of the `.mailmap` files at a commit, or in the work tree when `commit` is None."""
    import pygit2

    texts = {}
    for rel in mailmap_files(subdir):
        if commit is None:
            path = workdir / rel
            if path.is_file() and not path.is_symlink():
                texts[rel] = path.read_text(encoding="utf-8", errors="replace")
            continue
        try:
            obj = commit.tree[rel]
        except KeyError:
            continue
        if obj.type == pygit2.enums.ObjectType.BLOB:
            texts[rel] = repo[obj.id].data.decode("utf-8", "replace")
    return texts


def _lines_for(texts: dict[str, str], address: str) -> dict[str, dict[str, int]]:
    """{file: {line text: line number}} of the `.mailmap` lines that match `address`."""
    from value.mailmap import entries

    found: dict[str, dict[str, int]] = defaultdict(dict)
    for rel, text in texts.items():
        lines = text.splitlines()
        for number, old, _new in entries(text):
            if old == address.casefold():
                found[rel][lines[number - 1].strip()] = number
    return found


def mailmap_cause(address: str, before: dict[str, str], after: dict[str, str]) -> str:
    """Which `.mailmap` lines for `address` differ, by file and line number (never their text)."""
    old, new = _lines_for(before, address), _lines_for(after, address)
    parts = []
    for rel in sorted(set(old) | set(new)):
        added = sorted(n for text, n in new.get(rel, {}).items() if text not in old.get(rel, {}))
        removed = sorted(n for text, n in old.get(rel, {}).items() if text not in new.get(rel, {}))
        if added and removed:
            parts.append(f"`{rel}` line {', '.join(map(str, added))} changed")
        elif added:
            parts.append(f"`{rel}` line {', '.join(map(str, added))} added")
        elif removed:
            parts.append(f"`{rel}` line {', '.join(map(str, removed))} removed (numbered as in the base)")
    return "; ".join(parts) or "`.mailmap`"


def member_cause(move, base: Model | None, head: Model) -> str:
    """Which member files list the address now, or no longer."""
    base_members = base.members if base else {}
    parts = []
    if move.after.member:
        handle = move.after.id
        listed = move.after.key in head.members[handle].emails
        if handle not in base_members:
            parts.append(f"`members/{handle}.yaml` added")
        else:
            parts.append(f"`members/{handle}.yaml` {'lists the address now' if listed else 'e-mail list changed'}")
    if move.before.member:
        handle = move.before.id
        if handle not in head.members:
            parts.append(f"`members/{handle}.yaml` removed")
        else:
            parts.append(f"`members/{handle}.yaml` no longer lists the address")
    return "; ".join(parts) or "member files"


def shown(side, model: Model) -> str:
    """A person as the site shows them: a member's name (handle) or pseudonym, a hidden member
    without a name, anyone else by name or pseudonym as the config says; never an address."""
    from ..people import People, pseudonym
    from ..views.contributors import EMAIL

    salt = model.community.name
    if side.member and side.id in model.members:
        person = People(model.members, salt=salt).get(side.id)
        if person is None:
            return "a hidden member"
        return person.name if person.pseudonymous else f"{person.name} (`{side.id}`)"
    name = side.name
    opted = {name.strip().lower(), *(e.strip().lower() for e in getattr(side, "emails", ()) or ())}
    if (model.config.non_members == "pseudonym" or EMAIL.search(name) or EMAIL.search(side.id)
            or not opted.isdisjoint(model.config.opt_out)):
        name = pseudonym(side.id, salt)
    return f"{name} (not a member)"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def identity_section(repo: pygit2.Repository, workdir: Path, subdir: str, base_commit: pygit2.Commit,
                     head_commit: pygit2.Commit | None, base: Model | None, head: Model) -> list[str]:
    """The Markdown lines of the section (none when no commit changes hands)."""
    try:
        from value.errors import ValueEngineError
        from value.history import AUTHOR_EMAIL, AUTHOR_NAME, read_history
        from value.inputs import CommunityData
        from value.mailmap import Mailmap
        from value.moves import identity_moves

        from ..valuation import community_data
    except ImportError:  # pragma: no cover - the value package ships with Commonplace
        return []
    try:
        old = read_history(workdir, subdir=subdir or None, ref=str(base_commit.id))
        new = read_history(workdir, subdir=subdir or None, ref=str(head_commit.id) if head_commit else "HEAD")
    except ValueEngineError as exc:
        return [f"_Identity changes not compared: {exc}_"]
    still = set(new.counted)
    authors = Counter((old.records[cid][AUTHOR_NAME], old.records[cid][AUTHOR_EMAIL])
                      for cid in old.counted if cid in still)
    before_maps = mailmaps_at(repo, base_commit, workdir, subdir)
    after_maps = mailmaps_at(repo, head_commit, workdir, subdir)
    moves = identity_moves(
        authors,
        (Mailmap("\n".join(before_maps.values())), community_data(base) if base else CommunityData()),
        (Mailmap("\n".join(after_maps.values())), community_data(head)),
    )
    if not moves:
        return []
    rows: Counter = Counter()
    for move in moves:
        if move.before.key != move.after.key:
            cause = mailmap_cause(move.email, before_maps, after_maps)
        else:
            cause = member_cause(move, base, head)
        rows[(shown(move.before, base if base and move.before.member else head), shown(move.after, head), cause)] += move.commits
    total = sum(rows.values())
    lines = [f"Identity changes give {total} existing commit{'s' * (total != 1)} to someone else. "
             "Check that each is wanted: whoever an address belongs to gets its commits and rewards.", "",
             "| commits | from | to | because |", "|--:|---|---|---|"]
    ordered = sorted(rows.items(), key=lambda item: (-item[1], item[0]))
    lines += [f"| {n} | {_cell(a)} | {_cell(b)} | {_cell(c)} |" for (a, b, c), n in ordered[:MAX_ROWS]]
    if len(ordered) > MAX_ROWS:
        lines.append(f"\n_…and {len(ordered) - MAX_ROWS} more rows._")
    return lines
