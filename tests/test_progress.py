"""Progress bars: drawn with rich on a terminal (a real pseudo-terminal here), nothing at all in
CI or when stderr is not a terminal, and rich not even imported then."""

from __future__ import annotations

import io
import os
import pty
import re
import select
import subprocess
import sys
import textwrap
import types
from pathlib import Path

import pytest

from generator.progress import Progress, interactive

ROOT = Path(__file__).parents[1]


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


CONTROL = re.compile(r"\x1b\[([?0-9;]*)([A-Za-z])|[\r\n]|[^\x1b\r\n]+")


class Screen:
    """What a terminal shows of what a program wrote to it: the lines left on the screen at the
    end, and every line as it was before being rewritten or erased (`drawn`), as text. Knows the
    few controls a progress bar uses (carriage return, new line, cursor up, erase the line);
    colours and the other controls change nothing a user reads."""

    def __init__(self, written: str):
        self.lines, self.drawn = [""], []
        row = column = 0
        for match in CONTROL.finditer(written):
            text, (params, command) = match.group(), match.groups()
            if text == "\r":
                column = 0
            elif text == "\n":
                row += 1
                column = 0
                self.lines += [""] * (row + 1 - len(self.lines))
            elif command == "A":
                row = max(0, row - int(params or 1))
            elif command == "K":
                line = self.lines[row]
                self.drawn.append(line)
                # to the end of the line, from its start to the cursor, or all of it
                self.lines[row] = {"1": " " * column + line[column:], "2": ""}.get(params, line[:column])
            elif command is None:
                line = self.lines[row].ljust(column)
                self.lines[row] = line[:column] + text + line[column + len(text):]
                column += len(text)
        self.drawn += self.lines

    @property
    def shown(self) -> list[str]:
        """The lines with text on them when the program ended."""
        return [line.rstrip() for line in self.lines if line.strip()]


BAR = "[━╸╺]+"  # rich's bar: done and to do, in two colours a user sees and this text does not


def test_quiet_in_ci_and_when_piped(monkeypatch):
    monkeypatch.setattr(sys, "stderr", Terminal())
    monkeypatch.setenv("CI", "true")
    assert not interactive()
    monkeypatch.delenv("CI")
    assert interactive()
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert not interactive()


# Runs a stage's progress as the build does: a bar of 3 steps, a note above it, then cleared.
STAGE = textwrap.dedent("""
    import sys, threading
    from generator.progress import Progress
    import generator.progress
    generator.progress.SHOW_AFTER = 0  # a slow stage: its bar is drawn from its first call
    progress = Progress("Reading history", "commits")
    for done in range(4):
        progress(done, 3)
    progress.note("peer [bold]one[/bold] fetched")
    threads = threading.active_count()
    progress.done()
    print(f"rich loaded: {'rich' in sys.modules}; threads: {threads}", file=sys.stdout, flush=True)
""")


def run_stage(env: dict, terminal: bool) -> tuple[str, str]:
    """(what the stage wrote to stderr, what it wrote to stdout), with stderr a pseudo-terminal
    or a pipe."""
    env = {k: v for k, v in os.environ.items() if k != "CI"} | {"PYTHONPATH": str(ROOT), "COLUMNS": "100"} | env
    if not terminal:
        done = subprocess.run([sys.executable, "-c", STAGE], capture_output=True, text=True, env=env, timeout=60)
        return done.stderr, done.stdout
    main, side = pty.openpty()
    try:
        process = subprocess.Popen([sys.executable, "-c", STAGE], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=side, env=env)
        os.close(side)
        seen = b""
        while True:
            ready, _, _ = select.select([main], [], [], 60)
            if not ready:
                raise AssertionError(f"the stage hung; it wrote {seen!r}")
            try:
                chunk = os.read(main, 4096)
            except OSError:  # the other end closed (Linux raises EIO)
                break
            if not chunk:
                break
            seen += chunk
        out = process.stdout.read().decode()
        process.wait(timeout=30)
    finally:
        os.close(main)
    return seen.decode(errors="replace"), out


def test_on_a_terminal_rich_draws_a_bar_with_count_and_time_left():
    written, out = run_stage({}, terminal=True)
    screen = Screen(written)
    # the count and the time left (still unknown, or none left at the end)
    assert any(re.fullmatch(f"Reading history {BAR} 3/3 commits (0:00:00|-:--:--)", line.rstrip())
               for line in screen.drawn), screen.drawn
    # a note is printed as it is, never as markup, and stays; the bar is erased when done
    assert screen.shown == ["peer [bold]one[/bold] fetched"]
    assert out.strip() == "rich loaded: True; threads: 1"  # no refresh thread: the stages fork workers


@pytest.mark.parametrize("ci, terminal", [("true", True), ("", False)], ids=["CI", "piped"])
def test_prints_nothing_in_ci_or_when_not_a_terminal(ci, terminal):
    shown, out = run_stage({"CI": ci} if ci else {}, terminal=terminal)
    assert shown.replace("\r\n", "\n") == "peer [bold]one[/bold] fetched\n"  # the note only, plainly
    assert out.strip() == "rich loaded: False; threads: 1"


def test_a_quick_stage_draws_no_bar(monkeypatch):
    import generator.progress

    monkeypatch.delenv("CI", raising=False)  # CI runs the suite with CI set: progress would be off
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    # quick: less than SHOW_AFTER passes from start to end, however loaded the machine is
    monkeypatch.setattr(generator.progress, "time", types.SimpleNamespace(monotonic=lambda: 1000.0))
    progress = Progress("Writing files", "files")
    assert progress.enabled
    for done in range(1, 51):
        progress(done, 50)
    progress.done()
    assert terminal.getvalue() == "" and progress.bar is None


def test_a_build_in_ci_prints_no_progress(community, tmp_path, capsys, monkeypatch):
    from generator.cli import main

    monkeypatch.setenv("CI", "true")
    assert main(["build", str(community()), "-o", str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err
    assert "\r" not in err and "\033[" not in err and "Rendering pages" not in err


def test_a_build_on_a_terminal_shows_its_stages(community, tmp_path):
    """`commonplace build` with stderr a pseudo-terminal: the stages' bars are drawn (at once: a
    stage of this small build may take less than `SHOW_AFTER`), then cleared."""
    from gitrepo import commit_all

    root = community()
    commit_all(root, "Start")
    env = {k: v for k, v in os.environ.items() if k != "CI"} | {"PYTHONPATH": str(ROOT), "COLUMNS": "100"}
    main, side = pty.openpty()
    try:
        build = (f"import sys, generator.progress as p; p.SHOW_AFTER = 0; from generator.cli import main; "
                 f"sys.exit(main(['build', {str(root)!r}, '-o', {str(tmp_path / 'out')!r}]))")
        process = subprocess.Popen([sys.executable, "-c", build],
                                   stdin=subprocess.DEVNULL, stdout=side, stderr=side, env=env)
        os.close(side)
        seen = b""
        while select.select([main], [], [], 120)[0]:
            try:
                chunk = os.read(main, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
        assert process.wait(timeout=60) == 0
    finally:
        os.close(main)
    screen = Screen(seen.decode(errors="replace"))
    for stage in ("Rendering pages", "Writing files"):
        unit = stage.split()[1]
        assert any(re.fullmatch(f"{stage} {BAR} (\\d+)/\\1 {unit} \\S+", line.rstrip()) for line in screen.drawn), (
            stage, screen.drawn)
    # every bar erased, and the summary left alone on the screen
    assert len(screen.shown) == 1 and re.fullmatch(r"Built \d+ pages \(.*\) into .*out", screen.shown[0]), screen.shown
