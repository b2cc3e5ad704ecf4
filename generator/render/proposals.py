"""Filled-in starting files for "Propose a new member / project / event" links."""

from __future__ import annotations

from ..model import Forge
from .forge import new_file_url

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
    "kudos": ("thanks.yaml", """\
kudos:
  - from: your-handle
    to: their-handle
    date: 2030-01-31
    for: What they did that helped.
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


def propose_url(forge: Forge | None, folder: str) -> str | None:
    filename, content = TEMPLATES[folder]
    return new_file_url(forge, folder, filename, content)
