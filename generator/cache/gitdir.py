"""The repository a folder belongs to, found and stamped without libgit2.

A build that has nothing to do must say so in a fraction of a second, and loading pygit2 alone
takes a third of that budget. What it needs from git is small: where the git folder is (the
caches live there), where the work tree's top is, and whether HEAD moved since the last build.
These follow git's own layout rules (a `.git` folder, a `.git` file naming the folder of a linked
work tree or submodule, a bare repository, no crossing into another file system), and
`tests/test_gitdir.py` holds them equal to libgit2's answers. Anything this module cannot read
as it expects makes the stamp differ, never match: the build then asks libgit2.
"""

from __future__ import annotations

import os
import stat


def _is_git_dir(path: str) -> bool:
    """A git folder has HEAD, and objects and refs (in it, or in the folder its `commondir` names)."""
    if not os.path.isfile(os.path.join(path, "HEAD")):
        return False
    common = _common_dir(path)
    return os.path.isdir(os.path.join(common, "objects")) and os.path.isdir(os.path.join(common, "refs"))


def _common_dir(git_dir: str) -> str:
    """The folder a linked work tree's git folder shares with the main one (itself otherwise)."""
    try:
        with open(os.path.join(git_dir, "commondir"), encoding="utf-8") as handle:
            named = handle.read().strip()
    except (OSError, UnicodeDecodeError):
        return git_dir
    return os.path.normpath(os.path.join(git_dir, named)) if named else git_dir


def _gitfile_target(path: str) -> str | None:
    """The folder a `.git` file names (`gitdir: <path>`, relative to the file's folder)."""
    try:
        with open(path, encoding="utf-8") as handle:
            first = handle.readline(4096).rstrip("\r\n")
    except (OSError, UnicodeDecodeError):
        return None
    if not first.startswith("gitdir: "):
        return None
    return os.path.normpath(os.path.join(os.path.dirname(path), first[len("gitdir: "):]))


def discover(path) -> tuple[str, str | None] | None:
    """(the git folder, with a trailing slash as `pygit2.discover_repository` gives it; the work
    tree's top, None for a bare repository) of the repository `path` is in, or None."""
    current = os.path.realpath(path)
    try:
        device = os.stat(current).st_dev
    except OSError:
        return None
    if not os.path.isdir(current):
        current = os.path.dirname(current)
    while True:
        dotgit = os.path.join(current, ".git")
        try:
            info = os.stat(dotgit)
        except OSError:
            info = None
        if info is not None and stat.S_ISDIR(info.st_mode) and _is_git_dir(dotgit):
            return os.path.join(dotgit, ""), current
        if info is not None and stat.S_ISREG(info.st_mode):
            target = _gitfile_target(dotgit)
            if target is not None and _is_git_dir(target):
                return os.path.join(os.path.realpath(target), ""), current
        if _is_git_dir(current):
            return os.path.join(current, ""), None
        parent = os.path.dirname(current)
        if parent == current:
            return None
        try:
            if os.stat(parent).st_dev != device:  # libgit2 does not cross file systems either
                return None
        except OSError:
            return None
        current = parent


def head_stamp(git_dir: str) -> str:
    """What HEAD's commit depends on, as file states: HEAD's text, and the status (size, times,
    inode) of the loose ref it names and of packed-refs. Git replaces a ref's file (or rewrites
    packed-refs) whenever the ref moves, so an equal stamp means the same commit; a stamp that
    differs only means asking libgit2."""
    common = _common_dir(git_dir)
    try:
        with open(os.path.join(git_dir, "HEAD"), "rb") as handle:
            head = handle.read(4096)
    except OSError:
        return "no HEAD"
    parts = [repr(head)]
    names = ["packed-refs"]
    if head.startswith(b"ref: "):
        ref = head[5:].strip().decode("utf-8", "surrogateescape")
        names.insert(0, ref)
    for folder in dict.fromkeys((git_dir, common)):
        for name in names:
            try:
                info = os.stat(os.path.join(folder, name))
            except OSError:
                parts.append(f"{name} -")
                continue
            parts.append(f"{name} {info.st_size} {info.st_mtime_ns} {info.st_ctime_ns} {info.st_ino}")
    return "\n".join(parts)
