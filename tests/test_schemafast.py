"""The quick "certainly valid" check (generator/load/schemafast.py) against jsonschema itself.

Its promise is one-sided: fast says valid => jsonschema (Draft202012Validator with
FormatChecker()) says valid. The documents are the real ones (the example community, the
test community of communities.py, the files bench/render.py generates), read the way the
loader reads them, and many variants derived from them: keys dropped and added, scalars of
every other type, broken patterns, impossible dates, empty text, repeated items, negative numbers.
"""

from __future__ import annotations

import importlib.util
import json
import random
import re
import sys
import textwrap
from decimal import Decimal

import pytest
from jsonschema import Draft202012Validator, FormatChecker

import generator.load.validate
from communities import EXAMPLE, MINIMAL, ROOT
from generator.load.listing import COLLECTIONS, MD_EXT
from generator.resources import schemas_dir
from generator.load.schemafast import Unsupported, checker, compile_schema, fast_valid
from generator.load.validate import validate
from generator.load.yamlsafe import YamlDoc, load_yaml

KINDS = sorted(p.name.removesuffix(".schema.json") for p in schemas_dir().glob("*.schema.json"))
TOP_FILES = {name: name.removesuffix(".yaml") for name in ("commonplace.yaml", "community.yaml", "federation.yaml")}


def schema(kind: str) -> dict:
    return json.loads((schemas_dir() / f"{kind}.schema.json").read_text(encoding="utf-8"))


def slow_valid(kind: str, data) -> bool:
    return generator.load.validate.validator(kind).is_valid(data)  # the slow path, as validate() builds it


def kind_of(rel: str) -> tuple[str, bool] | None:
    """The schema kind of a community file and whether it is Markdown with front matter."""
    if rel in TOP_FILES:
        return TOP_FILES[rel], False
    folder, _, name = rel.partition("/")
    if folder in COLLECTIONS and "/" not in name:
        kind, extensions = COLLECTIONS[folder]
        if name.endswith(extensions):
            return kind, extensions == MD_EXT
    return None


def data_of(text: str, markdown: bool):
    """What the loader hands to validation (generator.load.parse.parse_file)."""
    if markdown:
        lines = text.splitlines(keepends=True)
        end = next(i for i in range(1, len(lines)) if lines[i].strip() in ("---", "..."))
        text = "".join(lines[1:end])
    doc, problems = load_yaml(text, "test")
    assert doc is not None and not problems, problems
    return {} if doc.data is None else doc.data


def bench_files() -> dict[str, str]:
    """A small community made by the generator of bench/render.py (the measured one)."""
    spec = importlib.util.spec_from_file_location("bench_render", ROOT / "bench" / "render.py")
    bench = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = bench  # dataclasses look their module up while the class is made
    try:
        spec.loader.exec_module(bench)
    finally:
        del sys.modules[spec.name]
    rng = random.Random(7)
    text = bench.Text(rng)
    members = bench.make_members(3, text)
    handles = [m.slug for m in members]
    items = members + bench.make_projects(2, handles, text) + bench.make_events(2, handles, text) \
        + bench.make_pages(3, text)
    ext = {"members": ".yaml", "projects": ".md", "events": ".md", "pages": ".md"}
    files = {f"{i.section}/{i.slug}{ext[i.section]}": i.source for i in items}
    kudos, ledger = bench.kudos_and_ledger(handles, rng, text)
    files.update({"kudos/2025.yaml": kudos, "ledger/2025.yaml": ledger,
                  "commonplace.yaml": bench.CONFIG, "community.yaml": bench.COMMUNITY})
    return files


def documents() -> list[tuple[str, str, object]]:
    """(name, kind, data) of every valid data file we have."""
    sources = {f"example/{p.relative_to(EXAMPLE).as_posix()}": p.read_text(encoding="utf-8")
               for p in sorted(EXAMPLE.rglob("*")) if p.is_file() and p.suffix in (".yaml", ".yml", ".md")
               and not any(part.startswith(".") for part in p.relative_to(EXAMPLE).parts)}  # not a build's cache
    sources.update({f"minimal/{rel}": textwrap.dedent(text) for rel, text in MINIMAL.items()})
    sources.update({f"bench/{rel}": text for rel, text in bench_files().items()})
    docs = []
    for name, text in sources.items():
        found = kind_of(name.split("/", 1)[1])
        if found:
            docs.append((name, found[0], data_of(text, found[1])))
    return docs


