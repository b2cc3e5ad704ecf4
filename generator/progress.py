"""Progress bars for long work (reading history, fetching peers, rendering and writing pages):
drawn with `rich` on a terminal, nothing at all in CI or when the output is not a terminal.

`rich` is imported only when a bar is drawn, so the commands start as fast without it and a
piped or CI run never loads it.
"""

from __future__ import annotations

import os
import sys
import time

REFRESHES_PER_SECOND = 10
SHOW_AFTER = 0.25  # seconds: a stage done sooner draws no bar (and loads no rich)


def interactive() -> bool:
    return sys.stderr.isatty() and not os.environ.get("CI")


class Progress:
    """A callback `(done, total)` that shows a bar with the count and the time left once the
    stage has taken `SHOW_AFTER`, redrawn at most ten times a second, and cleared by `done()`.

    The bar is redrawn by these calls only, never by a thread of rich's own: a process with a
    second thread must not fork, and the stages that show progress fork their workers."""

    def __init__(self, label: str, unit: str = "", enabled: bool | None = None):
        self.label = label
        self.unit = unit
        self.enabled = interactive() if enabled is None else enabled
        self.began = time.monotonic()
        self.last = 0.0
        self.bar = None
        self.task = None

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if self.bar is None:
            if done >= total or now - self.began < SHOW_AFTER:
                return
            self._start(done, total)
        self.bar.update(self.task, completed=done, total=total)
        if done >= total or now - self.last >= 1 / REFRESHES_PER_SECOND:
            self.last = now
            self.bar.refresh()

    def note(self, line: str) -> None:
        """Print a line for the user: above the bar while one is shown, else as it is."""
        if self.bar is not None:
            self.bar.console.print(line, markup=False, highlight=False, emoji=False, soft_wrap=True)
        else:
            print(line, file=sys.stderr, flush=True)

    def done(self) -> None:
        if self.bar is not None:
            self.bar.stop()  # transient: the bar is erased, the terminal is as before
            self.bar = None

    def _start(self, done: int, total: int) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, Progress as Bar, TextColumn, TimeRemainingColumn

        unit = f" {self.unit}" if self.unit else ""
        self.bar = Bar(TextColumn("{task.description}"), BarColumn(),
                       TextColumn("{task.completed:,.0f}/{task.total:,.0f}" + unit.replace("[", r"\[")),
                       TimeRemainingColumn(),
                       console=Console(file=sys.stderr), transient=True, auto_refresh=False,
                       redirect_stdout=False, redirect_stderr=False)
        self.task = self.bar.add_task(self.label, completed=done, total=total)
        self.bar.start()
