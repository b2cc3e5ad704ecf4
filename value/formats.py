"""Text renderings of a reward distribution (terminal, CSV, JSON), and the note a value report of no
commits opens with. The value report itself is rendered in the portal's words by
`generator/views/value_text.py`."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

from . import money
from .report_types import Report


def no_commits_note(report: Report) -> str | None:
    """The statement a report that counted no commit opens with, so its zeros never pass for
    figures of a history (None when it counted some)."""
    counted = report.dimensions.get("objective_accomplishment", {}).get("commits_with_merges")
    if counted:
        return None
    src = report.source
    if not src.commit:
        return "No commits: this history is empty, so every figure from it is zero."
    if src.subdir:
        return (f"No commits counted: no commit up to {src.commit[:12]} changes the folder {src.subdir}/, "
                "so every figure from the history is zero.")
    return "No commits counted, so every figure from the history is zero."


def _amount(value, currency: str) -> str:
    """An amount with its currency's decimals (ISO 4217): 120.00 (EUR), 5 (JPY), 1.250 (BHD)."""
    return money.format_amount(value, currency)


def rewards_table(rows: list[dict], currency: str, notes: list[str] | tuple[str, ...] = ()) -> str:
    """Rows in the given order, their total, then `notes` (one line each)."""
    if not rows:
        lines = [f"Nothing to distribute: nobody who may be paid has value in the chosen window; "
                 f"the budget ({currency}) stays unspent."]
        return "\n".join(lines + list(notes)) + "\n"
    width = max(max(len(r["id"]) for r in rows), len("total"))
    amounts = [_amount(r["amount"], currency) for r in rows]
    total = _amount(sum(Decimal(r["amount"]) for r in rows), currency)
    aw = max(len(a) for a in amounts + [total, "amount"])
    lines = [f"{'id'.ljust(width)}  {'amount'.rjust(aw)} {currency}  share  name"]
    for r, a in zip(rows, amounts):
        lines.append(f"{r['id'].ljust(width)}  {a.rjust(aw)} {currency}  {r['share'] * 100:5.1f}%  {r['name']}")
    lines.append(f"{'total'.ljust(width)}  {total.rjust(aw)} {currency}")
    return "\n".join(lines + list(notes)) + "\n"


def rewards_csv(rows: list[dict], currency: str) -> str:
    """id,name,amount,currency; amounts with the currency's decimals; rows in the given order."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "name", "amount", "currency"])
    for r in rows:
        writer.writerow([r["id"], r["name"], _amount(r["amount"], currency), currency])
    return out.getvalue()


def rewards_json(rows: list[dict], currency: str) -> str:
    return json.dumps(
        [{"id": r["id"], "name": r["name"], "amount": _amount(r["amount"], currency), "currency": currency,
          "share": r["share"]}
         for r in rows],
        indent=2, ensure_ascii=False,
    ) + "\n"
