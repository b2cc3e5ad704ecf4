"""JSON text as `json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)` writes it, to the
byte, written to a stream piece by piece.

The standard library encodes an indented document in Python, a generator per container and a
few yields per item: most of the time `commonplace value --format json` took after one new
commit on a long history went there. Here a container whose items are all scalars (a
contributor's monthly values, scores, a monthly series) is made in one join; the scalars are
written as the standard encoder writes them (its own string encoder, `float.__repr__`, NaN and
Infinity as it spells them), and keys that are not strings as it converts them.
"""

from __future__ import annotations

from json.encoder import encode_basestring
from typing import TextIO

INDENT = "  "
FLUSH = 8192  # pieces held before a write

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


class _Writer:
    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.pieces: list[str] = []

    def flush(self) -> None:
        self.out.write("".join(self.pieces))
        self.pieces.clear()

    def value(self, value, level: int) -> None:
        text = _scalar(value)
        if text is not None:
            self.pieces.append(text)
        elif isinstance(value, dict):
            self.mapping(value, level)
        elif isinstance(value, (list, tuple)):
            self.sequence(value, level)
        else:
            raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")

    def mapping(self, value: dict, level: int) -> None:
        if not value:
            self.pieces.append("{}")
            return
        items = sorted(value.items())
        inner, outer = "\n" + INDENT * (level + 1), "\n" + INDENT * level
        texts = [_scalar(v) for _k, v in items]
        if None not in texts:  # a leaf: one join
            self.pieces.append("{" + inner + ("," + inner).join(
                [f"{_key(k)}: {t}" for (k, _v), t in zip(items, texts)]) + outer + "}")
            return
        pieces = self.pieces
        pieces.append("{")
        for n, ((k, v), text) in enumerate(zip(items, texts)):
            pieces.append(("," + inner if n else inner) + _key(k) + ": ")
            if text is None:
                self.value(v, level + 1)
            else:
                pieces.append(text)
            if len(pieces) > FLUSH:
                self.flush()
        pieces.append(outer + "}")

    def sequence(self, value, level: int) -> None:
        if not value:
            self.pieces.append("[]")
            return
        inner, outer = "\n" + INDENT * (level + 1), "\n" + INDENT * level
        texts = [_scalar(v) for v in value]
        if None not in texts:
            self.pieces.append("[" + inner + ("," + inner).join(texts) + outer + "]")
            return
        pieces = self.pieces
        pieces.append("[")
        for n, (v, text) in enumerate(zip(value, texts)):
            pieces.append("," + inner if n else inner)
            if text is None:
                self.value(v, level + 1)
            else:
                pieces.append(text)
            if len(pieces) > FLUSH:
                self.flush()
        pieces.append(outer + "]")


def write_json(value, out: TextIO) -> None:
    """Writes `value` as indented JSON (see the module's docstring), then a newline."""
    writer = _Writer(out)
    writer.value(value, 0)
    writer.pieces.append("\n")
    writer.flush()
