"""The `litestar anju …` group (AnjuCLIPlugin; app.py hands it every COMMANDS) and core's own commands."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import click
from litestar import Litestar
from litestar.plugins import CLIPluginProtocol
from sqlalchemy.ext.asyncio import AsyncSession

from core.database import transaction
from core.settings import get_settings


def run_in_session(
    work: Callable[[AsyncSession], Awaitable[Any]], *, info: dict[str, Any] | None = None
) -> Any:
    """Run `work` in one transaction against the configured database (`info`: the session's info)."""

    async def main() -> Any:
        async with transaction(get_settings().database_url, info=info) as session:
            return await work(session)

    return asyncio.run(main())


@click.command("verify-audit", help="Verify the audit log's keyed chain against its checkpoint.")
def verify_audit() -> None:
    from core import audit_seal
    from core.audit import verify_chain

    report = run_in_session(verify_chain, info=audit_seal.session_info(get_settings()))
    if report.ok:
        click.echo(
            f"audit chain intact: {report.checked} events checked, checkpoint at event {report.checkpoint_id}"
        )
        return
    click.echo(
        f"audit chain BROKEN at event {report.first_broken_id}: {report.problem} "
        f"({report.checked} events before it are intact)",
        err=True,
    )
    raise SystemExit(1)


@click.command("redispatch-outbox", help="Send again every background job not yet done.")
def redispatch_outbox(app: Litestar) -> None:
    """`app` is the one the CLI loaded (litestar's group passes it in): its broker gets the jobs."""
    from core.outbox import redispatch_pending, session_info

    sent = run_in_session(redispatch_pending, info=session_info(app.state.broker))
    click.echo(f"sent {sent} pending jobs")


CORE_COMMANDS: list[click.Command] = [verify_audit, redispatch_outbox]


class AnjuCLIPlugin(CLIPluginProtocol):
    """Adds the `anju` group; app.py hands it every package's commands."""

    def __init__(self, commands: list[click.Command]) -> None:
        self.commands = commands

    def on_cli_init(self, cli: click.Group) -> None:
        @cli.group(name="anju", help="Anju's own commands.")
        def anju() -> None:
            pass

        for command in self.commands:
            anju.add_command(command)
