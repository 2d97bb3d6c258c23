"""Group commit: who goes in which batch, and who gets which outcome."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest

from core.batching import Coalescer


class Recorder:
    """A batch handler that doubles numbers, refuses negatives, and notes each batch it saw."""

    def __init__(self, *, fail_whole_batch: bool = False) -> None:
        self.batches: list[list[int]] = []
        self.fail_whole_batch = fail_whole_batch

    async def handle(self, items: Sequence[int]) -> list[int | Exception]:
        self.batches.append(list(items))
        await asyncio.sleep(0.01)  # the write takes a while; others arrive meanwhile
        if self.fail_whole_batch:
            raise RuntimeError("the database went away")
        return [ValueError(f"negative {n}") if n < 0 else n * 2 for n in items]


async def test_requests_arriving_together_share_one_batch_and_get_their_own_outcomes() -> None:
    recorder = Recorder()
    batches = Coalescer(recorder.handle)
    results = await asyncio.gather(*(batches.submit(n) for n in (1, -2, 3)), return_exceptions=True)
    assert recorder.batches == [[1, -2, 3]]
    assert results[0] == 2 and results[2] == 6
    assert isinstance(results[1], ValueError) and str(results[1]) == "negative -2"


async def test_those_arriving_during_a_batch_form_the_next_one() -> None:
    recorder = Recorder()
    batches = Coalescer(recorder.handle)
    first = asyncio.create_task(batches.submit(1))
    await asyncio.sleep(0.001)  # the first batch is being written
    later = [asyncio.create_task(batches.submit(n)) for n in (2, 3, 4)]
    assert await asyncio.gather(first, *later) == [2, 4, 6, 8]
    assert recorder.batches == [[1], [2, 3, 4]]


async def test_a_batch_is_never_larger_than_the_bound() -> None:
    recorder = Recorder()
    batches = Coalescer(recorder.handle, max_batch=2)
    assert await asyncio.gather(*(batches.submit(n) for n in range(5))) == [0, 2, 4, 6, 8]
    assert recorder.batches == [[0, 1], [2, 3], [4]]


async def test_a_failed_batch_fails_its_own_items_only() -> None:
    recorder = Recorder(fail_whole_batch=True)
    batches = Coalescer(recorder.handle)
    with pytest.raises(RuntimeError):
        await batches.submit(1)
    recorder.fail_whole_batch = False
    assert await batches.submit(2) == 4


async def test_a_caller_that_goes_away_does_not_cancel_the_batch() -> None:
    recorder = Recorder()
    batches = Coalescer(recorder.handle)
    gone = asyncio.create_task(batches.submit(1))
    stays = asyncio.create_task(batches.submit(2))
    await asyncio.sleep(0.001)
    gone.cancel()
    assert await stays == 4
    assert recorder.batches == [[1, 2]]  # the departed caller's item was still written


async def test_callers_are_not_left_waiting_when_the_writer_is_cancelled() -> None:
    recorder = Recorder()
    batches = Coalescer(recorder.handle)
    writing = asyncio.create_task(batches.submit(1))
    await asyncio.sleep(0.001)
    queued = asyncio.create_task(batches.submit(2))
    await asyncio.sleep(0)
    assert batches._writer is not None
    batches._writer.cancel()  # the app is stopping
    for caller in (writing, queued):
        with pytest.raises(asyncio.CancelledError):
            await asyncio.wait_for(caller, timeout=1)


async def test_a_handler_that_loses_an_item_fails_the_batch_rather_than_leave_anyone_waiting() -> None:
    async def forgetful(items: Sequence[int]) -> list[int | Exception]:
        return [n for n in items[1:]]

    batches = Coalescer(forgetful)
    outcomes = await asyncio.gather(batches.submit(1), batches.submit(2), return_exceptions=True)
    assert all(isinstance(outcome, RuntimeError) for outcome in outcomes)
