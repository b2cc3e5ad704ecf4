"""What can still be checked in a file that failed its schema.

A file with one schema error is left out of the model, but its other mistakes must not wait for
the fix: a typo in a project's `status:` must not hide an unknown lead in the same file. So the
loader reads such a file again without its schema (`unchecked`), and

- takes the names and dates it gives from everywhere the schema does not refuse (`refused`);
- runs the kind's builder on the document with every refused part cut out (`salvage`): the cut
  document passes the schema, so the builder's own checks (a handle that differs from the file
  name, an address in two files, money with too many decimals...) run on what is left. What it
  builds is thrown away: the file is in error already.

A refused value is cut; a mapping that then lacks a required key is cut in turn, up to the
document itself (then nothing is salvaged, except where a top-level key that builders only copy,
such as `title`, is missing: it is filled in, so the rest of the file is still checked). Positions are carried over, so findings point
at the lines of the original file even when list items were cut.
"""

from __future__ import annotations

from . import parse
from .reader import read_file
from .validate import validator
from .yamlsafe import YamlDoc

MAX_ROUNDS = 50  # each round cuts at least one part; a document is at most 40 levels deep
# A required top-level key that is missing or cut gets this value, so the builder can read the
# rest: only keys that builders copy into the model without checking them.
PLACEHOLDERS = {"title": "untitled", "name": "unnamed", "policy": "immediate"}


def unchecked(reader, rel: str, kind: str, markdown: bool) -> tuple[YamlDoc | None, str]:
    """(the document of a file that parses but failed its schema, its Markdown body); (None, "")
    when it cannot be read or parsed at all."""
    text, _problems = read_file(reader, rel)
    if text is None:
        return None, ""
    doc, body, _findings = parse.parse_text(rel, kind, markdown, text, [], keep_invalid=True)
    if doc is not None:
        doc.where(())  # positions now, if they were left out
    return doc, body


def _cuts(error) -> list[tuple]:
    """The parts of the document one schema error refuses."""
    path = tuple(error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set(error.schema.get("properties", {}))
        unknown = [path + (key,) for key in error.instance if key not in allowed]
        return unknown or [path]
    return [path]


def refused(kind: str, data) -> list[tuple]:
    """Where the schema refuses something in `data`: a value that is wrong, an unknown key. A
    missing key refuses nothing that is there."""
    found = []
    for error in validator(kind).iter_errors(data):
        if error.validator != "required":
            found.extend(_cuts(error))
    return found


def within(path: tuple, places: list[tuple]) -> bool:
    """Is `path` one of `places` or inside one?"""
    return any(path[: len(place)] == place for place in places)


def _pruned(data, removed: set[tuple]) -> tuple[object, dict[tuple, tuple]]:
    """`data` without the `removed` paths, and each kept path's original path."""
    original: dict[tuple, tuple] = {}

    def walk(value, old: tuple, new: tuple):
        original[new] = old
        if isinstance(value, dict):
            return {k: walk(v, old + (k,), new + (k,)) for k, v in value.items() if old + (k,) not in removed}
        if isinstance(value, list):
            kept: list = []
            for i, item in enumerate(value):
                if old + (i,) not in removed:
                    kept.append(walk(item, old + (i,), new + (len(kept),)))
            return kept
        return value

    return walk(data, (), ()), original


def salvage(kind: str, doc: YamlDoc) -> YamlDoc | None:
    """The part of `doc` that passes its schema, positioned as in the file, or None when no
    part does."""
    required = validator(kind).schema.get("required") or ()
    removed: set[tuple] = set()
    for _round in range(MAX_ROUNDS):
        pruned, original = _pruned(doc.data, removed)
        if isinstance(pruned, dict):
            pruned.update({k: PLACEHOLDERS[k] for k in required if k in PLACEHOLDERS and k not in pruned})
        errors = list(validator(kind).iter_errors(pruned))
        if not errors:
            return YamlDoc(
                pruned,
                values={new: doc.values[old] for new, old in original.items() if old in doc.values},
                keys={new: doc.keys[old] for new, old in original.items() if old in doc.keys},
                raw={new: doc.raw[old] for new, old in original.items() if old in doc.raw},
                cut=frozenset(removed),
            )
        cuts = {original[path] for error in errors for path in _cuts(error) if path in original}
        if () in cuts or cuts <= removed:
            return None
        removed |= cuts
    return None
