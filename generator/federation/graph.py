"""How the histories of two nodes relate, and history shared between nodes counted once.

All figures come from the commit graph alone (commit ids and parents), so each can be checked
with the git command line on a clone holding both branches (`git fetch <mirror> main:peer`).

Definitions, for an upstream tip U and a fork tip F (when this node is the upstream and the peer
is a `fork`, U is our HEAD and F the peer's branch; when the peer is our `upstream`, the roles
swap; for a `peer` only ahead / behind are given):

ahead, behind
    ahead = commits reachable from the peer's tip and not from our HEAD, behind = the reverse:
    `git rev-list --count HEAD..PEER` and `git rev-list --count PEER..HEAD` (merges included,
    as git and the forges count them). The merge base is `git merge-base HEAD PEER`.

mainline
    The first-parent chain of a tip (`git rev-list --first-parent`): the commits made on, or
    merged into, that branch by its own maintainers. Mainlines only grow (barring force-pushes),
    which is what lets them tell the two repositories apart.

fork point
    The newest commit of F's mainline that is also on U's mainline: where the fork left, or
    last fast-forwarded to, the upstream. When the mainlines never meet, the merge base is used
    (and `Flow.fork_point_exact` is False).

the fork's own work (fork-native commits)
    Walking F's mainline from F down to the fork point (excluded): every non-merge commit on it
    that is not on U's mainline, and for each merge on it, the commits its other parents bring
    in (`git rev-list M^1..M^n`), except for a *sync merge* (a parent on U's mainline: the fork
    pulling from the upstream), and never going below a commit of U's mainline (a side branch
    based on a newer upstream brings upstream work that is not the fork's). Merges are never
    work themselves.

flowed
    The fork's own work that is now reachable from U: commits authored in the fork that reached
    the upstream, by a pull request merged with a merge commit, or by a pull from the fork.

only in the fork
    Non-merge commits reachable from F and not from U: `git rev-list --no-merges U..F`. (Every
    one of them is the fork's own work by the definition above.)

Limits, inherent to git: a squash or rebase merge writes new commits, so work merged that way
counts as the upstream's own; after a fork fast-forwards to an upstream that merged its work,
git no longer records which side the work came from, and it no longer counts as flowed.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Callable, Iterable, Mapping

import pygit2

from .scrub import without_addresses

_NONE = pygit2.enums.SortMode.NONE


# -- walking ---------------------------------------------------------------------------------

def ancestors(repo: pygit2.Repository, tip: str | Iterable[str], hide: Iterable[str] = ()) -> set[str]:
    """Ids of the commits reachable from `tip` (one id or several; included) and not from any
    of `hide`: `git rev-list TIP... ^HIDE...`."""
    tips = [tip] if isinstance(tip, str) else list(tip)
    if not tips:
        return set()
    walker = repo.walk(pygit2.Oid(hex=tips[0]), _NONE)
    for t in tips[1:]:
        walker.push(pygit2.Oid(hex=t))
    for h in hide:
        walker.hide(pygit2.Oid(hex=h))
    return {str(c.id) for c in walker}


def non_merges(repo: pygit2.Repository, ids: Iterable[str]) -> set[str]:
    return {cid for cid in ids if len(repo[cid].parent_ids) < 2}


def mainline(repo: pygit2.Repository, tip: str) -> list[str]:
    """The first-parent chain from `tip`, newest first: `git rev-list --first-parent TIP`."""
    walker = repo.walk(pygit2.Oid(hex=tip), _NONE)
    walker.simplify_first_parent()
    return [str(c.id) for c in walker]


# -- authors -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Author:
    """A person behind some commits: a display name and a count, never an e-mail address.

    `member` is the handle of a member file (ours first, then the peer's) the address belongs
    to, and `visibility` that member's setting: render a `pseudonymous` member with the site's
    pseudonym, and a `hidden` one not at all (its `name` is then "" but its commits still count).
    """

    name: str
    commits: int
    member: str | None = None
    visibility: str = "public"


@dataclass
class AuthorResolver:
    """Resolves commit authors to people: mailmap first, then members' files (as value/ does).

    `resolve(name, email)` must return the canonical (name, email), e.g. `value.mailmap.Mailmap`.
    `members` is a list of (handle, name, emails, visibility)."""

    resolve: Callable[[str, str], tuple[str, str]]
    members: list[tuple[str, str, tuple[str, ...], str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._member_of: dict[str, tuple[str, str, str]] = {}
        for handle, name, emails, visibility in self.members:
            for email in emails:
                for key in (email.strip().lower(), self.resolve(name, email.strip())[1].strip().lower()):
                    self._member_of.setdefault(key, (handle, name, visibility))

    def key(self, name: str, email: str) -> tuple[str, str, str | None, str]:
        """(person key, display name, member handle or None, visibility)."""
        rname, remail = self.resolve(name, email)
        key = remail.strip().lower()
        member = self._member_of.get(key)
        if member:
            return f"member:{member[0]}", member[1], member[0], member[2]
        return key, rname, None, "public"

    def authors(self, repo: pygit2.Repository, ids: Iterable[str]) -> tuple[Author, ...]:
        """The authors of these commits, most commits first (ties by name)."""
        return authors(repo, ((cid, self) for cid in ids))


def authors(repo: pygit2.Repository, pairs: Iterable[tuple[str, AuthorResolver]]) -> tuple[Author, ...]:
    """The authors of (commit id, the `AuthorResolver` that resolves it) pairs, most commits first."""
    counts: Counter = Counter()
    names: dict[str, Counter] = defaultdict(Counter)
    info: dict[str, tuple[str | None, str]] = {}
    for cid, people in pairs:
        sig = repo[cid].author
        key, name, member, visibility = people.key(_text(sig.raw_name), _text(sig.raw_email))
        counts[key] += 1
        names[key][name] += 1
        info[key] = (member, visibility)
    result = []
    for key, n in counts.items():
        best = sorted(names[key].items(), key=lambda item: (-item[1], item[0]))[0][0]
        member, visibility = info[key]
        best = without_addresses(best)  # a name typed as an address is never shown
        if not best:
            visibility = "hidden"
        result.append(Author("" if visibility == "hidden" else best, n, member, visibility))
    return tuple(sorted(result, key=lambda a: (-a.commits, a.name, a.member or "")))


def _text(raw: bytes) -> str:
    return raw.decode("utf-8", "replace")


# -- the relation between two nodes ------------------------------------------------------------

@dataclass(frozen=True)
class Flow:
    """The history relation between this node and one git peer (see the module doc).

    related: the two share a merge base (if not, every other field is empty or 0).
    upstream: "self" when this node is the upstream of the pair, "peer" when the peer is, ""
    for a `peer` relation (then flowed / only_in_fork are empty).
    ahead / behind: from the peer's side: it is `ahead` commits ahead of this node and `behind`
    behind it. flowed / only_in_fork: non-merge commit ids, sorted; *_authors: who made them.
    """

    related: bool
    merge_base: str = ""
    ahead: int = 0
    behind: int = 0
    upstream: str = ""
    fork_point: str = ""
    fork_point_exact: bool = True
    flowed: tuple[str, ...] = ()
    flowed_authors: tuple[Author, ...] = ()
    only_in_fork: tuple[str, ...] = ()
    only_in_fork_authors: tuple[Author, ...] = ()


def fork_native(repo: pygit2.Repository, upstream: str, fork: str) -> tuple[set[str], str, bool]:
    """(the fork's own non-merge commits, the fork point, whether it was found on the mainlines)."""
    up_main = set(mainline(repo, upstream))
    chain = mainline(repo, fork)
    point = next((c for c in chain if c in up_main), None)
    exact = point is not None
    below: set[str] = set()
    if point is None:
        base = repo.merge_base(pygit2.Oid(hex=upstream), pygit2.Oid(hex=fork))
        point = str(base) if base else ""
        below = ancestors(repo, point) if point else set()
    native: set[str] = set()
    for cid in chain:
        if cid == point or cid in below:
            break
        parents = [str(p) for p in repo[cid].parent_ids]
        if len(parents) < 2:
            native.add(cid)
            continue
        for side in parents[1:]:
            if side in up_main:
                continue  # a sync merge: the fork pulling from its upstream
            brought = ancestors(repo, side, hide=[parents[0]])
            upstreams = [c for c in brought if c in up_main]
            if upstreams:  # a side based on a newer upstream: stop at the upstream's mainline
                brought -= ancestors(repo, upstreams, hide=[parents[0]])
            native |= {c for c in brought if c not in below}
    return non_merges(repo, native), point, exact


def relate(repo: pygit2.Repository, own: str, peer: str, relation: str, people: AuthorResolver,
           peer_people: AuthorResolver | None = None) -> Flow:
    """The `Flow` between our HEAD `own` and the peer's tip `peer` (both ids in `repo`).

    Authors of commits in our history are resolved by `people` (our .mailmap and members);
    those only in the peer's by `peer_people` (default: `people`), so that a peer's .mailmap
    can never rename the people of our own history."""
    own_oid, peer_oid = pygit2.Oid(hex=own), pygit2.Oid(hex=peer)
    base = repo.merge_base(own_oid, peer_oid)
    if base is None:
        return Flow(related=False)
    ahead, behind = repo.ahead_behind(peer_oid, own_oid)
    if relation not in ("fork", "upstream"):
        return Flow(True, str(base), ahead, behind)
    up, fork = (own, peer) if relation == "fork" else (peer, own)
    native, point, exact = fork_native(repo, up, fork)
    in_up = ancestors(repo, up)
    flowed = sorted(native & in_up)
    only = sorted(non_merges(repo, ancestors(repo, fork, hide=[up])))
    ours = in_up if up == own else ancestors(repo, own)
    theirs = peer_people or people

    def who(ids):
        return authors(repo, ((cid, people if cid in ours else theirs) for cid in ids))

    return Flow(
        related=True, merge_base=str(base), ahead=ahead, behind=behind,
        upstream="self" if relation == "fork" else "peer", fork_point=point, fork_point_exact=exact,
        flowed=tuple(flowed), flowed_authors=who(flowed),
        only_in_fork=tuple(only), only_in_fork_authors=who(only),
    )


# -- history shared between nodes, counted once -----------------------------------------------

def dedupe_commit_ids(ids_by_node: Mapping[str, Iterable[str]]) -> dict[str, frozenset[str]]:
    """Give every commit id to the first node (in the mapping's order) that holds it.

    Put this node first, then its peers in declared order: summing any per-commit figure over
    the returned sets counts each commit once, however many nodes share it (a fork holds all of
    its upstream's history up to the fork point). The union of the sets is every commit once.
    """
    seen: set[str] = set()
    result = {}
    for name, ids in ids_by_node.items():
        mine = frozenset(set(ids) - seen)
        seen |= mine
        result[name] = mine
    return result


@dataclass(frozen=True)
class NodeCommits:
    """One node's share of the federation's history (non-merge commits).

    commits: reachable from its tip. unique: held by no other node. first_counted: those
    `dedupe_commit_ids` gives it (this node first, then peers in order)."""

    name: str
    commits: int
    unique: int
    first_counted: int


@dataclass(frozen=True)
class SharedHistory:
    """Every node's history together, each commit counted once by id.

    commits: distinct non-merge commits over all nodes; contributors: their authors (a person
    counted once however many nodes hold their commits; names only); nodes: per node figures.
    """

    commits: int
    contributors: tuple[Author, ...]
    nodes: tuple[NodeCommits, ...]


def shared_history(repo: pygit2.Repository, tips: Mapping[str, str],
                   people: AuthorResolver | Mapping[str, AuthorResolver]) -> SharedHistory:
    """Count the history of several nodes (`{name: tip id}`, this node first) once by commit id.

    `people`: one `AuthorResolver` for all, or one per node name: a commit's author is then resolved by
    the first node (in order) that holds the commit."""
    sets = {name: non_merges(repo, ancestors(repo, tip)) for name, tip in tips.items()}
    firsts = dedupe_commit_ids(sets)
    holders: Counter = Counter()
    for ids in sets.values():
        holders.update(ids)
    union = set().union(*sets.values()) if sets else set()
    nodes = tuple(
        NodeCommits(name, len(ids), sum(1 for c in ids if holders[c] == 1), len(firsts[name]))
        for name, ids in sets.items()
    )
    if isinstance(people, AuthorResolver):
        pairs = ((cid, people) for cid in sorted(union))
    else:
        pairs = ((cid, people[name]) for name, ids in firsts.items() for cid in sorted(ids))
    return SharedHistory(len(union), authors(repo, pairs), nodes)
