"""Light federation (`mode: data`): read the open data a peer publishes, as hostile input.

Read: `data/datapackage.json` (a Frictionless data package) and every CSV / JSON resource it
lists, from a local folder or from a branch of the peer's mirror (e.g. `gh-pages`).

What is taken from it (the figures are the peer's own, shown as *self-reported*):
- the profile: a JSON resource named `community` holding the keys of `community.yaml` (only the
  keys `community.schema.json` knows are read, and they are validated with it); without one,
  the package's `title`, first licence and those `keywords` that are areas of activity;
- the value dimensions: a JSON resource whose object has `dimensions`
  (`{dimension: {indicator: value}}`, as `commonplace value --format json` prints), or a CSV
  resource with the columns `dimension`, `indicator`, `value` and optionally `part` (a figure
  per currency or part, one row each) and `month` (rows with a month are skipped: only the
  overall figures are read) — the `indicators` table our own portal publishes;
- contributors: the number of rows of a resource named `contributors`.

Hostile input: every file is bounded in size (and the package in resources and rows); a
resource path must be a relative path inside `data/` (no URL, no absolute path, no `..`, no
backslash) and is read without following links; JSON refuses NaN / Infinity, duplicate keys
and deep nesting; numbers are read as exact integers or decimals (no NaN or Infinity, at most
18 digits each side of the point, an exponent only within +-30), and a CSV cell that its table
schema says is an integer or a number must be one. Any problem is a finding and the
peer is left out.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import stat
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path, PurePosixPath

from value.registry import DIMENSIONS

from ..errors import Findings
from ..load.reader import FileReader
from ..load.validate import validate
from ..load.yamlsafe import YamlDoc
from .addresses import address_problem
from .scrub import holds_address, scrubbed, without_addresses

PACKAGE = "data/datapackage.json"
MAX_FILE = 5_000_000
MAX_TOTAL = 20_000_000
MAX_RESOURCES = 200
MAX_ROWS = 200_000
MAX_DEPTH = 32
PROFILE_KEYS = ("name", "tagline", "mission", "license", "data_license", "areas", "governance", "legal_form",
                "economic_model", "scope", "location", "founded", "links")

_INT = re.compile(r"^-?(0|[1-9][0-9]{0,17})$")
_DEC = re.compile(r"^-?(0|[1-9][0-9]{0,17})(\.[0-9]{1,18})?([eE][+-]?[0-9]{1,2})?$")
MAX_EXPONENT = 30  # 1e-30 .. 1e30: what a float written by Python (`repr`) needs, and no more
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


class LocalDataReader(FileReader):
    """`FileReader` for a local folder, with `read_bytes` and a larger bound for data files."""

    def __init__(self, root: Path, findings: Findings, max_bytes: int = MAX_FILE):
        super().__init__(root, findings)
        self.max_bytes = max_bytes

    def read_bytes(self, rel: str) -> bytes | None:
        if not self._is_plain(rel):
            return None
        path = self.root / rel
        if not path.resolve().is_relative_to(self.root.resolve()):
            self.findings.error(rel, 1, 1, "is outside the peer's folder: not read")
            return None
        info = os.lstat(path)
        if not stat.S_ISREG(info.st_mode):
            return None
        if info.st_size > self.max_bytes:
            self.findings.error(rel, 1, 1, f"file is larger than {self.max_bytes // 1000} kB")
            return None
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as handle:
            return handle.read(self.max_bytes + 1)[: self.max_bytes]


@dataclass(frozen=True)
class OpenData:
    """What a data-mode peer publishes about itself (all of it self-reported).

    profile: the keys of `community.yaml` that were found (areas as a tuple). dimensions:
    `{dimension: {indicator: value}}` with values int, Decimal, or a dict of those (by kind or
    currency). contributors: rows of the `contributors` resource, None without one. commit:
    the commit its figures were computed at, when the package says. homepage: the portal's
    address as the package gives it (only an address `addresses.address_problem` accepts).
    """

    title: str
    profile: dict = field(default_factory=dict)
    dimensions: dict = field(default_factory=dict)
    contributors: int | None = None
    resources: tuple[str, ...] = ()
    commit: str = ""
    homepage: str = ""


class _Bad(ValueError):
    pass


def _reject_constant(name: str):
    raise _Bad(f"'{name}' is not a number JSON allows")


def _no_duplicates(pairs):
    result = {}
    for key, value in pairs:
        if key in result:
            raise _Bad(f"key '{key}' appears twice")
        result[key] = value
    return result


def _depth(value, level: int = 0) -> int:
    if level > MAX_DEPTH:
        raise _Bad(f"nested more than {MAX_DEPTH} levels deep")
    if isinstance(value, dict):
        return max((_depth(v, level + 1) for v in value.values()), default=level)
    if isinstance(value, list):
        return max((_depth(v, level + 1) for v in value), default=level)
    return level


def _decimal(text: str) -> Decimal:
    if not _DEC.match(text):
        raise _Bad(f"'{text[:40]}' is not an exact decimal number")
    value = Decimal(text)
    if value and abs(value.adjusted()) > MAX_EXPONENT:
        raise _Bad(f"'{text[:40]}' is out of range (exponent above {MAX_EXPONENT})")
    return value


def _int(text: str) -> int:
    if not _INT.match(text):
        raise _Bad(f"'{text[:40]}' is not a whole number")
    return int(text)


def strict_json(data: bytes):
    """JSON with exact numbers: ints, Decimals for fractions; no NaN, Infinity, exponents above
    18 digits, duplicate keys or nesting deeper than MAX_DEPTH. Raises ValueError."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _Bad("is not valid UTF-8 text") from None

    try:
        value = json.loads(text, parse_constant=_reject_constant, parse_float=_decimal, parse_int=_int,
                           object_pairs_hook=_no_duplicates)
    except RecursionError:
        raise _Bad(f"nested more than {MAX_DEPTH} levels deep") from None
    except json.JSONDecodeError as exc:
        raise _Bad(f"is not valid JSON: {exc.msg} (line {exc.lineno})") from None
    _depth(value)
    return value


