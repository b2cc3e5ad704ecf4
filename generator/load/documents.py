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

from . import safepath

PLACES = ("", ".github/", "docs/")
NAMES = {
    "licence": ("LICENSE", "LICENCE", "COPYING"),
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
        for rel in candidates(kind):
            if place_reader.exists(rel):
                return f"{prefix}{rel}"
            if findings is not None and _is_link(getattr(place_reader, "root", None), rel):
                findings.warning(f"{prefix}{rel}", 1, 1, "is a symbolic link: not followed, so it does not count "
                                 f"as the community's {LABELS[kind]} (commit the file itself)")
    return None


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
    from ..gitinfo import repo_info

    info = repo_info(root)
    if info.workdir is None or not info.subdir:
        return None
    return Path(info.workdir), "../" * len([p for p in info.subdir.split("/") if p])


def document_paths(root: Path) -> list[tuple[str, str]]:
    """(the path as the community names it, the file) of every place a document may be, in the
    community's folder and at the repository's top: what a build's fingerprint must cover."""
    paths = [(rel, os.path.join(root, rel)) for kind in NAMES for rel in candidates(kind)]
    top = repository_top(root)
    if top is not None:
        paths += [(f"{top[1]}{rel}", os.path.join(top[0], rel)) for kind in NAMES for rel in candidates(kind)]
    return paths
