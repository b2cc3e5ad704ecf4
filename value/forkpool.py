"""One recipe for CPU work split across cores: forked workers run slices of a job, in order.

Parsing thousands of files, rendering thousands of pages and diffing thousands of commits all
split cleanly. Forked workers inherit the job (and whatever it closes over: the renderer, the
parsed cache, the paths), so nothing is pickled on the way in but a slice's bounds, and only the
slice's result comes back. The job is handed to each worker when it starts, and the worker keeps
it in the module global `_JOB` for the slices it runs (a pool's tasks can only name a module-level
function); the parent never sets it, so nothing of one call's job outlives that call's workers.

This module lives in `value/` because the value engine may not import `generator/`; the
generator uses it too.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from typing import Callable, TypeVar

R = TypeVar("R")
T = TypeVar("T")

# Set in a worker process only, by `_start`, to the job it was forked for.
_JOB: Callable | None = None


def cpus() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def workers() -> int:
    return min(cpus(), 8)


def fork_is_safe() -> bool:
    """Whether this process may fork: a process with other threads must not (a lock another
    thread held would stay held in the child forever)."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def can_fork() -> bool:
    """Whether forking workers is safe and pays: more than one core."""
    return fork_is_safe() and cpus() > 1


def _start(job: Callable) -> None:
    global _JOB
    _JOB = job


def _run(bounds: tuple[int, int]):
    return _JOB(*bounds)


def run_sliced(job: Callable[[int, int], R], count: int, *, min_count: int, slice_size: int | None = None,
               processes: int | None = None, meanwhile: Callable[[], T] | None = None,
               progress: Callable[[int, int], None] | None = None,
               before_fork: Callable[[], None] | None = None) -> tuple[list[R], T | None]:
    """`job(start, end)` over consecutive slices of `range(count)`: the results in slice order, and
    what `meanwhile()` returns.

    With fewer than `min_count` items, one core, or no safe fork, the slices run here, one after
    the other. Otherwise `processes` (default: one per core, at most 8) forked workers run them
    while this process runs `meanwhile`, so work that cannot be sliced costs no extra time.
    `slice_size` defaults to small slices (16 per worker), so the last one leaves a core idle
    for less time. `progress(done, count)` is called after each slice. `before_fork()` runs here
    just before the workers are forked, only when they are: work every worker would otherwise
    repeat (compiling templates, say) is then done once.
    """
    processes = processes or workers()
    parallel = processes > 1 and count >= min_count and can_fork()
    size = slice_size or max(1, -(-count // (max(processes, 1) * 16)))
    slices = [(start, min(start + size, count)) for start in range(0, count, size)]
    results: list[R] = []
    if not parallel:
        for start, end in slices:
            results.append(job(start, end))
            if progress is not None:
                progress(end, count)
        return results, (meanwhile() if meanwhile is not None else None)
    if before_fork is not None:
        before_fork()
    with multiprocessing.get_context("fork").Pool(processes, initializer=_start, initargs=(job,)) as pool:
        chunks = pool.imap(_run, slices)  # imap keeps the order of the slices
        other = meanwhile() if meanwhile is not None else None
        for (_start_index, end), chunk in zip(slices, chunks):
            results.append(chunk)
            if progress is not None:
                progress(end, count)
    return results, other
