"""The loaded model as the value engine's input (value/ never imports generator/)."""

from __future__ import annotations

from value.inputs import CommunityData, Person

from .model import Model


def community_data(model: Model) -> CommunityData:
    config = model.config
    return CommunityData(
        members=tuple(
            Person(id=m.handle, name=m.name, emails=m.emails, affiliation=m.affiliation or None, visibility=m.visibility)
            for m in model.members.values()
        ),
        events=tuple(
            {"id": e.slug, "date": e.date, "organisers": list(e.organisers), "participants": list(e.participants),
             "guests": e.guests}
            for e in model.events.values()
        ),
        ledger=tuple(
            {"date": e.date, "amount": e.amount, "currency": e.currency, "kind": e.kind,
             "from": e.party_from or None, "to": e.party_to or None, "project": e.project or None}
            for e in model.ledger
        ),
        usage=tuple(
            {"date": u.date, "kind": u.kind, "count": u.count, "quote": u.quote or None, "project": u.project or None}
            for u in model.usage
        ),
        kudos=tuple(
            {"from": k.giver, "to": k.receiver, "date": k.date, "for": k.reason, "dimension": k.dimension or None}
            for k in model.kudos
        ),
        projects=tuple(
            {"id": p.slug, "title": p.title, "status": p.status, "leads": list(p.leads),
             "goals": [{"title": g.title, "done": g.done, "done_at": g.done_at} for g in p.goals]}
            for p in model.projects.values()
        ),
        weights=dict(config.weights) or None,
        bots=config.bots,
        salary=config.salary,
        inactive_days=config.inactive_days,
        peers=len(model.peers),
    )
