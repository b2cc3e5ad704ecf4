"""One recipe for CPU work split across cores: forked workers run slices of a job, in order.

Parsing thousands of files, rendering thousands of pages and diffing thousands of commits all
split cleanly. Forked workers inherit the job (and whatever it closes over: the renderer, the
parsed cache, the paths), so nothing is pickled on the way in but a slice's bounds, and only the
slice's result comes back. Each worker gets the job as the argument of its loop (`_serve`) when
it is forked; no process keeps it in a module global, and the parent never does.

The workers are daemonic, ended and joined when the job is done, or when it fails: none
outlives the call. Where Linux allows, each also asks to be stopped when the process that
forked it dies without ending it (`die_with_parent`).

This module lives in `value/` because the value engine may not import `generator/`; the
generator uses it too.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import pickle
import os
import signal
import threading
from typing import Callable, TypeVar

R = TypeVar("R")
T = TypeVar("T")

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


_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def die_with_parent(signum: int, parent: int) -> bool:
    """Ask Linux to send `signum` to this (forked) process when the thread that forked it ends,
    so that a parent killed outright leaves no child behind. False when the parent, process
    `parent`, is gone already; True where the system has no such request (elsewhere than Linux)."""
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return True
    prctl(_PR_SET_PDEATHSIG, ctypes.c_ulong(signum), ctypes.c_ulong(0), ctypes.c_ulong(0), ctypes.c_ulong(0))
    return os.getppid() == parent  # it may have died before the request was made


def _serve(job: Callable, parent: int, tasks, lock, results) -> None:
    """A forked worker's loop: run each slice it is sent, until it is sent None; send back
    (slice index, result, None), or (slice index, None, the exception) when the job raised."""
    # The parent ends its workers with SIGTERM on a failure: it must end them whatever handler
    # the process that forked them set (serve's builder turns SIGTERM into an orderly exit).
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if not die_with_parent(signal.SIGTERM, parent):
        os._exit(0)
    for index, (start, end) in iter(tasks.get, None):
        try:
            answer = (index, job(start, end), None)
        except Exception as exc:  # noqa: BLE001 - raised again in the parent, as a pool does
            answer = (index, None, exc)
        with lock:
            results.send(answer)


class _Collected:
    """The workers' answers as they arrive, read by a thread of the parent (so that a worker is
    never left waiting to hand over a large result while the parent runs `meanwhile`)."""

    def __init__(self, answers, count: int) -> None:
        self._answers, self._count = answers, count
        self._found: dict[int, tuple] = {}
        self._ended = False  # every worker has closed its end: no more answers can come
        self._ready = threading.Condition()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        got = 0
        while got < self._count and not self._stop.is_set():
            try:
                if not self._answers.poll(0.05):  # now and then: the parent may have stopped waiting
                    continue
                index, result, error = self._answers.recv()
            except (EOFError, OSError):  # every worker is gone, some without answering
                with self._ready:
                    self._ended = True
                    self._ready.notify()
                return
            got += 1
            with self._ready:
                self._found[index] = (result, error)
                self._ready.notify()

    def take(self, index: int):
        """Slice `index`'s result, once it has come; when the job raised on it, that exception is
        raised here (so the first failing slice in order decides, as with a pool's imap)."""
        with self._ready:
            while index not in self._found:
                if self._ended:
                    raise RuntimeError(f"a worker process ended without the result of slice {index}")
                self._ready.wait()
            result, error = self._found.pop(index)
        if error is not None:
            raise error
        return result

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


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
    context = multiprocessing.get_context("fork")
    tasks, lock = context.SimpleQueue(), context.Lock()
    answers, sent = context.Pipe(duplex=False)
    # the job goes to each worker as an argument of its loop: forked, it is inherited, not pickled
    pool = [context.Process(target=_serve, args=(job, os.getpid(), tasks, lock, sent), daemon=True)
            for _ in range(min(processes, len(slices)))]
    for worker in pool:
        worker.start()
    # Only the workers hold the sending end now: when the last one ends, the reader sees the end
    # of the pipe, so a worker that dies without answering is an error, never a wait for ever.
    sent.close()
    collected = _Collected(answers, len(slices))
    try:
        for task in enumerate(slices):
            tasks.put(task)
        for _worker in pool:
            tasks.put(None)
        other = meanwhile() if meanwhile is not None else None
        for index, (_start, end) in enumerate(slices):
            results.append(collected.take(index))
            if progress is not None:
                progress(end, count)
    except BaseException:
        for worker in pool:
            worker.terminate()
        raise
    finally:
        collected.stop()
        for worker in pool:
            worker.join()
        for end in (tasks, answers, sent):
            end.close()
    return results, other


class Background:
    """One forked child computing `job()` while this process goes on (see `start_background`)."""

    def __init__(self, process, answer) -> None:
        self._process, self._answer = process, answer

    def result(self):
        """What the job returned, once the child has finished; None when it failed or died."""
        try:
            data = self._answer.recv_bytes()
        except (EOFError, OSError):
            data = None
        finally:
            self._answer.close()
            self._process.join()
        if data is None or self._process.exitcode != 0:
            return None
        try:
            return pickle.loads(data)
        except Exception:  # noqa: BLE001 - a torn hand-over: the caller computes it itself
            return None

    def stop(self) -> None:
        """End and reap the child without its result."""
        self._process.kill()
        self._answer.close()
        self._process.join()


def _background(job: Callable, parent: int, answer) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    if not die_with_parent(signal.SIGKILL, parent):
        os._exit(1)
    answer.send_bytes(pickle.dumps(job(), protocol=pickle.HIGHEST_PROTOCOL))
    answer.close()


def _started(process):
    process.start()
    return process


def start_background(job: Callable[[], R]) -> Background | None:
    """Fork a child that runs `job()` (inherited, not pickled) and hands its result back, while
    this process goes on; None where forking is not safe or pays nothing (`can_fork`), or the
    system refuses it (the caller then runs the job itself)."""
    if not can_fork():
        return None
    context = multiprocessing.get_context("fork")
    try:
        answer, sent = context.Pipe(duplex=False)
    except OSError:  # out of descriptors
        return None
    try:
        process = _started(context.Process(target=_background, args=(job, os.getpid(), sent), daemon=True))
    except OSError:  # out of processes or memory
        answer.close()
        sent.close()
        return None
    sent.close()  # the child holds the sending end alone: its end is the reader's end of file
    return Background(process, answer)
