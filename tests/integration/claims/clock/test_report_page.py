"""The clock report page in headless Chromium: an auditor asks for the hand-built March by town."""

from __future__ import annotations

from typing import Any

import pytest

from core.settings import Settings
from tests.conftest import PASSWORD
from tests.integration.browser import BROWSER, SCREENSHOTS, blocking
from tests.integration.claims.clock.worlds import march

pytestmark = BROWSER


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_an_auditor_reads_march_by_town(settings: Settings, served: str, phone: Any) -> None:
    from playwright.sync_api import expect

    blocking(march(settings))
    phone.goto(served + "/clock/page")
    phone.wait_for_url("**/login?next=*")
    phone.fill("#username", "auditor")
    phone.fill("#password", PASSWORD)
    phone.click("button[type=submit]")
    phone.wait_for_url("**/clock/page")

    phone.fill("#region", "370211")
    phone.fill("#from", "2026-03")
    phone.fill("#to", "2026-03")
    phone.click("#ask button[type=submit]")
    expect(phone.locator("#summary")).to_have_text(
        "2026-03-01 至 2026-03-31：报案 6 件，赔付 3 件，时限内赔付 66.7%"
    )
    rows = phone.locator("#groups tbody tr")
    expect(rows).to_have_count(3)  # two towns and the total
    expect(rows.nth(0).locator("td")).to_have_text(["辛安街道", "4", "4", "2", "58", "38", "81.6", "50.0%"])
    expect(rows.nth(2).locator("td")).to_have_text(["合计", "6", "5", "3", "43.33", "37", "81.4", "66.7%"])
    expect(phone.locator("#stages tbody tr").nth(2).locator("td")).to_have_text(["现场查勘", "14.33"])
    expect(phone.locator("#breached tbody tr")).to_have_count(4)
    expect(phone.locator("#breached tbody tr").nth(2).locator("td").nth(3)).to_have_text("现场查勘")
    phone.screenshot(path=str(SCREENSHOTS / "clock-report.png"), full_page=True)
