"""Shared fixtures: small community repositories written into temporary folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from communities import MINIMAL, write_files


@pytest.fixture(autouse=True, scope="session")
def user_cache_in_a_temporary_folder(tmp_path_factory):
    """The user's cache folder ($XDG_CACHE_HOME: where the value engine's caches of repositories
    that hold no community go) is a temporary one: the tests never write into the real one.
    Session-wide, before any module's fixtures; subprocesses inherit it."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
        yield


@pytest.fixture(autouse=True)
def no_search_by_default(monkeypatch):
    """Search is on whenever its extra is installed; tests ask for it explicitly, so the same
    outputs are expected with or without Pagefind on the machine."""
    import generator.build

    monkeypatch.setattr(generator.build, "search_available", lambda: False)


@pytest.fixture
def community(tmp_path):
    """A factory: community(overrides) writes MINIMAL plus overrides (None deletes a file)."""

    def make(overrides: dict[str, str | None] | None = None, name: str = "community") -> Path:
        root = tmp_path / name
        files = dict(MINIMAL)
        files.update(overrides or {})
        return write_files(root, files)

    return make
