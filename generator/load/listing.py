"""Which files make a community: the collection folders and their kinds, and the checks on file names."""

from __future__ import annotations

import os
import re

from value.identities import slugify
from value.inputs import COMMUNITY_FILES, MAILMAP_PATH

from ..errors import Findings
from .codeowners import PATHS as CODEOWNERS_PATHS

SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")
YAML_EXT = (".yaml", ".yml")
MD_EXT = (".md", ".markdown")

# folder -> (schema kind, accepted extensions)
COLLECTIONS = {
    "members": ("member", YAML_EXT),
    "projects": ("project", MD_EXT),
    "events": ("event", MD_EXT),
    "pages": ("page", MD_EXT),
    "ledger": ("ledger", YAML_EXT),
    "usage": ("usage", YAML_EXT),
    "kudos": ("kudos", YAML_EXT),
    "contributions": ("contributions", YAML_EXT),
    "rewards": ("rewards", YAML_EXT),
}

# Every file and folder a build reads, and nothing else: the fingerprint of a build's inputs and
# `diff`'s "does this change touch the community?" both come from these. The value engine reads
# `.mailmap` (the work tree's, see mailmaps.py) and the ecosystem files from git itself.
CONFIG_FILES = ("commonplace.yaml", "community.yaml", "federation.yaml")
INPUT_FILES = CONFIG_FILES + (MAILMAP_PATH,) + COMMUNITY_FILES + CODEOWNERS_PATHS  # the ecosystem's files
THEME_FOLDER = "theme"
INPUT_FOLDERS = tuple(COLLECTIONS) + (THEME_FOLDER,)

# Top-level output names that a free page must not take.
RESERVED_PAGES = frozenset(
    "assets data directory events federation feed index ledger members projects rewards "
    "robots search sitemap value 404".split()
)


def collection(reader, findings: Findings, folder: str) -> list[tuple[str, str]]:
    """(rel path, stem) of the files of a collection folder, with name checks: a file whose name
    is refused is neither parsed nor built."""
    kind, extensions = COLLECTIONS[folder]
    seen: dict[str, str] = {}
    result = []
    for name in reader.list_dir(folder):
        rel = f"{folder}/{name}"
        stem, ext = os.path.splitext(name)
        if ext not in extensions:
            if ext in YAML_EXT + MD_EXT:
                findings.error(rel, 1, 1, f"{folder}/ holds {extensions[0]} files: rename it to '{stem}{extensions[0]}'")
            continue
        if not SLUG.match(stem):
            findings.error(
                rel, 1, 1,
                f"file name '{name}' may use only lowercase letters a-z, digits and '-': "
                f"rename it to '{slugify(stem) or 'item'}{ext}'",
            )
            continue
        if stem in seen:
            findings.error(rel, 1, 1, f"'{rel}' and '{seen[stem]}' would both be published as '{stem}': keep one")
            continue
        seen[stem] = rel
        if folder == "pages" and stem in RESERVED_PAGES:
            findings.error(rel, 1, 1, f"a page named '{stem}' would overwrite the portal's own '{stem}' section: rename the file")
            continue
        result.append((rel, stem))
    return result
