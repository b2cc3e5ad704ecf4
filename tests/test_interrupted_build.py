"""A build killed at any moment leaves the previous site or the new one, byte for byte, never a
mix: the new site is staged beside the output folder and swapped in with one rename."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

from communities import BIN, base_env, write_files
from gitrepo import commit_all

SAFETY = 300  # seconds: only a hang reaches it, however loaded the machine


def tree(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


MEMBERS = 150  # more pages than PARALLEL_MIN_PAGES: the rebuild renders in workers


def staging(out: Path, pid: int) -> list[Path]:
    """The staging folders of build process `pid` beside `out`."""
    return [p for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.staging-{pid}-")]


def _holds(path: Path, text: bytes) -> bool:
    try:
        return text in path.read_bytes()
    except OSError:
        return False


# The moments a rebuild is killed at, each a condition on what it did so far (out, pid): as soon
# as it runs; once it made its staging folder; once the new home page is written there; once
# the new site is swapped in (the old one then goes to be the spare).
MOMENTS = {
    "started": lambda out, pid: True,
    "staging": lambda out, pid: bool(staging(out, pid)),
    "written": lambda out, pid: any(_holds(folder / "index.html", b"New Name") for folder in staging(out, pid)),
    "swapped": lambda out, pid: _holds(out / "index.html", b"New Name"),
}


def kill_when(command: list[str], env: dict, reached) -> int | None:
    """Run `command` and kill it with its workers once `reached(pid)`; its pid, or None when it
    ended first."""
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               process_group=0)  # its workers in its group: killed with it
    deadline = time.monotonic() + SAFETY
    while not reached(process.pid) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.002)  # polling the file system for the moment
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass  # it ended (and was reaped by poll()) after the last look: its group is gone with it
    # Killed by us, or ended on its own just before: the exit status tells, not a look beforehand.
    return process.pid if process.wait() == -signal.SIGKILL else None


def test_a_killed_rebuild_leaves_the_old_site_or_the_new_one(community, tmp_path):
    files = {f"members/m{i:03d}.yaml": f"name: Member {i}\nroles: [mapper]\n" for i in range(MEMBERS)}
    repo = community(files)
    commit_all(repo, "Start")
    env = dict(base_env(tmp_path / "home"), SOURCE_DATE_EPOCH="1700000000")
    out = tmp_path / "site"

    def command() -> list[str]:
        return [str(BIN / "commonplace"), "build", str(repo), "-o", str(out), "--no-search"]

    def named(name: str) -> None:
        write_files(repo, {"community.yaml": (repo / "community.yaml").read_text().replace(
            next(line for line in (repo / "community.yaml").read_text().splitlines() if line.startswith("name:")),
            f"name: {name}")})

    sites = {}
    for name in ("Old Name", "New Name"):  # every page shows the name: a rebuild changes them all
        named(name)
        subprocess.run(command(), env=env, check=True, capture_output=True)
        sites[name] = tree(out)
    assert sites["Old Name"] != sites["New Name"]
    for moment, reached in MOMENTS.items():
        named("Old Name")
        subprocess.run(command(), env=env, check=True, capture_output=True)
        assert tree(out) == sites["Old Name"]
        named("New Name")
        kill_when(command(), env, lambda pid: reached(out, pid))  # or let it finish: that is fine too
        found = tree(out)
        assert found in (sites["Old Name"], sites["New Name"]), f"a mixed site, killed once {moment}"
    # and the next build, not interrupted, finishes the job
    subprocess.run(command(), env=env, check=True, capture_output=True)
    assert tree(out) == sites["New Name"]


def leftovers(out: Path) -> list[str]:
    """The folders beside `out` but its spare (the site it replaced, kept for the next build)."""
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.")
                  and p.name != f".{out.name}.spare")


def test_a_killed_build_leaves_a_staging_folder_that_the_next_build_removes(community, tmp_path):
    files = {f"members/m{i:03d}.yaml": f"name: Member {i}\nroles: [mapper]\n" for i in range(MEMBERS)}
    repo = community(files)
    commit_all(repo, "Start")
    env = dict(base_env(tmp_path / "home"), SOURCE_DATE_EPOCH="1700000000")
    out = tmp_path / "site"
    command = [str(BIN / "commonplace"), "build", str(repo), "-o", str(out), "--no-search"]
    subprocess.run(command, env=env, check=True, capture_output=True)
    built = tree(out)
    # a folder named after a process that still runs (this one): a build under way, never touched
    running = out.parent / f".{out.name}.staging-{os.getpid()}-busy"
    running.mkdir()
    (running / "index.html").write_text("a build under way")

    for attempt in range(10):  # until a build is killed with its staging folder there
        write_files(repo, {"members/m000.yaml": f"name: Member Zero\nroles: [mapper]\nbio: Try {attempt}.\n"})
        if killed := kill_when(command, env, lambda pid: bool(staging(out, pid))):
            break
        built = tree(out)  # it finished first: its site is the one to keep
    else:
        raise AssertionError("every build ended before its staging folder was seen")
    left = [name for name in leftovers(out) if name != running.name]
    assert left and all(name.startswith(f".{out.name}.staging-{killed}-") for name in left), left
    assert tree(out) == built

    subprocess.run(command, env=env, check=True, capture_output=True)
    assert leftovers(out) == [running.name]  # removed by the build, before it returned
    assert (running / "index.html").read_text() == "a build under way"
    assert "Member Zero" in (out / "members" / "m000" / "index.html").read_text()
