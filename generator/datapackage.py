"""The open data format: a table as CSV and JSON, described by a Frictionless data package.

Views build the tables from what the site shows (people already passed through their
visibility), so the open data can never say more about a person than the pages do; rendering
turns them into the site's `data/` files. Both import this module, which imports neither.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from .sitefiles import SiteFiles

# Frictionless field types by the Python values the tables hold.
FIELD_TYPES = ("string", "integer", "number", "date", "datetime", "boolean")


# `json.dumps(rows, indent=1, sort_keys=True, ensure_ascii=False)`, which runs Python's
# pure-Python encoder (the C one takes no indent): for rows of plain values, each row is
# encoded by the C encoder with the indented layout as its separator, and the rows are joined.
_ROW = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",\n  ", ": "))


def rows_json(rows: list[dict]) -> str:
    """A list of flat rows as JSON with one-space indentation, keys sorted, text as written."""
    if any(isinstance(value, (dict, list, tuple)) for row in rows for value in row.values()):
        return json.dumps(rows, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    if not rows:
        return "[]\n"
    parts = [" {\n  " + _ROW.encode(row)[1:-1] + "\n }" if row else " {}" for row in rows]
    return "[\n" + ",\n".join(parts) + "\n]\n"


@dataclass
class Table:
    name: str  # resource name and file stem: lowercase, digits and '-'
    title: str
    description: str
    fields: list[tuple[str, str, str]]  # (name, frictionless type, description)
    rows: list[dict] = field(default_factory=list)
    primary_key: list[str] = field(default_factory=list)

    def cell(self, value) -> str:
        if value is None:
            return ""
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, float):
            return repr(round(value, 6))
        if isinstance(value, (date, Decimal, int)):
            return str(value) if not isinstance(value, date) else value.isoformat()
        return str(value)

    def csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([f[0] for f in self.fields])
        for row in self.rows:
            writer.writerow([self.cell(row.get(name)) for name, _, _ in self.fields])
        return out.getvalue()

    def json(self) -> str:
        def plain(value):
            if isinstance(value, Decimal):
                return str(value)
            if isinstance(value, date):
                return value.isoformat()
            if isinstance(value, float):
                return round(value, 6)
            return value

        rows = [{name: plain(row.get(name)) for name, _, _ in self.fields} for row in self.rows]
        return rows_json(rows)

    def resource(self, content: str = "") -> dict:
        """The table's entry in datapackage.json; with its CSV `content`, its sha256 `hash`, so
        that the package changes whenever a table does (a reader can then ask for the package
        alone, conditionally, and know whether anything changed)."""
        schema = {"fields": [{"name": n, "type": t, "description": d} for n, t, d in self.fields]}
        if self.primary_key:
            schema["primaryKey"] = self.primary_key
        entry = {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "path": f"{self.name}.csv",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "profile": "tabular-data-resource",
            "schema": schema,
        }
        if content:
            entry["hash"] = sha256(content)
        return entry


def sha256(text: str) -> str:
    """A resource's `hash` as Frictionless writes it."""
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def add_open_data(files: SiteFiles, tables: list[Table], *, name: str, title: str, license_id: str,
                  homepage: str, created: str, profile: dict, keywords: list[str],
                  federation: dict, documents: tuple = ()) -> None:
    """Add every table as CSV and JSON, the community profile, the federation (its peers, for
    discovery) and `datapackage.json` to `files` (the site's files in memory: publishing writes
    them).

    The profile (the public keys of community.yaml) lets a directory that federates in data
    mode show this community without mining its history; `data/federation.json` lets it find
    this node's peers. `documents`: more JSON resources, as (name, title, description,
    content) (the sustainability advice).
    """
    resources = []
    for table in tables:
        content = table.csv()
        files.add(f"data/{table.name}.csv", content)
        files.add(f"data/{table.name}.json", table.json())
        resources.append(table.resource(content))
    community = json.dumps(profile, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    files.add("data/community.json", community)
    peers = json.dumps(federation, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    files.add("data/federation.json", peers)
    texts = {doc_name: json.dumps(content, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
             for doc_name, _title, _description, content in documents}
    for doc_name, text in texts.items():
        files.add(f"data/{doc_name}.json", text)
    package = {
        "profile": "data-package",
        "name": name,
        "title": title,
        "homepage": homepage,
        "created": created,
        "keywords": keywords,
        "licenses": [{"name": license_id, "path": f"https://spdx.org/licenses/{license_id}.html"}],
        "resources": resources + [{
            "name": "community", "path": "community.json", "format": "json", "mediatype": "application/json",
            "title": "Community profile", "description": "Who the community is: the public keys of community.yaml.",
            "hash": sha256(community),
        }, {
            "name": "federation", "path": "federation.json", "format": "json", "mediatype": "application/json",
            "title": "Federation", "description": "This node's peers, their relation and the address of their "
            "published portal, for discovery (schema commonplace.federation/1).",
            "hash": sha256(peers),
        }] + [{"name": doc_name, "path": f"{doc_name}.json", "format": "json", "mediatype": "application/json",
               "title": title, "description": description, "hash": sha256(texts[doc_name])}
              for doc_name, title, description, _content in documents],
    }
    files.add("data/datapackage.json", json.dumps(package, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
