"""JSON text as `json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)` writes it, to the
byte, written to a stream piece by piece.

The standard library encodes an indented document in Python, a generator per container and a
few yields per item. Here each item of the top two levels (a report's keys, then each
contributor) is made as one string, by joins, and written a few thousand at a time; the scalars
as the standard encoder writes them (its own string encoder, `float.__repr__`, NaN and Infinity
as it spells them), and keys that are not strings as it converts them.
"""

from __future__ import annotations

from json.encoder import encode_basestring
from typing import TextIO

INDENT = "  "
FLUSH = 2048  # pieces held before a write

_INFINITY = float("inf")


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value == _INFINITY:
        return "Infinity"
    if value == -_INFINITY:
        return "-Infinity"
    return float.__repr__(value)


def _scalar(value) -> str | None:
    """The JSON of a scalar, None for a container (or what JSON cannot hold: raised later)."""
    kind = type(value)
    if kind is str:
        return encode_basestring(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is int:
        return int.__repr__(value)
    if kind is float:
        return _float(value)
    if isinstance(value, str):
        return encode_basestring(value)
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return _float(value)
    return None


def _key(key) -> str:
    if isinstance(key, str):
        return encode_basestring(key)
    if isinstance(key, (bool, type(None), int, float)):
        return encode_basestring(_scalar(key))
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")


_NEWLINES = ["\n" + INDENT * n for n in range(64)]


def _newline(level: int) -> str:
    return _NEWLINES[level] if level < len(_NEWLINES) else "\n" + INDENT * level


_CONVERT = {str: encode_basestring, int: int.__repr__, float: _float, bool: lambda v: "true" if v else "false",
            type(None): lambda v: "null"}  # the exact scalar types, one look-up each


def _text(value, level: int) -> str:
    """The JSON of `value` at nesting `level`, made by joins (a row of a report is small)."""
    convert = _CONVERT.get(type(value))
    if convert is not None:
        return convert(value)
    text = _scalar(value)
    if text is not None:
        return text
    convert_of, enc = _CONVERT.get, encode_basestring
    if isinstance(value, dict):
        if not value:
            return "{}"
        inner = _newline(level + 1)
        deeper = level + 1
        parts = []
        for k, v in sorted(value.items()):
            convert = convert_of(type(v))
            parts.append((enc(k) if type(k) is str else _key(k)) + ": "
                         + (convert(v) if convert is not None else _text(v, deeper)))
        return "{" + inner + ("," + inner).join(parts) + _newline(level) + "}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        inner = _newline(level + 1)
        deeper = level + 1
        parts = []
        for v in value:
            convert = convert_of(type(v))
            parts.append(convert(v) if convert is not None else _text(v, deeper))
        return "[" + inner + ("," + inner).join(parts) + _newline(level) + "]"
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _stream(value, level: int, pieces: list[str], out: TextIO) -> None:
    """`_text(value, level)` in pieces: the top containers item by item, written now and then,
    so that a long list (a report's contributors) is never one string."""
    if level > 1 or not value or not isinstance(value, (dict, list, tuple)):
        pieces.append(_text(value, level))
        return
    inner = _newline(level + 1)
    mapping = isinstance(value, dict)
    items = sorted(value.items()) if mapping else value
    pieces.append("{" if mapping else "[")
    for n, item in enumerate(items):
        pieces.append("," + inner if n else inner)
        if mapping:
            pieces.append(_key(item[0]) + ": ")
            item = item[1]
        _stream(item, level + 1, pieces, out)
        if len(pieces) > FLUSH:
            out.write("".join(pieces))
            pieces.clear()
    pieces.append(_newline(level) + ("}" if mapping else "]"))


def write_json(value, out: TextIO) -> None:
    """Writes `value` as indented JSON (see the module's docstring), then a newline."""
    pieces: list[str] = []
    _stream(value, 0, pieces, out)
    pieces.append("\n")
    out.write("".join(pieces))
