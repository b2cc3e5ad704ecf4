"""Builders of the governance and external-reputation files: decisions (`decisions/<slug>.md`) and
mentions (`mentions/*.yaml`), in the shape of `kinds`' builders.

A decision's `proposed_by` is one handle or a list of them; the names are checked with every other
name (`references.NAMES`). What a schema cannot say is checked here: `superseded_by` names another
decision that exists, and only a superseded decision names one (`check_superseded`, once every
decision is loaded).
"""

from __future__ import annotations

import difflib
from datetime import date

from value import landed

from ..errors import Findings
from ..model import Decision, Mention
from .yamlsafe import YamlDoc


def decision(rel: str, stem: str, doc: YamlDoc, body: str, notes) -> Decision:
    d = doc.data
    given = d["proposed_by"]
    proposers = (given,) if isinstance(given, str) else tuple(given)
    proposer_lines = ((doc.where(("proposed_by",))[0],) if isinstance(given, str)
                      else tuple(doc.where(("proposed_by", i))[0] for i in range(len(proposers))))
    participants = tuple(d.get("participants", ()))
    superseded_by = d.get("superseded_by", "")
    if superseded_by and d["status"] != "superseded":
        line, col = doc.where(("superseded_by",))
        notes.findings.error(rel, line, col, f"'superseded_by' names the decision that replaced this one, but its status "
                                             f"is '{d['status']}': set 'status: superseded', or remove 'superseded_by'")
    elif superseded_by == stem:
        line, col = doc.where(("superseded_by",))
        notes.findings.error(rel, line, col, "a decision cannot supersede itself: name the decision that replaced it")
    return Decision(
        slug=stem, title=d["title"], date=date.fromisoformat(d["date"]), status=d["status"], source=rel,
        proposed_by=proposers, participants=participants, outcome=d.get("outcome", "") or "",
        superseded_by=superseded_by, body=body, proposer_lines=proposer_lines,
        superseded_at=doc.where(("superseded_by",)) if superseded_by else (1, 1),
        participant_lines=tuple(doc.where(("participants", i))[0] for i in range(len(participants))),
    )


def check_superseded(decisions: dict[str, Decision], named: set[str], findings: Findings) -> None:
    """An error where `superseded_by` names no decision (`named`: every decision file's slug, a
    file with a mistake included)."""
    for item in decisions.values():
        other = item.superseded_by
        if not other or other in named or other == item.slug:
            continue
        close = difflib.get_close_matches(other, sorted(named - {item.slug}), n=1, cutoff=0.6)
        hint = f" (did you mean '{close[0]}'?)" if close else f": add decisions/{other}.md or fix the name"
        line, col = item.superseded_at
        findings.error(item.source, line, col, f"'superseded_by' names an unknown decision '{other}'{hint}")


def mentions(rel: str, doc: YamlDoc, notes) -> list[Mention]:
    items = []
    for i, m in enumerate(doc.data["mentions"]):
        items.append(Mention(
            date=date.fromisoformat(m["date"]), kind=m["kind"], title=m["title"], url=m["url"], source=rel,
            line=doc.where(("mentions", i))[0], people=tuple(m.get("people", ())),
        ))
    return items


def decision_keys(item: Decision) -> list[tuple]:
    """The identities of a decision's records (value/landed.py): each proposer, then each
    participant (a proposer listed as a participant too has both), as
    `value.contributions.data_records` makes them."""
    return ([landed.decision_key("proposer", item.slug, pid) for pid in dict.fromkeys(item.proposed_by)]
            + [landed.decision_key("participant", item.slug, pid) for pid in dict.fromkeys(item.participants)])
