"""The adjuster's day page driven in headless Chromium on a phone-sized screen: log in, read the
day's visits with their call, map and assessment links, change the day."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from app import create_app
from claims.visits.services.planning import plan_claim
from core.clock import today
from core.settings import Settings
from tests.conftest import PASSWORD, run_in_db
from tests.integration.browser import BROWSER, SCREENSHOTS, blocking
from tests.integration.claims.visits.worlds import add_adjuster, file_and_accept
from tests.integration.claims.worlds import build_world

pytestmark = BROWSER


async def arrange_day(settings: Settings) -> dict[str, Any]:
    """A planned visit for the adjuster today, arranged through the API and the planner itself (the
    served app has no worker in tests)."""
    world = await build_world(settings)
    await add_adjuster(settings, "adjuster", [world.villages[0]])
    async with AsyncTestClient(app=create_app(settings)) as client:
        claim = await file_and_accept(client, world.insured)

    async def plan(session: AsyncSession) -> None:
        await plan_claim(session, UUID(claim["id"]))

    await run_in_db(settings, plan)
    return {"claim": claim, "head_name": world.insured.head_name, "address": world.insured.address}


# One database is enough to see the page work; the API tests cover PostgreSQL.
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_adjuster_reads_the_day_on_a_phone(settings: Settings, served: str, phone: Any) -> None:
    from playwright.sync_api import expect

    facts = blocking(arrange_day(settings))
    phone.goto(f"{served}/adjuster/day")
    phone.wait_for_url("**/login?next=%2Fadjuster%2Fday")
    phone.fill("#username", "adjuster")
    phone.fill("#password", PASSWORD)
    phone.click("button[type=submit]")
    phone.wait_for_url("**/adjuster/day")
    card = phone.locator("li.visit")
    expect(card).to_have_count(1)
    expect(card).to_contain_text(f"1. 前石村 {facts['address']}")
    expect(card).to_contain_text(facts["head_name"])
    expect(card).to_contain_text("火灾")
    expect(card).to_contain_text("12,000.00 元")
    expect(card.locator("a.phone")).to_have_attribute("href", "tel:13800001234")
    expect(card.locator("a.geo")).to_have_attribute("href", "geo:35.911000,120.111000")
    expect(card.locator("a.assess")).to_have_attribute(
        "href", f"/adjuster/visits/{card.get_attribute('data-visit-id')}/assess"
    )
    expect(phone.locator("#pdf-link")).to_have_attribute(
        "href", f"/adjuster/day.pdf?on={today().isoformat()}"
    )
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    phone.screenshot(path=str(SCREENSHOTS / "adjuster-day.png"), full_page=True)
    tomorrow = today().fromordinal(today().toordinal() + 1).isoformat()
    phone.fill("#on", tomorrow)
    phone.dispatch_event("#on", "change")
    expect(phone.locator("#summary")).to_have_text("当天没有查勘安排。")
    expect(card).to_have_count(0)
