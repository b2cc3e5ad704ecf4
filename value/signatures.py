"""Commits signed with a key in their author's member file, verified by git itself.

Members may list `signing_keys` (SSH public keys). A commit is *verified* when git's own SSH
signature verification accepts its signature against an allowed-signers file made from the
member files (one `<address> <key type> <key>` line per address and key of each member, written
in a temporary folder, never in the repository), and the principal git names for the key is an
address of the member the commit counts for. So a commit signed with another member's key, with
an unknown key, or not signed at all, is not verified for its author.

git is asked once for every commit still to check (`git log --no-walk --stdin --format=%H %G? %GS`
with `gpg.format=ssh` and `gpg.ssh.allowedSignersFile`). The answers are kept in the engine's
cache folder per commit id, keyed by the allowed-signers file's digest (another key list is
another cache), so a rebuild checks only new commits.

For a reward plan with `verified: true`: the report lists the verified commits (`verified`,
from `verified_in`), and `rewards.plan_records` keeps the records made from a commit (commit,
coauthor, review, replacement_cost, documentation: their source is the commit id) only for those.
Every other kind of record is not a commit and is not filtered.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import re
import subprocess
import tempfile
from pathlib import Path

from .inputs import CommunityData, MemberInput

KEY_TYPES = (
    "ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
    "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com",
)
_KEY = re.compile(r"^(\S+) ([A-Za-z0-9+/]+={0,3})(?: .*)?$")
# an address used as a principal of the allowed-signers file must not be a pattern or a list
_PATTERN_CHARS = re.compile(r'[*?!,"\s]')
_FORMAT = 1


def key_problem(text: str) -> str | None:
    """Why `text` is not an SSH public key line (`<type> <base64> [comment]`), or None."""
    match = _KEY.match(text.strip())
    if not match:
        return "a signing key is '<key type> <base64 key> [comment]', as in a .pub file"
    kind, blob = match.groups()
    if kind not in KEY_TYPES:
        return f"unknown key type '{kind}': use one of {', '.join(KEY_TYPES)}"
    try:
        raw = base64.b64decode(blob, validate=True)
    except (binascii.Error, ValueError):
        return "the key is not valid base64"
    # the key blob starts with its own type, as a length-prefixed string
    size = int.from_bytes(raw[:4], "big") if len(raw) >= 4 else -1
    if raw[4:4 + size].decode("ascii", "replace") != kind or size <= 0:
        return f"the key's data is not a '{kind}' key: copy the whole line of the .pub file"
    return None


def normal_key(text: str) -> str:
    """`<type> <base64>`, the comment left out (it often holds an address)."""
    kind, blob = _KEY.match(text.strip()).groups()
    return f"{kind} {blob}"


def allowed_signers(members) -> str:
    """The allowed-signers file of the members: every key for every address of its member."""
    lines = []
    for person in sorted(members, key=lambda p: p.id):
        for key in getattr(person, "signing_keys", ()):
            if key_problem(key):
                continue
            for email in person.emails:
                address = email.strip().lower()
                if address and not _PATTERN_CHARS.search(address):
                    lines.append(f"{address} {normal_key(key)}")
    return "".join(line + "\n" for line in lines)


def has_keys(data: CommunityData | None) -> bool:
    return bool(data) and any(getattr(p, "signing_keys", ()) for p in data.members)


def signature_status(git_dir, commits, signers: str, cache_folder: Path | None = None) -> dict[str, tuple[str, str]]:
    """{commit id: (git's %G? letter, the principal it names)} for `commits`, from git."""
    digest = hashlib.sha256(signers.encode("utf-8")).hexdigest()[:16]
    cache_path = None if cache_folder is None else Path(cache_folder) / f"signatures-{_FORMAT}-{digest}.json"
    known: dict[str, list] = {}
    if cache_path is not None and cache_path.is_file():
        try:
            known = json.loads(cache_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            known = {}
    wanted = sorted(set(commits))
    missing = [cid for cid in wanted if cid not in known]
    if missing:
        with tempfile.TemporaryDirectory(prefix="commonplace-signers-") as tmp:
            path = Path(tmp) / "allowed_signers"
            path.write_text(signers, encoding="utf-8")
            result = subprocess.run(
                # the verifier is ssh-keygen whatever the user's configuration signs with
                ["git", f"--git-dir={git_dir}", "-c", "gpg.format=ssh", "-c", "gpg.ssh.program=ssh-keygen",
                 "-c", f"gpg.ssh.allowedSignersFile={path}", "-c", "log.showSignature=false",
                 "log", "--no-walk=unsorted", "--stdin", "--format=%H%x00%G?%x00%GS"],
                input="".join(cid + "\n" for cid in missing), capture_output=True, text=True, check=False,
            )
        found, lasting = {}, {}
        for line in result.stdout.splitlines():
            parts = line.split("\0")
            if len(parts) == 3 and parts[0] in missing:
                found[parts[0]] = [parts[1], parts[2]]
                if parts[1] != "E":  # "cannot check" (no ssh-keygen) is asked again next time
                    lasting[parts[0]] = found[parts[0]]
        if cache_path is not None and lasting and result.returncode == 0:
            known.update(lasting)
            try:
                cache_path.parent.mkdir(parents=True, exist_ok=True)
                fd, tmp_name = tempfile.mkstemp(dir=cache_path.parent, prefix=".signatures-")
                with os.fdopen(fd, "w", encoding="utf-8") as out:
                    json.dump(known, out, sort_keys=True)
                os.replace(tmp_name, cache_path)
            except OSError:
                pass  # a cache that cannot be written only costs time
        known.update(found)
    return {cid: tuple(known[cid]) for cid in wanted if cid in known}


def verified_in(history, resolved, data: CommunityData, cache_folder: Path | None = None) -> set[str]:
    """The ids of the counted commits of a resolved history (`context.Resolved`) verified for
    their author: signed, with a key of the member they count for."""
    members = {p.id: p for p in data.members if getattr(p, "signing_keys", ())}
    if not members:
        return set()
    mine = {pid: {e.strip().lower() for e in members[pid].emails} for pid in members}
    candidates = {c.id: c.author for c in resolved.commits if c.author in members}
    if not candidates:
        return set()
    status = signature_status(history.git_dir, candidates, allowed_signers(data.members), cache_folder)
    return {cid for cid, (letter, principal) in status.items()
            if letter == "G" and principal.strip().lower() in mine[candidates[cid]]}


def verified_commits(repo_path, ref: str = "HEAD", members: tuple[MemberInput, ...] = (), *, subdir: str | None = None,
                     cache_dir: Path | None = None) -> set[str]:
    """The commits reachable from `ref` (in `subdir` when given) whose signature verifies
    against their author's `signing_keys`, the author resolved as the value report resolves it."""
    from .cache import engine_cache_dir
    from .context import resolve_history
    from .history import read_history

    data = CommunityData(members=tuple(members))
    history = read_history(repo_path, subdir=subdir, ref=ref, cache_dir=cache_dir)
    if history.commit is None:
        return set()
    return verified_in(history, resolve_history(history, data), data, engine_cache_dir(history.git_dir, cache_dir))
