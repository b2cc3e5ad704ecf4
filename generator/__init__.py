"""Commonplace: a Git-backed static portal generator for commons-based peer production."""

from importlib import metadata

# The version is written once, in pyproject.toml; an installed copy (a wheel, or an editable
# install from a clone) carries it in its metadata. Code run from a clone that was never
# installed has none and says so instead of claiming a release.
try:
    __version__ = metadata.version("commonplace-portal")
except metadata.PackageNotFoundError:
    __version__ = "0+unknown"
