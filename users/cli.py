"""The users package's `litestar anju …` commands: none yet (accounts are made through /users)."""

from __future__ import annotations

import click

COMMANDS: list[click.Command] = []