def safe_resource_path(path) -> str:
    """`data/<path>` for a resource path that stays inside `data/`; raises ValueError otherwise."""
    if not isinstance(path, str) or not path or len(path) > 200:
        raise _Bad("a resource 'path' must be one relative file path (text)")
    if "://" in path or path.startswith(("/", "~")) or "\\" in path or ":" in path or "\0" in path:
        raise _Bad(f"resource path '{path[:80]}' must be a relative path inside data/")
    parts = PurePosixPath(path).parts
    if any(p in ("..", ".") for p in parts) or not parts:
        raise _Bad(f"resource path '{path[:80]}' leaves data/: only files inside data/ are read")
    return "data/" + "/".join(parts)


def _cell(text: str, kind: str):
    if text == "":
        return None
    if kind == "integer":
        return _int(text)
    if kind == "number":
        return _decimal(text)
    if kind == "boolean":
        if text not in ("true", "false"):
            raise _Bad(f"'{text[:40]}' is not true or false")
        return text == "true"
    return text


def strict_csv(data: bytes, fields: list[tuple[str, str]] | None) -> list[dict]:
    """Rows of a CSV file as dicts; cells typed by the table schema's (name, type) pairs
    (integer, number, boolean strictly; anything else as text). Raises ValueError."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _Bad("is not valid UTF-8 text") from None
    try:
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        header = next(reader, None)
        if header is None:
            return []
        if fields is not None and header != [name for name, _ in fields]:
            raise _Bad(f"the header ({', '.join(header)[:120]}) differs from the table schema's fields")
        kinds = dict(fields or ())
        rows = []
        for n, row in enumerate(reader, 2):
            if len(rows) >= MAX_ROWS:
                raise _Bad(f"more than {MAX_ROWS} rows")
            if len(row) != len(header):
                raise _Bad(f"row {n} has {len(row)} cells, the header {len(header)}")
            try:
                rows.append({name: _cell(value, kinds.get(name, "string")) for name, value in zip(header, row)})
            except _Bad as exc:
                raise _Bad(f"row {n}: {exc}") from None
        return rows
    except csv.Error as exc:
        raise _Bad(f"is not valid CSV: {exc}") from None


def _figure(value):
    """An indicator value kept as it is if it is a number or a small mapping of numbers."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, Decimal)):
        return value
    if isinstance(value, str) and _DEC.match(value):
        return _decimal(value)
    if isinstance(value, dict) and len(value) <= 50:
        inner = {str(k)[:64]: _figure(v) for k, v in value.items()}
        return {k: v for k, v in inner.items() if v is not None and not isinstance(v, dict)} or None
    return None


