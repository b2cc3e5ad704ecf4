"""The counting contract against the git command line, on a generated history."""

from __future__ import annotations

import pytest

from gitrepo import GitRepo, assert_counting_contract
from synthetic import generate
from value.history import read_history
from value.report import build_report


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    base = tmp_path_factory.mktemp("generated")
    repo = GitRepo(base / "repo", base / "home", init=False)  # generate() makes the repository
    generate(repo.path, 400, seed=11, env=repo.env)
    return repo


@pytest.mark.parametrize("engine", ["git", "pygit2"])
def test_whole_repository_matches_git(generated, tmp_path, engine):
    report = build_report(generated.path, cache_dir=tmp_path / "c", workers=1, engine=engine).to_json()
    assert_counting_contract(report, generated.numstat())
    assert len(report["bots"]) == 1
    ids = {c["id"] for c in report["contributors"]}
    assert {"ann", "benjamin", "cy", "dee", "eve"} <= ids
    merges = int(generated.git("rev-list", "--merges", "--count", "HEAD").strip())
    oa = report["dimensions"]["objective_accomplishment"]
    assert oa["commits_with_merges"] - oa["commits"] == merges
    pulls = generated.git("log", "--merges", "--format=%s").count("Merge pull request #")
    assert oa["merged_pull_requests"] == pulls


@pytest.mark.parametrize("engine", ["git", "pygit2"])
def test_subfolder_matches_git(generated, tmp_path, engine):
    report = build_report(generated.path, subdir="community", cache_dir=tmp_path / "c", workers=1, engine=engine).to_json()
    assert_counting_contract(report, generated.numstat("community"))
    history = read_history(generated.path, subdir="community", cache_dir=tmp_path / "c")
    listed = set(generated.git("log", "--no-merges", "--format=%H", "--", "community").split())
    assert set(history.counted) == listed


def test_engines_and_parallel_reads_give_the_same_report(generated, tmp_path):
    one = build_report(generated.path, use_cache=False, workers=1, engine="pygit2").to_json()
    assert build_report(generated.path, use_cache=False, workers=2, engine="pygit2").to_json() == one
    assert build_report(generated.path, use_cache=False, workers=2, engine="git").to_json() == one
    for subdir in ("community", "src"):
        assert (build_report(generated.path, subdir=subdir, use_cache=False, workers=2, engine="git").to_json()
                == build_report(generated.path, subdir=subdir, use_cache=False, workers=1, engine="pygit2").to_json())
