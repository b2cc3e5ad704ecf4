"""Helpers shared by the tests: small community repositories and the environment of a CI runner.

Git repositories are made with gitrepo.py.

A plain module (not conftest.py) so tests import it by a name no other folder reuses."""

from __future__ import annotations

import os
import shutil
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "example-community"
BIN = Path(sys.executable).parent  # where the installed `commonplace` script lives

MINIMAL = {
    "commonplace.yaml": """\
        title: Seed Library
        base_url: https://seeds.example.org/library/
        forge:
          kind: github
          repo: seeds/library
          branch: main
        """,
    "community.yaml": """\
        name: Seed Library
        tagline: Seeds kept in common
        mission: We keep *local* seeds alive by lending them.
        license: CC-BY-SA-4.0
        areas: [urban-commons, open-data-commons]
        governance: Monthly open assembly
        scope: local
        founded: 2021-03-01
        contact: mailto:hello@seeds.example.org
        """,
    "members/ana.yaml": """\
        name: Ana Lopez
        emails: [ana@example.org]
        roles: [coordinator]
        affiliation: Barrio Garden
        """,
    "members/ben.yaml": """\
        name: Ben Okafor
        emails: [ben@example.net]
        visibility: pseudonymous
        """,
    "members/cy.yaml": """\
        name: Cy Hidden
        emails: [cy@example.com]
        visibility: hidden
        """,
    "projects/catalogue.md": """\
        ---
        title: Seed catalogue
        status: active
        leads: [ana]
        goals:
          - title: List 100 varieties
            done: true
            done_at: 2024-05-01
          - title: Photograph them
        ---
        # Why

        A catalogue helps gardeners find seeds.
        """,
    "events/swap-2024.md": """\
        ---
        title: Spring seed swap
        date: 2024-04-06
        kind: meetup
        organisers: [ana]
        participants: [ben, cy]
        guests: 12
        ---
        We swapped 300 packets.
        """,
    "pages/about.md": """\
        ---
        title: About us
        ---
        We started in 2021.
        """,
}

# Two mistakes in two files, each with a suggestion: what `check`, the CI jobs and `diff` report.
BROKEN = {
    "members/dan.yaml": "name: Dan\nemial: dan@example.org\n",
    "events/swap-2024.md": "---\ntitle: Swap\ndate: 2024-04-06\norganisers: [anna]\n---\n",
}


def write_files(root: Path, files: dict[str, str | None]) -> Path:
    for rel, text in files.items():
        path = root / rel
        if text is None:
            if path.exists():
                path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def committed_community(root: Path, files: dict[str, str | None]) -> Path:
    """`files` written at `root` and committed as one first commit by Ana on 2024-05-10."""
    from gitrepo import commit_all, git

    write_files(root, files)
    git(root, "init", "-q", "-b", "main")
    commit_all(root, "Start", author=("Ana Lopez", "ana@example.org"), date="2024-05-10T10:00:00+00:00")
    return root


def example_repository(folder: Path) -> Path:
    """A copy of example-community/ committed in a repository of its own at `folder`. A build of
    example-community/ where it is would keep its caches in this project's git folder, shared by
    every test and every run; a build of the copy keeps them in the copy."""
    from gitrepo import commit_all

    # what a local build or `serve` left in the example folder is not part of it
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns(".commonplace-cache", "_site"))
    commit_all(folder, "Barrio Maps")
    return folder


def base_env(home: Path) -> dict:
    """A CI runner's environment: no GITHUB_*, CI_* or SOURCE_DATE_EPOCH of the machine running the
    tests, the installed `commonplace` first on PATH, `home` as HOME, no system git configuration."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "CI_", "SOURCE_DATE_EPOCH"))}
    env.update({"PATH": f"{BIN}{os.pathsep}{env.get('PATH', '')}", "HOME": str(home), "GIT_CONFIG_NOSYSTEM": "1"})
    env.pop("PYTHONPATH", None)
    return env
