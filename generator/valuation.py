"""The value stage of a build: the loaded model as the value engine's input (value/ never imports
generator/), and the engine run for a community folder (or any git repository)."""

from __future__ import annotations

from pathlib import Path

from value.errors import ValueEngineError
from value.inputs import CommunityData, Person
from value.report import build_report

from .errors import CommonplaceError
from .gitinfo import repo_info
from .load.loader import load_community
from .model import Model
from .progress import Progress


def community_data(model: Model) -> CommunityData:
    config = model.config
    return CommunityData(
        members=tuple(
            Person(id=m.handle, name=m.name, emails=m.emails, affiliation=m.affiliation or None, visibility=m.visibility)
            for m in model.members.values()
        ),
        events=tuple(
            {"id": e.slug, "date": e.date, "organisers": list(e.organisers), "participants": list(e.participants),
             "guests": e.guests, "source": e.source,
             "lines": {"organisers": dict(zip(e.organisers, e.organiser_lines)),
                       "participants": dict(zip(e.participants, e.participant_lines))}}
            for e in model.events.values()
        ),
        ledger=tuple(
            {"date": e.date, "amount": e.amount, "currency": e.currency, "kind": e.kind,
             "from": e.party_from or None, "to": e.party_to or None, "project": e.project or None,
             "by": e.by or None, "source": e.source, "line": e.line}
            for e in model.ledger
        ),
        usage=tuple(
            {"date": u.date, "kind": u.kind, "count": u.count, "quote": u.quote or None, "project": u.project or None,
             "source": u.source, "line": u.line}
            for u in model.usage
        ),
        kudos=tuple(
            {"from": k.giver, "to": k.receiver, "date": k.date, "for": k.reason, "dimension": k.dimension or None,
             "source": k.source, "line": k.line}
            for k in model.kudos
        ),
        projects=tuple(
            {"id": p.slug, "title": p.title, "status": p.status, "leads": list(p.leads), "source": p.source,
             "goals": [{"title": g.title, "done": g.done, "done_at": g.done_at, "line": g.line} for g in p.goals]}
            for p in model.projects.values()
        ),
        contributions=tuple(
            {"date": c.date, "who": c.who, "kind": c.kind, "hours": c.hours, "description": c.description,
             "dimension": c.dimension or None, "source": c.source, "line": c.line}
            for c in model.contributions
        ),
        weights=dict(config.weights) or None,
        kinds=dict(config.kinds) or None,
        bots=config.bots,
        salary=config.salary,
        inactive_days=config.inactive_days,
        peers=len(model.peers),
    )


def is_community(source: Path) -> bool:
    return (Path(source) / "commonplace.yaml").is_file() or (Path(source) / "community.yaml").is_file()


def value_report(source: Path, model: Model | None = None, *, ref: str = "HEAD") -> dict:
    """The value report of a community folder; for a plain repository, history figures only."""
    source = Path(source)
    info = repo_info(source)
    if info.workdir is None:
        raise CommonplaceError(f"{source} is not inside a git repository: value is computed from the history")
    if model is None and is_community(source):
        model = load_community(source)
    progress = Progress("Reading history", "commits")
    try:
        return build_report(source, subdir=info.subdir or None, ref=ref,
                            data=community_data(model) if model else None, progress=progress)
    except ValueEngineError as exc:
        raise CommonplaceError(str(exc)) from None
    finally:
        progress.done()
