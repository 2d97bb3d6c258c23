"""The enrollment progress page driven in headless Chromium: an officer logs in, reads the villages'
sums, and opens a village to see who has not paid."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import PASSWORD
from tests.integration.browser import BROWSER, SCREENSHOTS

pytestmark = BROWSER


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_an_officer_reads_the_progress_and_who_has_not_paid(
    two_districts: dict[str, str], served: str, phone: Any
) -> None:
    # two_districts (async) is set up before Playwright starts its own event loop in this thread.
    from playwright.sync_api import expect

    page = f"/enrollment/page?program={two_districts['voluntary']}"
    phone.goto(served + page)
    # Not logged in: the page's script sends the officer to log in and back to the same page.
    phone.wait_for_url("**/login?next=*")
    phone.fill("#username", "claims_officer")
    phone.fill("#password", PASSWORD)
    phone.click("button[type=submit]")
    phone.wait_for_url(f"**{page}")

    villages = phone.locator("#villages tbody tr")
    expect(villages).to_have_count(2)
    # v0: the home household enrolled and paid 200 yuan; v1: the neighbour enrolled, nothing paid.
    expect(villages.nth(0).locator("td").nth(3)).to_have_text("1")
    expect(villages.nth(0).locator("td").nth(4)).to_have_text("200.00")
    expect(villages.nth(1).locator("td").nth(3)).to_have_text("0")
    expect(villages.nth(1).locator("td").nth(4)).to_have_text("0.00")
    expect(phone.locator("#summary")).to_contain_text("已缴费 1 户")

    villages.nth(1).locator("a").click()
    expect(phone.locator("#unpaid")).to_be_visible()
    expect(phone.locator("#unpaid-title")).to_contain_text("未缴费住户（1 户）")
    expect(phone.locator("#unpaid tbody tr td").nth(5)).to_have_text("200.00")
    phone.screenshot(path=str(SCREENSHOTS / "enrollment.png"), full_page=True)
