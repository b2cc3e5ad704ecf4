"""Links to the forge where the community's files live (GitHub or GitLab)."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from ..model import Forge


def _url(forge: Forge, action: str, rel: str) -> str:
    """`{repo}/{action}/{branch}/{path}` on GitHub, `{repo}/-/{action}/{branch}/{path}` on GitLab."""
    path = quote(f"{forge.path}/{rel}" if forge.path else rel)
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
    if forge is None:
        return None
    if forge.kind == "gitlab":
        return f"{_url(forge, 'new', folder)}?{urlencode({'file_name': filename, 'content': content})}"
    return f"{_url(forge, 'new', folder)}?{urlencode({'filename': filename, 'value': content})}"
