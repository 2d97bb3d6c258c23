"""HTTP for rebates: agreements and accruals, the ledger, village funds and statements; one ROUTES."""

from __future__ import annotations

from litestar import Controller

from payouts.rebates.controllers.agreements import RebateAgreementController
from payouts.rebates.controllers.funds import VillageFundController
from payouts.rebates.controllers.ledger import RebateLedgerController

ROUTES: list[type[Controller]] = [RebateAgreementController, RebateLedgerController, VillageFundController]
