"""Commonplace: a Git-backed static portal generator for commons-based peer production."""

# The version is written once, in pyproject.toml; every build of the package (a wheel, or an
# editable install from a clone) writes it to _version.py. Code run from a clone that was never
# installed has none and says so instead of claiming a release.
try:
    from ._version import __version__
except ImportError:
    __version__ = "0+unknown"
