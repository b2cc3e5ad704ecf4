"""Progress lines: drawn on a terminal, silent in CI and when stderr is not a terminal."""

from __future__ import annotations

import io
import sys

from generator.progress import Progress, interactive


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_quiet_in_ci_and_when_piped(monkeypatch):
    monkeypatch.setattr(sys, "stderr", Terminal())
    monkeypatch.setenv("CI", "true")
    assert not interactive()
    monkeypatch.delenv("CI")
    assert interactive()
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert not interactive()


def test_draws_one_line_and_clears_it(monkeypatch):
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    progress = Progress("Rendering pages", "pages", enabled=True)
    for done in range(1, 4):
        progress(done, 3)
    progress.done()
    text = terminal.getvalue()
    assert "\rRendering pages: 3/3 pages" in text and text.endswith("\r\033[K")


def test_a_build_in_ci_prints_no_progress(community, tmp_path, capsys, monkeypatch):
    from generator.cli import main

    monkeypatch.setenv("CI", "true")
    assert main(["build", str(community()), "-o", str(tmp_path / "out")]) == 0
    assert "\r" not in capsys.readouterr().err
