"""Who looks after what: CODEOWNERS' rules as the members page shows them.

Owners are people as the site shows them (`People`: a public member by name, a pseudonymous one
by pseudonym, a hidden one not at all), an unknown @login or @org/team as written; an e-mail
address is never shown, only the member it names (or, for an address no member file lists, that
an address is there). A rule whose owners are all hidden shows no owner, like one without owners.
"""

from __future__ import annotations

from ..load.codeowners import Codeowners
from ..people import People


def owners_page(codeowners: Codeowners | None, people: People) -> dict | None:
    """{"path": file, "sections": [{"name", "rules": [{"pattern", "owners": [...], "line"}]}]}."""
    if codeowners is None:
        return None
    sections: list[dict] = []
    for rule in codeowners.rules:
        if not sections or sections[-1]["name"] != rule.section:
            sections.append({"name": rule.section, "rules": []})
        shown: list[dict] = []
        for owner in rule.owners:
            if owner.kind == "member":
                person = people.get(owner.handle)
                item = {"kind": "person", "person": person} if person else None
            elif owner.kind == "email":
                item = {"kind": "email"}
            else:
                item = {"kind": owner.kind, "text": owner.text}
            if item and item not in shown:
                shown.append(item)
        sections[-1]["rules"].append({"pattern": rule.pattern, "owners": shown, "line": rule.line})
    return {"path": codeowners.path, "sections": sections}
