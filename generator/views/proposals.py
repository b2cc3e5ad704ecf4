"""Filled-in starting files for "Propose a new …" links: one per kind of file people add.

A template may name what the page it is offered on already knows (the member a kudos thanks, the
project a usage record is about) as `{placeholder}`s; anything not given keeps a plain example.
"""

from __future__ import annotations

from ..model import Forge
from functools import lru_cache
from urllib.parse import quote_plus

from .forge import new_file_url_encoded

TEMPLATES = {
    "members": ("your-handle.yaml", """\
name: Your Name
# add the address you commit with, to be recognised in the history (never published):
# emails: [the address you use with git]
roles:
  - contributor
visibility: public   # or pseudonymous, or hidden
"""),
    "projects": ("project-name.md", """\
---
title: Project name
summary: One sentence on what this project achieves.
status: proposed
leads:
  - your-handle
goals:
  - title: A first goal
---
Describe the project: why it matters, who it is for, how to help.
"""),
    "events": ("event-name.md", """\
---
title: Event name
date: 2030-01-31
kind: meetup
location: Where it happens
organisers:
  - your-handle
---
What the event is about and how to take part.
"""),
    "kudos": ("your-handle-thanks-{to}.yaml", """\
# A thank-you from one member to another. Schema: schemas/kudos.schema.json
kudos:
  - from: your-handle
    to: {to}
    date: 2030-01-31   # the day you give it (YYYY-MM-DD)
    for: What you thank them for, in one sentence.
    # dimension: community_building   # or objective_accomplishment, monetary_value, social_use_value, reputation
"""),
    "ledger": ("entry-name.yaml", """\
# Money in or out, in the open. Schema: schemas/ledger.schema.json
currency: {currency}
entries:
  - date: 2030-01-31   # when the money moved (YYYY-MM-DD)
    amount: "10.00"    # always positive, quoted: the kind says the direction
    kind: donation     # or grant, sale (income); expense, reward (spending)
    from: Who paid
    # to: Who received it
    # project: {project}
    note: What the money was for.
"""),
    "usage": ("usage-name.yaml", """\
# Evidence that people use what the community makes. Schema: schemas/usage.schema.json
records:
  - date: 2030-01-31   # the day it was measured, or the end of the period it covers
    kind: downloads    # or users, deployments, citations, visits, testimonial, other
    count: 0           # for a testimonial, write quote: "what they said" instead
    source: Who reported the figure, or where it can be checked
    project: {project}
"""),
    "contributions": ("{who}-work.yaml", """\
# Work done outside git: it counts in people's value like a commit does.
# Schema: schemas/contributions.schema.json
records:
  - date: 2030-01-31   # the day the work was done, or finished
    who: {who}
    kind: mentoring    # or welcome, or a kind declared in commonplace.yaml (value: kinds)
    # hours: 2
    description: What was done, in a sentence or two.
"""),
    "decisions": ("decision-name.md", """\
---
title: What is to be decided, in a few words
date: 2030-01-31   # the day it is proposed; once decided, the day it was decided
status: proposed   # then accepted, rejected, or superseded (with superseded_by)
proposed_by: your-handle
participants: []   # the handles of those who take part in deciding
outcome: ""        # what was decided, and how
---
The proposal: what should change, why, and what it costs.
"""),
    "mentions": ("mentions-2030.yaml", """\
# What others said about the community. Schema: schemas/mentions.schema.json
mentions:
  - date: 2030-01-31   # the day it was published, given or held
    kind: press        # or citation, award, talk, dependent
    title: The article's title
    url: https://example.org/the-article
    # people: [a-handle]   # the members it is about, if it names some
"""),
    "rewards": ("next-period.yaml", """\
title: Next period
budget: "100.00"
currency: EUR
policy: balanced   # counts past work against what was already paid
period:
  start: 2030-01-01
  end: 2030-03-31
"""),
}

# What a placeholder says when the page offering the link knows nothing more.
EXAMPLES = {"to": "their-handle", "who": "your-handle", "project": "project-slug", "currency": "EUR"}

KINDS = tuple(TEMPLATES)


def propose_url(forge: Forge | None, folder: str, **known: str) -> str | None:
    """The forge's new-file form in `folder`, filled with its template (None without a forge)."""
    if forge is None:
        return None
    filename, content, placeholders = _encoded(folder)
    values = {**EXAMPLES, **{key: value for key, value in known.items() if value}}
    return new_file_url_encoded(forge, folder, _fill(filename, values, placeholders), _fill(content, values, placeholders))


# A site offers a link on nearly every page: the templates are form-encoded once, and each link
# fills the encoded placeholders with encoded values. Encoding goes character by character and
# "{" only ever encodes as "%7B", so this equals encoding the filled-in text.
@lru_cache(maxsize=None)
def _encoded(folder: str) -> tuple[str, str, dict[str, str]]:
    """The template's name and text form-encoded, and its placeholders' encoded forms by name."""
    filename, content = TEMPLATES[folder]
    placeholders = {key: quote_plus("{" + key + "}", safe="") for key in EXAMPLES}
    return quote_plus(filename, safe=""), quote_plus(content, safe=""), placeholders


def _fill(encoded: str, values: dict[str, str], placeholders: dict[str, str]) -> str:
    for key, value in values.items():  # in this order: a value may hold a later placeholder, as plain text would
        placeholder = placeholders.get(key) or quote_plus("{" + key + "}", safe="")
        if placeholder in encoded:
            encoded = encoded.replace(placeholder, _quoted(value))
    return encoded


@lru_cache(maxsize=4096)
def _quoted(value: str) -> str:
    return quote_plus(value, safe="")


def proposal_links(model) -> dict[str, str | None]:
    """A propose link for every kind of file, with nothing filled in but what the whole site
    knows (the currency the ledger uses last): for any template, as the global `proposals`."""
    currency = model.ledger[-1].currency if model.ledger else ""
    return {kind: propose_url(model.config.forge, kind, currency=currency) for kind in KINDS}
