"""A quick "certainly valid" for data files, so jsonschema runs only on files that may have a problem.

Each schema in schemas/ is compiled once into small closures that answer one question about an
instance: is it certainly valid? The answer is one-sided. True means that jsonschema
(Draft202012Validator with FormatChecker()) finds no error; False means "invalid, or not sure",
and the caller then runs jsonschema, which gives the findings. So every check below may answer
False too often, never True too often: a value of a type not modelled here, or a case not
modelled exactly, answers False. A schema with a keyword this module does not know is not
compiled at all (Unsupported), and every file of its kind goes to jsonschema.

Why not fastjsonschema: as fast per file, ~0.1 s more to start, and it reads our draft 2020-12
schemas as draft-07 (measured and explained in bench/README.md, `schemas.py`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from functools import lru_cache

from ..resources import schema

Check = Callable[[object], bool]


class Unsupported(Exception):
    """The schema uses something not modelled here: its kind is always checked by jsonschema."""


# The Python types the YAML loader produces (yamlsafe: dates stay text, floats become Decimal)
# and the JSON types jsonschema's type checker sees in each: bool is neither integer nor number,
# a Decimal is a number but not an integer. Looked up by exact type(), so a subclass, a float or
# anything else is "not sure".
_JSON_TYPES = {
    str: {"string"},
    bool: {"boolean"},
    int: {"integer", "number"},
    Decimal: {"number"},
    type(None): {"null"},
    list: {"array"},
    dict: {"object"},
}

_ANNOTATIONS = {"title", "description", "examples", "default", "$comment", "deprecated", "readOnly",
                "writeOnly"}
_ROOT_ONLY = {"$schema", "$id", "$defs"}  # a nested $id or $defs would change what a $ref means

# jsonschema's own `date` format check: this regular expression, then date.fromisoformat.
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)


def _yes(x) -> bool:
    return True


def _no(x) -> bool:
    return False


def _modelled(x) -> bool:
    return type(x) in _JSON_TYPES  # any other type (a float, a str subclass): not sure


def _is_date(text: str) -> bool:
    if not _ISO_DATE.fullmatch(text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _equal_to(value) -> Check:
    """`jsonschema._utils.equal(x, value)`, where it can be told by type alone (1 is not True)."""
    if type(value) is str:
        return lambda x: type(x) is str and x == value
    if value is None or type(value) is bool:
        return lambda x: x is value
    if type(value) is int:
        return lambda x: type(x) is int and x == value  # Decimal("2") == 2 too, but not sure here
    raise Unsupported(f"const or enum value {value!r}")


def _number(test: Check) -> Check:
    """A bound applies to numbers only; a non-finite Decimal cannot be compared, so not sure."""

    def check(x) -> bool:
        if type(x) is int:
            return test(x)
        if type(x) is Decimal:
            return x.is_finite() and test(x)
        return True  # bool, text, ...: jsonschema skips the bound

    return check


def _limit(value):
    if type(value) not in (int, float) or not math.isfinite(value):
        raise Unsupported(f"bound {value!r}")
    return value


def _mapping(value) -> list:
    if not isinstance(value, dict):
        raise Unsupported(f"expected a mapping of schemas, not {value!r}")
    return list(value.items())


def _names(value) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(name, str) for name in value):
        raise Unsupported(f"expected a list of names, not {value!r}")
    return value


def _schemas(value) -> list:
    if not isinstance(value, list) or not value:
        raise Unsupported(f"expected a non-empty list of schemas, not {value!r}")
    return value


def _count(value) -> int:
    if type(value) is not int:
        raise Unsupported(f"expected a whole number, not {value!r}")
    return value


def _unique(x) -> bool:
    # jsonschema compares items with its own equality; for plain text or plain integers that
    # equality is Python's, so a set tells. Anything else (a bool among ints, dicts): not sure.
    if type(x) is not list:
        return True
    kinds = {type(item) for item in x}
    return (kinds <= {str} or kinds == {int}) and len(set(x)) == len(x)


class _Compiler:
    def __init__(self, root: dict):
        self.root = root
        self.defs: dict[str, Check] = {}  # filled once every definition is compiled

    def compile(self) -> Check:
        if not isinstance(self.root, dict):
            raise Unsupported("the schema is not an object")
        for name, sub in _mapping(self.root.get("$defs", {})):
            self.defs[name] = self.schema(sub)
        return self.schema(self.root, root=True)

    def schema(self, s, root: bool = False) -> Check:
        if s is True:
            return _yes
        if s is False:
            return _no
        if not isinstance(s, dict):
            raise Unsupported(f"schema {s!r}")
        unknown = set(s) - _ANNOTATIONS - set(_KEYWORDS) - (_ROOT_ONLY if root else set())
        if unknown:
            raise Unsupported(f"keywords {sorted(unknown)}")
        built = (build(self, s[keyword], s) for keyword, build in _KEYWORDS.items() if keyword in s)
        checks = tuple(test for test in built if test is not None)
        # The checks below treat "not a dict" as "a modelled type other than dict", so a type
        # check runs first: `type` (first in _KEYWORDS) accepts only modelled types already.
        if "type" not in s:
            checks = (_modelled,) + checks
        if len(checks) == 1:
            return checks[0]

        def check(x) -> bool:
            for one in checks:
                if not one(x):
                    return False
            return True

        return check

    def exact(self, s) -> Check:
        """A condition (`if`, a `oneOf` branch) must be decided both ways, so it is compiled
        only from keywords whose check here is jsonschema's own, for every instance."""
        if s is True:
            return _yes
        if s is False:
            return _no
        if not isinstance(s, dict) or set(s) - _ANNOTATIONS - {"properties", "required", "const"} \
                or type(s.get("const", "")) is not str:
            raise Unsupported(f"condition {s!r}")  # equal(x, text) is plain ==; other values are not
        props = tuple((name, self.exact(sub)) for name, sub in _mapping(s.get("properties", {})))
        required = tuple(_names(s.get("required", [])))
        has_const, const = "const" in s, s.get("const")

        def check(x) -> bool:
            if isinstance(x, dict):  # jsonschema's "object": any dict
                if any(name not in x for name in required):
                    return False
                if any(name in x and not sub(x[name]) for name, sub in props):
                    return False
            return not has_const or x == const

        return check

    # -- keywords ------------------------------------------------------------------------------
    def type_(self, value, s) -> Check:
        names = set(_names([value] if isinstance(value, str) else value))
        if not names <= {"string", "boolean", "integer", "number", "null", "array", "object"}:
            raise Unsupported(f"type {value!r}")
        accepted = frozenset(t for t, json_types in _JSON_TYPES.items() if json_types & names)
        return lambda x: type(x) in accepted

    def properties(self, value, s) -> Check:
        # properties and additionalProperties together: a key is checked by one or the other
        props = {name: self.schema(sub) for name, sub in _mapping(value)}
        extra = s.get("additionalProperties", True)
        other = None if extra is True else self.schema(extra)

        def check(x) -> bool:
            if type(x) is not dict:
                return True
            for key, item in x.items():
                sub = props.get(key, other)
                if sub is not None and not sub(item):
                    return False
            return True

        return check

    def additional_properties(self, value, s) -> Check | None:
        return None if "properties" in s else self.properties({}, s)

    def required(self, value, s) -> Check:
        names = tuple(_names(value))
        return lambda x: type(x) is not dict or all(name in x for name in names)

    def dependent_schemas(self, value, s) -> Check:
        deps = tuple((name, self.schema(sub)) for name, sub in _mapping(value))
        return lambda x: type(x) is not dict or all(sub(x) for name, sub in deps if name in x)

    def items(self, value, s) -> Check:
        sub = self.schema(value)
        return lambda x: type(x) is not list or all(sub(item) for item in x)

    def min_items(self, value, s) -> Check:
        least = _count(value)
        return lambda x: type(x) is not list or len(x) >= least

    def max_items(self, value, s) -> Check:
        most = _count(value)
        return lambda x: type(x) is not list or len(x) <= most

    def unique_items(self, value, s) -> Check | None:
        if type(value) is not bool:
            raise Unsupported(f"uniqueItems {value!r}")
        return _unique if value else None

    def min_length(self, value, s) -> Check:
        least = _count(value)
        return lambda x: type(x) is not str or len(x) >= least

    def max_length(self, value, s) -> Check:
        most = _count(value)
        return lambda x: type(x) is not str or len(x) <= most

    def pattern(self, value, s) -> Check:
        try:
            search = re.compile(value).search  # what jsonschema's re.search(pattern, x) uses
        except (re.error, TypeError):
            raise Unsupported(f"pattern {value!r}") from None
        return lambda x: type(x) is not str or search(x) is not None

    def format(self, value, s) -> Check:
        if value == "date":
            return lambda x: type(x) is not str or _is_date(x)
        if value == "email":
            return lambda x: type(x) is not str or "@" in x
        raise Unsupported(f"format {value!r}")

    def enum(self, value, s) -> Check:
        if not isinstance(value, list):
            raise Unsupported(f"enum {value!r}")
        if all(type(option) is str for option in value):
            options = frozenset(value)
            return lambda x: type(x) is str and x in options
        tests = tuple(_equal_to(option) for option in value)
        return lambda x: any(test(x) for test in tests)

    def const(self, value, s) -> Check:
        return _equal_to(value)

    def minimum(self, value, s) -> Check:
        limit = _limit(value)
        return _number(lambda x: x >= limit)

    def maximum(self, value, s) -> Check:
        limit = _limit(value)
        return _number(lambda x: x <= limit)

    def exclusive_minimum(self, value, s) -> Check:
        limit = _limit(value)
        return _number(lambda x: x > limit)

    def ref(self, value, s) -> Check:
        name = value.removeprefix("#/$defs/") if isinstance(value, str) else value
        if name == value or name not in self.root.get("$defs", {}) or any(c in name for c in "/~%"):
            raise Unsupported(f"$ref {value!r}")
        defs = self.defs
        return lambda x: defs[name](x)  # looked up when called: definitions may refer to each other

    def if_(self, value, s) -> Check:
        condition = self.exact(value)
        then, otherwise = self.schema(s.get("then", True)), self.schema(s.get("else", True))
        return lambda x: then(x) if condition(x) else otherwise(x)

    def then_else(self, value, s) -> None:
        return None  # only read by `if`; without one, jsonschema ignores them too

    def all_of(self, value, s) -> Check:
        subs = tuple(self.schema(sub) for sub in _schemas(value))
        return lambda x: all(sub(x) for sub in subs)

    def any_of(self, value, s) -> Check:
        subs = tuple(self.schema(sub) for sub in _schemas(value))
        return lambda x: any(sub(x) for sub in subs)

    def one_of(self, value, s) -> Check:
        branches = tuple(self.exact(sub) for sub in _schemas(value))
        return lambda x: sum(1 for branch in branches if branch(x)) == 1


