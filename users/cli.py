"""The users package's `litestar anju …` commands: create-user, for the first administrator and after.

A real deployment starts with no users, and /users needs an admin: this command makes that first one.
The password never goes on the command line (it would sit in the shell's history and in `ps`): it is
asked for twice at a prompt, or read as the first line of standard input with --password-stdin.
"""

from __future__ import annotations

import sys

import click
import msgspec
from litestar import Litestar
from sqlalchemy.ext.asyncio import AsyncSession

from core.auth import Role
from core.cli import run_in_session
from core.errors import DomainError
from users.schemas import UserCreate
from users.services import UserService


@click.command(
    "create-user",
    help="Create a user (e.g. the first administrator). The password is asked for at a prompt, "
    "or read from the first line of standard input with --password-stdin; never an argument.",
)
@click.argument("username")
@click.option("--role", type=click.Choice([role.value for role in Role]), required=True)
@click.option("--display-name", help="Name shown in the app (default: the username).")
@click.option("--region", "regions", multiple=True, help="A region code the user works in (repeatable).")
@click.option("--phone")
@click.option(
    "--approval-limit-fen",
    type=click.IntRange(min=0),
    help="A claims officer's authority in fen: payouts above it need a second officer.",
)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--actor", default="cli", show_default=True, help="Name recorded in the audit log.")
def create_user(
    app: Litestar,
    username: str,
    role: str,
    display_name: str | None,
    regions: tuple[str, ...],
    phone: str | None,
    approval_limit_fen: int | None,
    password_stdin: bool,
    actor: str,
) -> None:
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        # The same checks as POST /users: username pattern, password length, region codes.
        data = msgspec.convert(
            {
                "username": username,
                "password": password,
                "role": role,
                "display_name": display_name or username,
                "regions": list(regions),
                "phone": phone,
                "approval_limit_fen": approval_limit_fen,
            },
            UserCreate,
        )
    except msgspec.ValidationError as exc:
        raise click.ClickException(str(exc)) from None
    hasher = app.state.hasher

    async def work(session: AsyncSession) -> None:
        await UserService(session, hasher=hasher).create_user(
            actor=actor,
            username=data.username,
            password=data.password,
            role=data.role,
            display_name=data.display_name,
            regions=data.regions,
            phone=data.phone,
            approval_limit_fen=data.approval_limit_fen,
        )

    try:
        run_in_session(work)
    except DomainError as exc:
        raise click.ClickException(f"{exc.message_en}: {exc.detail or ''}") from None
    click.echo(f"created {data.role.value} {data.username}")


COMMANDS: list[click.Command] = [create_user]