def _dimensions(obj) -> dict:
    if not isinstance(obj, dict):
        raise _Bad("'dimensions' must be a mapping of dimension to indicators")
    result = {}
    for dim in DIMENSIONS:
        indicators = obj.get(dim)
        if indicators is None:
            continue
        if not isinstance(indicators, dict) or len(indicators) > 100:
            raise _Bad(f"'dimensions.{dim}' must be a mapping of at most 100 indicators")
        kept = {str(k)[:64]: _figure(v) for k, v in indicators.items()}
        result[dim] = {k: v for k, v in sorted(kept.items()) if v is not None}
    return result


def _profile(obj, rel: str, findings: Findings) -> dict:
    if not isinstance(obj, dict):
        raise _Bad("the community profile must be a JSON object")
    data = {k: obj[k] for k in PROFILE_KEYS if k in obj}
    problems = validate("community", YamlDoc(data=data), rel)
    if problems:
        findings.extend(problems)
        raise _Bad("the community profile does not follow community.schema.json")
    if "areas" in data:
        data["areas"] = tuple(data["areas"])
    return data


def read_open_data(reader, findings: Findings) -> OpenData | None:
    """Read and check a peer's `data/` through `reader` (`read_bytes(rel)`: a `GitTreeReader` or
    a `LocalDataReader`); problems go to `findings` (paths relative to the peer) and give None."""
    raw = reader.read_bytes(PACKAGE)
    if raw is None:
        if not findings.errors:
            findings.error(PACKAGE, 1, 1, "no data/datapackage.json: build and publish the peer's portal first")
        return None
    current = PACKAGE  # the file a problem found is reported at
    try:
        package = strict_json(raw)
        if not isinstance(package, dict):
            raise _Bad("must be a JSON object (a Frictionless data package)")
        resources = package.get("resources", [])
        if not isinstance(resources, list) or len(resources) > MAX_RESOURCES:
            raise _Bad(f"'resources' must be a list of at most {MAX_RESOURCES} resources")
        total = len(raw)
        found = _Found()
        for i, res in enumerate(resources):
            current = PACKAGE
            name = _resource_name(res, i)
            rel = safe_resource_path(res.get("path"))
            current = rel
            data = reader.read_bytes(rel)
            if data is None:
                if not findings.errors:
                    findings.error(rel, 1, 1, f"resource '{name}' is listed in datapackage.json but cannot be read")
                return None
            total += len(data)
            if total > MAX_TOTAL:
                raise _Bad(f"the data package is larger than {MAX_TOTAL // 1_000_000} MB in all")
            found.names.append(name)
            found.read(name, res, rel, data, findings)
        return found.open_data(package)
    except ValueError as exc:  # _Bad and any number conversion
        findings.error(current, 1, 1, str(exc))
        return None


def _resource_name(res, i: int) -> str:
    """The `name` of the package's resource number `i` (from 0), checked."""
    if not isinstance(res, dict):
        raise _Bad(f"resource {i + 1} must be an object")
    name = res.get("name", "")
    if not isinstance(name, str) or not _NAME.match(name):
        raise _Bad(f"resource {i + 1} needs a 'name' of letters, digits, '.', '_' or '-'")
    return name


