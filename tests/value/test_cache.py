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


def test_unchanged_report_is_read_not_computed(generated, tmp_path, monkeypatch):
    """No change (same tip, tags, data, engine): the stored report; any change: computed again."""
    import subprocess

    import value.report as report_module
    from value.inputs import CommunityData, Person

    path, env = generated
    cache = tmp_path / "cache"
    data = CommunityData(members=(Person(id="ann", name="Ann", emails=("ann@example.org",)),))
    first = build_report(path, cache_dir=cache, data=data)
    assert list(cache.glob("report-*.pickle"))

    computed = []
    real = report_module.report_from
    monkeypatch.setattr(report_module, "report_from", lambda *a: computed.append(1) or real(*a))
    assert build_report(path, cache_dir=cache, data=data) == first and computed == []

    # other data, then the same data again, a new tag, a new commit: each is computed
    other = CommunityData(members=(Person(id="ann", name="Ann", emails=("ann@example.net",)),))
    assert build_report(path, cache_dir=cache, data=other) == build_report(path, data=other, use_cache=False)
    assert len(computed) == 2
    assert build_report(path, cache_dir=cache, data=data) == first and len(computed) == 3
    subprocess.run(["git", "-C", str(path), "tag", "v9", "HEAD~3"], check=True, env=env)
    tagged = build_report(path, cache_dir=cache, data=data)
    assert len(computed) == 4 and tagged == build_report(path, data=data, use_cache=False)
    assert tagged["dimensions"]["objective_accomplishment"]["releases"] == \
        first["dimensions"]["objective_accomplishment"]["releases"] + 1
    append_commit(path, env)
    assert build_report(path, cache_dir=cache, data=data) == build_report(path, data=data, use_cache=False)


def test_torn_report_file_is_ignored(generated, tmp_path):
    path, _ = generated
    cache = tmp_path / "cache"
    first = build_report(path, cache_dir=cache)
    (file,) = cache.glob("report-*.pickle")
    file.write_bytes(file.read_bytes()[:-10])
    assert build_report(path, cache_dir=cache) == first


def test_fingerprint_is_canonical():
    from datetime import date
    from decimal import Decimal

    from value.cache import fingerprint

    a = {"b": [1, {"x", "y"}], "a": (date(2024, 1, 2), Decimal("1.10"))}
    b = {"a": (date(2024, 1, 2), Decimal("1.10")), "b": [1, {"y", "x"}]}
    assert fingerprint(a) == fingerprint(b)
    assert fingerprint({"a": 1}) != fingerprint({"a": "1"}) != fingerprint({"a": 1.0})
    assert fingerprint([Decimal("1.1")]) != fingerprint([Decimal("1.10")])
