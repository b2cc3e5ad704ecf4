"""The user-facing errors of the value engine: one small hierarchy, each with the fix in its message.

The CLI prints `str(error)` and exits 1; these are never shown as tracebacks.
"""

from __future__ import annotations


class ValueEngineError(ValueError):
    """An error the user can fix (a wrong path, ref or option, an incomplete clone)."""


class NotARepository(ValueEngineError):
    def __init__(self, path) -> None:
        super().__init__(
            f"{path} is not inside a git repository: run `git init` there or point to a clone"
        )


class UnknownRef(ValueEngineError):
    def __init__(self, ref: str) -> None:
        super().__init__(
            f"unknown ref '{ref}': give a branch, tag or commit that exists (see `git branch -a`)"
        )


class ShallowHistory(ValueEngineError):
    def __init__(self, path) -> None:
        super().__init__(
            f"{path} is a shallow clone, so its history is incomplete and every figure would be "
            "wrong. Fetch the whole history: on GitHub set `fetch-depth: 0` in the "
            "actions/checkout step; on GitLab set the variable `GIT_DEPTH: 0`; locally run "
            "`git fetch --unshallow`"
        )


class BadSubdir(ValueEngineError):
    def __init__(self, subdir: str) -> None:
        super().__init__(
            f"'{subdir}' is not a folder path inside the repository: give it relative to the "
            "repository root, with '/' separators and no '..'"
        )


class BadWeights(ValueEngineError):
    pass


class BadBudget(ValueEngineError):
    pass


class UnreadableCommit(ValueEngineError):
    def __init__(self, cid: str, reason) -> None:
        super().__init__(
            f"commit {cid} cannot be read ({reason}): its author or committer line is malformed "
            "(libgit2, which reads the history, cannot parse its date). Rewrite the history from "
            "its parent without it (`git rebase`), or check out a ref that does not contain it"
        )
