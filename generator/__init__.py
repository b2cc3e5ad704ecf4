"""Commonplace: a Git-backed static portal generator for commons-based peer production."""

__version__ = "0.1.0"
