"""The findings tests' world as a fixture, and the rebate worlds the payouts tests build."""

from __future__ import annotations

import pytest

from core.settings import Settings
from tests.integration.payouts.conftest import accrued, paid
from tests.integration.reports.findings.worlds import World, build_world

__all__ = ["accrued", "clean", "paid"]


@pytest.fixture
async def clean(settings: Settings) -> World:
    return await build_world(settings)
