"""The `litestar anju …` commands of payouts, for app.py: none yet."""

from __future__ import annotations

import click

COMMANDS: list[click.Command] = []
