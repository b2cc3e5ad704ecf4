"""`commonplace new`: a small, valid community repository with its first commit, or, inside an
existing git work tree, a portal folder of that repository (see `new_in_repository`)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import yaml

from value.identities import slugify

from .. import starter
from ..adopt import _SPDX, Found, one_line, work_tree_of
from ..errors import CommonplaceError
from ..load.listing import SLUG
from ..resources import schemas_dir

GITIGNORE = """\
# Commonplace build output and local caches
_site/
public/
.commonplace-cache/
"""


# Where a settings file's reader finds every key (the schema ships with Commonplace; `new` prints
# its full path, which is this machine's and so stays out of the file).
SETTINGS_COMMENT = """\
# Site settings. Every key is described in the JSON schema installed with Commonplace:
# generator/_data/schemas/commonplace.schema.json in its package (`commonplace new` printed the
# full path). `commonplace check` names any key it does not know.
"""
_SCHEMA_LINE = "  settings: every key of commonplace.yaml is described in {schema}"


# An address the member schema accepts; anything else in `git config` is left for the founder to add.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def founder_file(person: tuple[str, str] | None) -> str:
    """`members/HANDLE.yaml`: the founder from `git config` when it names them (so the first
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


def _files(name: str, slug: str, today: str, founder: tuple[str, str] | None = None, *, handle: str = "founder",
           licence: str = starter.DEFAULT_LICENCE, code_of_conduct: bool = True,
           contributing: bool = True) -> dict[str, str]:
    """The starter files of a new community, by path; the founder's handle names their member
    file and is the lead and organiser of the first project and event."""
    how = " (`CONTRIBUTING.md` says how)" if contributing else ""
    documents = {"LICENSE": starter.licence_text(licence, f"The {name} contributors", int(today[:4]))}
    if code_of_conduct:
        documents["CODE_OF_CONDUCT.md"] = starter.code_of_conduct(name)
    if contributing:
        conduct = "CODE_OF_CONDUCT.md" if code_of_conduct else None
        documents["CONTRIBUTING.md"] = starter.contributing(name, conduct=conduct)
    return documents | {
        ".gitignore": GITIGNORE,
        "commonplace.yaml": f"""\
{SETTINGS_COMMENT}title: {_scalar(name)}
description: {_scalar(f"The portal of {name}.")}
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
name: {_scalar(name)}
tagline: A commons-based peer production community
mission: |
  Say in a few sentences what you make together and for whom.
license: {licence}
areas:
  - other
governance: Decisions are taken by consensus at open monthly assemblies.
scope: local
founded: {today}
""",
        f"members/{handle}.yaml": founder_file(founder),
        "projects/first-project.md": f"""\
---
title: Our first project
summary: What we want to achieve first.
status: active
leads:
  - {handle}
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
  - {handle}
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
ledger, and free pages. Change them through pull requests{how};
`commonplace build` turns them into the community's portal.
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


def new_community(target: Path, name: str | None = None, *, handle: str | None = None, licence: str | None = None,
                  code_of_conduct: bool | None = None, contributing: bool | None = None,
                  interactive: bool = False) -> dict:
    """Make a new community repository at `target` with its first commit: {"files" (the files
    written), "handle", "license"}.
    What is not given is asked for when `interactive` (a terminal), else taken from its default:
    the handle from `git config user.name`, the licence CC-BY-SA-4.0, a code of conduct and a
    contribution guide."""
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise CommonplaceError(f"{target} exists and is not empty: choose a new folder")
    name = name or target.name.replace("-", " ").replace("_", " ").strip().title() or "My Community"
    today = datetime.now(timezone.utc).date().isoformat()
    handle = _choose_handle(handle, _git_config(_existing_parent(target), "user.name"), interactive)
    licence = _choose_licence(licence, interactive)
    if code_of_conduct is None:
        code_of_conduct = _yes("Add a code of conduct (CODE_OF_CONDUCT.md)?") if interactive else True
    if contributing is None:
        contributing = _yes("Add a contribution guide (CONTRIBUTING.md)?") if interactive else True
    target.mkdir(parents=True, exist_ok=True)
    files = _files(name, slugify(target.name) or "community", today, git_person(target), handle=handle,
                   licence=licence, code_of_conduct=code_of_conduct, contributing=contributing)
    for rel, text in files.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    _git(target, "init", "-q", "-b", "main")
    _git(target, "add", "-A")
    _git(target, *_git_identity(target), "commit", "-q", "-m", f"Start {name} with Commonplace")
    return {"files": sorted(files), "handle": handle, "license": licence}


def _existing_parent(path: Path) -> Path:
    path = Path(os.path.abspath(path))
    while not path.exists():
        path = path.parent
    return path


def _check_handle(handle: str) -> str:
    if not SLUG.match(handle):
        raise CommonplaceError(f"--handle {handle!r}: use lowercase letters a-z, digits and '-', such as "
                               f"{slugify(handle) or 'founder'!r}")
    return handle


def _choose_handle(given: str | None, git_name: str, interactive: bool) -> str:
    """The founder's handle: given, else asked (on a terminal), else `git config user.name` as a
    slug, else "founder"."""
    if given is not None:
        return _check_handle(given)
    default = slugify(git_name) or "founder"
    if not interactive:
        return default
    while True:
        answer = _ask("Your handle (members/HANDLE.yaml)", default)
        if SLUG.match(answer):
            return answer
        print(f"  {answer!r}: use lowercase letters a-z, digits and '-', such as {slugify(answer) or default!r}")


def _unknown_licence(licence: str) -> str:
    return (f"--license {licence!r}: Commonplace writes the licence file for {starter.known_licences()}; "
            "choose one of them (you may replace LICENSE and community.yaml's license afterwards)")


def _choose_licence(given: str | None, interactive: bool) -> str:
    """The community's licence: given, else asked (on a terminal), else CC-BY-SA-4.0; one of
    `starter.LICENCES`, whose text `new` writes."""
    if given is not None:
        if given not in starter.LICENCES:
            raise CommonplaceError(_unknown_licence(given))
        return given
    if not interactive:
        return starter.DEFAULT_LICENCE
    print(f"Licences Commonplace writes the text of: {starter.known_licences()}.")
    while True:
        answer = _ask("The licence of the community's content (an SPDX id)", starter.DEFAULT_LICENCE)
        if answer in starter.LICENCES:
            return answer
        print(f"  {_unknown_licence(answer)}")


def _yes(question: str) -> bool:
    """Yes unless the answer is no (an empty line or the end of input is yes)."""
    return _ask(question, "Y/n").lower() not in ("n", "no")


def _yaml(text: str) -> str:
    """A YAML scalar holding `text` as it is (JSON strings are YAML double-quoted scalars)."""
    return json.dumps(text, ensure_ascii=False)


def _scalar(text: str) -> str:
    """`text` as a YAML scalar: plain where YAML reads it back as the same string, else quoted
    (a name such as `Seeds: a library` or `#1 Garden`)."""
    try:
        plain = yaml.safe_load(f"key: {text}") == {"key": text} and "\n" not in text
    except yaml.YAMLError:
        plain = False
    return text if plain else _yaml(text)


def _adopted_files(found: Found, rel: str, handle: str, founder: tuple[str, str] | None, licence: str,
                   founded: str | None, name: str) -> dict[str, str]:
    description = found.description[0] if found.description else f"The community of {name}."
    forge = ""
    if found.forge:
        host = f"  host: {found.forge['host']}\n" if "host" in found.forge else ""
        forge = (f"forge:\n  kind: {found.forge['kind']}\n  repo: {found.forge['repo']}\n"
                 f"  branch: {_yaml(found.forge['branch'])}\n{host}  path: {_yaml(rel)}\n")
    else:
        forge = "# forge:                     # uncomment to get \"Edit this page\" links\n#   kind: github\n#   repo: owner/name\n"
    return {
        ".gitignore": GITIGNORE,
        "commonplace.yaml": f"""\
{SETTINGS_COMMENT}title: {_yaml(name)}
description: {_yaml(description)}
base_url: https://example.org/
language: en
{forge}# The whole repository's history is the community's (not only the commits to this folder).
# `paths:` beside it, e.g. [src/, docs/], would count only the commits that touch those paths.
history: repository
privacy:
  # People who commit but have no member file are shown by the name they commit under (already
  # public in the history; an address is never shown). `pseudonym` shows a stable pseudonym instead.
  non_members: name
  # Names or addresses of people who asked not to be named: shown under a pseudonym.
  opt_out: []
""",
        "community.yaml": f"""\
name: {_yaml(name)}
mission: {_yaml(description)}
license: {licence}
areas:
  - floss
governance: Say how decisions are taken.
""" + (f"founded: {founded}\n" if founded else ""),
        f"members/{handle}.yaml": founder_file(founder),
        "pages/about.md": f"""\
---
title: About
order: 1
---
{{name}} is a community of peers. Edit `pages/about.md` to tell your story.
""".replace("{name}", name.replace("{", "").replace("}", "")),
    }


def _ask(question: str, default: str) -> str:
    """The answer typed on the terminal, or `default` for an empty line or the end of input."""
    try:
        answer = input(f"{question} [{default}]: ").strip()
    except EOFError:
        print()
        return default
    return answer or default


def new_in_repository(target: Path, root: Path, *, name: str | None = None, handle: str | None = None,
                      licence: str | None = None, commit: bool = False, interactive: bool = False,
                      code_of_conduct: bool | None = None, contributing: bool | None = None) -> dict:
    """Add `target` as a portal folder of the repository at `root`: no `git init`, no commit
    unless `commit`. A code of conduct and a contribution guide the repository lacks are written
    into the folder unless declined (`False`, or no on a terminal). Returns what was found and
    written, for the summary `run` prints."""
    from ..adopt import read_repository

    if target.exists() and any(target.iterdir()):
        raise CommonplaceError(f"{target} exists and is not empty: choose a new folder")
    try:
        rel = Path(os.path.realpath(target)).relative_to(Path(os.path.realpath(root))).as_posix()
    except ValueError:
        raise CommonplaceError(f"{target} is not inside the repository at {root}: choose a folder inside it") from None
    if rel in ("", ".") or rel.startswith(".git/") or rel == ".git":
        raise CommonplaceError(f"{target} is the repository's top or its .git folder: choose a new folder inside it, "
                               "such as portal/")
    found = read_repository(root)
    name = name or (found.name[0] if found.name else root.name.replace("-", " ").replace("_", " ").strip().title())
    name = one_line(name, 120) or "My Community"
    person = git_person(root)
    default_handle = slugify(person[0]) if person else "founder"
    handle = handle or (_ask("Your handle (members/HANDLE.yaml)", default_handle or "founder") if interactive
                        else default_handle) or "founder"
    _check_handle(handle)
    if licence is None and found.license is not None:
        licence = found.license[0]
    if licence is None and interactive:
        licence = _ask("The licence of the community's content (an SPDX id)", "CC-BY-SA-4.0")
    if licence is None:
        licence = "NOASSERTION"
    if not _SPDX.match(licence) or len(licence) > 100:
        raise CommonplaceError(f"--license {licence!r} is not an SPDX identifier, such as MIT or CC-BY-SA-4.0")
    founded = _git_output(root, "log", "--max-parents=0", "--format=%as")
    founded = min(founded.split()) if founded else None
    files = _adopted_files(found, rel, handle, person, licence, founded, name)
    files |= _offered_documents(found, rel, name, code_of_conduct, contributing, interactive)
    target.mkdir(parents=True, exist_ok=True)
    for relpath, text in files.items():
        path = target / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    if commit:
        _git(root, "add", "--", rel)
        _git(root, *_git_identity(root), "commit", "-q", "-m", f"Add the portal of {name} (Commonplace)", "--", rel)
    return {"found": found, "files": sorted(files), "name": name, "handle": handle, "license": licence, "rel": rel}


def _offered_documents(found: Found, rel: str, name: str, code_of_conduct: bool | None, contributing: bool | None,
                       interactive: bool) -> dict[str, str]:
    """{path in the portal folder: text} of the code of conduct and the contribution guide that the
    repository has none of (where forges look); one it has is the portal's too, never written."""
    has = found.documents or {}
    up = "../" * len(rel.split("/"))  # from the portal folder to the repository's top

    def wanted(kind: str, given: bool | None, question: str) -> bool:
        if kind in has or given is False:
            return False
        return _yes(question) if interactive else True

    conduct = wanted("code_of_conduct", code_of_conduct,
                     f"The repository has no code of conduct: add one ({rel}/CODE_OF_CONDUCT.md)?")
    guide = wanted("contribution_guide", contributing,
                   f"The repository has no contribution guide: add one for the portal ({rel}/CONTRIBUTING.md)?")
    offered = {}
    if conduct:
        offered["CODE_OF_CONDUCT.md"] = starter.code_of_conduct(name)
    if guide:
        conduct_file = "CODE_OF_CONDUCT.md" if conduct else (up + has["code_of_conduct"] if "code_of_conduct" in has
                                                             else None)
        offered["CONTRIBUTING.md"] = starter.contributing(
            name, folder=rel, conduct=conduct_file,
            licence=up + found.licence_file if found.licence_file else "community.yaml")
    return offered


def _git_output(root: Path, *args: str) -> str:
    probe = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)
    return probe.stdout.strip() if probe.returncode == 0 else ""


def invitations(target: Path, handle: str, limit: int = 10) -> tuple[list[str], list[str]]:
    """(the names of the most active contributors who are not members, bots left out; the
    `.mailmap` lines proposed for same-name identities), from the value report of the new portal.
    Printed to the terminal only: never written into a file."""
    from value.clusters import mailmap_proposals

    from ..valuation import value_report

    report = value_report(target)
    people = [c for c in report.contributors if not c.get("member") and not c.get("bot") and (c.get("commits") or 0)]
    people.sort(key=lambda c: (-(c.get("commits") or 0), c.get("name") or "", c["id"]))
    names = [f"{one_line(c.get('name') or c['id'], 120)} ({_commits(c['commits'])})" for c in people[:limit]]
    return names, mailmap_proposals(report)


def _commits(n: int) -> str:
    return f"{n} commit" if n == 1 else f"{n} commits"


def _print_adopted(args, made: dict) -> None:
    found = made["found"]
    print(f"Added {made['rel']}/ to the repository with {len(made['files'])} files "
          f"({'committed' if args.commit else 'nothing committed: review them, then git add and commit'}).")
    print(f"  name: {made['name']}" + (f" (from {found.name[1]})" if found.name else " (from the folder's name)"))
    if found.description:
        print(f"  description: from {found.description[1]}")
    if found.license:
        print(f"  licence: {made['license']} (from {found.license[1]})")
    elif found.licence_file:
        print(f"  licence: {found.licence_file} not recognised: community.yaml says {made['license']}, set it")
    elif made["license"] == "NOASSERTION":
        print("  licence: none found: community.yaml says NOASSERTION; set it there (or run with --license SPDX)")
    else:
        print(f"  licence: {made['license']}")
    if found.forge:
        print(f"  forge: {found.forge['kind']} {found.forge['repo']} (from origin)")
    print(f"  first member: members/{made['handle']}.yaml (from git config)")
    for kind, file, label in (("code_of_conduct", "CODE_OF_CONDUCT.md", "code of conduct"),
                              ("contribution_guide", "CONTRIBUTING.md", "contribution guide")):
        if file in made["files"]:
            print(f"  {label}: {made['rel']}/{file}, written (the repository had none)")
        elif kind in (found.documents or {}):
            print(f"  {label}: the repository's {found.documents[kind]}")
    print(_SCHEMA_LINE.format(schema=schemas_dir() / "commonplace.schema.json"))
    for item in found.skipped:
        print(f"  not read: {item}")
    try:
        names, proposals = invitations(Path(args.directory), made["handle"])
    except CommonplaceError as exc:
        print(f"The history could not be read for the people to invite: {exc}")
        return
    if names:
        print("The most active contributors, to invite (no member file is written for them; each writes their own):")
        print("\n".join(f"  {n}" for n in names))
    if proposals:
        print("The same name with different addresses: if each line is truly one person, add it to .mailmap",
              "(at the repository's top) so their work counts once. Two people can share a name: check first.",
              sep="\n")
        print("\n".join(f"  {line}" for line in proposals))


def _declined(args) -> dict:
    """The documents `--no-code-of-conduct` and `--no-contributing` decline (None: offered)."""
    return {"code_of_conduct": False if getattr(args, "no_code_of_conduct", False) else None,
            "contributing": False if getattr(args, "no_contributing", False) else None}


def _on_a_terminal() -> bool:
    """Whether questions may be asked: standard input is a terminal (not a pipe, a file or closed)."""
    return sys.stdin is not None and sys.stdin.isatty()


def run(args) -> int:
    if getattr(args, "example", False):
        from .example_peers import new_demo

        made = new_demo(Path(args.directory))
        (demo, commits), *peers = made.items()
        print(f"Created {args.directory}: the example community replayed as {_commits(commits)} by its members "
              f"(invented people, a replayed history).")
        print("Beside it, its two peers, fetched: " + ", ".join(f"{name} ({_commits(n)})" for name, n in peers) + ".")
        print(f"Next: run `commonplace build {args.directory}`.")
        return 0
    root = work_tree_of(Path(args.directory))
    if root is not None:
        made = new_in_repository(Path(args.directory), root, name=args.name, handle=getattr(args, "handle", None),
                                 licence=getattr(args, "license", None), commit=getattr(args, "commit", False),
                                 interactive=_on_a_terminal(), **_declined(args))
        _print_adopted(args, made)
        print(f"Next: run `commonplace build {args.directory}`.")
        return 0
    created = new_community(Path(args.directory), args.name, handle=getattr(args, "handle", None),
                            licence=getattr(args, "license", None), interactive=_on_a_terminal(), **_declined(args))
    print(f"Created {args.directory} with {len(created['files'])} files and a first commit.")
    print(f"  first member: members/{created['handle']}.yaml; licence: {created['license']} (LICENSE)")
    print(_SCHEMA_LINE.format(schema=schemas_dir() / "commonplace.schema.json"))
    print(f"Next: edit the files, then run `commonplace build {args.directory}` "
          f"(or `commonplace serve {args.directory}` to preview it as you edit).")
    return 0

