"""A generated history (git fast-import): random authors, edits, renames, binaries and merges.

Also used by bench/history.py. Deterministic for a given seed.
"""

from __future__ import annotations

import random
import subprocess
from pathlib import Path

AUTHORS = [
    ("Ann", "ann@example.org"),
    ("Ann A.", "ANN@Example.org"),  # same address, other case and name
    ("Ben", "ben@old.example"),  # mapped by .mailmap
    ("Benjamin", "ben@new.example"),
    ("Cy", "cy@example.org"),
    ("Cy", "CY@legacy.example"),  # mapped by .mailmap, case-insensitively
    ("Dee", "dee@example.org"),
    ("Eve", "eve@example.org"),
    ("renovate[bot]", "bot@renovateapp.com"),
]
MAILMAP = "Benjamin <ben@new.example> <ben@old.example>\n<cy@example.org> <cy@legacy.example>\n"
WORDS = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu".split()


def _data(payload: bytes) -> bytes:
    return b"data %d\n" % len(payload) + payload + b"\n"


def generate(path: Path, commits: int, seed: int = 7, env: dict | None = None, start: int = 1_600_000_000) -> None:
    rng = random.Random(seed)
    subprocess.run(["git", "init", "-q", "-b", "main", str(path)], check=True, env=env)
    branches = {"main": {}, "topic": None}  # branch -> {path: (mode, bytes)}
    heads = {"main": None, "topic": None}
    out = bytearray()
    now = start
    mark = 0
    counter = 0

    def text(n):
        return ("\n".join(" ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 4))) for _ in range(n)) + "\n").encode()

    def fresh_path():
        nonlocal counter
        counter += 1
        folder = rng.choice(["community/pages", "community/members", "src", "src/lib", "docs"])
        ext = rng.choice([".md", ".py", ".yaml", ".txt"])
        return f"{folder}/f{counter}{ext}"

    while mark < commits:
        mark += 1
        now += rng.randint(600, 86400 * 5)
        name, email = rng.choice(AUTHORS)
        offset = rng.choice(["+0000", "+0100", "-0500", "+0530"])
        merge_now = heads["topic"] is not None and rng.random() < 0.15 and branches["topic"] != branches["main"]
        if merge_now:
            merged = dict(branches["main"])
            merged.update(branches["topic"])
            for p in set(branches["main"]) - set(branches["topic"]):
                if p in base:  # deleted on the topic branch
                    merged.pop(p, None)
            message = f"Merge pull request #{mark} from someone/topic\n" if rng.random() < 0.7 else "Merge branch 'topic'\n"
            out += b"commit refs/heads/main\nmark :%d\n" % mark
            out += f"author {name} <{email}> {now} {offset}\ncommitter {name} <{email}> {now} {offset}\n".encode()
            out += _data(message.encode())
            out += b"from :%d\nmerge :%d\n" % (heads["main"], heads["topic"])
            for p in sorted(set(branches["main"]) - set(merged)):
                out += f"D {p}\n".encode()
            for p in sorted(merged):
                if branches["main"].get(p) != merged[p]:
                    mode, blob = merged[p]
                    out += f"M {mode} inline {p}\n".encode() + _data(blob)
            branches["main"] = merged
            heads["main"] = mark
            branches["topic"] = None
            heads["topic"] = None
            continue
        if heads["main"] is not None and heads["topic"] is None and rng.random() < 0.1:
            branches["topic"] = dict(branches["main"])
            heads["topic"] = heads["main"]
            base = dict(branches["main"])
        branch = "topic" if heads["topic"] is not None and rng.random() < 0.4 else "main"
        files = branches[branch]
        ops = []
        if heads[branch] is None:
            ops.append(("M", ".mailmap", "100644", MAILMAP.encode()))
        for _ in range(rng.randint(1, 3)):
            roll = rng.random()
            existing = sorted(p for p in files if p != ".mailmap")
            if roll < 0.35 or not existing:
                if rng.random() < 0.1:
                    ops.append(("M", fresh_path().rsplit(".", 1)[0] + ".bin", "100644", bytes(rng.randrange(256) for _ in range(64)) + b"\0"))
                else:
                    ops.append(("M", fresh_path(), "100644", text(rng.randint(1, 30))))
            elif roll < 0.65:
                p = rng.choice(existing)
                mode, blob = files[p]
                lines = blob.split(b"\n")
                for _ in range(rng.randint(1, 4)):
                    i = rng.randrange(len(lines))
                    if rng.random() < 0.5:
                        lines[i] = text(1).rstrip(b"\n")
                    else:
                        lines.insert(i, text(1).rstrip(b"\n"))
                ops.append(("M", p, mode, b"\n".join(lines)))
            elif roll < 0.75:
                ops.append(("D", rng.choice(existing)))
            elif roll < 0.9:
                p = rng.choice(existing)  # exact rename, sometimes across the community folder
                ops.append(("D", p))
                ops.append(("M", fresh_path(), files[p][0], files[p][1]))
            elif roll < 0.95:
                p = rng.choice(existing)  # a rename with an edit: not a rename for -M100%
                ops.append(("D", p))
                ops.append(("M", fresh_path(), files[p][0], files[p][1] + text(1)))
            else:
                p = rng.choice(existing)
                ops.append(("M", p, "100755" if files[p][0] == "100644" else "100644", files[p][1]))
        trailers = ""
        if rng.random() < 0.2:
            co = rng.choice(AUTHORS)
            trailers += f"\n\nCo-authored-by: {co[0]} <{co[1]}>"
        if rng.random() < 0.2:
            rv = rng.choice(AUTHORS)
            trailers += ("\n" if trailers else "\n\n") + f"Reviewed-by: {rv[0]} <{rv[1]}>"
        out += f"commit refs/heads/{branch}\nmark :{mark}\n".encode()
        out += f"author {name} <{email}> {now} {offset}\ncommitter {name} <{email}> {now} {offset}\n".encode()
        out += _data(f"Change {mark}{trailers}\n".encode())
        if heads[branch] is not None:
            out += b"from :%d\n" % heads[branch]
        for op in ops:
            if op[0] == "D":
                if op[1] in files:
                    out += f"D {op[1]}\n".encode()
                    del files[op[1]]
            else:
                _, p, mode, blob = op
                out += f"M {mode} inline {p}\n".encode() + _data(blob)
                files[p] = (mode, blob)
        heads[branch] = mark
    subprocess.run(["git", "fast-import", "--quiet"], input=bytes(out), cwd=path, check=True, env=env)
    if heads["topic"] is not None:
        pass  # an unmerged branch: not reachable from main, must not count
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=path, check=True, env=env)


def append_commit(path: Path, when: int = 1_900_000_000) -> None:
    """One more commit on main, made with the command line."""
    from gitrepo import commit_all  # here: bench/history.py imports this module without tests/ on its path

    target = Path(path) / "community" / "pages" / "new-page.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(f"new page {when}\nsecond line\n")
    commit_all(Path(path), "One more", author=("Newcomer", "new@example.org"), date=f"@{when} +0000")
