"""The value tests' repositories: made with the suite's git helper (tests/gitrepo.py)."""

import pytest

from gitrepo import GitRepo


@pytest.fixture
def make_repo(tmp_path):
    def make(name: str = "repo") -> GitRepo:
        return GitRepo(tmp_path / name, tmp_path / "home")

    return make
