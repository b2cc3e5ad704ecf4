"""Links to the forge where the community's files live (GitHub or GitLab)."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from .model import Forge


def _repo_path(forge: Forge, rel: str) -> str:
    return f"{forge.path}/{rel}" if forge.path else rel


def edit_url(forge: Forge | None, rel: str) -> str | None:
    """The forge's web editor for a file of the community."""
    if forge is None or not rel:
        return None
    path = quote(_repo_path(forge, rel))
    branch = quote(forge.branch, safe="")
    if forge.kind == "gitlab":
        return f"{forge.base}/-/edit/{branch}/{path}"
    return f"{forge.base}/edit/{branch}/{path}"


def folder_url(forge: Forge | None, folder: str) -> str | None:
    """The forge's view of a folder of the community (for pages made from many files)."""
    if forge is None or not folder:
        return None
    path = quote(_repo_path(forge, folder))
    branch = quote(forge.branch, safe="")
    if forge.kind == "gitlab":
        return f"{forge.base}/-/tree/{branch}/{path}"
    return f"{forge.base}/tree/{branch}/{path}"


def new_file_url(forge: Forge | None, folder: str, filename: str, content: str) -> str | None:
    """The forge's "new file" form, with a filled-in template to propose an item."""
    if forge is None:
        return None
    directory = quote(_repo_path(forge, folder))
    branch = quote(forge.branch, safe="")
    if forge.kind == "gitlab":
        query = urlencode({"file_name": filename, "content": content})
        return f"{forge.base}/-/new/{branch}/{directory}?{query}"
    query = urlencode({"filename": filename, "value": content})
    return f"{forge.base}/new/{branch}/{directory}?{query}"
