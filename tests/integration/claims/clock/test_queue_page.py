"""The officer's work queue page in headless Chromium: log in, read the queue in time order, accept one
claim, reject another with a reason and try to approve a third from the page."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from claims.models import Claim
from core.clock import utcnow
from core.settings import Settings
from tests.conftest import PASSWORD, run_in_db
from tests.integration.browser import BROWSER, SCREENSHOTS, blocking
from tests.integration.claims.clock.worlds import add_claim, build_world

pytestmark = BROWSER


def arrange(settings: Settings) -> dict[str, str]:
    async def build() -> dict[str, str]:
        world = await build_world(settings)
        now = utcnow()

        async def claims(session: AsyncSession) -> dict[str, str]:
            assessed = add_claim(session, world.far, status="assessed", reported_at=now - timedelta(hours=60))
            to_accept = add_claim(
                session, world.home, status="reported", reported_at=now - timedelta(hours=20)
            )
            to_reject = add_claim(
                session, world.home, status="reported", reported_at=now - timedelta(hours=5)
            )
            return {"assessed": assessed.number, "accept": to_accept.number, "reject": to_reject.number}

        numbers: dict[str, str] = await run_in_db(settings, claims)
        return numbers

    result: dict[str, str] = blocking(build())
    return result


def statuses(settings: Settings) -> dict[str, tuple[str, str | None]]:
    async def read(session: AsyncSession) -> dict[str, tuple[str, str | None]]:
        rows = await session.execute(Claim.__table__.select())
        return {row.number: (row.status, row.rejection_reason) for row in rows}

    result: dict[str, tuple[str, str | None]] = blocking(run_in_db(settings, read))
    return result


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_an_officer_accepts_and_rejects_from_the_queue(settings: Settings, served: str, phone: Any) -> None:
    from playwright.sync_api import expect

    numbers = arrange(settings)
    phone.goto(served + "/work-queue/page")
    phone.wait_for_url("**/login?next=*")
    phone.fill("#username", "officer")
    phone.fill("#password", PASSWORD)
    phone.click("button[type=submit]")
    phone.wait_for_url("**/work-queue/page")

    rows = phone.locator("#queue tbody tr")
    expect(rows).to_have_count(3)
    expect(phone.locator("#summary")).to_have_text("共 3 件待办，按剩余时限排列。")
    expect(rows.nth(0).locator("td").nth(0)).to_have_text(numbers["assessed"])
    expect(rows.nth(0).locator("td").nth(4)).to_have_text("核赔")
    expect(rows.nth(0).locator("button[data-action=approve]")).to_be_visible()
    expect(rows.nth(1).locator("td").nth(0)).to_have_text(numbers["accept"])
    expect(rows.nth(1).locator("td").nth(3)).to_contain_text("51 小时")  # 72 − 20, less the seconds gone

    accept_row = phone.locator(f"tr[data-claim='{numbers['accept']}']")
    accept_row.locator("button[data-action=accept]").click()
    expect(accept_row.locator("td").nth(4)).to_have_text("安排查勘")
    expect(accept_row.locator("button")).to_have_count(0)

    phone.locator(f"tr[data-claim='{numbers['reject']}'] button[data-action=reject]").click()
    phone.fill("#reject-reason", "非保险责任")
    phone.click("#reject-confirm")
    expect(rows).to_have_count(2)
    # Approving reaches the payouts service with its body: this claim has no assessment, so the
    # service's own refusal shows, not the 400 of a request without a body.
    rows.nth(0).locator("button[data-action=approve]").click()
    expect(phone.locator("#problem")).to_contain_text("案件没有定损记录")
    phone.screenshot(path=str(SCREENSHOTS / "work-queue.png"), full_page=True)

    assert statuses(settings) == {
        numbers["assessed"]: ("assessed", None),
        numbers["accept"]: ("accepted", None),
        numbers["reject"]: ("rejected", "非保险责任"),
    }
