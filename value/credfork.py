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

import os
import pickle
import signal

from . import forkpool

FORK_AFTER = 10_000  # counted commits: below this, cred takes less than a fork costs
_PENDING = "credfork.pending"  # ctx.memo key: (child pid, read end of its pipe)


def _fork() -> int:
    return os.fork()


def start(ctx) -> bool:
    """Fork a child computing `ctx`'s cred, when it pays; True when one was forked."""
    if len(ctx.commits) < FORK_AFTER or _PENDING in ctx.memo or not forkpool.can_fork():
        return False
    parent = os.getpid()
    try:
        read, write = os.pipe()
    except OSError:  # out of descriptors: computed in this process
        return False
    try:
        pid = _fork()
    except OSError:  # out of processes or memory: the same
        os.close(read)
        os.close(write)
        return False
    if pid == 0:  # the child: compute, hand the result over, and leave without running any exit handler
        code = 1
        try:
            os.close(read)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            if forkpool.die_with_parent(signal.SIGKILL, parent):
                from .cred import credrank
                from .dimensions.reputation import cred_graph

                data = memoryview(pickle.dumps(credrank(*cred_graph(ctx)), protocol=pickle.HIGHEST_PROTOCOL))
                while data:
                    data = data[os.write(write, data):]
                code = 0
        finally:
            os._exit(code)
    os.close(write)
    ctx.memo[_PENDING] = (pid, read)
    return True


def take(ctx):
    """The child's (cred, monthly cred), once it has finished; None when no child was forked or
    it failed (the caller then computes cred itself)."""
    pending = ctx.memo.pop(_PENDING, None)
    if pending is None:
        return None
    pid, read = pending
    chunks = []
    try:
        while True:
            chunk = os.read(read, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    except OSError:
        chunks = []
    finally:
        os.close(read)
        _, status = os.waitpid(pid, 0)
    if status != 0 or not chunks:
        return None
    try:
        return pickle.loads(b"".join(chunks))
    except Exception:  # noqa: BLE001 - a torn hand-over: computed again here
        return None


def stop(ctx) -> None:
    """End and reap a child whose result was never taken (the report failed before needing it)."""
    pending = ctx.memo.pop(_PENDING, None)
    if pending is None:
        return
    pid, read = pending
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    os.close(read)
    os.waitpid(pid, 0)