DOCUMENTS = documents()


# --------------------------------------------------------------------------- the schemas


@pytest.mark.parametrize("kind", KINDS)
def test_every_schema_compiles(kind):
    compile_schema(schema(kind))  # raises Unsupported otherwise
    assert checker(kind) is not None  # so validate() really takes the fast path


def test_documents_of_every_kind_from_every_source():
    assert {kind for _, kind, _ in DOCUMENTS} == set(KINDS)
    assert {name.split("/")[0] for name, _, _ in DOCUMENTS} == {"example", "minimal", "bench"}


def test_valid_documents_agree_with_jsonschema():
    for name, kind, data in DOCUMENTS:
        assert slow_valid(kind, data), name
        assert fast_valid(kind, data), name


# --------------------------------------------------------------------------- variants

UNKNOWN = "zz-unknown-key"
OTHER_VALUES = (True, False, None, Decimal("1.5"), Decimal("2"), Decimal("-1"), 7, "text", ["x"], {"x": 1})
DATES = ("2025-02-30", "2025-13-01", "2025-1-01", "٢٠٢٥-٠١-٠١", "2025-01-01\n", "2024-02-29")
LOOKS_LIKE_A_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


_DROP = object()


def _set(data, path: tuple, value):
    """A copy of `data` with the value at `path` replaced (or removed, for _DROP)."""
    if len(path) == 1 and value is _DROP:
        copy = dict(data)
        del copy[path[0]]
        return copy
    if not path:
        return value
    copy = dict(data) if isinstance(data, dict) else list(data)
    copy[path[0]] = _set(data[path[0]], path[1:], value)
    return copy


def _nodes(data, path=()):
    yield path, data
    if isinstance(data, dict):
        for key, item in data.items():
            yield from _nodes(item, path + (key,))
    elif isinstance(data, list):
        for index in sorted({0, 1, len(data) - 1} & set(range(len(data)))):  # stand for the rest
            yield from _nodes(data[index], path + (index,))


def _text_variants(text: str) -> list[str]:
    texts = [text + " !", "!" + text, text.upper(), text + "\n", "-" + text, text + "@x", "x@" + text,
             text + "/x", "", "0", "0.00", "12.34567", "ZZZ", "a b"]
    return texts + list(DATES) if LOOKS_LIKE_A_DATE.fullmatch(text) else texts


# The one text that may also be a list: a decision's `proposed_by` (one handle, or several).
TEXT_OR_LIST = {("proposed_by",)}


def variants(data):
    """(label, document, plain): plain variants are invalid in every one of our schemas (all
    objects are closed; no value may be null; no text may be a list or a mapping, but for
    `TEXT_OR_LIST`)."""
    for path, value in _nodes(data):
        where = "/".join(map(str, path)) or "(root)"
        if isinstance(value, dict):
            yield f"{where}: unknown key", _set(data, path, {**value, UNKNOWN: "x"}), True
            for key in value:
                yield f"{where}: drop {key}", _set(data, path + (key,), _DROP), False
        if isinstance(value, list) and value:
            yield f"{where}: repeated item", _set(data, path, value + value[:1]), False
            yield f"{where}: no items", _set(data, path, []), False
        if isinstance(value, str):
            for text in _text_variants(value):
                yield f"{where}: {text!r}", _set(data, path, text), False
        if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
            for number in (-value, value - 1, value + Decimal("0.5"), 0, 10**6, str(value)):
                yield f"{where}: {number!r}", _set(data, path, number), False
        for other in OTHER_VALUES:
            if type(other) is not type(value) or other != value:
                plain = other is None or (isinstance(value, str) and isinstance(other, (list, dict))) \
                    or (isinstance(value, (list, dict)) and isinstance(other, str))
                plain = plain and not (path in TEXT_OR_LIST and isinstance(other, (str, list)))
                yield f"{where}: {other!r}", _set(data, path, other), plain


