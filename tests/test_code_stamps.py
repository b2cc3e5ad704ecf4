"""A change to any module of the generator, in any subpackage, invalidates the caches its code made
(parsed files, rendered Markdown, compiled templates): the stamp covers the whole package."""

from __future__ import annotations

import shutil

import generator.cache.buildcache as buildcache
from generator.resources import package_dir


def stamp_of(code, monkeypatch) -> str:
    monkeypatch.setattr(buildcache, "package_dir", lambda: code)
    monkeypatch.setattr(buildcache, "_STAMP", [])
    return buildcache.code_stamp()


def test_the_stamp_covers_every_subpackage(tmp_path, monkeypatch):
    code = tmp_path / "generator"
    shutil.copytree(package_dir(), code, ignore=shutil.ignore_patterns("__pycache__", "_data"))
    first = stamp_of(code, monkeypatch)
    assert stamp_of(code, monkeypatch) == first  # nothing changed: the same stamp
    stamps = {first}
    for module in ("render/markdown.py", "load/yamlsafe.py", "views/value.py", "publish/staging.py", "cli.py"):
        with open(code / module, "a", encoding="utf-8") as handle:
            handle.write("\n# an edit\n")
        stamps.add(stamp_of(code, monkeypatch))
    assert len(stamps) == 6  # every edit gave a new stamp
    # A module moved to another folder, with the same content, is a different generator too.
    (code / "views" / "charts.py").rename(code / "render" / "charts.py")
    assert stamp_of(code, monkeypatch) not in stamps


def test_the_package_folder_is_the_package_root():
    assert (package_dir() / "__init__.py").is_file() and (package_dir() / "render").is_dir()