_KEYWORDS = {
    "type": _Compiler.type_,
    "properties": _Compiler.properties,
    "additionalProperties": _Compiler.additional_properties,
    "required": _Compiler.required,
    "dependentSchemas": _Compiler.dependent_schemas,
    "items": _Compiler.items,
    "minItems": _Compiler.min_items,
    "maxItems": _Compiler.max_items,
    "uniqueItems": _Compiler.unique_items,
    "minLength": _Compiler.min_length,
    "maxLength": _Compiler.max_length,
    "pattern": _Compiler.pattern,
    "format": _Compiler.format,
    "enum": _Compiler.enum,
    "const": _Compiler.const,
    "minimum": _Compiler.minimum,
    "maximum": _Compiler.maximum,
    "exclusiveMinimum": _Compiler.exclusive_minimum,
    "$ref": _Compiler.ref,
    "if": _Compiler.if_,
    "then": _Compiler.then_else,
    "else": _Compiler.then_else,
    "allOf": _Compiler.all_of,
    "anyOf": _Compiler.any_of,
    "oneOf": _Compiler.one_of,
}


def compile_schema(schema) -> Check:
    """The "certainly valid" check of a JSON Schema; raises Unsupported when it cannot be built."""
    return _Compiler(schema).compile()


@lru_cache(maxsize=None)
def checker(kind: str) -> Check | None:
    """The compiled check of `schemas/<kind>.schema.json`, or None when jsonschema must decide."""
    try:
        return compile_schema(schema(kind))
    except Unsupported:
        return None


def fast_valid(kind: str, data) -> bool:
    """True only when jsonschema would find no error in `data`; False means "ask jsonschema"."""
    check = checker(kind)
    return check is not None and check(data)
