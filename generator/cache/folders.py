"""Where every cache lives. This module alone knows the folders; everything else asks it.

Caches that hold code run when loaded (pickles, compiled templates) or repositories git would
obey (the peers' mirrors) live in the repository's git folder, `<git dir>/commonplace-cache/`,
where nothing in a commit can land: a pull request could commit a bare repository whose config
git would obey when fetching into it, or links pointing anywhere. Outside a repository, the
harmless ones (manifests, `serve`'s site, mirrors) live in `<source>/.commonplace-cache/`, never
through a link, and the others are not kept at all.

Every folder of one community carries a key of the community's folder, so two communities in
one repository keep their own caches.

A repository that holds no community (no `commonplace.yaml` or `community.yaml` at the source:
any project's repository, a bare clone) is only read: `commonplace value` and `rewards` keep the
value engine's caches in the user's cache folder, `$XDG_CACHE_HOME/commonplace/<key of the
repository's git folder>` (see `value_cache_dir`), never in the repository.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from value.cache import engine_cache_dir, user_cache_dir

from ..errors import CommonplaceError
from .gitdir import discover


def private_dir(source: Path) -> Path | None:
    """`<git dir>/commonplace-cache`, the caches' folder no pull request or fork can write into
    (nothing in a commit lands in the git folder), or None outside a repository."""
    found = discover(source)
    return engine_cache_dir(found[0]) if found else None  # the value engine's folder, shared


def holds_community(source: Path) -> bool:
    """True when `source` is a community's folder: `commonplace.yaml` or `community.yaml` is there."""
    return (Path(source) / "commonplace.yaml").is_file() or (Path(source) / "community.yaml").is_file()


def value_cache_dir(source: Path) -> Path | None:
    """Where the value engine keeps its caches for `source`: the repository's git folder (see
    `private_dir`) when `source` holds a community, else the user's cache folder,
    `$XDG_CACHE_HOME/commonplace/<key of the repository>` (mode 0700), so that reading any other
    repository writes nothing into it. None outside a repository."""
    found = discover(source)
    if not found:
        return None
    return engine_cache_dir(found[0]) if holds_community(source) else user_cache_dir(found[0])


def community_key(source: Path) -> str:
    """A short name for a community folder: two communities in one repository keep their own caches."""
    return hashlib.sha256(str(Path(source).resolve()).encode("utf-8", "surrogatepass")).hexdigest()[:16]


def work_tree_dir(source: Path) -> Path:
    """`<source>/.commonplace-cache`: where a community outside a git repository keeps its
    manifests, `serve`'s site and its peers' mirrors (see `local_cache`).

    It sits in the work tree, where anything may have been put, so a link there is refused,
    never followed: a `.commonplace-cache` pointing elsewhere would have every build write
    wherever it points."""
    folder = Path(source) / ".commonplace-cache"
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise CommonplaceError(f"{folder} is a link or a file, not a folder: Commonplace keeps its caches there "
                               "and never follows a link. Delete it (and remove it from git if it is committed)")
    return folder


def local_cache(source: Path, name: str) -> Path:
    """Where a community keeps the cache called `name`: `<git dir>/commonplace-cache/<name>-<folder
    key>` in a repository, `<source>/.commonplace-cache/<name>` outside one, never through a link."""
    private = private_dir(source)
    if private is not None:
        return private / f"{name}-{community_key(source)}"
    folder = work_tree_dir(source) / name
    if folder.is_symlink():
        raise CommonplaceError(f"{folder} is a link: Commonplace keeps its caches there and never follows a link. "
                               "Delete it")
    return folder


def peers_dir(source: Path) -> Path:
    """The peers' bare mirrors (`commonplace fetch` writes them, the build reads them)."""
    return local_cache(source, "peers")


def manifests_dir(source: Path) -> Path:
    """One manifest per output folder: what the last build into it wrote (see `manifest`)."""
    return local_cache(source, "manifests")


def serve_dir(source: Path) -> Path:
    """The site `commonplace serve` builds and serves."""
    return local_cache(source, "serve")


def build_cache_file(source: Path) -> Path | None:
    """Parsed files and rendered Markdown (see `buildcache`): pickles, so in the git folder only."""
    private = private_dir(source)
    return private / f"build-{community_key(source)}.pickle" if private is not None else None


def templates_dir(build_cache: Path) -> Path:
    """Compiled templates (see `render.templatecache`), shared by the repository's communities
    (their keys cover the theme and catalogue), beside the build cache they go with."""
    return build_cache.parent / "templates"
