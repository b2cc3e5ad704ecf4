"""What an existing repository already says about its project, for `commonplace new` inside it.

Every file read here is untrusted: a file is read only when it is a regular file (never through a
symbolic link, which could point outside the repository), at most MAX_BYTES, as UTF-8 text
without NUL bytes; anything else is treated as absent. What is taken from a file is cut to one
line of printable characters, so that it can be written into YAML whatever it held.

The name comes from the first of: `CITATION.cff` `title`, the README's first heading,
`pyproject.toml` `[project] name`, `package.json` `name`. The description from the first of:
`CITATION.cff` `abstract`, `pyproject.toml` `[project] description`, `package.json`
`description`, the README's first paragraph. A citation file is written for people and says
what the authors want cited, a README's heading is what visitors read first; package metadata
names a package, which is often a lower-case identifier.
"""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import tomllib
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

from .load import documents

MAX_BYTES = 512 * 1024
MAX_NAME = 120
MAX_DESCRIPTION = 400

READMES = ("README.md", "README.rst", "README.txt", "README", "readme.md", "Readme.md")
LICENCE_FILES = tuple(documents.candidates("licence"))  # the names the portal's own licence check reads

# Words that identify a licence text, checked in order (the more specific first).
_LICENCE_TEXTS = (
    ("AGPL-3.0-only", ("GNU AFFERO GENERAL PUBLIC LICENSE", "Version 3")),
    ("LGPL-3.0-only", ("GNU LESSER GENERAL PUBLIC LICENSE", "Version 3")),
    ("LGPL-2.1-only", ("GNU LESSER GENERAL PUBLIC LICENSE", "Version 2.1")),
    ("GPL-3.0-only", ("GNU GENERAL PUBLIC LICENSE", "Version 3")),
    ("GPL-2.0-only", ("GNU GENERAL PUBLIC LICENSE", "Version 2")),
    ("Apache-2.0", ("Apache License", "Version 2.0")),
    ("MPL-2.0", ("Mozilla Public License", "2.0")),
    ("BSD-3-Clause", ("Redistribution and use in source and binary forms", "Neither the name")),
    ("BSD-2-Clause", ("Redistribution and use in source and binary forms",)),
    ("MIT", ("Permission is hereby granted, free of charge",)),
    ("ISC", ("Permission to use, copy, modify, and/or distribute this software for any purpose",)),
    ("Unlicense", ("This is free and unencumbered software released into the public domain",)),
    ("CC0-1.0", ("CC0 1.0 Universal",)),
    ("CC-BY-SA-4.0", ("Attribution-ShareAlike 4.0 International",)),
    ("CC-BY-4.0", ("Attribution 4.0 International",)),
)
# The GNU licences are recognised by their title, in a text's first lines: other licences name
# them in their body (MPL-2.0 lists the GNU licences as its "Secondary Licenses", GPL-3.0 the AGPL).
_BY_TITLE = frozenset({"AGPL-3.0-only", "LGPL-3.0-only", "LGPL-2.1-only", "GPL-3.0-only", "GPL-2.0-only"})
_TITLE_CHARS = 1500
_SPDX = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.+-]*(?: (?:AND|OR|WITH) [A-Za-z0-9][A-Za-z0-9.+-]*)*$")
_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$")
_RST_UNDERLINE = re.compile(r"^([=\-~^*#+])\1{2,}\s*$")
_FORGE_URL = re.compile(r"^(?:(?:https?|ssh|git)://(?:[^@/]+@)?([^/:]+)(?::\d+)?/|[^@/\s]+@([^:/\s]+):)(.+?)(?:\.git)?/?$")
_REPO_PATH = re.compile(r"^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+$")


@dataclass
class Found:
    """What the repository says, each with the file it was read from (for the summary printed)."""

    name: tuple[str, str] | None = None  # (value, source file)
    description: tuple[str, str] | None = None
    license: tuple[str, str] | None = None
    licence_file: str | None = None  # a root licence file, recognised or not
    forge: dict | None = None  # kind, repo (and host for a self-hosted GitLab)
    skipped: tuple[str, ...] = ()  # files present but not read (a link, too big, not text)
    documents: dict | None = None  # {kind: path} of the code of conduct and contribution guide it has


def work_tree_of(target: Path) -> Path | None:
    """The top of the git work tree that holds `target`'s parent folder, or None."""
    parent = Path(os.path.abspath(target)).parent
    while not parent.exists():
        parent = parent.parent
    probe = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=parent, capture_output=True, text=True)
    top = probe.stdout.strip()
    return Path(top) if probe.returncode == 0 and top else None


