"""Paths into a parsed document as patterns: the keys of each file kind that hold a date, a name
or a short text are written once as tuples of steps, and walked here for every check that reads
them (dates, references, invisible characters)."""

from __future__ import annotations

from typing import Iterator

ANY = "*"  # a path step standing for every item of a list
ANY_KEY = "**"  # a path step standing for every value of a mapping (`currencies: {HORA: ...}`)


def strings_at(data, pattern: tuple, at: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """(path, text) of each string `data` holds at `pattern`; anything else there is the schema's
    to report."""
    if not pattern:
        if isinstance(data, str):
            yield at, data
        return
    step, rest = pattern[0], pattern[1:]
    if step == ANY:
        if isinstance(data, list):
            for i, item in enumerate(data):
                yield from strings_at(item, rest, at + (i,))
    elif step == ANY_KEY:
        if isinstance(data, dict):
            for key, item in data.items():
                yield from strings_at(item, rest, at + (key,))
    elif isinstance(data, dict) and step in data:
        yield from strings_at(data[step], rest, at + (step,))
