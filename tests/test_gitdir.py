"""`cache.gitdir` finds a folder's repository and stamps HEAD without libgit2: its answers must be
libgit2's, and its stamp must move whenever HEAD's commit does."""

from __future__ import annotations

from pathlib import Path

import pygit2
import pytest

from generator.cache.gitdir import discover, head_stamp
from gitrepo import commit_all
from gitrepo import git as run_git


def git(cwd: Path, *args: str) -> str:
    return run_git(cwd, "-c", "protocol.file.allow=always", *args)


@pytest.fixture
def layouts(tmp_path):
    """A repository with a subfolder, a linked work tree, a bare clone, a submodule and a plain folder."""
    main = tmp_path / "main"
    (main / "sub/deep").mkdir(parents=True)
    (main / "sub/deep/file.txt").write_text("x\n")
    git(tmp_path, "init", "-q", "-b", "main", str(main))
    commit_all(main, "Start")
    git(main, "worktree", "add", "-q", str(tmp_path / "linked"), "-b", "other")
    git(tmp_path, "clone", "-q", "--bare", str(main), str(tmp_path / "bare.git"))
    outer = tmp_path / "outer"
    git(tmp_path, "init", "-q", str(outer))
    git(outer, "submodule", "add", "-q", str(main), "subm")
    (tmp_path / "plain").mkdir()
    return tmp_path


@pytest.mark.parametrize("where", ["main", "main/sub/deep", "main/sub/deep/file.txt", "linked", "bare.git",
                                   "bare.git/refs", "outer", "outer/subm", "main/.git", "plain"])
def test_discovery_gives_libgit2s_git_folder_and_work_tree(layouts, where):
    path = layouts / where
    expected = pygit2.discover_repository(str(path.resolve()))
    found = discover(path)
    assert (found[0] if found else None) == expected
    if expected:
        repo = pygit2.Repository(expected)
        workdir = repo.workdir if not repo.is_bare else None
        assert found[1] == (str(Path(workdir).resolve()) if workdir and where != "main/.git" else None)


def test_the_head_stamp_moves_with_every_commit_branch_switch_and_ref_packing(layouts):
    main = layouts / "main"
    git_dir = discover(main)[0]
    stamps = [head_stamp(git_dir)]
    assert head_stamp(git_dir) == stamps[0]
    (main / "more.txt").write_text("more\n")
    commit_all(main, "More")
    stamps.append(head_stamp(git_dir))
    git(main, "pack-refs", "--all")
    stamps.append(head_stamp(git_dir))
    git(main, "checkout", "-q", "-b", "topic")
    stamps.append(head_stamp(git_dir))
    git(main, "checkout", "-q", "--detach")
    stamps.append(head_stamp(git_dir))
    assert len(set(stamps)) == len(stamps)
    linked = discover(layouts / "linked")[0]  # a linked work tree's HEAD is its own
    before = head_stamp(linked)
    (layouts / "linked/new.txt").write_text("new\n")
    commit_all(layouts / "linked", "In the linked tree")
    assert head_stamp(linked) != before
