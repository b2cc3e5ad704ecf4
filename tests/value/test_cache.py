"""The per-commit cache: a second run reads nothing, a new commit is the only one read."""

from __future__ import annotations

import pytest

import value.history as history_module
from synthetic import append_commit, generate
from value.history import read_history
from value.report import build_report


@pytest.fixture
def generated(tmp_path, make_repo):
    repo = make_repo("gen-home-holder")  # provides a clean git environment
    path = tmp_path / "gen"
    generate(path, 120, seed=3, env=repo.env)
    return path, repo.env


@pytest.mark.parametrize("subdir", [None, "community"])
def test_second_run_reads_nothing_and_one_new_commit_reads_one(generated, tmp_path, monkeypatch, subdir):
    path, env = generated
    cache = tmp_path / "cache"
    first = read_history(path, subdir=subdir, cache_dir=cache)
    assert first.read == 120 and first.diffed > 0
    cold_report = build_report(path, subdir=subdir, cache_dir=tmp_path / "other")

    calls = []  # every commit diffed, by either engine
    real, real_git = history_module.diff_commit, history_module._git_numstat
    monkeypatch.setattr(history_module, "diff_commit", lambda r, cid, sub: calls.append(cid) or real(r, cid, sub))
    monkeypatch.setattr(history_module, "_git_numstat", lambda cwd, ids, sub: calls.extend(ids) or real_git(cwd, ids, sub))
    second = read_history(path, subdir=subdir, cache_dir=cache)
    assert (second.read, second.diffed, calls) == (0, 0, [])
    assert build_report(path, subdir=subdir, cache_dir=cache) == cold_report

    append_commit(path, env)
    third = read_history(path, subdir=subdir, cache_dir=cache)
    assert (third.read, third.diffed, len(calls)) == (1, 1, 1)
    warm = build_report(path, subdir=subdir, cache_dir=cache)
    assert warm == build_report(path, subdir=subdir, use_cache=False)


def test_default_cache_lives_in_the_git_dir(generated):
    path, _ = generated
    read_history(path)
    files = list((path / ".git" / "commonplace-cache").glob("history-*.pickle"))
    assert len(files) == 1


def test_torn_cache_file_is_repaired(generated, tmp_path):
    path, _ = generated
    cache = tmp_path / "cache"
    read_history(path, cache_dir=cache)
    (file,) = cache.glob("*.pickle")
    file.write_bytes(file.read_bytes()[:-10])  # a write cut short
    again = read_history(path, cache_dir=cache)
    assert again.read == 120  # the only chunk was torn: everything is read again, correctly
    assert read_history(path, cache_dir=cache).read == 0