def _all_variants():
    for name, kind, data in DOCUMENTS:
        for label, variant, plain in variants(data):
            yield f"{name} {label}", kind, variant, plain


def first_error(kind: str, data):
    """jsonschema's first error, or None when the document is valid (stops at the first)."""
    return next(generator.load.validate.validator(kind).iter_errors(data), None)


def test_fast_yes_is_always_jsonschema_yes():
    unsure, checked, plain_cases, valid_cases, keywords = [], 0, 0, 0, set()
    for name, kind, data, plain in _all_variants():
        error = first_error(kind, data)
        fast, slow = fast_valid(kind, data), error is None
        checked += 1
        assert not (fast and not slow), f"fast said valid, jsonschema did not: {name}"
        if plain:
            plain_cases += 1
            assert not slow and not fast, name
        if error:
            keywords |= {str(step) for step in error.schema_path}  # then, dependentSchemas, ...
        else:
            valid_cases += 1
            if not fast:
                unsure.append(name)
    assert checked > 10_000 and plain_cases > 1_000 and valid_cases > 1_000
    # Every variant jsonschema rejects was rejected above by the fast check too (the promise
    # read backwards), and those variants reach every keyword that can fail in our schemas:
    assert keywords >= {"type", "required", "additionalProperties", "pattern", "enum", "format",
                        "minLength", "minItems", "uniqueItems", "minimum", "maximum",
                        "exclusiveMinimum", "const", "then", "else", "allOf", "dependentSchemas"}
    # and the fast check is effective: no valid variant is sent to jsonschema
    assert unsure == []


def test_findings_are_those_of_jsonschema(monkeypatch):
    """validate() with the fast path gives the findings it gives without it, valid or not."""
    cases = [(kind, YamlDoc(data)) for _, kind, data, _ in _all_variants()][::20]
    found = [validate(kind, doc, "file.yaml") for kind, doc in cases]
    monkeypatch.setattr(generator.load.validate, "fast_valid", lambda kind, data: False)
    assert found == [validate(kind, doc, "file.yaml") for kind, doc in cases]
    assert sum(1 for f in found if f) > 500


# --------------------------------------------------------------------------- the edges, one by one

INTEGER = {"type": "integer", "minimum": 0}
NUMBER = {"type": "number", "exclusiveMinimum": 0, "maximum": 10}
MONEY = {"type": ["string", "number"], "pattern": r"^\d+(\.\d{1,4})?$", "exclusiveMinimum": 0}
DATE = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
HANDLES = {"type": "array", "uniqueItems": True, "items": {"type": ["string", "integer", "boolean"]}}
CONDITION = {
    "type": "object",
    "if": {"properties": {"kind": {"const": "quote"}}, "required": ["kind"]},
    "then": {"required": ["quote"]},
    "else": {"required": ["count"]},
}
ONE_OF = {"oneOf": [{"required": ["a"]}, {"required": ["b"]}]}
ANY_OF = {"anyOf": [{"type": "string"}, {"type": "integer"}]}
CONST = {"properties": {"done": {"const": True}, "n": {"enum": [1, "one", None]}}}
REFS = {"$defs": {"node": {"type": "object", "properties": {"next": {"$ref": "#/$defs/node"}}}},
        "$ref": "#/$defs/node"}


class Text(str):
    pass


