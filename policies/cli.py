"""Enrollment's `litestar anju …` commands: import-regions, -households, -premiums, renew, seed-demo."""

from __future__ import annotations

import getpass
from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

import click
from litestar import Litestar
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy.ext.asyncio import AsyncSession

from core.auth import Role
from core.cli import run_in_session
from core.errors import DomainError
from policies.domain import MAX_DISTRICT_PREMIUM_FEN, Funding
from policies.errors import ProgramNotFound
from policies.imports import premium_services
from policies.imports import services as importer
from policies.imports.premium_rules import parse_yuan
from policies.imports.rules import RowError
from policies.models import Program
from policies.services import demo, regions, renewals
from policies.services.programs import ProgramService

PHASES = {"check": "rows checked", "insert": "rows inserted"}
R = TypeVar("R")


def _run_import(path: Path, actor: str | None, run_import: Callable[..., Awaitable[R]]) -> R:
    """One import of the file at `path`, in one transaction, with a progress bar on stderr; exit
    status 2 when the file as a whole cannot be read."""
    data = path.read_bytes()
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("reading and checking rows", total=None)

        def progress(phase: str, done: int, total: int) -> None:
            bar.update(task, description=PHASES.get(phase, phase), completed=done, total=total)

        async def work(session: AsyncSession) -> R:
            return await run_import(
                session,
                data,
                filename=path.name,
                actor=actor or f"cli:{getpass.getuser()}",
                progress=progress,
            )

        try:
            report: R = run_in_session(work)
        except DomainError as exc:
            click.echo(f"{exc.message_zh} / {exc.message_en}: {exc.detail or ''}", err=True)
            raise SystemExit(2) from exc
    return report


def _list_bad_rows(errors: Iterable[RowError]) -> None:
    for error in errors:
        click.echo(
            f"line {error.line}\t{error.column or '-'}\t{error.code}\t{error.message_zh}\t{error.message_en}"
        )


@click.command(
    "import-households",
    help="Import households and their people from a CSV or XLSX file "
    "(columns: see policies/imports/files.py). Good rows are imported, every bad row is listed; "
    "re-running the same file changes nothing. "
    "Exit status 1 when some rows were bad, 2 when the file could not be read.",
)
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--actor", help="Name recorded in the audit log (default: cli:<OS user>).")
def import_households(path: Path, actor: str | None) -> None:
    report = _run_import(path, actor, importer.import_households)
    _list_bad_rows(report.errors)
    click.echo(
        f"{report.rows} rows: {report.households_created} households and {report.people_created} people "
        f"imported; {report.already_enrolled} people already enrolled; {report.households_existing} "
        f"households already registered; {report.bad_rows} bad rows (sha256 {report.file_sha256})"
    )
    if report.bad_rows:
        raise SystemExit(1)


@click.command(
    "import-regions",
    help="Import regions from a CSV file: code,name[,level][,parent_code],latitude,longitude.",
)
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_regions(path: Path) -> None:
    try:
        rows = regions.parse_regions(regions.decode_region_file(path.read_bytes()))
    except DomainError as error:
        raise click.ClickException(str(error)) from None

    async def work(session: AsyncSession) -> Any:
        return await regions.import_regions(session, actor="cli", rows=rows)

    result = run_in_session(work)
    click.echo(f"regions: {result.created} created, {result.updated} updated, {result.unchanged} unchanged")


@click.command("seed-demo", help="Load the demo district, programs, households and users (idempotent).")
def seed_demo(app: Litestar) -> None:
    hasher = app.state.hasher

    async def work(session: AsyncSession) -> dict[str, int]:
        return await demo.seed(session, hasher)

    totals = run_in_session(work)
    click.echo(", ".join(f"{count} {name}" for name, count in totals.items()))
    click.echo(f"demo users (password {demo.DEMO_PASSWORD}): {', '.join(role.value for role in Role)}")


@click.command(
    "import-premiums",
    help="Import a premium collection list from a CSV or XLSX file (columns: see "
    "policies/imports/premium_files.py): each good row enrolls its household if need be and records "
    "the payment; a term paid in full becomes active; every bad row is listed; re-running the same "
    "file changes nothing. Exit status 1 when some rows were bad, 2 when the file could not be read.",
)
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--actor", help="Name recorded in the audit log (default: cli:<OS user>).")
def import_premiums(path: Path, actor: str | None) -> None:
    report = _run_import(path, actor, premium_services.import_premiums)
    _list_bad_rows(report.errors)
    click.echo(
        f"{report.rows} rows: {report.payments_recorded} payments recorded, {report.policies_created} "
        f"households enrolled, {report.policies_activated} policies activated; {report.already_recorded} "
        f"already recorded; {report.bad_rows} bad rows (sha256 {report.file_sha256})"
    )
    if report.bad_rows:
        raise SystemExit(1)


@click.command(
    "renew",
    help="Renew a voluntary program's active policies whose term ends in [--ends-from, --ends-before) "
    "(or those given with --policy): each gets its next term, idle until its premium is paid. For a "
    "district-funded program, issue the blanket policy's next term, for --lump-sum-yuan if given. "
    "Policies already renewed are skipped; exit status 1 when some could not be renewed.",
)
@click.argument("program_code")
@click.option("--ends-from", type=click.DateTime(["%Y-%m-%d"]), help="First end date to renew (inclusive).")
@click.option("--ends-before", type=click.DateTime(["%Y-%m-%d"]), help="End dates before this one.")
@click.option("--policy", "numbers", multiple=True, help="A policy number to renew (repeatable).")
@click.option("--lump-sum-yuan", help="A blanket program's lump sum for the new term, in yuan.")
@click.option("--actor", help="Name recorded in the audit log (default: cli:<OS user>).")
def renew(
    program_code: str,
    ends_from: Any,
    ends_before: Any,
    numbers: tuple[str, ...],
    lump_sum_yuan: str | None,
    actor: str | None,
) -> None:
    who = actor or f"cli:{getpass.getuser()}"
    try:
        lump_sum_fen = parse_yuan(lump_sum_yuan, MAX_DISTRICT_PREMIUM_FEN) if lump_sum_yuan else None
    except ValueError:
        raise click.BadParameter(
            f"{lump_sum_yuan!r} is not an amount in yuan", param_hint="--lump-sum-yuan"
        ) from None

    async def work(session: AsyncSession) -> list[str]:
        """The lines to print: one per refused policy, then the summary."""
        program = await ProgramService(session=session).get_one_or_none(Program.code == program_code)
        if program is None:
            raise ProgramNotFound(program_code)
        if program.funding == Funding.DISTRICT:
            policy = await renewals.renew_blanket(
                session, actor=who, program_id=program.id, lump_sum_fen=lump_sum_fen
            )
            return [
                f"blanket policy {policy.number} from {policy.starts_on}, {policy.premium_due_fen} fen due"
            ]
        report = await renewals.renew_program(
            session,
            actor=who,
            program_id=program.id,
            ends_from=ends_from.date() if ends_from else None,
            ends_before=ends_before.date() if ends_before else None,
            numbers=numbers,
        )
        return [
            *(f"{r.policy_number}\t{r.code}\t{r.message_zh}\t{r.message_en}" for r in report.refused),
            f"{report.policies_renewed} policies renewed; {report.already_renewed} already renewed; "
            f"{len(report.refused)} refused",
        ]

    try:
        lines = run_in_session(work)
    except DomainError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo("\n".join(lines))
    if len(lines) > 1:  # a line per refused policy precedes the summary
        raise SystemExit(1)


COMMANDS: list[click.Command] = [import_regions, import_households, seed_demo, import_premiums, renew]
