"""Where the bundled schemas and themes live, in a source checkout and in an installed wheel."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _bundled(name: str) -> Path:
    installed = _PACKAGE / "_data" / name  # the wheel maps the top-level folder here
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / name  # source checkout or editable install


def package_dir() -> Path:
    """The `generator` package's own folder (its code, subpackages included)."""
    return _PACKAGE


def schemas_dir() -> Path:
    return _bundled("schemas")


def themes_dir() -> Path:
    return _bundled("themes")


def example_dir() -> Path:
    """The example community `commonplace new --example` replays."""
    return _bundled("example-community")


@lru_cache(maxsize=None)
def schema(kind: str) -> dict:
    """`schemas/<kind>.schema.json`, read once (shared: treat it as read-only)."""
    return json.loads((schemas_dir() / f"{kind}.schema.json").read_text(encoding="utf-8"))
