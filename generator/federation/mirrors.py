"""A bare mirror of every peer, kept through the git command line (`commonplace fetch`).

The git command line (driven by GitPython) does the network part, so the user's credential
helpers, SSH keys and agent, proxies and `insteadOf` rules all work as they do for `git fetch`.

Safety: a mirror is a bare repository made with no template (`git init --bare --template=`), with
`core.hooksPath=/dev/null` both in its config and on every command (`git -c`), so no hook can run
(fetch runs `reference-transaction` hooks); nothing is ever checked out; `ext::` transports are
refused; only the one declared branch is fetched, without tags; every git command is killed after
`timeout` seconds. Without a terminal, git is told not to prompt for a password
(`GIT_TERMINAL_PROMPT=0`) so a missing credential fails at once instead of hanging.

A peer that cannot be reached is a warning: its mirror is left exactly as it was, so the copy
fetched last time is still what the build reads.
"""

from __future__ import annotations

import os
import re
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from ..errors import CommonplaceError

# GitPython, the loader and the model are imported where they are used: every `commonplace`
# command builds this command's parser, and most never fetch.
if TYPE_CHECKING:
    import git

    from ..model import Model, Peer

# Options given to every git command run on a mirror.
GIT_OPTIONS = ("core.hooksPath=/dev/null", "protocol.ext.allow=never")

# The forms federation.schema.json accepts (checked again here: `fetch_peers` may be given peers
# that did not come through the loader).
_URL = re.compile(r"^(https://\S+|ssh://\S+|[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:\S+|(?:/|\./|\.\./|~/).*)$")
# A branch name git accepts and that cannot be read as a refspec or an option.
_BRANCH = re.compile(r"^(?!-)(?!.*\.\.)(?!.*//)(?!.*@\{)[A-Za-z0-9._/-]+(?<![./])$")
_CREDENTIALS = re.compile(r"(://)[^/@\s]+@")


def mirror_path(cache_dir: str | os.PathLike, name: str) -> Path:
    """The bare mirror of peer `name`: `<cache_dir>/<name>.git`."""
    from ..load.listing import SLUG

    if not SLUG.match(name):
        raise ValueError(f"peer name {name!r} is not a slug")
    return Path(cache_dir) / f"{name}.git"


LINKED_MIRROR = "is a link: a peer's mirror is never read or written through a link. Delete it"


def is_local(url: str) -> bool:
    """A local path (absolute, or starting with ./, ../ or ~/), as federation.yaml allows."""
    return url.startswith(("/", "./", "../", "~/"))


def resolve_url(url: str, base: str | os.PathLike) -> str:
    """The address to give git: local paths are made absolute (relative to `base`, the
    community's folder; `~/` is the user's home); remote addresses are left as they are."""
    if url.startswith("~/"):
        return str(Path(url).expanduser())
    if is_local(url):
        return str((Path(base) / url).resolve())
    return url


def redact(text: str) -> str:
    """Text with any `user:password@` of an address removed, fit to print."""
    return _CREDENTIALS.sub(r"\1", text)


def fetch_branch(peer: Peer, base: str | os.PathLike) -> str | None:
    """The branch to mirror for a peer, or None when there is nothing to fetch.

    git mode: `branch`. data mode: `data_branch` when given (e.g. gh-pages) is mirrored;
    otherwise a local folder is read in place and a web address is a published portal read over
    HTTP(S) (`portals`): None for both.
    """
    if peer.mode == "data":
        if peer.data_branch:
            return peer.data_branch
        if is_local(peer.url) or is_portal(peer):
            return None
    return peer.branch


def is_portal(peer: Peer) -> bool:
    """A `mode: data` peer with a web address and no `data_branch`: its published portal,
    read over HTTP(S) by `portals.fetch_portals`, not by git."""
    return (peer.mode == "data" and not peer.data_branch
            and peer.url.lower().startswith(("https://", "http://")))


@dataclass(frozen=True)
class FetchResult:
    """What fetching one peer did.

    ok: the branch was fetched now. kept: it failed, but the mirror still holds a copy fetched
    before (which the build uses). skipped: nothing to fetch (a data-mode local folder).
    head / commits: the mirrored branch's tip and `git rev-list --count` of it ("" / 0 if none).
    message: the reason of a failure (credentials in addresses removed), or a short note.
    """

    name: str
    url: str
    mirror: Path
    branch: str
    ok: bool
    head: str = ""
    commits: int = 0
    kept: bool = False
    skipped: bool = False
    message: str = ""

    @property
    def usable(self) -> bool:
        """A copy of the peer can be read (fetched now, kept from before, or read in place)."""
        return self.ok or self.kept or self.skipped

    def line(self) -> str:
        """One line for the terminal: name, ok/failed, commits."""
        if self.skipped:
            return f"{self.name}: ok, {self.message}"
        if self.ok:
            return f"{self.name}: ok, {self.commits} commits on {self.branch}"
        if self.kept:
            return (f"{self.name}: failed ({self.message}); using the copy fetched before "
                    f"({self.commits} commits on {self.branch})")
        return f"{self.name}: failed ({self.message}); no copy yet, the peer is left out"

    def __str__(self) -> str:
        return self.line()


