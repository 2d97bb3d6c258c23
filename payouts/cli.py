"""The `litestar anju …` commands of payouts: the cut-off batch on demand."""

from __future__ import annotations

import click
from litestar import Litestar
from sqlalchemy.ext.asyncio import AsyncSession

from core.cli import run_in_session
from payouts.services import batches


@click.command("build-payment-batches", help="Batch every approved payout not in a batch yet, per district.")
def build_payment_batches(app: Litestar) -> None:
    async def work(session: AsyncSession) -> list[str]:
        return [
            f"{b.number} {b.region_code} {b.payout_count} {b.total_fen}"
            for b in await batches.build_daily_batches(session)
        ]

    built = run_in_session(work)
    for line in built or []:
        click.echo(line)
    click.echo(f"built {len(built or [])} batches")


COMMANDS: list[click.Command] = [build_payment_batches]
