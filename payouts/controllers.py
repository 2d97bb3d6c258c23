"""Every payouts route, for app.py: the rebates' today; claim payouts join them here (issue 12)."""

from __future__ import annotations

from litestar import Controller

from payouts.rebates.controllers import ROUTES as REBATE_ROUTES

ROUTES: list[type[Controller]] = [*REBATE_ROUTES]
