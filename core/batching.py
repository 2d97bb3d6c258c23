"""Group commit: requests that arrive while one batch is being written go together in the next.

Nothing waits on a timer. The first request starts a batch at once; those that arrive while it
runs queue and form the next one, so a quiet service writes one at a time and a busy one writes
many per transaction, paying for the lock, the commit and each statement once per batch.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Generic, TypeVar

Item = TypeVar("Item")
Outcome = TypeVar("Outcome")

# What a batch handler gives back for each item, in order: its outcome or the error it raised.
Handler = Callable[[Sequence[Item]], Awaitable[Sequence[Outcome | Exception]]]


class Coalescer(Generic[Item, Outcome]):
    """One per process and event loop: `submit` waits for the batch that carries its item."""

    def __init__(self, handle: Handler[Item, Outcome], *, max_batch: int = 100) -> None:
        self._handle = handle
        self._max_batch = max_batch
        self._queue: list[tuple[Item, asyncio.Future[Outcome]]] = []
        self._writer: asyncio.Task[None] | None = None

    async def submit(self, item: Item) -> Outcome:
        future: asyncio.Future[Outcome] = asyncio.get_running_loop().create_future()
        future.add_done_callback(_retrieve)  # an error nobody awaits any more is not "never retrieved"
        self._queue.append((item, future))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._drain())
        # Shielded: a caller that goes away (a dropped connection) must not cancel its neighbours'
        # batch; its item is written all the same, as a request that has reached COMMIT would be.
        return await asyncio.shield(future)

    async def _drain(self) -> None:
        while self._queue:
            batch, self._queue = self._queue[: self._max_batch], self._queue[self._max_batch :]
            try:
                outcomes: Sequence[Outcome | Exception] = await self._handle([item for item, _ in batch])
                if len(outcomes) != len(batch):
                    raise RuntimeError(f"{len(outcomes)} outcomes for a batch of {len(batch)}")
            except Exception as error:  # the handler isolates items; this is the net under it
                outcomes = [error] * len(batch)
            except BaseException:  # cancelled as the app stops: nobody may wait for ever
                for _, future in batch + self._queue:
                    future.cancel()
                self._queue = []
                raise
            for (_, future), outcome in zip(batch, outcomes, strict=True):
                if future.done():
                    continue
                if isinstance(outcome, Exception):
                    future.set_exception(outcome)
                else:
                    future.set_result(outcome)


def _retrieve(future: asyncio.Future[Any]) -> None:
    if not future.cancelled():
        future.exception()
