"""The theme: the default theme's templates and assets, overridden file by file by the
community's `theme/`.

The community's files come from pull requests, so symlinks in `theme/` are never followed (the
environment that runs its templates is in `environment`).
"""

from __future__ import annotations

import os
from pathlib import Path

import jinja2
from markupsafe import Markup

from ..load import safepath
from ..resources import themes_dir

MAX_TEMPLATE_BYTES = 500_000


_plain_file = safepath.plain_file


class ThemeLoader(jinja2.BaseLoader):
    """Looks in the community's theme folder first, then in the default theme."""

    def __init__(self, folders: list[Path]):
        self.folders = folders

    def get_source(self, environment, template):
        for folder in self.folders:
            path = _plain_file(folder, template)
            if path is None:
                continue
            if path.stat().st_size > MAX_TEMPLATE_BYTES:
                raise jinja2.TemplateNotFound(template)
            source = path.read_text(encoding="utf-8")
            mtime = path.stat().st_mtime
            return source, str(path), lambda p=path, t=mtime: p.exists() and p.stat().st_mtime == t
        raise jinja2.TemplateNotFound(template)


def has_own_templates(community_root: Path) -> bool:
    """Whether the community's `theme/` holds templates of its own (they run in the sandbox)."""
    own = community_root / "theme"
    if not own.is_dir() or own.is_symlink():
        return False
    return any(p.suffix in (".html", ".xml", ".txt") for p in own.rglob("*") if "assets" not in p.parts)


def theme_folders(community_root: Path) -> list[Path]:
    folders = []
    own = community_root / "theme"
    if own.is_dir() and not own.is_symlink():
        folders.append(own)
    folders.append(themes_dir() / "default")
    return folders


def theme_assets(community_root: Path) -> dict[str, bytes]:
    """Asset files by path under `assets/`; the community's files replace the default's."""
    assets: dict[str, bytes] = {}
    for folder in reversed(theme_folders(community_root)):
        base = folder / "assets"
        if not base.is_dir() or base.is_symlink():
            continue
        for dirpath, dirnames, filenames in os.walk(base):  # os.walk does not follow symlinks
            dirnames[:] = sorted(d for d in dirnames if not (Path(dirpath) / d).is_symlink())
            for name in sorted(filenames):
                rel = (Path(dirpath) / name).relative_to(base).as_posix()
                path = _plain_file(base, rel)
                if path is not None and not name.startswith("."):
                    assets[rel] = path.read_bytes()
    return assets


def inline_stylesheet(community_root: Path) -> Markup:
    """The theme's `assets/style.css` as the text of a `<style>` element, for the 404 page: a
    server shows it at any address, under any folder, where no link to the style sheet could be
    relied on. Its text cannot end the element (`</` is written as CSS's own escape `<\\/`)."""
    css = theme_assets(community_root).get("style.css", b"").decode("utf-8", "replace")
    return Markup(css.replace("</", "<\\/"))
