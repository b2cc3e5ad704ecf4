"""No process outlives the command that started it.

Each command runs under a child subreaper (PR_SET_CHILD_SUBREAPER): a small helper process
starts it, waits for it, then lists its own children. Any process the command left behind (a
worker never joined, a detached deleter, serve's builder) has been handed to the helper by the
system by then, so an empty list means nothing of the command is running.

The commands are made to fork: a Python audit hook (`sitecustomize`, on PYTHONPATH) logs every
`os.fork` with the pid of the process forking, so a test knows the build's workers and serve's
builder were there to be stopped.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

import pytest

from communities import BIN, ROOT, base_env, write_files
from gitrepo import commit_all
from value import forkpool

# The helper: makes itself a subreaper, runs the command (its stdout sent to stderr), prints
# {"pid": ...} once started and, once it ended, {"returncode": ..., "survivors": [...],
# "lingering": [...]}: the processes of it still there at that moment, and those still running
# after waiting up to GRACE seconds (the first argument) for them to end by themselves. Then it
# kills and reaps what is left, so that the test leaves nothing behind either.
SUBREAPER = r'''
import ctypes, json, os, signal, subprocess, sys, time

def children():
    me, found = os.getpid(), []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as handle:
                stat = handle.read()
            with open(f"/proc/{name}/cmdline", "rb") as handle:
                cmdline = handle.read().replace(b"\0", b" ").decode(errors="replace").strip()
        except OSError:
            continue  # gone meanwhile
        state, ppid = stat[stat.rindex(")") + 2:].split()[:2]
        if int(ppid) == me:
            found.append({"pid": int(name), "state": state, "cmdline": cmdline})
    return found

def running():
    while True:  # the ended ones reaped first
        try:
            if os.waitpid(-1, os.WNOHANG)[0] == 0:
                break
        except ChildProcessError:
            break
    return [child for child in children() if child["state"] != "Z"]

if ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0) != 0:  # PR_SET_CHILD_SUBREAPER
    sys.exit(f"PR_SET_CHILD_SUBREAPER refused: errno {ctypes.get_errno()}")
grace = float(sys.argv[1])
# a process group of its own, as a shell makes for a command: the terminal's signals reach it all
command = subprocess.Popen(sys.argv[2:], stdin=subprocess.DEVNULL, stdout=sys.stderr.fileno(), process_group=0)
print(json.dumps({"pid": command.pid}), flush=True)
returncode = command.wait()
survivors = children()
deadline = time.monotonic() + grace
while running() and time.monotonic() < deadline:
    time.sleep(0.01)
lingering = running()
while left := children():
    for child in left:
        try:
            os.kill(child["pid"], signal.SIGKILL)
        except ProcessLookupError:
            pass
    os.waitpid(-1, 0)
print(json.dumps({"returncode": returncode, "survivors": survivors, "lingering": lingering}), flush=True)
'''

# Logs each fork of a Python process of the command: "<pid of the process forking>".
FORK_LOG = '''
import os, sys

def _log_fork(event, args):
    if event == "os.fork":
        with open(os.environ["COMMONPLACE_TEST_FORK_LOG"], "a") as handle:
            handle.write(f"{os.getpid()}\\n")

sys.addaudithook(_log_fork)
'''

MEMBERS = 120  # more pages than PARALLEL_MIN_PAGES: every full render forks workers
SAFETY = 300  # seconds: only a hang reaches it, however loaded the machine


class Watched:
    """A command under the subreaper helper; its terminal lines read as they come."""

    def __init__(self, args: list[str], tmp_path: Path, grace: float = 0):
        self.log = tmp_path / "forks.log"
        hooks = tmp_path / "hooks"
        hooks.mkdir(exist_ok=True)
        (hooks / "sitecustomize.py").write_text(FORK_LOG)
        env = dict(base_env(tmp_path / "home"), PYTHONPATH=str(hooks), COMMONPLACE_TEST_FORK_LOG=str(self.log),
                   SOURCE_DATE_EPOCH="1700000000")
        self.log.write_text("")
        self.helper = subprocess.Popen([sys.executable, "-c", SUBREAPER, str(grace), str(BIN / "commonplace"), *args],
                                       stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                       text=True, env=env)
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        started = self.helper.stdout.readline()
        assert started, f"the helper did not start the command: {self.helper.stderr.read()}"
        self.pid = json.loads(started)["pid"]

    def _read(self) -> None:
        for line in self.helper.stderr:
            self.lines.put(line.rstrip("\n"))

    def line_matching(self, pattern: str) -> re.Match:
        """The next terminal line of the command that matches `pattern`."""
        while True:
            try:
                line = self.lines.get(timeout=SAFETY)
            except queue.Empty:
                raise AssertionError(f"no line matching {pattern!r}; the terminal said: {self.seen}") from None
            self.seen.append(line)
            if found := re.search(pattern, line):
                return found

    def finish(self) -> tuple[int, list[dict], list[dict]]:
        """Once the command ended: its exit code, the processes of it still there, and those
        that did not end by themselves within the grace time."""
        self.helper.wait(timeout=SAFETY)
        out = self.helper.stdout.read()
        self.reader.join(timeout=SAFETY)  # the end of its terminal output: nothing holds it open any more
        while not self.lines.empty():
            self.seen.append(self.lines.get())
        assert self.helper.returncode == 0, (out, self.seen)
        ended = json.loads(out.splitlines()[-1])
        return ended["returncode"], ended["survivors"], ended["lingering"]

    def forks(self) -> list[int]:
        """The pid of the process behind each fork, in order."""
        return [int(line) for line in self.log.read_text().split()]


def run_watched(tmp_path: Path, *args: str) -> tuple[int, list[dict], list[int], list[str]]:
    watched = Watched(list(args), tmp_path)
    returncode, survivors, _ = watched.finish()
    return returncode, survivors, watched.forks(), watched.seen


@pytest.fixture
def many(community):
    """A community with a history and more pages than the renderer renders in one process."""
    members = {f"members/m{i:03d}.yaml": f"name: Member {i}\nroles: [mapper]\n" for i in range(MEMBERS)}
    root = community(members)
    commit_all(root, "Start")
    return root


def rename(root: Path, name: str) -> None:
    """Change the community's name: every page shows it, so every page is rendered again."""
    text = (root / "community.yaml").read_text()
    write_files(root, {"community.yaml": re.sub(r"(?m)^name: .*$", f"name: {name}", text)})