def one_line(text: str, limit: int) -> str:
    """`text` as one line of printable characters (no control, format or private-use character:
    YAML refuses some, and none belongs in a name), cut at a word to `limit` characters."""
    text = "".join(" " if unicodedata.category(c).startswith(("C", "Z")) else c for c in text)
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0].rstrip(" ,;:-") + "…"
    return text


def read_text(root: Path, rel: str, skipped: list[str]) -> str | None:
    """The file's text, or None when it is absent or not a small regular UTF-8 text file (then
    its name joins `skipped`). A symbolic link anywhere on the path is never followed."""
    path = root
    for part in rel.split("/"):
        path = path / part
        try:
            mode = os.lstat(path).st_mode
        except OSError:
            return None
        if stat.S_ISLNK(mode):
            skipped.append(f"{rel} (a symbolic link)")
            return None
    if not stat.S_ISREG(mode):
        return None
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError:
        skipped.append(f"{rel} (unreadable)")
        return None
    if len(data) > MAX_BYTES:
        skipped.append(f"{rel} (larger than {MAX_BYTES // 1024} KiB)")
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        skipped.append(f"{rel} (not UTF-8 text)")
        return None
    if "\0" in text:
        skipped.append(f"{rel} (not text)")
        return None
    return text


def _string(value) -> str:
    return value if isinstance(value, str) else ""


def _citation(text: str | None) -> tuple[str, str]:
    if not text:
        return "", ""
    try:
        doc = yaml.safe_load(text)
    except (yaml.YAMLError, RecursionError, ValueError):
        return "", ""
    if not isinstance(doc, dict):
        return "", ""
    return _string(doc.get("title")), _string(doc.get("abstract"))


def _pyproject(text: str | None) -> tuple[str, str, str]:
    if not text:
        return "", "", ""
    try:
        project = tomllib.loads(text).get("project")
    except (tomllib.TOMLDecodeError, RecursionError, ValueError):
        return "", "", ""
    if not isinstance(project, dict):
        return "", "", ""
    licence = project.get("license")
    licence = licence if isinstance(licence, str) else ""
    return _string(project.get("name")), _string(project.get("description")), licence


def _package_json(text: str | None) -> tuple[str, str, str]:
    if not text:
        return "", "", ""
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError):
        return "", "", ""
    if not isinstance(doc, dict):
        return "", "", ""
    return _string(doc.get("name")), _string(doc.get("description")), _string(doc.get("license"))


def _readme(text: str | None) -> tuple[str, str]:
    """(first heading, first paragraph after it) of a Markdown or reStructuredText README."""
    if not text:
        return "", ""
    lines = text.splitlines()[:400]
    title, start = "", 0
    for i, line in enumerate(lines):
        heading = _HEADING.match(line)
        if heading:
            title, start = heading.group(1), i + 1
            break
        if line.strip() and i + 1 < len(lines) and _RST_UNDERLINE.match(lines[i + 1]):
            title, start = line.strip(), i + 2
            break
    paragraph: list[str] = []
    for line in lines[start:]:
        stripped = line.strip()
        if not stripped:
            if paragraph:
                break
            continue
        if stripped.startswith(("#", "!", "[!", "<", "..", "|", "```", "=", "-" * 3)) or _RST_UNDERLINE.match(stripped):
            if paragraph:
                break
            continue  # badges, images, HTML, directives: not prose
        paragraph.append(stripped)
    title = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", title)  # a logo is no name
    title = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", title)
    title = re.sub(r"<[^>]*>|[*_`]", "", title)
    return title, " ".join(paragraph)


def licence_id(text: str) -> str | None:
    """The SPDX id of a licence text, when its words are recognised."""
    flat = " ".join(text[:20000].split()).lower()
    for spdx, words in _LICENCE_TEXTS:
        where = flat[:_TITLE_CHARS] if spdx in _BY_TITLE else flat
        if all(w.lower() in where for w in words):
            if spdx in _BY_TITLE and "any later version" in where:  # a notice above the text says so
                return spdx.replace("-only", "-or-later")
            return spdx
    return None


