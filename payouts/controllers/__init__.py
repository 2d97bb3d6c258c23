"""Every payouts route, for app.py: claim approvals and advances, payouts, payment batches, the
payout notice, finance's page, and the rebates'."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from payouts.controllers.batches import PaymentBatchController
from payouts.controllers.claims import ClaimPayoutController, public_payout_notice
from payouts.controllers.pages import finance_page
from payouts.controllers.payouts import PayoutController
from payouts.rebates.controllers import ROUTES as REBATE_ROUTES

STATIC_DIR = Path(__file__).parents[1] / "static"

ROUTES: list[Any] = [
    *REBATE_ROUTES,
    ClaimPayoutController,
    PayoutController,
    PaymentBatchController,
    public_payout_notice,
    finance_page,
]
