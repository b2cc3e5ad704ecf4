"""Schema validation with messages that point at the key or value in the user's file."""

from __future__ import annotations

import difflib
import math
import re
from functools import lru_cache
from typing import TYPE_CHECKING

from ..errors import Finding
from ..resources import schema
from .schemafast import fast_valid
from .yamlsafe import YamlDoc

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator

# Messages for the patterns the schemas share, so an error says how to fix the value.
_PATTERN_HINTS = (
    ("mailto", "only https:, http: and mailto: links are allowed"),
    (r"^https?://[^\s]+$", "must be an https: or http: address without spaces (no other scheme is allowed)"),
    ("|@[", "must be a member's handle (lowercase letters a-z, digits and '-') or a forge login after an @ "
            "(\"@octocat\"): letters, digits, '_', '-' and '.'"),
    (r"\d{4}-\d{2}-\d{2}", "must be a date in ISO 8601 form: YYYY-MM-DD"),
    ("[A-Z]{3}", "must be a three-letter ISO 4217 currency code such as EUR or USD"),
    ("[A-Z]{3,8}", "must be an ISO 4217 currency code such as EUR or USD, or a community currency's code "
                   "(3 to 8 capital letters) declared under `currencies:` in commonplace.yaml"),
    ("(?:-?[A-Za-z0-9])", "must be a GitHub login without the @: letters, digits and single inner hyphens, at most 39 characters"),
    ("[A-Za-z0-9_.-]", "must be a GitLab username without the @: letters, digits, '_', '-' and '.'"),
    ("[a-z0-9-]", "may use only lowercase letters a-z, digits and '-' (for example 'ana-lopez')"),
    (r"\d{1,15}(", "must be an exact decimal amount such as \"12.50\", with at most 15 digits before the decimal point"),
    (r"\.\d", "must be an exact decimal amount such as \"12.50\""),
)

# A number with an exponent that YAML 1.1 reads as text: no dot (1e3) or no sign (1.0e3).
_EXPONENT = re.compile(r"[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?[eE][-+]?[0-9]+")

_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping of keys to values",
    "null": "nothing",
}


@lru_cache(maxsize=None)
def validator(kind: str) -> Draft202012Validator:
    # Imported here: jsonschema takes ~45 ms to import, and valid files never need it.
    from jsonschema import Draft202012Validator, FormatChecker

    return Draft202012Validator(schema(kind), format_checker=FormatChecker())


def _describe(value) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)) or type(value).__name__ == "Decimal":
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "nothing" if value is None else type(value).__name__


# jsonschema's words for a number out of bounds, with the number as the file writes it.
_BOUNDS = {
    "minimum": "is less than the minimum of",
    "exclusiveMinimum": "is less than or equal to the minimum of",
    "maximum": "is greater than the maximum of",
    "exclusiveMaximum": "is greater than or equal to the maximum of",
}


def _number_text(value, raw: str | None) -> str:
    """A number as the file writes it ("1.0e+400", not Decimal('1.0E+400')); never a page of digits."""
    text = raw if raw is not None else str(value)
    return text if len(text) <= 24 else f"a number {len(text)} characters long"


def _expected(schema_type) -> str:
    types = schema_type if isinstance(schema_type, list) else [schema_type]
    return " or ".join(_TYPE_WORDS.get(t, t) for t in types)


def _schema_keys(schema: dict) -> list[str]:
    return sorted(schema.get("properties", {}))


def _unknown_keys(error, doc: YamlDoc, path: str) -> list[Finding]:
    allowed = _schema_keys(error.schema)
    findings = []
    for key in sorted(set(error.instance) - set(allowed)):
        where = tuple(error.absolute_path) + (key,)
        line, col = doc.where(where, key=True)
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        hint = f" (did you mean '{close[0]}'?)" if close else f" (allowed: {', '.join(allowed)})"
        findings.append(Finding(path, line, col, f"unknown key '{key}'{hint}"))
    return findings


