"""The one fork-pool recipe: slices come back in order, from forked workers when it pays."""

import os

from value.forkpool import run_sliced


def test_slices_run_in_forked_workers_and_come_back_in_order():
    parent = os.getpid()
    seen = []

    def job(start, end):
        return [(i, os.getpid()) for i in range(start, end)]

    chunks, other = run_sliced(job, 500, min_count=10, meanwhile=lambda: "done here",
                               progress=lambda done, total: seen.append((done, total)))
    items = [item for chunk in chunks for item in chunk]
    assert [i for i, _pid in items] == list(range(500))
    assert other == "done here"
    assert seen[-1] == (500, 500) and [d for d, _ in seen] == sorted(d for d, _ in seen)
    if (os.cpu_count() or 1) > 1:
        assert parent not in {pid for _i, pid in items}  # the job ran in workers, not here


def test_small_jobs_stay_in_this_process():
    chunks, other = run_sliced(lambda start, end: [os.getpid()] * (end - start), 5, min_count=10)
    assert sum(chunks, []) == [os.getpid()] * 5 and other is None


def test_no_items_is_no_slices():
    assert run_sliced(lambda start, end: 1 / 0, 0, min_count=0) == ([], None)


def test_a_worker_that_dies_without_answering_is_an_error_not_a_wait_for_ever():
    import pytest

    from value.forkpool import can_fork

    if not can_fork():
        pytest.skip("needs a process that may fork workers and two cores")
    parent = os.getpid()

    def job(start: int, end: int) -> list[int]:
        if start == 0 and os.getpid() != parent:
            os._exit(3)  # a worker killed mid-job (the OOM killer, a signal) sends nothing back
        return list(range(start, end))

    with pytest.raises(RuntimeError, match="ended without the result of slice 0"):
        run_sliced(job, 64, min_count=2, processes=2)
