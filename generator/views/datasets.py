"""The data page: each dataset of the published open data package, for people.

Everything here is read from the package's own files (`datapackage.json` and the files it lists),
exactly as they are published, so the page can never say something the package does not.
"""

from __future__ import annotations

import csv
import io
import json

PACKAGE = "data/datapackage.json"


def datasets(files: dict[str, bytes], url, size) -> dict:
    """What the data page shows: the package's title, licences and address, and per resource its
    name, description, rows (for a table), size, schema and how to open it.

    `files`: the published files by site path; `url(path)`: a site path's absolute address;
    `size(n)`: a byte count as words ("12.3 kB")."""
    package = json.loads(files[PACKAGE])
    licences = package.get("licenses") or []
    result = []
    for resource in package.get("resources", []):
        path = f"data/{resource['path']}"
        content = files.get(path, b"")
        tabular = resource.get("format") == "csv"
        twin = f"data/{resource['name']}.json"
        result.append({
            "name": resource["name"],
            "title": resource.get("title") or resource["name"],
            "description": resource.get("description", ""),
            "path": resource["path"],
            "format": resource.get("format", ""),
            "url": url(path),
            "rows": _rows(content) if tabular else None,
            "size": size(len(content)),
            "licenses": resource.get("licenses") or licences,
            "fields": (resource.get("schema") or {}).get("fields", []),
            "primary_key": (resource.get("schema") or {}).get("primaryKey", []),
            "json": twin.removeprefix("data/") if tabular and twin in files else "",
        })
    return {"title": package.get("title", ""), "licenses": licences, "created": package.get("created", ""),
            "package_url": url(PACKAGE), "package_size": size(len(files[PACKAGE])), "datasets": result}


def _rows(content: bytes) -> int:
    """Records in a CSV file, header left out (a quoted value may hold a line break)."""
    return max(sum(1 for _ in csv.reader(io.StringIO(content.decode("utf-8")))) - 1, 0)


def byte_size(n: int, number) -> str:
    """A file size in bytes, kB or MB (powers of 1000, as browsers and file managers show them);
    `number(value, decimals)` formats in the site's language."""
    if n < 1000:
        return f"{number(n)} B"
    if n < 1_000_000:
        return f"{number(n / 1000, 1)} kB"
    return f"{number(n / 1_000_000, 1)} MB"
