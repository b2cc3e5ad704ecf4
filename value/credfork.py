"""Cred worked out in a forked process while the report's other figures are made.

CredRank (value/cred.py) is the one computation of a report that cannot be kept from one run to
the next (a PageRank moves everywhere with each new commit), and the longest after one new
commit on a long history: a fifth of it on git/git. It depends on the resolved commits, the
kudos and when each landed, none of which the rest of the report changes, so a child forked
once those are known computes it (`reputation.cred_graph`, `cred.credrank`, the very code the
report would run) while the parent makes the records of git and the data, the activity and
the community figures; the parent takes the result where it first needs it
(`reputation.cred_of`). The same numbers either way: the child runs the same code on the same
inputs, and its result comes back pickled, floats bit for bit.

Only where forking is safe and pays (`forkpool.can_fork`: no other thread, more than one core)
and the history is long (`FORK_AFTER` counted commits); a child that fails or dies leaves the
parent to compute cred itself. The child is ended and reaped by `stop` whatever happens to the
report (`report.report_from` calls it in a `finally`).
"""

from __future__ import annotations

from . import forkpool

FORK_AFTER = 10_000  # counted commits: below this, cred takes less than a fork costs
_PENDING = "credfork.pending"  # ctx.memo key: the forkpool.Background computing cred


def start(ctx) -> bool:
    """Fork a child computing `ctx`'s cred, when it pays; True when one was forked."""
    if len(ctx.commits) < FORK_AFTER or _PENDING in ctx.memo:
        return False

    def job():
        from .cred import credrank
        from .dimensions.reputation import cred_graph

        return credrank(*cred_graph(ctx))

    child = forkpool.start_background(job)
    if child is None:  # no safe fork here, or the system refused one: computed in this process
        return False
    ctx.memo[_PENDING] = child
    return True


def take(ctx):
    """The child's (cred, monthly cred), once it has finished; None when no child was forked or
    it failed (the caller then computes cred itself)."""
    child = ctx.memo.pop(_PENDING, None)
    return child.result() if child is not None else None


def stop(ctx) -> None:
    """End and reap a child whose result was never taken (the report failed before needing it)."""
    child = ctx.memo.pop(_PENDING, None)
    if child is not None:
        child.stop()
