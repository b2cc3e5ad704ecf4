"""Progress lines for long work: shown on a terminal, silent in CI and when output is piped."""

from __future__ import annotations

import os
import sys
import time


def interactive() -> bool:
    return sys.stderr.isatty() and not os.environ.get("CI")


class Progress:
    """A callback `(done, total)` that redraws one status line at most ten times a second."""

    def __init__(self, label: str, unit: str = "", enabled: bool | None = None):
        self.label = label
        self.unit = unit
        self.enabled = interactive() if enabled is None else enabled
        self.last = 0.0
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if done < total and now - self.last < 0.1:
            return
        self.last = now
        self.shown = True
        sys.stderr.write(f"\r{self.label}: {done:,}/{total:,} {self.unit}".rstrip() + "\033[K")
        sys.stderr.flush()

    def done(self) -> None:
        if self.shown:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()
