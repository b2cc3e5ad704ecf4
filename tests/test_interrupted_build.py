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


def tree(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


MEMBERS = 150


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
    started = time.monotonic()
    for name in ("Old Name", "New Name"):  # every page shows the name: a rebuild changes them all
        named(name)
        subprocess.run(command(), env=env, check=True, capture_output=True)
        sites[name] = tree(out)
    took = (time.monotonic() - started) / 2
    assert sites["Old Name"] != sites["New Name"]
    # from just after the start to about the end of a whole rebuild
    for fraction in (0.1, 0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0):
        named("Old Name")
        subprocess.run(command(), env=env, check=True, capture_output=True)
        assert tree(out) == sites["Old Name"]
        named("New Name")
        process = subprocess.Popen(command(), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                   start_new_session=True)
        time.sleep(took * fraction)
        os.killpg(process.pid, signal.SIGKILL)  # the build and its render workers
        process.wait()
        found = tree(out)
        assert found in (sites["Old Name"], sites["New Name"]), f"a mixed site after {fraction:.0%} of a build"
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

    write_files(repo, {"members/m000.yaml": "name: Member Zero\nroles: [mapper]\n"})
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    deadline = time.monotonic() + 60
    while (not any(name.startswith(f".{out.name}.staging-{process.pid}-") for name in leftovers(out))
           and process.poll() is None and time.monotonic() < deadline):
        time.sleep(0.01)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    left = [name for name in leftovers(out) if name != running.name]
    assert left and all(name.startswith(f".{out.name}.staging-{process.pid}-") for name in left), left
    assert tree(out) == built

    subprocess.run(command, env=env, check=True, capture_output=True)
    deadline = time.monotonic() + 30  # the leftover is deleted in the background
    while leftovers(out) != [running.name] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert leftovers(out) == [running.name]
    assert (running / "index.html").read_text() == "a build under way"
    assert "Member Zero" in (out / "members" / "m000" / "index.html").read_text()
