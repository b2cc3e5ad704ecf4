"""Which of the files a newcomer looks for the community has: licence, governance, code of
conduct, contribution guide (the files GitHub's community profile looks for, in the places it
looks), or a page of the portal that says the same. The sustainability advice reads this."""

from __future__ import annotations

PLACES = ("", ".github/", "docs/")
NAMES = {
    "licence": ("LICENSE", "LICENCE", "COPYING"),
    "governance": ("GOVERNANCE",),
    "code_of_conduct": ("CODE_OF_CONDUCT", "CODE-OF-CONDUCT"),
    "contribution_guide": ("CONTRIBUTING",),
}
SUFFIXES = ("", ".md", ".txt", ".rst")
# A page of the portal (pages/<slug>.md) that stands for the file.
PAGES = {
    "governance": ("governance",),
    "code_of_conduct": ("code-of-conduct", "conduct"),
    "contribution_guide": ("contributing", "contribute", "join"),
}


def documents(reader, page_slugs, governance_text: str = "") -> dict[str, str]:
    """{kind: the file or page that holds it} for the kinds present, e.g. {"licence": "LICENSE"}.
    `reader` is the loader's (it never follows a link); the licence file is looked for only in
    files, since community.yaml names a licence in every community."""
    found: dict[str, str] = {}
    for kind, stems in NAMES.items():
        places = ("",) if kind == "licence" else PLACES
        for rel in (f"{place}{stem}{suffix}" for place in places for stem in stems for suffix in SUFFIXES):
            if reader.exists(rel):
                found[kind] = rel
                break
        else:
            for slug in PAGES.get(kind, ()):
                if slug in page_slugs:
                    found[kind] = f"pages/{slug}.md"
                    break
    if "governance" not in found and governance_text.strip():
        found["governance"] = "community.yaml"
    return dict(sorted(found.items()))
