"""Data files parsed and checked against their schemas: one at a time, or every collection file
up front, from the build cache when it has the file's text and on every core when many are left."""

from __future__ import annotations

import functools
import pickle
from pathlib import Path

from value.forkpool import run_sliced

from ..cache import buildcache
from ..errors import Finding, Findings
from . import valuesettings
from .reader import FileReader, read_file
from .validate import validate
from .yamlsafe import YamlDoc, load_yaml

# Parsing and validating thousands of small files splits cleanly across cores: forked workers
# get the root and the cache with their job, and return one result per file, in the order given.
PARALLEL_MIN_FILES = 300

# Kinds whose positions the loader needs only to point at a problem: they are left out of what is
# kept and sent between processes (copying them costs more than parsing the rare file that needs
# them again, which `YamlDoc.reparse` does). Projects and events keep theirs: the lines of goals,
# organisers and participants are the sources of contribution records (value/contributions.py).
POSITIONS_ON_DEMAND = frozenset({"member", "page"})
# ...but for the name's: a member whose name looks like another's is warned about at it, and a
# community of thousands has dozens of those (see lookalike.py).
KEPT_POSITIONS = (("name",),)


def parse_file(reader, rel: str, kind: str, markdown: bool) -> tuple[YamlDoc | None, str, list]:
    """Read, parse and validate one data file: (the document, or None when it cannot be used;
    the Markdown body; the findings, the reader's included)."""
    text, findings = read_file(reader, rel)
    if text is None:
        return None, "", findings
    return parse_text(rel, kind, markdown, text, findings)


def parse_text(rel: str, kind: str, markdown: bool, text: str, findings: list,
               keep_invalid: bool = False) -> tuple[YamlDoc | None, str, list]:
    """`parse_file` on a file's text; `keep_invalid` returns the document of a file that parsed but
    failed its schema, too (for `salvage`), rather than None."""
    body = ""
    line_offset = 0
    if markdown:
        lines = text.splitlines(keepends=True)
        if not lines or lines[0].strip() != "---":
            message = "missing front matter: start the file with a '---' line, the YAML keys, then '---'"
            return None, "", findings + [Finding(rel, 1, 1, message)]
        end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
        if end is None:
            message = "front matter is not closed: add a '---' line after the YAML keys"
            return None, "", findings + [Finding(rel, 1, 1, message)]
        text, body, line_offset = "".join(lines[1:end]), "".join(lines[end + 1:]), 1
    doc, problems = load_yaml(text, rel, line_offset=line_offset)
    findings = findings + problems
    if doc is None:
        return None, body, findings
    if doc.data is None:
        doc.data = {}
    invalid = validate(kind, doc, rel)
    findings += invalid
    usable = not invalid and not any(f.severity == "error" for f in problems)
    if kind == "commonplace":
        findings += valuesettings.check(doc, rel)  # still usable: its other keys are checked as they are
    return (doc if usable or keep_invalid else None), body, findings


def _slice_parser(root: Path, tasks: list[tuple[str, str, bool]], cached: dict):
    """The job of parsing `tasks[start:end]` under `root`, skipping what `cached` (the build
    cache's parsed files) already holds. Per file: ("hit", key) when the cache has it, ("new",
    key, pickled result) when parsed now, ("unread", result) when it could not be read (never
    cached)."""

    def parse_slice(start: int, end: int) -> list:
        reader = FileReader(root, Findings())
        out = []
        for rel, kind, markdown in tasks[start:end]:
            text, findings = read_file(reader, rel)
            if text is None:
                out.append(("unread", (None, "", findings)))
                continue
            key = buildcache.parse_key(rel, kind, markdown, text)
            if key in cached:
                out.append(("hit", key))
                continue
            doc, body, findings = parse_text(rel, kind, markdown, text, findings)
            if doc is not None and kind in POSITIONS_ON_DEMAND:
                doc.values = {path: doc.values[path] for path in KEPT_POSITIONS if path in doc.values}
                doc.keys, doc.raw = {}, {}
            out.append(("new", key, pickle.dumps((doc, body, findings), protocol=pickle.HIGHEST_PROTOCOL)))
        return out

    return parse_slice


def parse_ahead(root: Path, tasks: list[tuple[str, str, bool]], cache: buildcache.BuildCache) -> dict[str, tuple]:
    """rel -> `parse_file`'s result for each (rel, kind, markdown) of `tasks`, files read from the
    work tree at `root`; `cache` gets the files parsed now. The files whose results the cache
    keeps as objects (`kept_parses`, serve's session) are not read at all."""
    kept = cache.kept_parses
    fresh = tasks if kept is None else [task for task in tasks if task[0] not in kept or kept[task[0]][0] != task]
    chunks, _ = run_sliced(_slice_parser(root, fresh, cache.parsed), len(fresh), min_count=PARALLEL_MIN_FILES)
    results = [r for chunk in chunks for r in chunk]
    parsed = {}
    for (rel, kind, markdown), item in zip(fresh, results):
        if item[0] == "unread":
            parsed[rel] = item[1]
            if kept is not None:
                kept.pop(rel, None)
            continue
        if item[0] == "hit":
            blob = cache.get_parsed(item[1])
        else:
            blob = item[2]
            cache.put_parsed(item[1], blob)
        result = pickle.loads(blob)
        if result[0] is not None and kind in POSITIONS_ON_DEMAND:
            result[0].reparse = functools.partial(reparse, root, rel, kind, markdown)
        parsed[rel] = result
        if kept is not None:
            kept[rel] = ((rel, kind, markdown), item[1], blob, result)
    if kept is not None:
        for task in tasks:
            if task[0] not in parsed:
                _task, key, blob, parsed[task[0]] = kept[task[0]]
                cache.put_parsed(key, blob)
        for rel in set(kept) - {task[0] for task in tasks}:  # files gone
            del kept[rel]
    return parsed


def reparse(root: Path, rel: str, kind: str, markdown: bool) -> YamlDoc | None:
    """The document of a file parsed ahead, again, with the positions left out of it."""
    return parse_file(FileReader(root, Findings()), rel, kind, markdown)[0]
