"""Links to the forge where the community's files live (GitHub or GitLab)."""

from __future__ import annotations

import posixpath
from urllib.parse import quote, quote_plus

from ..model import Forge


def _url(forge: Forge, action: str, rel: str) -> str:
    """`{repo}/{action}/{branch}/{path}` on GitHub, `{repo}/-/{action}/{branch}/{path}` on GitLab."""
    path = f"{forge.path}/{rel}" if forge.path else rel
    if rel.startswith("../"):  # a file of the repository's top, named from the community's folder
        path = posixpath.normpath(path)
    path = quote(path)
    branch = quote(forge.branch, safe="")
    separator = "/-" if forge.kind == "gitlab" else ""
    return f"{forge.base}{separator}/{action}/{branch}/{path}"


def edit_url(forge: Forge | None, rel: str) -> str | None:
    """The forge's web editor for a file of the community."""
    return _url(forge, "edit", rel) if forge is not None and rel else None


def folder_url(forge: Forge | None, folder: str) -> str | None:
    """The forge's view of a folder of the community (for pages made from many files)."""
    return _url(forge, "tree", folder) if forge is not None and folder else None


def new_file_url(forge: Forge | None, folder: str, filename: str, content: str) -> str | None:
    """The forge's "new file" form, with a filled-in template to propose an item."""
    return new_file_url_encoded(forge, folder, quote_plus(filename, safe=""), quote_plus(content, safe=""))


def new_file_url_encoded(forge: Forge | None, folder: str, filename: str, content: str) -> str | None:
    """`new_file_url` with the file's name and content already form-encoded (`quote_plus`)."""
    if forge is None:
        return None
    if forge.kind == "gitlab":
        return f"{_url(forge, 'new', folder)}?file_name={filename}&content={content}"
    return f"{_url(forge, 'new', folder)}?filename={filename}&value={content}"


def commit_url(forge: Forge | None, commit: str) -> str | None:
    """A commit's page on the forge: `{repo}/commit/{id}` (GitLab: `{repo}/-/commit/{id}`)."""
    if forge is None or not commit:
        return None
    separator = "/-" if forge.kind == "gitlab" else ""
    return f"{forge.base}{separator}/commit/{quote(commit, safe='')}"


def line_url(forge: Forge | None, rel: str, line: int) -> str | None:
    """A line of a community file on the forge, on the site's branch: `…/blob/{branch}/{path}#L12`
    (GitHub and GitLab alike). `rel` is relative to the community folder (`forge.path`)."""
    if forge is None or not rel:
        return None
    return f"{_url(forge, 'blob', rel)}#L{int(line)}"
