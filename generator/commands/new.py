"""`commonplace new`: a small, valid community repository with its first commit."""

from __future__ import annotations

import json
import re
import subprocess
from datetime import datetime, timezone
from pathlib import Path

from value.identities import slugify

from ..errors import CommonplaceError

GITIGNORE = """\
# Commonplace build output and local caches
_site/
public/
.commonplace-cache/
"""


# An address the member schema accepts; anything else in `git config` is left for the founder to add.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def founder_file(person: tuple[str, str] | None) -> str:
    """`members/founder.yaml`: the founder from `git config` when it names them (so the first
    commit counts for the founder), else a placeholder to fill in. Quoted as JSON strings, which
    YAML reads as they are, whatever the name holds."""
    if person is None:
        return """\
name: First Member
roles:
  - founder
# emails are only used to recognise your commits; they are never published.
# emails:
#   - you@example.org
visibility: public
"""
    name, email = person
    emails = f"emails:\n  - {json.dumps(email)}\n" if _EMAIL.match(email) else "# emails:\n#   - you@example.org\n"
    return f"""\
name: {json.dumps(name, ensure_ascii=False)}
roles:
  - founder
# emails are only used to recognise your commits; they are never published.
{emails}visibility: public
"""


def _files(name: str, slug: str, today: str, founder: tuple[str, str] | None = None) -> dict[str, str]:
    return {
        ".gitignore": GITIGNORE,
        "commonplace.yaml": f"""\
# Site settings. Every key is described in Commonplace's schemas/commonplace.schema.json.
title: {name}
description: The portal of {name}.
base_url: https://example.org/{slug}/
language: en
# forge:                     # uncomment to get "Edit this page" links
#   kind: github             # or gitlab
#   repo: your-org/{slug}
#   branch: main
privacy:
  non_members: pseudonym   # people who commit but have no member file appear under a pseudonym
""",
        "community.yaml": f"""\
name: {name}
tagline: A commons-based peer production community
mission: |
  Say in a few sentences what you make together and for whom.
license: CC-BY-SA-4.0
areas:
  - other
governance: Decisions are taken by consensus at open monthly assemblies.
scope: local
founded: {today}
""",
        "members/founder.yaml": founder_file(founder),
        "projects/first-project.md": f"""\
---
title: Our first project
summary: What we want to achieve first.
status: active
leads:
  - founder
started: {today}
goals:
  - title: Write down what the project is about
    done: true
    done_at: {today}
  - title: Find three more people to work on it
---
Describe the project here, in Markdown.
""",
        "events/first-assembly.md": f"""\
---
title: First assembly
date: {today}
kind: assembly
organisers:
  - founder
guests: 0
---
What was discussed and decided.
""",
        "pages/about.md": f"""\
---
title: About
order: 1
---
{name} is a community of peers. Edit `pages/about.md` to tell your story.
""",
        "README.md": f"""\
# {name}

This repository holds the life of {name} as data files: members, projects, events, the
ledger, and free pages. Change them through pull requests; `commonplace build` turns them
into the community's portal.
""",
    }


def _git(target: Path, *args: str) -> None:
    result = subprocess.run(["git", *args], cwd=target, capture_output=True, text=True)
    if result.returncode != 0:
        raise CommonplaceError(f"git {' '.join(args)} failed in {target}: {result.stderr.strip()}")


def _git_config(target: Path, key: str) -> str:
    probe = subprocess.run(["git", "config", key], cwd=target, capture_output=True, text=True)
    return probe.stdout.strip()


def git_person(target: Path) -> tuple[str, str] | None:
    """(user.name, user.email) from `git config`, when both are set."""
    name, email = _git_config(target, "user.name"), _git_config(target, "user.email")
    return (name, email) if name and email else None


def _git_identity(target: Path) -> list[str]:
    """Config flags that give git an identity when the user has none set yet."""
    flags = []
    for key, fallback in (("user.name", "Commonplace"), ("user.email", "commonplace@localhost")):
        if not _git_config(target, key):
            flags += ["-c", f"{key}={fallback}"]
    return flags


def new_community(target: Path, name: str | None = None) -> list[str]:
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise CommonplaceError(f"{target} exists and is not empty: choose a new folder")
    name = name or target.name.replace("-", " ").replace("_", " ").strip().title() or "My Community"
    today = datetime.now(timezone.utc).date().isoformat()
    target.mkdir(parents=True, exist_ok=True)
    files = _files(name, slugify(target.name) or "community", today, git_person(target))
    for rel, text in files.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    _git(target, "init", "-q", "-b", "main")
    _git(target, "add", "-A")
    _git(target, *_git_identity(target), "commit", "-q", "-m", f"Start {name} with Commonplace")
    return sorted(files)


def run(args) -> int:
    if getattr(args, "example", False):
        from .example_peers import new_demo

        made = new_demo(Path(args.directory))
        (demo, commits), *peers = made.items()
        print(f"Created {args.directory}: the example community replayed as {commits} commits by its members "
              f"(invented people, a replayed history).")
        print("Beside it, its two peers, fetched: " + ", ".join(f"{name} ({n} commits)" for name, n in peers) + ".")
        print(f"Next: run `commonplace build {args.directory}`.")
        return 0
    created = new_community(Path(args.directory), args.name)
    print(f"Created {args.directory} with {len(created)} files and a first commit.")
    print(f"Next: edit the files, then run `commonplace build {args.directory}`.")
    return 0