@dataclass
class _Found:
    """What a peer's resources say about it, gathered one resource at a time."""

    profile: dict = field(default_factory=dict)
    dimensions: dict = field(default_factory=dict)
    contributors: int | None = None
    commit: str = ""
    names: list[str] = field(default_factory=list)

    def read(self, name: str, res: dict, rel: str, data: bytes, findings: Findings) -> None:
        """Take what the resource `name` (its entry `res`, its bytes `data` from `rel`) tells."""
        fmt = str(res.get("format", "")).lower() or rel.rsplit(".", 1)[-1].lower()
        if fmt == "json":
            self._read_json(name, strict_json(data), rel, findings)
        elif fmt == "csv":
            self._read_csv(name, strict_csv(data, _fields(res)))

    def _read_json(self, name: str, content, rel: str, findings: Findings) -> None:
        if name == "community":
            self.profile = _profile(content, rel, findings)
        elif isinstance(content, dict) and "dimensions" in content:
            self.dimensions = _dimensions(content["dimensions"])
            source = content.get("source")
            if isinstance(source, dict) and isinstance(source.get("commit"), str):
                self.commit = source["commit"][:64]
            if name == "contributors" and isinstance(content.get("contributors"), list):
                self.contributors = len(content["contributors"])
        elif name == "contributors" and isinstance(content, list):
            self.contributors = len(content)

    def _read_csv(self, name: str, rows: list[dict]) -> None:
        if name == "contributors":
            self.contributors = len(rows)
        elif (rows and {"dimension", "indicator", "value"} <= set(rows[0]) and "community" not in rows[0]
              and not self.dimensions):  # a directory's figures name other communities: not its own
            self.dimensions = _dimensions(_figures_table(rows))

    def open_data(self, package: dict) -> OpenData:
        title = package.get("title", "")
        title = title[:200] if isinstance(title, str) else ""
        profile = self.profile or _fallback_profile(package)
        homepage = _homepage(package)
        # someone else's data: nothing in it that reads as an e-mail address is kept (see scrub.py)
        return OpenData(without_addresses(title), scrubbed(profile), scrubbed(self.dimensions), self.contributors,
                        tuple(self.names), "" if holds_address(self.commit) else self.commit,
                        "" if holds_address(homepage) else homepage)


def _figures_table(rows: list[dict]) -> dict:
    """{dimension: {indicator: value or {part: value}}} from the rows of an `indicators` table
    (monthly rows and unknown dimensions left out)."""
    table: dict = {}
    for row in rows:
        if row.get("month") or row["dimension"] not in DIMENSIONS:
            continue
        value = _figure(row["value"] if not isinstance(row["value"], str) else row["value"].strip())
        if value is None:
            continue
        indicators = table.setdefault(row["dimension"], {})
        key = str(row["indicator"])[:64]
        if row.get("part"):  # a figure per currency or per part: one row each
            parts = indicators.setdefault(key, {})
            if isinstance(parts, dict):
                parts[str(row["part"])[:64]] = value
        else:
            indicators[key] = value
    return table


def _homepage(package: dict) -> str:
    homepage = package.get("homepage")
    return homepage if isinstance(homepage, str) and homepage and not address_problem(homepage) else ""


def _fields(res: dict) -> list[tuple[str, str]] | None:
    schema = res.get("schema")
    if not isinstance(schema, dict) or not isinstance(schema.get("fields"), list):
        return None
    fields = []
    for f in schema["fields"]:
        if not isinstance(f, dict) or not isinstance(f.get("name"), str):
            raise _Bad("every field of a table schema needs a 'name'")
        fields.append((f["name"], str(f.get("type", "string"))))
    return fields


def _fallback_profile(package: dict) -> dict:
    from ..load.validate import validator

    areas_enum = set(validator("community").schema["properties"]["areas"]["items"]["enum"])
    profile: dict = {}
    licenses = package.get("licenses")
    if isinstance(licenses, list) and licenses and isinstance(licenses[0], dict):
        name = licenses[0].get("name")
        if isinstance(name, str) and len(name) < 100:
            profile["license"] = name
    keywords = package.get("keywords")
    if isinstance(keywords, list):
        areas = tuple(k for k in keywords if isinstance(k, str) and k in areas_enum)
        if areas:
            profile["areas"] = areas
    return profile
