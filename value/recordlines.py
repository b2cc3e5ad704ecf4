"""A report's contribution records as JSON Lines: one record a line, written as they are made.

What `commonplace value --records FILE|-` writes (docs/value-json.md, "Contribution records"):
a large history has hundreds of thousands of records, so they are not part of the JSON report
the command prints; each line is an object with the record's seven fields in Record's order,

    {"date": "2026-01-05", "person": "ana", "kind": "commit", "dimension": "objective_accomplishment",
     "weight": 1.0, "source": "<sha>", "landed": "2026-01-07"}

first the people's records (the report's `contributions`), then the bots' with `"bot": true`
(`bot_contributions`), then the cred records as of each reward plan's end with
`"as_of": "YYYY-MM-DD"` (`cred_as_of`), each set in the report's order. The same bytes as
`json.dumps(record, ensure_ascii=False)` of each, made without a call per record.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring  # the JSON string of a str, quotes included, non-ASCII kept
from typing import Iterable, Iterator, TextIO

from .report_types import Columns, Report

FIELDS = ("date", "person", "kind", "dimension", "weight", "source", "landed")
CHUNK = 4096  # lines per write


def _number(value) -> str:
    """A weight as `json.dumps` writes it (the report's weights are finite floats)."""
    if value is True or value is False or value is None:
        return "true" if value is True else "false" if value is False else "null"
    return float.__repr__(value) if type(value) is float else repr(value)


def _lines(columns: Columns, tail: str) -> Iterator[str]:
    if not columns:
        return
    dates = columns["date"]
    landed = columns.get("landed") or dates  # a report of schema /3 lands each record on its date
    s = encode_basestring
    for day, person, kind, dimension, weight, source, arrived in zip(
            dates, columns["person"], columns["kind"], columns["dimension"], columns["weight"], columns["source"],
            landed):
        yield (f'{{"date": {s(day)}, "person": {s(person)}, "kind": {s(kind)}, "dimension": {s(dimension)}, '
               f'"weight": {_number(weight)}, "source": {s(source)}, "landed": {s(arrived)}{tail}}}\n')


def record_lines(report: Report) -> Iterator[str]:
    """Every record of the report as a line of JSON (with its newline), in the order above."""
    yield from _lines(report.contributions, "")
    yield from _lines(report.bot_contributions, ', "bot": true')
    for day in sorted(report.cred_as_of):
        yield from _lines(report.cred_as_of[day], f', "as_of": {encode_basestring(day)}')


def write_records(report: Report, out: TextIO) -> int:
    """Writes `record_lines` to `out` a chunk of lines at a time; returns how many records."""
    count, chunk = 0, []
    for line in record_lines(report):
        chunk.append(line)
        if len(chunk) == CHUNK:
            out.write("".join(chunk))
            count += len(chunk)
            chunk.clear()
    out.write("".join(chunk))
    return count + len(chunk)


def read_records(lines: Iterable[str]) -> dict:
    """`record_lines`' lines read back as the report's columns: {"contributions": columns,
    "bot_contributions": columns, "cred_as_of": {day: columns}} (what `Report.from_json` takes)."""
    def columns() -> dict:
        return {field: [] for field in FIELDS}

    people, bots, as_of = columns(), columns(), {}
    for line in lines:
        if not line.strip():
            continue
        record = json.loads(line)
        target = bots if record.get("bot") else as_of.setdefault(record["as_of"], columns()) if "as_of" in record \
            else people
        for field in FIELDS:
            target[field].append(record[field])
    return {"contributions": people, "bot_contributions": bots, "cred_as_of": as_of}
