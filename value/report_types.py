"""The value report as the engine hands it over: a `Report` with typed attributes, and its JSON form.

The JSON form (`Report.to_json()`, schema `commonplace.value/5`, see `value/report.py` and
docs/value-json.md) is what the report cache stores; `Report.from_json` reads it back.
`commonplace value --format json` prints `to_json(records=False)`: every figure, without the
record columns, which `commonplace value --records` streams one record a line
(`value/recordlines.py`). A contributor (a row of `contributors` or `bots`) stays
the JSON object the report publishes: its fields are listed in `value/report.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ReportSource:
    """What the report counted: the commit, its branch, the folder (None: the whole repository),
    and the day the figures speak of (ISO 8601 with the author's offset)."""

    commit: str | None = None
    branch: str | None = None
    subdir: str | None = None
    as_of: str | None = None

    def to_json(self) -> dict:
        return {"commit": self.commit, "branch": self.branch, "subdir": self.subdir, "as_of": self.as_of}


# A record column set: {field: [value per record]} (date, person, kind, dimension, weight, source, landed).
Columns = dict


@dataclass(frozen=True)
class Report:
    """A value report. Each attribute is the JSON key of the same name; `verified` and `notes` are
    None when the JSON leaves them out (no member lists keys; no commit was read otherwise than
    it claims)."""

    schema: str
    source: ReportSource
    weights: dict[str, float]  # dimension -> weight
    kinds: dict[str, dict]  # kind -> {label, dimension, weight, unit, origin, explanation}
    dimensions: dict[str, dict]  # dimension -> {indicator: value}
    monthly: dict  # {"months": [...], dimension: {indicator: [value per month]}}
    scoring: dict  # {totals, without_records, monthly: {totals, without_records}}
    contributors: list[dict] = field(default_factory=list)
    bots: list[dict] = field(default_factory=list)
    contributions: Columns = field(default_factory=dict)
    bot_contributions: Columns = field(default_factory=dict)
    cred_as_of: dict[str, Columns] = field(default_factory=dict)  # "YYYY-MM-DD" -> the cred records as of then
    verified: list[str] | None = None  # commits signed with a key of their author's member file
    notes: list[str] | None = None  # commits read otherwise than they claim

    @property
    def people(self) -> list[dict]:
        """The contributors who are not bots (a contributor row may say `bot`)."""
        return [c for c in self.contributors if not c.get("bot")]

    def to_json(self, records: bool = True) -> dict:
        """The report as JSON-ready data, keys in the order the engine has always written them.
        Without `records`, the record columns (`contributions`, `bot_contributions`,
        `cred_as_of`) are left out: every figure, a fraction of the size."""
        out = {
            "schema": self.schema,
            "source": self.source.to_json(),
            "weights": self.weights,
            "kinds": self.kinds,
            "dimensions": self.dimensions,
            "monthly": self.monthly,
            "scoring": self.scoring,
            "contributors": self.contributors,
            "bots": self.bots,
        }
        if records:
            out["contributions"] = self.contributions
            out["bot_contributions"] = self.bot_contributions
            out["cred_as_of"] = self.cred_as_of
        if self.verified is not None:
            out["verified"] = self.verified
        if self.notes is not None:
            out["notes"] = self.notes
        return out

    @classmethod
    def from_json(cls, data: dict) -> Report:
        """A report from its JSON form; keys it lacks are empty (a report made by hand, in tests
        or tools, may give only what it needs)."""
        source = data.get("source") or {}
        return cls(
            schema=data.get("schema", ""),
            source=ReportSource(source.get("commit"), source.get("branch"), source.get("subdir"), source.get("as_of")),
            weights=data.get("weights") or {},
            kinds=data.get("kinds") or {},
            dimensions=data.get("dimensions") or {},
            monthly=data.get("monthly") or {},
            scoring=data.get("scoring") or {},
            contributors=data.get("contributors") or [],
            bots=data.get("bots") or [],
            contributions=data.get("contributions") or {},
            bot_contributions=data.get("bot_contributions") or {},
            cred_as_of=data.get("cred_as_of") or {},
            verified=data.get("verified"),
            notes=data.get("notes"),
        )