def forge_of(url: str) -> dict | None:
    """The forge of a remote URL (https or ssh forms): github.com, gitlab.com, or a host whose
    name says gitlab (a self-hosted GitLab, given with its host). None for anything else."""
    match = _FORGE_URL.match(url.strip())
    if not match:
        return None
    host = (match.group(1) or match.group(2) or "").lower()
    repo = match.group(3).strip("/")
    if not _REPO_PATH.match(repo) or len(repo) > 200:
        return None
    if host == "github.com":
        return {"kind": "github", "repo": repo} if repo.count("/") == 1 else None
    if host == "gitlab.com":
        return {"kind": "gitlab", "repo": repo}
    if "gitlab" in host and re.fullmatch(r"[a-z0-9.-]+", host):
        return {"kind": "gitlab", "repo": repo, "host": f"https://{host}"}
    return None


def _git(root: Path, *args: str) -> str:
    probe = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)
    return probe.stdout.strip() if probe.returncode == 0 else ""


def default_branch(root: Path) -> str:
    """The branch the portal is built from: origin's default, else the current one, else main."""
    remote = _git(root, "symbolic-ref", "--quiet", "refs/remotes/origin/HEAD")
    if remote.startswith("refs/remotes/origin/"):
        return remote[len("refs/remotes/origin/"):]
    return _git(root, "symbolic-ref", "--quiet", "--short", "HEAD") or "main"


def repository_documents(root: Path, kinds=("code_of_conduct", "contribution_guide")) -> dict[str, str]:
    """{kind: path} of the community documents the repository has where forges look (its top,
    `.github/`, `docs/`), in any case of the name; a symbolic link does not count, as for the
    portal's own documents."""
    found: dict[str, str] = {}
    listings: dict[str, dict[str, str]] = {}
    for kind in kinds:
        for candidate in documents.candidates(kind):
            folder, _, name = candidate.rpartition("/")
            if folder not in listings:
                listings[folder] = _plain_files(root, folder)
            held = listings[folder].get(name.casefold())
            if held is not None:
                found[kind] = f"{folder}/{held}" if folder else held
                break
    return found


def _plain_files(root: Path, folder: str) -> dict[str, str]:
    """{casefolded name: name} of the regular files of a folder, none through a symbolic link."""
    path = root / folder if folder else root
    try:
        if folder and stat.S_ISLNK(os.lstat(path).st_mode):
            return {}
        names = sorted(os.listdir(path))
    except OSError:
        return {}
    plain: dict[str, str] = {}
    for name in names:
        try:
            if stat.S_ISREG(os.lstat(path / name).st_mode):
                plain.setdefault(name.casefold(), name)
        except OSError:
            continue
    return plain


def read_repository(root: Path) -> Found:
    """What the repository at `root` says about its project (see the module doc)."""
    skipped: list[str] = []
    found = Found()
    cite_title, cite_abstract = _citation(read_text(root, "CITATION.cff", skipped))
    readme_name = next((n for n in READMES if os.path.lexists(root / n)), None)
    readme_title, readme_text = _readme(read_text(root, readme_name, skipped) if readme_name else None)
    py_name, py_text, py_licence = _pyproject(read_text(root, "pyproject.toml", skipped))
    js_name, js_text, js_licence = _package_json(read_text(root, "package.json", skipped))
    for value, source in ((cite_title, "CITATION.cff"), (readme_title, readme_name), (py_name, "pyproject.toml"),
                          (js_name, "package.json")):
        value = one_line(value, MAX_NAME)
        if value:
            found.name = (value, source)
            break
    for value, source in ((cite_abstract, "CITATION.cff"), (py_text, "pyproject.toml"), (js_text, "package.json"),
                          (readme_text, readme_name)):
        value = one_line(value, MAX_DESCRIPTION)
        if value:
            found.description = (value, source)
            break
    at_top = {entry.casefold(): entry for entry in sorted(os.listdir(root))}
    for candidate in LICENCE_FILES:  # in any case, as forges read them (`license.md` counts)
        name = at_top.get(candidate.casefold())
        if name is not None:
            found.licence_file = name
            text = read_text(root, name, skipped)
            spdx = licence_id(text) if text else None
            if spdx:
                found.license = (spdx, name)
            break
    if found.license is None:
        for value, source in ((py_licence, "pyproject.toml"), (js_licence, "package.json")):
            value = value.strip()
            if value and len(value) <= 100 and _SPDX.match(value):
                found.license = (value, source)
                break
    url = _git(root, "config", "--get", "remote.origin.url")
    found.forge = forge_of(url) if url else None
    if found.forge is not None:
        found.forge["branch"] = default_branch(root)
    found.documents = repository_documents(root)
    found.skipped = tuple(skipped)
    return found