@pytest.mark.parametrize(
    "name,schema_,instance,fast",
    [
        ("integer", INTEGER, 3, True),
        ("integer", INTEGER, -1, False),
        ("integer", INTEGER, True, False),  # bool is not an integer
        ("integer", INTEGER, Decimal("2"), False),  # nor is a Decimal, even a whole one
        ("integer", INTEGER, 2.0, False),  # jsonschema: valid; a float is not modelled
        ("number", NUMBER, Decimal("1.5"), True),
        ("number", NUMBER, 10, True),
        ("number", NUMBER, Decimal("10.01"), False),
        ("number", NUMBER, 0, False),
        ("number", NUMBER, False, False),
        ("number", NUMBER, Decimal("NaN"), False),
        ("money", MONEY, "12.50", True),
        ("money", MONEY, Decimal("12.50"), True),
        ("money", MONEY, Decimal("-1"), False),
        ("money", MONEY, "12.5.0", False),
        ("money", MONEY, "0", True),  # the pattern allows it, a string has no minimum
        ("date", DATE, "2024-02-29", True),
        ("date", DATE, "2025-02-29", False),
        ("date", DATE, "2025-02-30", False),
        ("date", DATE, "2025-01-01\n", False),  # the pattern's $ allows it, the format does not
        ("date", DATE, "٢٠٢٥-٠١-٠١", False),  # \d matches these digits in the pattern only
        ("date", DATE, Text("2025-01-01"), False),  # a str subclass: not modelled
        ("handle", {"type": "string", "pattern": "^[a-z]+$"}, "ana\n", True),  # re.search semantics
        ("unique", HANDLES, ["a", "b"], True),
        ("unique", HANDLES, ["a", "a"], False),
        ("unique", HANDLES, [1, 2], True),
        ("unique", HANDLES, [1, True], False),  # jsonschema: unique; mixed kinds are not modelled
        ("unique", HANDLES, [], True),
        ("maxItems", {"type": "array", "maxItems": 2}, ["a", "b"], True),
        ("maxItems", {"type": "array", "maxItems": 2}, ["a", "b", "c"], False),
        ("maxItems", {"maxItems": 2}, "abc", True),  # applies to arrays only
        ("if", CONDITION, {"kind": "quote", "quote": "Hi"}, True),
        ("if", CONDITION, {"kind": "quote", "count": 3}, False),
        ("if", CONDITION, {"kind": "visits", "count": 3}, True),
        ("if", CONDITION, {"count": 3}, True),
        ("if", CONDITION, {"quote": "Hi"}, False),
        ("oneOf", ONE_OF, {"a": 1}, True),
        ("oneOf", ONE_OF, {"a": 1, "b": 2}, False),
        ("oneOf", ONE_OF, {}, False),
        ("anyOf", ANY_OF, "x", True),
        ("anyOf", ANY_OF, 1, True),
        ("anyOf", ANY_OF, None, False),
        ("const", CONST, {"done": True, "n": 1}, True),
        ("const", CONST, {"done": 1}, False),
        ("const", CONST, {"n": True}, False),
        ("const", CONST, {"n": None}, True),
        ("const", CONST, {"n": Decimal("1")}, False),  # jsonschema: equal to 1; not modelled
        ("$ref", REFS, {"next": {"next": {}}}, True),
        ("$ref", REFS, {"next": {"next": []}}, False),
        ("type", {"type": "object"}, (), False),
    ],
)
def test_edge(name, schema_, instance, fast):
    assert compile_schema(schema_)(instance) is fast
    if fast:
        assert Draft202012Validator(schema_, format_checker=FormatChecker()).is_valid(instance)


@pytest.mark.parametrize(
    "schema_",
    [
        {"maxProperties": 3},
        {"patternProperties": {"^x": {}}},
        {"format": "uri"},
        {"properties": {"a": {"$id": "other.json"}}},
        {"$ref": "other.json#/$defs/a"},
        {"$ref": "#/$defs/missing"},
        {"if": {"properties": {"kind": {"type": "string"}}}, "then": {}},  # not decided exactly
        {"oneOf": [{"type": "string"}, {"type": "integer"}]},
        {"const": 1.5},
        {"type": "any"},
    ],
)
def test_unsupported_schemas_are_left_to_jsonschema(schema_):
    with pytest.raises(Unsupported):
        compile_schema(schema_)


def test_format_checks_are_jsonschema_s():
    checks = FormatChecker()
    for text in ("2025-01-01", *DATES, "", "a@b", "ab", "@"):
        for fmt in ("date", "email"):
            assert compile_schema({"format": fmt})(text) is checks.conforms(text, fmt), (fmt, text)
