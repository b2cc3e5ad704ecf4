#!/usr/bin/env python3
"""Benchmark: the value report on a real or synthetic history, beside `git log --numstat`.

    python bench/history.py PATH [--subdir DIR] [--runs 3] [--command [--compare DIR]]
    python bench/history.py --synthetic 20000

Prints, measured in one run: the cold time (empty cache), the no-change time (warm cache) and
the one-new-commit time of `build_report`, the time of `git log --no-merges --numstat -M100%`
on the same repository (and PyDriller's when it is installed), with ratios, and the peak memory
(ru_maxrss) of the child process that builds the report. Each figure is the median of --runs
runs; every run is a fresh Python process. The user's repository is never changed: the
benchmark works in a `git clone --shared` copy in a temporary folder.

`--command` adds the whole `commonplace value` command after one new commit, as a user runs it
(a fresh process, imports included, output to /dev/null), as text and with `--format json`:
wall and CPU seconds (the CPU of the process and what it waits for, which a shared machine
disturbs less). `--compare DIR` runs those two also with the code of another source tree (for
example `git archive main | tar -x -C /tmp/main`), the two codes taking turns run by run, each
with its own cache (warmed from the per-commit cache the cold runs left, not from git).
Only for a repository without a community (its caches go to `$XDG_CACHE_HOME`).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "value"))

CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, {root!r})
from value.report import build_report
t = time.perf_counter()
report = build_report({repo!r}, subdir={subdir!r}, cache_dir={cache!r}, use_cache={use_cache!r})
elapsed = time.perf_counter() - t
print(json.dumps({{"seconds": elapsed, "maxrss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  "commits": report.dimensions["objective_accomplishment"]["commits"],
                  "contributors": len(report.contributors)}}))
"""


def child(repo: Path, subdir, cache: Path | None) -> dict:
    code = CHILD.format(root=str(ROOT), repo=str(repo), subdir=subdir, cache=str(cache) if cache else None,
                        use_cache=cache is not None)
    wall = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    result = json.loads(out.strip().splitlines()[-1])
    result["wall"] = time.perf_counter() - wall
    return result


def git_env() -> dict:
    env = dict(os.environ)
    env.update({"GIT_CONFIG_NOSYSTEM": "1", "LC_ALL": "C"})
    return env


def time_git_log(repo: Path, subdir) -> float:
    cmd = ["git", "-C", str(repo), "log", "--no-merges", "--numstat", "-M100%", "--format=%aE"]
    if subdir:
        cmd += ["--", subdir]
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True, env=git_env())
    return time.perf_counter() - t


def time_pydriller(repo: Path) -> float | None:
    try:
        from pydriller import Repository  # noqa: F401
    except ImportError:
        return None
    code = ("from pydriller import Repository\n"
            f"n = sum(c.insertions + c.deletions for c in Repository({str(repo)!r}, only_no_merge=True).traverse_commits())\n")
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
    return time.perf_counter() - t


def new_commit(repo: Path, n: int) -> None:
    page = repo / "bench-new-commit.txt"
    page.write_text(f"benchmark commit {n}\n" * 3)
    env = git_env()
    env.update({"GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.org",
                "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@example.org"})
    subprocess.run(["git", "-C", str(repo), "add", page.name], check=True, env=env)
    subprocess.run(["git", "-C", str(repo), "commit", "-q", "-m", f"bench {n}"], check=True, env=env)


def command_env(cache: Path) -> dict:
    env = git_env()
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: compiled once, not on every run
    env["XDG_CACHE_HOME"] = str(cache)
    return env