def forks_workers() -> bool:
    """Whether a build here renders in forked workers (see forkpool.can_fork)."""
    return "fork" in multiprocessing.get_all_start_methods() and forkpool.cpus() > 1


def test_build_and_check_leave_nothing_running(many, tmp_path):
    out = tmp_path / "site"
    for step, name in enumerate(("Seed Library", "Seed Library Two", "Seed Library Three")):
        rename(many, name)
        returncode, survivors, forks, _ = run_watched(tmp_path, "build", str(many), "-o", str(out), "--no-search")
        assert returncode == 0
        assert survivors == [], f"build {step + 1} left processes behind"
        if forks_workers():
            assert len(forks) >= 2, "the build rendered without workers: nothing was tested"
        assert name in (out / "index.html").read_text()
        # a rebuild keeps the site it replaced as the spare, used by the next one; no staging
        # folder is left for a process to delete
        assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".site.")) == \
            ([] if step == 0 else [".site.spare"])
    returncode, survivors, _, _ = run_watched(tmp_path, "check", str(many))
    assert returncode == 0
    assert survivors == []


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT],
                         ids=["SIGTERM", "SIGHUP", "SIGINT"])
def test_serve_stopped_after_a_rebuild_leaves_nothing_running(many, tmp_path, signum):
    serve = Watched(["serve", str(many), "--port", "0"], tmp_path)
    base_url = serve.line_matching(r" at (http://127\.0\.0\.1:\d+/) ").group(1)
    rename(many, "Renamed Library")
    serve.line_matching(r"^\[\d\d:\d\d:\d\d\] community\.yaml changed: built ")
    with urllib.request.urlopen(base_url, timeout=SAFETY) as response:
        assert "Renamed Library" in response.read().decode()
    if signum == signal.SIGTERM:
        os.kill(serve.pid, signum)  # `kill PID`: serve alone
    else:
        os.killpg(serve.pid, signum)  # Ctrl-C, a closed terminal: the whole process group
    returncode, survivors, _ = serve.finish()
    assert survivors == [], "serve left processes behind"
    assert returncode == 0
    assert not any("Traceback" in line for line in serve.seen), serve.seen
    forks = serve.forks()
    if forks_workers():
        builder = [pid for pid in forks if pid != serve.pid]
        assert forks.count(serve.pid) == 1 and builder, "no builder, or a builder that forked no workers"


def test_serve_killed_outright_takes_its_builder_along(many, tmp_path):
    """SIGKILL leaves serve no time to stop anything: its builder, told by the system (Linux's
    parent-death signal) and by the end of its pipe, stops on its own."""
    serve = Watched(["serve", str(many), "--port", "0"], tmp_path, grace=SAFETY)
    serve.line_matching(r" at http://127\.0\.0\.1:\d+/ ")
    rename(many, "Renamed Library")
    serve.line_matching(r"^\[\d\d:\d\d:\d\d\] community\.yaml changed: built ")
    os.kill(serve.pid, signal.SIGKILL)
    returncode, _, lingering = serve.finish()
    assert returncode == -signal.SIGKILL
    assert lingering == [], "the builder outlived serve"


def test_no_source_detaches_a_process():
    """No double fork, no new session: every process the code starts is its command's child."""
    found = []
    for folder in ("generator", "value"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            text = path.read_text(encoding="utf-8")
            found += [f"{path.relative_to(ROOT)}: {word}" for word in ("setsid", "start_new_session", "os.fork(")
                      if word in text]
    assert found == []
