"""Which paths are documentation (social use value) and which are source code (the replacement
cost, see `languages.py`), decided once per commit when it is read."""

from __future__ import annotations

from .languages import is_source_code

DOC_FOLDERS = frozenset({"doc", "docs", "documentation", "man", "manual", "guide", "guides", "pages", "wiki"})
DOC_EXTENSIONS = (".md", ".markdown", ".rst", ".adoc", ".asciidoc", ".txt", ".org", ".texi", ".pod")
DOC_NAMES = ("readme", "changelog", "contributing", "news", "install", "authors", "code_of_conduct")


def is_documentation(path: str) -> bool:
    parts = path.lower().split("/")
    name = parts[-1]
    return (
        any(p in DOC_FOLDERS for p in parts[:-1])
        or name.endswith(DOC_EXTENSIONS)
        or name.split(".", 1)[0] in DOC_NAMES
    )


def summarize(files) -> tuple[int, int, int, int, int]:
    """(lines added, lines removed, lines changed in documentation files, lines of source code
    added, lines of source code removed) of a commit's files."""
    added = removed = doc = code_added = code_removed = 0
    for path, plus, minus in files:
        added += plus
        removed += minus
        if is_documentation(path):
            doc += plus + minus
        if is_source_code(path):
            code_added += plus
            code_removed += minus
    return added, removed, doc, code_added, code_removed