def time_command(code: Path, repo: Path, cache: Path, extra: list[str]) -> tuple[float, float]:
    """(wall, CPU) seconds of `commonplace value REPO EXTRA` run from the source tree `code`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "generator", "value", str(repo), *extra], cwd=code, check=True,
                   stdout=subprocess.DEVNULL, env=command_env(cache))
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def command_figures(codes: dict[str, Path], work: Path, head: str, history_cache: Path, tmp: Path,
                    runs: int) -> dict:
    """{(code, format): ([wall], [cpu])}: the command after one new commit, codes taking turns."""
    # where `value.cache.user_cache_dir` puts the caches of a repository without a community
    key = hashlib.sha256(str((work / ".git").resolve()).encode("utf-8", "surrogatepass")).hexdigest()[:16]
    subprocess.run(["git", "-C", str(work), "reset", "-q", "--hard", head], check=True, env=git_env())
    warm = {}
    for name, code in codes.items():  # the tip's state, from the per-commit cache the cold runs made
        cache = tmp / f"xdg-{name}"
        folder = cache / "commonplace" / key
        folder.mkdir(parents=True)
        for source in history_cache.glob("history-*.pickle"):
            shutil.copy(source, folder / source.name)
        for extra in ([], ["--format", "json"]):
            subprocess.run([sys.executable, "-m", "generator", "value", str(work), *extra], cwd=code, check=True,
                           stdout=subprocess.DEVNULL, env=command_env(cache))
        warm[name] = cache
    out: dict = {}
    for i in range(runs):
        for extra in ([], ["--format", "json"]):
            for name, code in codes.items():
                cache = tmp / f"run-{name}"
                shutil.rmtree(cache, ignore_errors=True)
                shutil.copytree(warm[name], cache)
                subprocess.run(["git", "-C", str(work), "reset", "-q", "--hard", head], check=True, env=git_env())
                new_commit(work, i)
                wall, cpu = time_command(code, work, cache, extra)
                walls, cpus = out.setdefault((name, " ".join(extra) or "text"), ([], []))
                walls.append(wall)
                cpus.append(cpu)
    subprocess.run(["git", "-C", str(work), "reset", "-q", "--hard", head], check=True, env=git_env())
    return out


def median(values):
    return statistics.median(values) if values else float("nan")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("repo", nargs="?", help="a git repository (left unchanged)")
    parser.add_argument("--synthetic", type=int, metavar="N", help="generate a history of N commits instead")
    parser.add_argument("--subdir", help="a community in this folder of the repository")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--command", action="store_true",
                        help="also time the whole `commonplace value` command after one new commit (text and json)")
    parser.add_argument("--compare", type=Path, metavar="DIR",
                        help="with --command: the same with the code of this source tree, taking turns")
    args = parser.parse_args(argv)
    if not args.repo and not args.synthetic:
        parser.error("give a repository path or --synthetic N")

    with tempfile.TemporaryDirectory(prefix="commonplace-bench-") as tmp:
        tmp = Path(tmp)
        if args.synthetic:
            from synthetic import generate

            source = tmp / "source"
            t = time.perf_counter()
            generate(source, args.synthetic, seed=1, env=git_env())
            print(f"generated {args.synthetic} commits in {time.perf_counter() - t:.1f} s")
        else:
            source = Path(args.repo).resolve()
        work = tmp / "work"
        subprocess.run(["git", "clone", "-q", "--shared", "--no-checkout", str(source), str(work)], check=True, env=git_env())
        subprocess.run(["git", "-C", str(work), "checkout", "-q", "HEAD"], check=True, env=git_env())
        head = subprocess.run(["git", "-C", str(work), "rev-parse", "HEAD"], capture_output=True, text=True,
                              check=True).stdout.strip()

        git_times = [time_git_log(work, args.subdir) for _ in range(args.runs)]
        cold, warm, one, rss = [], [], [], []
        for i in range(args.runs):
            cache = tmp / f"cold{i}"
            r = child(work, args.subdir, cache)
            cold.append(r["seconds"])
            rss.append(r["maxrss_kib"])
            info = r
        warmed = tmp / "cold0"
        for _ in range(args.runs):
            r = child(work, args.subdir, warmed)
            warm.append(r["seconds"])
            rss.append(r["maxrss_kib"])
        for i in range(args.runs):
            cache = tmp / f"one{i}"
            shutil.copytree(warmed, cache)
            subprocess.run(["git", "-C", str(work), "reset", "-q", "--hard", head], check=True, env=git_env())
            new_commit(work, i)
            r = child(work, args.subdir, cache)
            one.append(r["seconds"])
            rss.append(r["maxrss_kib"])
        pydriller = time_pydriller(work) if not args.subdir else None
        commands = {}
        if args.command and not args.subdir:
            codes = {"this": ROOT} | ({"compared": args.compare.resolve()} if args.compare else {})
            commands = command_figures(codes, work, head, warmed, tmp, args.runs)

    g = median(git_times)
    print(f"repository: {args.repo or 'synthetic'}{' -- ' + args.subdir if args.subdir else ''}: "
          f"{info['commits']} non-merge commits, {info['contributors']} contributors; "
          f"median of {args.runs} runs, {os.cpu_count()} CPUs")
    rows = [
        ("git log --no-merges --numstat -M100%", g),
        ("value report, cold (empty cache)", median(cold)),
        ("value report, no change (warm cache)", median(warm)),
        ("value report, one new commit", median(one)),
    ]
    if pydriller is not None:
        rows.append(("PyDriller traverse_commits (lines)", pydriller))
    for label, seconds in rows:
        print(f"  {label:<40} {seconds:8.2f} s   {seconds / g:6.2f} × git")
    print(f"  peak memory (max ru_maxrss of the report processes): {max(rss) / 1024:.0f} MiB")
    if commands:
        print("`commonplace value` after one new commit, the whole process (median wall s / median CPU s):")
        for (name, fmt), (walls, cpus) in commands.items():
            code = ROOT if name == "this" else args.compare
            print(f"  {fmt:<14} {name:<9} {median(walls):6.2f} s wall  {median(cpus):6.2f} s CPU   ({code})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
