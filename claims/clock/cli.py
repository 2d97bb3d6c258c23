"""The clock's `litestar anju …` command: rebuild the rollup from the claims."""

from __future__ import annotations

import click

from core.cli import run_in_session


@click.command(
    "rebuild-clock",
    help="Recompute the clock reports' rollup from every claim (after a restore, or once on upgrading).",
)
def rebuild_clock() -> None:
    from claims.clock.services import rollups

    run_in_session(rollups.rebuild)
    click.echo("clock rollup rebuilt")


COMMANDS: list[click.Command] = [rebuild_clock]
