"""Finding the default branch in the checkouts a community is built from (value/branch.py)."""

from __future__ import annotations

import pygit2

from gitrepo import ANA, GitRepo
from value.branch import default_branch, first_parent_line, on_default_branch


def _repo(tmp_path, branch: str) -> GitRepo:
    repo = GitRepo(tmp_path / "r", tmp_path / "home")
    repo.git("checkout", "-q", "-b", branch)
    repo.commit("one", ANA, "2026-01-01T00:00:00Z", {"a.txt": "1\n"})
    repo.commit("two", ANA, "2026-01-02T00:00:00Z", {"a.txt": "2\n"})
    return repo


def test_a_clone_knows_the_remote_default_branch_even_on_a_detached_head(tmp_path):
    origin = _repo(tmp_path, "trunk")
    clone = tmp_path / "clone"
    origin.git("clone", "-q", str(origin.path), str(clone))
    work = pygit2.Repository(str(clone))
    tip = str(work.head.target)
    work.set_head(pygit2.Oid(hex=tip))  # detached, as a CI checkout
    assert default_branch(work) == ("refs/remotes/origin/HEAD", tip)
    assert on_default_branch(work, tip)


def test_a_commit_off_the_first_parent_line_is_not_on_the_branch(tmp_path):
    repo = _repo(tmp_path, "main")
    main_tip = repo.head()
    repo.git("checkout", "-q", "-b", "topic", "HEAD~1")
    topic = repo.commit("side", ANA, "2026-01-03T00:00:00Z", {"b.txt": "b\n"})
    work = pygit2.Repository(str(repo.path))
    assert default_branch(work) == ("refs/heads/main", main_tip)
    assert not on_default_branch(work, topic)
    assert list(first_parent_line(work, main_tip))[0] == main_tip
    assert len(list(first_parent_line(work, main_tip))) == 2


def test_without_a_known_branch_name_there_is_no_default_branch(tmp_path, monkeypatch):
    monkeypatch.delenv("CI_DEFAULT_BRANCH", raising=False)
    repo = _repo(tmp_path, "develop")
    work = pygit2.Repository(str(repo.path))
    assert default_branch(work) is None
    assert on_default_branch(work, repo.head())
    monkeypatch.setenv("CI_DEFAULT_BRANCH", "develop")
    assert default_branch(work) == ("refs/heads/develop", repo.head())
