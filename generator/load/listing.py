"""Which files make a community: the collection folders and their kinds, and the checks on file names."""

from __future__ import annotations

import os
import re

from value.identities import slugify
from value.paths import COMMUNITY_FILES, MAILMAP_PATH

from ..errors import Findings
from .safepath import WINDOWS_DEVICES, twins, windows_problem

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
    "decisions": ("decision", MD_EXT),
    "mentions": ("mentions", YAML_EXT),
    "impact": ("impact", YAML_EXT),
    "surveys": ("survey", YAML_EXT),
}

# Every file and folder a build reads, and nothing else: the fingerprint of a build's inputs and
# `diff`'s "does this change touch the community?" both come from these. The value engine reads
# `.mailmap` (the work tree's, see mailmaps.py) and the ecosystem files from git itself.
CONFIG_FILES = ("commonplace.yaml", "community.yaml", "federation.yaml")
# Where a repository's CODEOWNERS may be, in the order forges look (`codeowners` reads the first).
CODEOWNERS_PATHS = (".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS", ".gitlab/CODEOWNERS")
ECOSYSTEM_FILES = COMMUNITY_FILES + CODEOWNERS_PATHS  # read from the repository's top too, for a folder
INPUT_FILES = CONFIG_FILES + (MAILMAP_PATH,) + ECOSYSTEM_FILES
THEME_FOLDER = "theme"
INPUT_FOLDERS = tuple(COLLECTIONS) + (THEME_FOLDER,)

# Top-level output names that a free page must not take.
RESERVED_PAGES = frozenset(
    "assets data decisions directory events federation feed index ledger members projects rewards "
    "robots search sitemap surveys value 404".split()
)


def collection(reader, findings: Findings, folder: str) -> list[tuple[str, str]]:
    """(rel path, stem) of the files of a collection folder, with name checks: a file whose name
    is refused is neither parsed nor built."""
    kind, extensions = COLLECTIONS[folder]
    seen: dict[str, str] = {}
    result = []
    names = reader.list_dir(folder)
    doubles = twins(names)
    for name in names:
        rel = f"{folder}/{name}"
        stem, ext = os.path.splitext(name)
        if name in doubles:
            if ext.lower() in YAML_EXT + MD_EXT:  # the others are `check_names`'s
                findings.error(rel, 1, 1, same_name_message(rel, f"{folder}/{doubles[name]}"))
            continue
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
        if stem in WINDOWS_DEVICES:
            findings.error(rel, 1, 1, f"file name '{name}': {windows_problem(name)}, where git cannot check it out: "
                                      "rename it")
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


def shown(path: str) -> str:
    """A path as a finding shows it: a character that would act on a terminal (an escape, a tab)
    written as its code point."""
    return "".join(c if c.isprintable() or c == " " else f"\\u{ord(c):04x}" for c in path)


def same_name_message(rel: str, other: str) -> str:
    return (f"'{rel}' and '{other}' are one name where case or Unicode normalisation is ignored (Windows, "
            "macOS): git checks out only one of them; keep one")


MAX_NAMES = 20_000  # entries looked at under theme/: a bound, not a limit any theme reaches


def check_names(root, findings: Findings) -> None:
    """An error for each name in the community's folder (its top) and in its data folders and
    `theme/` (all their depth) that git cannot check out on Windows, or that is another's twin where case or Unicode
    normalisation is ignored, naming both. Data files are `collection`'s to judge; links are
    never followed; `.git` is left alone."""
    budget = [MAX_NAMES]

    def entries(rel: str) -> list[os.DirEntry]:
        try:
            with os.scandir(os.path.join(root, rel) if rel else root) as found:
                return sorted((e for e in found if e.name != ".git"), key=lambda e: e.name)
        except OSError:
            return []

    def walk(rel: str, deep: bool, data: tuple[str, ...] = ()) -> None:
        listed = entries(rel)[: max(budget[0], 0)]
        budget[0] -= len(listed)
        doubles = twins([e.name for e in listed])
        for entry in listed:
            path = shown(f"{rel}/{entry.name}" if rel else entry.name)
            ext = os.path.splitext(entry.name)[1]
            if data and not entry.name.startswith(".") and entry.is_file(follow_symlinks=False) and (
                    ext in data or (entry.name in doubles and ext.lower() in data)):
                continue  # a data file: `collection` reports it
            if entry.name in doubles:
                twin = shown(f"{rel}/{doubles[entry.name]}" if rel else doubles[entry.name])
                findings.error(path, 1, 1, same_name_message(path, twin))
                continue
            problem = windows_problem(entry.name)
            if problem:
                findings.error(path, 1, 1, f"name '{shown(entry.name)}': {problem}, where git cannot check it out: "
                                           "rename it")
            if deep and entry.is_dir(follow_symlinks=False):
                walk(f"{rel}/{entry.name}" if rel else entry.name, deep)  # a subfolder holds no data files

    walk("", False)
    for folder in COLLECTIONS:
        if os.path.isdir(os.path.join(root, folder)) and not os.path.islink(os.path.join(root, folder)):
            walk(folder, True, YAML_EXT + MD_EXT)
    if os.path.isdir(os.path.join(root, THEME_FOLDER)) and not os.path.islink(os.path.join(root, THEME_FOLDER)):
        walk(THEME_FOLDER, True)
