"""Cred computed in a forked child (value/credfork.py): the same report, a failed child taken over."""

from __future__ import annotations

import os

import pytest

import value.cred as cred_module
from gitrepo import git_env
from synthetic import generate
from value import credfork
from value.context import Context
from value.history import read_history
from value.inputs import CommunityData
from value.report import build_report


@pytest.fixture
def generated(tmp_path):
    path = tmp_path / "gen"
    generate(path, 150, seed=5, env=git_env(tmp_path / "home"))
    return path


@pytest.fixture
def forking(monkeypatch):
    """Fork for any history (and in a test worker, which may run threads of its own), and count
    the results the children handed over."""
    monkeypatch.setattr(credfork, "FORK_AFTER", 0)
    monkeypatch.setattr(credfork.forkpool, "can_fork", lambda: True)
    taken = []
    real = credfork.take

    def take(ctx):
        found = real(ctx)
        taken.append(found is not None)
        return found

    monkeypatch.setattr(credfork, "take", take)
    return taken


def test_a_report_with_cred_from_a_child_is_the_same_report(generated, monkeypatch, forking):
    forked = build_report(generated, use_cache=False).to_json()
    assert forking == [True]
    monkeypatch.setattr(credfork, "FORK_AFTER", 10**9)
    assert build_report(generated, use_cache=False).to_json() == forked
    assert forking == [True, False]
    assert any(c["cred"] for c in forked["contributors"])


def test_a_child_that_fails_leaves_the_parent_to_compute_cred(generated, monkeypatch, forking):
    expected = build_report(generated, use_cache=False).to_json()

    def broken(*args, **kwargs):  # the child imports credrank from value.cred when it runs
        raise RuntimeError("the child's walk failed")

    monkeypatch.setattr(cred_module, "credrank", broken)
    assert build_report(generated, use_cache=False).to_json() == expected
    assert forking == [True, False]


def test_a_child_never_taken_is_ended_and_reaped(generated, forking):
    ctx = Context(read_history(generated, use_cache=False), CommunityData())
    assert credfork.start(ctx)
    pid = ctx.memo[credfork._PENDING]._process.pid
    credfork.stop(ctx)
    assert credfork._PENDING not in ctx.memo
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


def test_a_fork_refused_by_the_system_leaves_the_parent_to_compute_cred(generated, monkeypatch, forking):
    expected = build_report(generated, use_cache=False).to_json()

    def refused(process):
        raise BlockingIOError("Resource temporarily unavailable")

    monkeypatch.setattr(credfork.forkpool, "_started", refused)
    assert build_report(generated, use_cache=False).to_json() == expected
    assert forking == [True, False]