def _message(error, doc: YamlDoc) -> str:
    where = tuple(error.absolute_path)
    name = next((p for p in reversed(where) if isinstance(p, str)), None)
    label = f"'{name}'" if name else "value"
    if error.validator == "type":
        raw = doc.raw.get(where)
        message = f"{label} must be {_expected(error.validator_value)}, not {_describe(error.instance)}"
        if isinstance(error.instance, bool) and raw is not None and "string" in str(error.validator_value):
            message += f" (YAML reads {raw} as true/false: put it in quotes, \"{raw}\")"
        elif raw is not None and "string" in str(error.validator_value):
            message += f" (put it in quotes: \"{raw}\")"
        elif isinstance(error.instance, str) and _EXPONENT.fullmatch(error.instance) \
                and "number" in str(error.validator_value):
            message += f" (YAML reads {raw[:24]} as text: write the number out in digits)"
        return message
    if error.validator == "enum":
        options = [str(o) for o in error.validator_value]
        close = difflib.get_close_matches(str(error.instance), options, n=1, cutoff=0.6)
        hint = f" (did you mean '{close[0]}'?)" if close else f"; choose one of: {', '.join(options)}"
        return f"{label}: '{error.instance}' is not allowed{hint}"
    if error.validator == "pattern":
        for needle, hint in _PATTERN_HINTS:
            if needle in error.validator_value:
                return f"{label}: '{error.instance}' {hint}"
        return f"{label}: '{error.instance}' does not match the expected form {error.validator_value}"
    if error.validator == "format":
        forms = {"date": "a real calendar date in ISO 8601 form: YYYY-MM-DD", "email": "an e-mail address"}
        return f"{label}: '{error.instance}' must be {forms.get(error.validator_value, error.validator_value)}"
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return f"missing required key '{missing}'"
    if error.validator in _BOUNDS:
        return f"{label}: {_number_text(error.instance, doc.raw.get(where))} {_BOUNDS[error.validator]} " \
               f"{error.validator_value}"
    if error.validator == "maxLength":  # never the text itself: it may be a megabyte long
        return f"{label} is longer than {error.validator_value} characters: shorten it"
    if error.validator == "minItems":
        return f"{label} must list at least {error.validator_value} item(s)"
    if error.validator == "uniqueItems":
        return f"{label} lists the same item twice"
    return f"{label}: {error.message}"


def validate(kind: str, doc: YamlDoc, path: str) -> list[Finding]:
    """Validate a loaded document against `schemas/<kind>.schema.json`."""
    if fast_valid(kind, doc.data):
        return []  # certainly valid (see schemafast); jsonschema runs only to explain a problem
    return explain(kind, doc, path)


def explain(kind: str, doc: YamlDoc, path: str) -> list[Finding]:
    """jsonschema's findings on a document, located and worded for the user ([] when valid)."""
    findings: list[Finding] = []
    # NaN and infinity first: jsonschema takes a float NaN for a number within any bounds, and
    # cannot compare a Decimal NaN at all. YAML gives neither (yamlsafe); other callers may.
    data = doc.data
    for where in _not_finite(doc.data, ()):
        line, col = doc.where(where)
        name = next((p for p in reversed(where) if isinstance(p, str)), "value")
        findings.append(Finding(path, line, col, f"'{name}' must be a finite number, not NaN or infinity"))
        data = _replaced(data, where, None)
    errors = sorted(validator(kind).iter_errors(data), key=lambda e: (list(map(str, e.absolute_path)), e.validator != "pattern"))
    for error in errors:
        # `if/then` and `anyOf` wrap the real cause; report the innermost errors.
        causes = list(error.context) if error.context and error.validator in ("anyOf", "oneOf") else [error]
        if error.validator in ("anyOf", "oneOf"):
            # the branch of the value's own type says what is wrong with it, when one has that type
            causes = [next((c for c in causes if c.validator != "type"), causes[0])]
        for cause in causes:
            if cause.validator == "additionalProperties" and isinstance(cause.instance, dict):
                findings.extend(_unknown_keys(cause, doc, path))
                continue
            where = tuple(cause.absolute_path)
            line, col = doc.where(where, key=cause.validator == "required")
            if any((f.line, f.col) == (line, col) for f in findings):
                continue  # one message per spot: a bad date fails both its pattern and its format
            findings.append(Finding(path, line, col, _message(cause, doc)))
    return findings


def _replaced(data, where: tuple, value):
    """A copy of `data` with `value` at `where` (the containers on the way copied, the rest shared)."""
    if not where:
        return value
    head, rest = where[0], where[1:]
    copy = dict(data) if isinstance(data, dict) else list(data)
    copy[head] = _replaced(data[head], rest, value)
    return copy


def _not_finite(data, at: tuple):
    """The paths of the NaN and infinite numbers in `data` (YAML gives none; other callers may)."""
    if isinstance(data, float) and not math.isfinite(data) or type(data).__name__ == "Decimal" and not data.is_finite():
        yield at
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _not_finite(value, at + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _not_finite(value, at + (i,))
