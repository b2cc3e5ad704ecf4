"""Safe, position-aware YAML loading.

PyYAML's safe loader still expands aliases (the "billion laughs" shape), silently keeps the last
of two duplicate keys and turns dates and floats into Python objects. Data files come from pull
requests and forks, so we compose the node tree ourselves and convert it with stricter rules,
remembering where every key and value sits so errors can point at the user's line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import yaml

from ..errors import Finding

MAX_BYTES = 1_000_000
MAX_NODES = 50_000
MAX_DEPTH = 40
MAX_DECIMALS = 15  # of a number written in a file (money is written as text: its currency bounds it)

Path_ = tuple  # a path into the data: keys and list indexes

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


@dataclass
class YamlDoc:
    """Loaded data plus where each value (and each mapping key) starts in the file."""

    data: object
    values: dict = field(default_factory=dict)  # path -> (line, col) of the value
    keys: dict = field(default_factory=dict)  # path -> (line, col) of the key naming it
    raw: dict = field(default_factory=dict)  # path -> source text of plain scalars
    # Set when the positions were left out (a parsing worker drops them rather than copy them
    # back for thousands of files): parses the file again, the first time a position is asked.
    reparse: object = field(default=None, repr=False, compare=False)
    # The paths the schema refused, cut from a salvaged document (see salvage.py): already
    # reported, so a builder's checks across keys leave them alone.
    cut: frozenset = field(default=frozenset(), repr=False, compare=False)

    def where(self, path: Path_, key: bool = False) -> tuple[int, int]:
        """Position of `path`, falling back to the nearest enclosing value."""
        path = tuple(path)
        if self.reparse is not None and not (not key and path in self.values):  # a kept position needs no parse
            fresh, self.reparse = self.reparse(), None
            if fresh is not None:
                self.values, self.keys, self.raw = fresh.values, fresh.keys, fresh.raw
        table = self.keys if key else self.values
        while True:
            if path in table:
                return table[path]
            if key and path in self.values:
                return self.values[path]
            if not path:
                return (1, 1)
            path = path[:-1]


class _Refused(Exception):
    def __init__(self, mark, message: str):
        self.mark = mark
        self.message = message


class _StrictLoader(yaml.SafeLoader):
    """Composes nodes only; refuses anchors and aliases before they can expand."""

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _Refused(event.start_mark, _ALIAS_MESSAGE)
        return super().compose_node(parent, index)


_ALIAS_MESSAGE = "YAML anchors and aliases (& and *) are not accepted: write the value out in full"
_FAST = getattr(yaml, "CSafeLoader", None)  # libyaml, when PyYAML was built with it


def _compose(text: str):
    """The document's node tree, refusing anchors and aliases before anything expands them.

    With libyaml, a first pass over the events finds any anchor or alias, then the C composer
    builds the nodes (it keeps line and column marks); without it, the pure-Python
    composer checks each node as it goes.
    """
    if _FAST is None:
        loader = _StrictLoader(text)
        try:
            return loader.get_single_node()
        finally:
            loader.dispose()
    # An anchor is written with '&' and an alias with '*': a text with neither has none, and
    # most data files skip this pass (it costs as much as composing).
    if "&" in text or "*" in text:
        for event in yaml.parse(text, Loader=_FAST):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise _Refused(event.start_mark, _ALIAS_MESSAGE)
    return yaml.compose(text, Loader=_FAST)


def _pos(mark, line_offset: int) -> tuple[int, int]:
    return (mark.line + 1 + line_offset, mark.column + 1)


class _Converter:
    def __init__(self, path: str, line_offset: int):
        self.path = path
        self.offset = line_offset
        self.doc = YamlDoc(None)
        self.findings: list[Finding] = []
        self.count = 0

    def fail(self, mark, message: str) -> None:
        line, col = _pos(mark, self.offset)
        self.findings.append(Finding(self.path, line, col, message))

    def convert(self, node, path: Path_, depth: int):
        self.count += 1
        if self.count > MAX_NODES or depth > MAX_DEPTH:
            raise _Refused(node.start_mark, "file is too large or too deeply nested")
        self.doc.values[path] = _pos(node.start_mark, self.offset)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ:
                self.fail(node.start_mark, f"unsupported YAML tag {node.tag!r}: use a plain list")
            return [self.convert(item, path + (i,), depth + 1) for i, item in enumerate(node.value)]
        return self._scalar(node, path)

    def _mapping(self, node, path: Path_, depth: int) -> dict:
        if node.tag != _MAP:
            self.fail(node.start_mark, f"unsupported YAML tag {node.tag!r}: use a plain mapping")
        result: dict = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in (_STR, _INT, _BOOL):
                self.fail(key_node.start_mark, "mapping keys must be plain text")
                continue
            key = key_node.value
            if key in result:
                first = self.doc.keys[path + (key,)][0]
                self.fail(
                    key_node.start_mark,
                    f"duplicate key '{key}' (first defined on line {first}): keep only one",
                )
                continue
            self.doc.keys[path + (key,)] = _pos(key_node.start_mark, self.offset)
            result[key] = self.convert(value_node, path + (key,), depth + 1)
        return result

    def _scalar(self, node, path: Path_):
        tag, text = node.tag, node.value
        if not node.style:  # plain (unquoted) scalars: None from PyYAML, "" from libyaml
            self.doc.raw[path] = text
        if tag == _STR:
            return text
        if tag == _NULL:
            return None
        if tag == _BOOL:
            return text.lower() in ("true", "yes", "on", "y")
        if tag == _INT:
            digits = text.replace("_", "")
            try:
                return int(digits, 10)
            except ValueError:
                pass
            try:
                return int(digits, 0)
            except ValueError:
                if ":" in text:  # YAML 1.1 reads 19:00 as a base-60 number
                    self.fail(node.start_mark, f"'{text}' reads as a base-60 number in YAML: quote it (\"{text}\") "
                                               "to write a time of day")
                else:
                    self.fail(node.start_mark, f"'{text}' is not a valid integer")
                return None
        if tag == _FLOAT:
            # Keep the exact text: money must never pass through a binary float.
            try:
                number = Decimal(text.replace("_", ""))
            except InvalidOperation:
                number = None
            if number is None or not number.is_finite():
                self.fail(node.start_mark, f"'{text}' is not a finite decimal number")
                return None
            if number and number.normalize().as_tuple().exponent < -MAX_DECIMALS:
                # exact arithmetic on such a number (a reward's decay, month after month) never ends
                self.fail(node.start_mark, f"'{text[:40]}' has more than {MAX_DECIMALS} decimals: no figure needs "
                                           f"them; round it to {MAX_DECIMALS} at most")
                return None
            return number
        if tag == _TIMESTAMP:
            return text  # dates stay ISO 8601 text; the schemas check their form
        self.fail(node.start_mark, f"unsupported YAML tag {tag!r}: only plain values are accepted")
        return None


def load_yaml(text: str, path: str, line_offset: int = 0) -> tuple[YamlDoc | None, list[Finding]]:
    """Parse one YAML document. Returns the document (None when unusable) and its findings."""
    if len(text.encode("utf-8")) > MAX_BYTES:
        return None, [Finding(path, 1, 1, f"file is larger than {MAX_BYTES // 1000} kB")]
    converter = _Converter(path, line_offset)
    try:
        node = _compose(text)
        if node is None:
            converter.doc.data = None
        else:
            converter.doc.data = converter.convert(node, (), 0)
    except _Refused as refused:
        converter.fail(refused.mark, refused.message)
        return None, converter.findings
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        line, col = _pos(mark, line_offset) if mark else (1 + line_offset, 1)
        return None, [Finding(path, line, col, f"invalid YAML: {problem}")]
    except yaml.YAMLError as exc:
        return None, [Finding(path, 1 + line_offset, 1, f"invalid YAML: {exc}")]
    except RecursionError:  # the pure-Python composer, on flow collections nested thousands deep
        return None, [Finding(path, 1 + line_offset, 1, "file is too large or too deeply nested")]
    return converter.doc, converter.findings