def _error_text(exc: Exception, timeout: int) -> str:
    import git

    if isinstance(exc, git.GitCommandError):
        if exc.status in (-9, -15, 137, 143) or "timeout" in str(exc).lower() or "killed" in str(exc).lower():
            return f"no answer within {timeout} s (raise it with --timeout)"
        stderr = exc.stderr if isinstance(exc.stderr, str) else str(exc.stderr or "")
        lines = [ln.strip().strip("'").strip() for ln in stderr.replace("stderr:", "").splitlines()]
        lines = [ln for ln in lines if ln]
        first = next((ln for ln in lines if ln.startswith(("fatal:", "error:"))), None)
        text = first or (lines[-1] if lines else f"git exited with status {exc.status}")
        return redact(text)
    return redact(str(exc) or type(exc).__name__)


def _prepare(repo: git.Repo, url: str) -> git.Remote:
    repo.git.set_persistent_git_options(c=list(GIT_OPTIONS))
    if not sys.stdin or not sys.stdin.isatty():
        repo.git.update_environment(GIT_TERMINAL_PROMPT="0")
    with repo.config_writer() as config:
        config.set_value("core", "hooksPath", "/dev/null")
    names = [r.name for r in repo.remotes]
    if "origin" not in names:
        return repo.create_remote("origin", url)
    remote = repo.remote("origin")
    if remote.url != url:
        remote.set_url(url)
    return remote


def _open(path: Path) -> git.Repo:
    import git

    if path.exists():
        repo = git.Repo(path)
        if not repo.bare:
            raise CommonplaceError(f"{path} is not a bare mirror: remove it and fetch again")
        return repo
    path.mkdir(parents=True)
    # `--template=` (empty): no hooks or other files copied from the user's template folder.
    # GitPython refuses --template unless told: the value here is ours, never the peer's.
    return git.Repo.init(path, bare=True, template="", allow_unsafe_options=True)


def _tip(repo: git.Repo, branch: str, timeout: int) -> tuple[str, int]:
    import git

    ref = f"refs/heads/{branch}"
    try:
        head = repo.git.rev_parse("--verify", "--quiet", f"{ref}^{{commit}}", kill_after_timeout=timeout)
        count = int(repo.git.rev_list("--count", ref, kill_after_timeout=timeout))
    except (git.GitCommandError, ValueError):
        return "", 0
    return head.strip(), count


def fetch_peer(peer: Peer, cache_dir: str | os.PathLike, *, base: str | os.PathLike = ".",
               timeout: int = 120) -> FetchResult:
    """Create or update the bare mirror of one peer; never raises for a peer's failure."""
    path = mirror_path(cache_dir, peer.name)
    shown = redact(peer.url)
    branch = fetch_branch(peer, base) or ""
    if not branch:
        note = "a published portal, read over HTTP" if is_portal(peer) else "a local folder of open data, read in place"
        return FetchResult(peer.name, shown, path, "", ok=False, skipped=True, message=note)
    if not _URL.match(peer.url) or peer.url.startswith("-"):
        return FetchResult(peer.name, shown, path, branch, ok=False,
                           message="the address is not https://, ssh://, user@host:path or a local path")
    if not _BRANCH.match(branch):
        return FetchResult(peer.name, shown, path, branch, ok=False, message=f"'{branch}' is not a valid branch name")
    url = resolve_url(peer.url, base)
    repo = None
    try:
        if path.is_symlink():
            raise CommonplaceError(f"{path} {LINKED_MIRROR}")
        repo = _open(path)
        remote = _prepare(repo, url)
        remote.fetch(f"+refs/heads/{branch}:refs/heads/{branch}", kill_after_timeout=timeout, no_tags=True)
        head, commits = _tip(repo, branch, timeout)
        if not head:
            raise CommonplaceError(f"branch '{branch}' has no commit")
        return FetchResult(peer.name, shown, path, branch, ok=True, head=head, commits=commits)
    except Exception as exc:  # noqa: BLE001 - any failure of one peer is that peer's warning
        message = _error_text(exc, timeout)
        head, commits = _tip(repo, branch, timeout) if repo is not None else ("", 0)
        return FetchResult(peer.name, shown, path, branch, ok=False, head=head, commits=commits,
                           kept=bool(head), message=message)
    finally:
        if repo is not None:
            repo.close()


def fetch_peers(model_or_peers: Model | Iterable[Peer], cache_dir: str | os.PathLike, *,
                timeout: int = 120, progress: Callable[[FetchResult], None] | None = None,
                base: str | os.PathLike | None = None) -> list[FetchResult]:
    """Fetch every peer into `cache_dir/<name>.git`, up to `FETCHING_AT_ONCE` at a time
    (fetching waits on the network, not on this machine), reported in declared order.

    `model_or_peers`: a loaded `Model` (local paths are then relative to `model.root`) or a list
    of `Peer`s (relative to `base`, default the current folder). `progress(result)` is called
    once per peer as soon as it is done; `str(result)` is its one-line report.
    Returns one `FetchResult` per peer; never raises because a peer failed.
    """
    from ..model import Model

    if isinstance(model_or_peers, Model):
        peers = list(model_or_peers.peers)
        base = model_or_peers.root if base is None else base
    else:
        peers = list(model_or_peers)
    base = Path(base if base is not None else ".")
    results = []
    with ThreadPoolExecutor(max_workers=max(1, min(FETCHING_AT_ONCE, len(peers)))) as pool:
        for result in pool.map(lambda peer: fetch_peer(peer, cache_dir, base=base, timeout=timeout), peers):
            results.append(result)
            if progress:
                progress(result)
    return results


FETCHING_AT_ONCE = 4


# -- the `fetch` subcommand -------------------------------------------------------------------
