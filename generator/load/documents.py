"""Which of the files a newcomer looks for the community has: licence, governance, code of
conduct, contribution guide, security policy (the files GitHub's community profile looks for, in
the places it looks), or a page of the portal that says the same. The sustainability advice reads
this.

A community that is a folder of a larger repository has the repository's documents too: what the
folder lacks is looked for at the repository's top, in `.github/` and in `docs/` there (the
licence at the top only, as forges look for it), read through the same reader that never follows
a link, rooted at the work tree's top so that no path leaves the repository. Such a file is named
from the community's folder (`../LICENSE.txt`)."""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import Findings
from . import safepath

PLACES = ("", ".github/", "docs/")
NAMES = {
    # the names licence detectors read, with a licence's name before or after (Rails' MIT-LICENSE,
    # Rust's LICENSE-MIT and LICENSE-APACHE)
    "licence": ("LICENSE", "LICENCE", "COPYING", "UNLICENSE", "MIT-LICENSE", "LICENSE-MIT", "LICENSE-APACHE"),
    "governance": ("GOVERNANCE",),
    "code_of_conduct": ("CODE_OF_CONDUCT", "CODE-OF-CONDUCT"),
    "contribution_guide": ("CONTRIBUTING",),
    "security": ("SECURITY",),
}
LABELS = {"licence": "licence", "governance": "governance description", "code_of_conduct": "code of conduct",
          "contribution_guide": "contribution guide", "security": "security policy"}
SUFFIXES = ("", ".md", ".txt", ".rst")
# A page of the portal (pages/<slug>.md) that stands for the file.
PAGES = {
    "governance": ("governance",),
    "code_of_conduct": ("code-of-conduct", "conduct"),
    "contribution_guide": ("contributing", "contribute", "join"),
}


def candidates(kind: str) -> list[str]:
    """The paths a document of `kind` may have, relative to a folder, in the order looked at."""
    places = ("",) if kind == "licence" else PLACES
    return [f"{place}{stem}{suffix}" for place in places for stem in NAMES[kind] for suffix in SUFFIXES]


def is_document(rel: str) -> bool:
    """Whether a file at `rel` (relative to the folder looked in) may be a document, in any case
    of its name."""
    folder, _, name = rel.rpartition("/")
    return any(c.rpartition("/")[0] == folder and c.rpartition("/")[2].casefold() == name.casefold()
               for kind in NAMES for c in candidates(kind))


def documents(reader, page_slugs, governance_text: str = "", repository=None, findings=None) -> dict[str, str]:
    """{kind: the file or page that holds it} for the kinds present, e.g. {"licence": "LICENSE"}.
    `reader` is the loader's (it never follows a link); the licence file is looked for only in
    files, since community.yaml names a licence in every community. `repository`: (a reader of
    the repository's top folder, the path from the community's folder to it, such as "../")
    when the community is a folder of a larger repository. `findings` gets a warning for each
    document that is a symbolic link, so not counted."""
    places = [(reader, "")] + ([repository] if repository is not None else [])
    found: dict[str, str] = {}
    for kind in NAMES:
        found_here = _first(places[:1], kind, findings) or _page(kind, page_slugs) or _first(places[1:], kind, findings)
        if found_here:
            found[kind] = found_here
    if "governance" not in found and governance_text.strip():
        found["governance"] = "community.yaml"
    return dict(sorted(found.items()))


def _first(places, kind: str, findings) -> str | None:
    for place_reader, prefix in places:
        listings = {}
        for rel in candidates(kind):
            folder, _, name = rel.rpartition("/")
            if folder not in listings:
                listings[folder] = _names(place_reader, folder)
            held = listings[folder].get(name.casefold())  # as forges do: `docs/contributing.rst` counts
            if held is not None and place_reader.exists(f"{folder}/{held}" if folder else held):
                return f"{prefix}{folder}/{held}" if folder else f"{prefix}{held}"
            if findings is not None and _is_link(getattr(place_reader, "root", None), rel):
                findings.warning(f"{prefix}{rel}", 1, 1, "is a symbolic link: not followed, so it does not count "
                                 f"as the community's {LABELS[kind]} (commit the file itself)")
    return None


def _names(reader, folder: str) -> dict[str, str]:
    """{casefolded name: name} of the plain files of a folder (the first of names that differ only
    in case), without the reader's warnings about links: `_first` says which links it skips."""
    saved, reader.findings = reader.findings, Findings()
    try:
        names = reader.list_dir(folder)
    finally:
        reader.findings = saved
    found: dict[str, str] = {}
    for name in sorted(names):
        found.setdefault(name.casefold(), name)
    return found


def _is_link(root, rel: str) -> bool:
    """Whether `rel` itself (not a folder on its way, said once by whoever reads that) is a link."""
    if root is None:  # a reader of git objects: a link there is never read either
        return False
    parent = rel.rpartition("/")[0]
    return safepath.walk(root, rel)[0] == "symlink" and (not parent or safepath.walk(root, parent)[0] == "ok")


def _page(kind: str, page_slugs) -> str | None:
    for slug in PAGES.get(kind, ()):
        if slug in page_slugs:
            return f"pages/{slug}.md"
    return None


def repository_top(root: Path) -> tuple[Path, str] | None:
    """(the top of the work tree, the path to it from `root`, such as "../../") when the community
    at `root` is a folder of a larger repository's work tree; None otherwise."""
    from ..cache.gitdir import discover  # not libgit2: this runs when a build has nothing to do, too

    found = discover(root)
    if found is None or found[1] is None:
        return None
    top, here = Path(found[1]), Path(root).resolve()
    if here == top or not here.is_relative_to(top):
        return None
    return top, "../" * len(here.relative_to(top).parts)


def documents_stamp(root: Path) -> str:
    """What the documents found depend on, for a build's fingerprint: the names a document may
    have, and their kinds (file, link, folder), in each folder they are looked for in, the
    community's and the repository top's (only their presence counts, never their text)."""
    folders = [("", place, os.path.join(root, place)) for place in PLACES]
    top = repository_top(root)
    if top is not None:
        folders += [(top[1], place, os.path.join(top[0], place)) for place in PLACES]
    lines = []
    for prefix, place, path in folders:
        if os.path.islink(path.rstrip("/")) or not os.path.isdir(path):
            continue
        with os.scandir(path) as entries:
            lines += [f"{prefix}{place}{e.name} {'L' if e.is_symlink() else 'D' if e.is_dir() else 'F'}"
                      for e in entries if is_document(f"{place}{e.name}")]
    return "\n".join(sorted(lines))
