"""Read a community straight from git objects: the loader's `FileReader`, over a pygit2 tree.

Nothing is checked out, so nothing in a peer's repository can reach the file system: symbolic
links (mode 120000) are never followed and submodules (mode 160000) never entered, both with a
warning, exactly as `FileReader` treats links in a work tree; blobs larger than the bound are
refused from their header, before their content is read.
"""

from __future__ import annotations

import os
from pathlib import Path

import pygit2

from ..errors import Findings
from ..load import safepath
from ..load.yamlsafe import MAX_BYTES

LINK = 0o120000
SUBMODULE = 0o160000
TREE = 0o040000
_FILES = (0o100644, 0o100755, 0o100664)  # 100664 is an old, still valid regular-file mode


class GitTreeReader:
    """The `FileReader` interface (`exists`, `list_dir`, `read_text`) over a git tree.

    Build it with `GitTreeReader.factory(repo, ref, path)` and give that to `load_community`:

        load_community(Path("peers") / name, reader_factory=GitTreeReader.factory(repo, "refs/heads/main"))
    """

    def __init__(self, root: Path, findings: Findings, *, repo: pygit2.Repository, tree: pygit2.Tree,
                 max_bytes: int = MAX_BYTES):
        self.root = root
        self.findings = findings
        self.repo = repo
        self.tree = tree
        self.max_bytes = max_bytes

    @classmethod
    def factory(cls, repo: pygit2.Repository, ref: str, path: str = "", *, max_bytes: int = MAX_BYTES):
        """A `reader_factory(root, findings)` reading `ref` (a branch, tag or commit id), in its
        folder `path` ("" for the top). Raises KeyError when the ref or the folder is missing."""
        tree = subtree(repo, ref, path)

        def make(root: Path, findings: Findings) -> "GitTreeReader":
            return cls(root, findings, repo=repo, tree=tree, max_bytes=max_bytes)

        return make

    # -- walking ---------------------------------------------------------------------------------
    def _entry(self, rel: str, *, warn: bool):
        """The object at `rel`, or None when missing, a link or a submodule (with a warning)."""
        node = self.tree
        parts = [p for p in rel.split("/") if p]
        for i, part in enumerate(parts):
            if not isinstance(node, pygit2.Tree) or part in (".", ".."):
                return None
            try:
                entry = node[part]
            except KeyError:
                return None
            mode = entry.filemode
            here = "/".join(parts[: i + 1])
            if mode == LINK:
                if warn:
                    self.findings.warning(here, 1, 1, "is a symbolic link: not followed (commit the file itself)")
                return None
            if mode == SUBMODULE:
                if warn:
                    self.findings.warning(here, 1, 1, "is a git submodule: not read (commit the files themselves)")
                return None
            node = entry
        return node

    def exists(self, rel: str) -> bool:
        return self._entry(rel, warn=False) is not None

    def list_dir(self, folder: str) -> list[str]:
        node = self._entry(folder, warn=True)
        if not isinstance(node, pygit2.Tree):
            return []
        names = []
        for entry in sorted(node, key=lambda e: e.name):
            name = entry.name
            if name.startswith("."):
                continue
            if entry.filemode == LINK:
                self.findings.warning(f"{folder}/{name}", 1, 1, "is a symbolic link: not followed (commit the file itself)")
            elif entry.filemode == SUBMODULE:
                self.findings.warning(f"{folder}/{name}", 1, 1, "is a git submodule: not read (commit the files themselves)")
            elif entry.filemode in _FILES:
                names.append(name)
        return names

    def read_bytes(self, rel: str) -> bytes | None:
        """The blob at `rel` if it is a regular file within the size bound (else None, with an
        error finding when it is too large)."""
        node = self._entry(rel, warn=True)
        if node is None or node.filemode not in _FILES:
            return None
        _kind, size = self.repo.odb.read_header(node.id)
        if size > self.max_bytes:
            self.findings.error(rel, 1, 1, f"file is larger than {self.max_bytes // 1000} kB")
            return None
        return self.repo[node.id].data

    def read_text(self, rel: str) -> str | None:
        data = self.read_bytes(rel)
        if data is None:
            return None
        text, bad_line = safepath.decode(data)
        if text is None:
            self.findings.error(rel, bad_line, 1, safepath.NOT_UTF8_MESSAGE)
        return text


def subtree(repo: pygit2.Repository, ref: str, path: str = "") -> pygit2.Tree:
    """The tree of `ref` (peeled to its commit), or of its folder `path` (forward slashes, no
    links followed). Raises KeyError when the ref or the folder does not exist."""
    try:
        commit = repo.revparse_single(ref).peel(pygit2.Commit)
    except (KeyError, ValueError, pygit2.GitError, pygit2.InvalidSpecError):
        raise KeyError(ref) from None
    tree = commit.tree
    for part in [p for p in path.replace(os.sep, "/").split("/") if p]:
        if part in (".", ".."):
            raise KeyError(path)
        try:
            entry = tree[part]
        except KeyError:
            raise KeyError(path) from None
        if entry.filemode != TREE:
            raise KeyError(path)
        tree = entry
    return tree
