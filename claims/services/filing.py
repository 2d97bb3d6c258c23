"""Filing claims over HTTP, in batches: the requests that arrive together are read, checked and
written in one go (core.batching), and each is answered as if it had come alone."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import msgspec
from litestar import Response
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from claims.models import Claim
from claims.services import intake
from claims.services.views import to_view
from core import idempotency
from core.batching import Coalescer
from core.clock import utcnow
from core.database import reading
from core.errors import IdempotencyKeyReused


class Submission(NamedTuple):
    filing: intake.Filing
    ticket: idempotency.Ticket | None  # None when the request sent no Idempotency-Key


class ClaimFilings:
    """One per app process: `submit` files one claim and answers with its response."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self._sessionmaker = sessionmaker
        self._batches: Coalescer[Submission, Response[Any]] = Coalescer(self._file)

    async def submit(self, submission: Submission) -> Response[Any]:
        return await self._batches.submit(submission)

    async def _file(self, submissions: Sequence[Submission]) -> list[Response[Any] | Exception]:
        try:
            return await self._file_together(submissions)
        except Exception as error:
            if len(submissions) == 1:
                return [await self._after_failure(submissions[0], error)]
        # The batch failed as a whole (most often: two requests with one key at the same moment).
        # Filed one by one, only the one at fault fails.
        return [await self._file_alone(submission) for submission in submissions]

    async def _file_alone(self, submission: Submission) -> Response[Any] | Exception:
        try:
            (outcome,) = await self._file_together([submission])
        except Exception as error:
            return await self._after_failure(submission, error)
        return outcome

    async def _after_failure(self, submission: Submission, error: Exception) -> Response[Any] | Exception:
        """A write that failed because its key was just committed by another request is a replay."""
        if submission.ticket is None:
            return error
        async with self._sessionmaker() as session:
            try:
                stored = await idempotency.replay(session, submission.ticket)
            except IdempotencyKeyReused as reused:
                return reused
        return error if stored is None else stored

    async def _file_together(self, submissions: Sequence[Submission]) -> list[Response[Any] | Exception]:
        """One transaction for the batch; refusals and replays are answered without writing."""
        now = utcnow()
        async with self._sessionmaker() as session:
            tickets = [s.ticket for s in submissions if s.ticket is not None]
            async with reading(session):  # on SQLite, outside the write lock
                # A replay, or a key reused with another body (its 409), is answered from the store.
                replays = await idempotency.replays(session, tickets) if tickets else {}
                answers: list[Response[Any] | Exception | None] = [
                    replays.get(s.ticket) if s.ticket is not None else None for s in submissions
                ]
                fresh = [index for index, answer in enumerate(answers) if answer is None]
                outcomes = await intake.check_claims(session, [submissions[i].filing for i in fresh], now=now)
            claims = [outcome for outcome in outcomes if isinstance(outcome, Claim)]
            if claims:
                await intake.record_claims(session, claims, now=now)
            for index, outcome in zip(fresh, outcomes, strict=True):
                if not isinstance(outcome, Claim):
                    answers[index] = outcome
                    continue
                body = msgspec.json.encode(to_view(outcome, now=now))
                if (ticket := submissions[index].ticket) is not None:
                    idempotency.remember(session, ticket, status_code=201, body=body)
                answers[index] = Response(body, status_code=201, media_type="application/json")
            await session.commit()
        return [answer for answer in answers if answer is not None]
