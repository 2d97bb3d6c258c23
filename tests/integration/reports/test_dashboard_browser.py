"""The dashboard driven in headless Chromium: an auditor logs in, reads the district, drills down to a
town, a village and its claims (linking to their audit trails), and sees the charts drawn."""

from __future__ import annotations

from typing import Any

import pytest

from core.settings import Settings
from tests.conftest import PASSWORD
from tests.integration.browser import BROWSER, SCREENSHOTS
from tests.integration.reports.worlds import DISTRICT, MARCH_FROM, MARCH_TO, A, World, march_world

pytestmark = BROWSER


@pytest.fixture
async def world(settings: Settings) -> World:
    return await march_world(settings)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_an_auditor_drills_down_to_a_claim(world: World, served: str, phone: Any) -> None:
    # world (async) is set up before Playwright starts its own event loop in this thread.
    from playwright.sync_api import expect

    page = f"/reports/dashboard/page?from={MARCH_FROM}&to={MARCH_TO}"
    phone.goto(served + page)
    phone.wait_for_url("**/login?next=*")
    phone.fill("#username", "auditor")
    phone.fill("#password", PASSWORD)
    phone.click("button[type=submit]")
    phone.wait_for_url(f"**{page}")

    # No region in the address: the auditor's own district.
    expect(phone.locator("#where")).to_contain_text(f"黄岛区（{DISTRICT}）")
    expect(phone.locator("#paid")).to_have_text("5,300.00")
    expect(phone.locator("#loss-ratio")).to_have_text("51.0%")
    expect(phone.locator("#within")).to_have_text("33.3%")
    expect(phone.locator("#blanket")).to_have_text("6 / 13")
    trend = phone.locator("img[data-chart=trend]")
    expect(trend).to_be_visible()
    assert trend.evaluate("image => image.complete && image.naturalWidth > 0")
    expect(phone.locator("#exports a").first).to_have_attribute(
        "href", f"/reports/exports/claims.csv?region_code={DISTRICT}&from={MARCH_FROM}&to={MARCH_TO}"
    )
    phone.screenshot(path=str(SCREENSHOTS / "dashboard-district.png"), full_page=True)

    phone.locator("#parts a", has_text="辛安街道").click()
    expect(phone.locator("#where")).to_contain_text("辛安街道（370211001）")
    expect(phone.locator("#premiums")).to_have_text("400.00")
    phone.locator("#parts a", has_text="前石村").click()
    expect(phone.locator("#where")).to_contain_text(f"前石村（{A}）")
    rows = phone.locator("#claims tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(1).locator("td").nth(4)).to_have_text("96.0（超时）")
    expect(rows.nth(0).locator("a")).to_have_attribute("href", f"/reports/claims/{world.claims['c1']}/trail")
    expect(phone.locator("img[data-chart=perils]")).to_be_visible()
    phone.screenshot(path=str(SCREENSHOTS / "dashboard-village.png"), full_page=True)

    phone.locator("#crumbs a").click()
    expect(phone.locator("#where")).to_contain_text("辛安街道（370211001）")
