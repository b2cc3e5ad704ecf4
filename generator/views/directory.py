"""The directory a node republishes as open data: every community it knows, with its profile and
headline figures, and every figure of the five dimensions, as tables."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ..datapackage import Table
from ..federation.scrub import holds_address

HEADLINE_FIGURES = (
    ("active_contributors", "community_building", "Active contributors (self-reported for peers)"),
    ("commits", "objective_accomplishment", "Commits"),
    ("downloads", "social_use_value", "Downloads reported as usage"),
    ("kudos", "reputation", "Kudos given"),
)


def directory_tables(rows: list[dict], own_name: str) -> list[Table]:
    """The combined dataset a directory node republishes: `directory` (one row per community:
    profile, area, where it was read and one headline figure per dimension that has a single
    number) and `directory-figures` (every figure of the five dimensions, one row each, in the
    shape of the `indicators` table).

    `rows`: `federation.directory_rows` (this node first). A community is named by its peer
    name, this node by `own_name`."""
    directory = Table(
        "directory", "Directory of communities",
        "Every community this node knows (itself, its peers and those discovered through them), with "
        "their profile and headline figures. Peers' figures are their own, self-reported or computed "
        "from their history.",
        [("community", "string", "Identifier (this node: its data package name; a peer: its name)"),
         ("title", "string", "Name"),
         ("this_node", "boolean", "This node itself"),
         ("relation", "string", "upstream, fork or peer"),
         ("mode", "string", "git (history read) or data (published data read)"),
         ("depth", "integer", "0 this node, 1 a declared peer, 2+ discovered through peers"),
         ("portal", "string", "Address of its published portal, when known"),
         ("as_of", "date", "Day its data was read (empty: read at this build)"),
         ("self_reported", "boolean", "Figures read from the data it publishes itself"),
         ("stale", "boolean", "Its last read failed: this is an older copy"),
         ("tagline", "string", "Tagline"),
         ("areas", "string", "Areas of activity, separated by spaces"),
         ("scope", "string", "Scope"),
         ("license", "string", "License of its work"),
         ("location", "string", "Location")]
        + [(key, "number", f"{label} ({dimension})") for key, dimension, label in HEADLINE_FIGURES],
        primary_key=["community"],
    )
    figures = Table(
        "directory-figures", "Figures of every community",
        "The five value dimensions of every community in the directory, one figure a row (a figure per "
        "currency or kind has a part).",
        [("community", "string", "Identifier, as in directory"),
         ("dimension", "string", "Value dimension"),
         ("indicator", "string", "Indicator"),
         ("part", "string", "Currency or kind, for a figure split in parts"),
         ("value", "number", "Value")],
        primary_key=["community", "dimension", "indicator", "part"],
    )
    for row in rows:
        key = own_name if row["this"] else row["name"]
        profile = row["profile"]
        dims = row.get("dimensions") or {}
        entry = {
            "community": key, "title": row["title"], "this_node": bool(row["this"]), "relation": row["relation"],
            "mode": row["mode"], "depth": row.get("depth", 0), "portal": row.get("portal", ""),
            "as_of": _day(row.get("as_of", "")), "self_reported": bool(row["self_reported"]),
            "stale": bool(row["stale"]), "tagline": profile.tagline, "areas": " ".join(profile.areas),
            "scope": profile.scope, "license": profile.license, "location": profile.location,
        }
        for name, dimension, _label in HEADLINE_FIGURES:
            entry[name] = _number(dims.get(dimension, {}).get(name))
        directory.rows.append(entry)
        for dimension in sorted(dims):
            indicators = dims[dimension] if isinstance(dims[dimension], dict) else {}
            for indicator in sorted(indicators):
                value = indicators[indicator]
                parts = value.items() if isinstance(value, dict) else [("", value)]
                for part, figure in sorted(parts, key=lambda p: str(p[0])):
                    number = _number(figure)
                    if not row["this"] and (holds_address(indicator) or holds_address(str(part))):
                        continue  # a peer's breakdown by person: scrubbed when read, never republished
                    if number is not None:
                        figures.rows.append({"community": key, "dimension": dimension, "indicator": indicator,
                                             "part": str(part), "value": number})
    return [directory, figures]


def _number(value):
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, Decimal)):
        return value
    if isinstance(value, float):
        return value if value == value and value not in (float("inf"), float("-inf")) else None
    return None


def _day(text: str):
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None
