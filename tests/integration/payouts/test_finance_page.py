"""Finance's page driven in headless Chromium: log in, see the payout waiting, build a batch,
download its bank file, and upload the bank's result, which pays the claim."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from core.settings import Settings
from tests.conftest import PASSWORD, login
from tests.integration.browser import BROWSER, SCREENSHOTS
from tests.integration.payouts.claim_worlds import DISTRICT, build_world, claim_row, claim_state

pytestmark = BROWSER


@pytest.fixture
async def waiting(client: AsyncTestClient[Litestar], settings: Settings) -> dict[str, Any]:
    """One claim approved for 12,460.50 yuan, waiting for a batch."""
    world = await build_world(settings)
    claim = await claim_row(settings, world, payable_fen=1_246_050)
    answer = await client.post(
        f"/claims/{claim['id']}/approve", json={}, headers=await login(client, "senior")
    )
    assert answer.status_code == 201, answer.text
    return claim


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_finance_builds_a_batch_downloads_its_file_and_uploads_the_result(
    waiting: dict[str, Any], served: str, phone: Any, settings: Settings, tmp_path: Path
) -> None:
    # `waiting` (async) is set up before Playwright starts its own event loop in this thread.
    from playwright.sync_api import expect

    from tests.integration.browser import blocking

    phone.goto(served + "/payouts/page")
    phone.wait_for_url("**/login?next=*")
    phone.fill("#username", "finance")
    phone.fill("#password", PASSWORD)
    phone.click("button[type=submit]")
    phone.wait_for_url("**/payouts/page")

    ready = phone.locator("#ready tbody tr")
    expect(ready).to_have_count(1)
    expect(ready.locator("td").nth(0)).to_have_text(waiting["number"])
    expect(ready.locator("td").nth(4)).to_have_text("12,460.50")

    phone.fill("#region", DISTRICT)
    phone.click("#build button[type=submit]")
    expect(phone.locator("#message")).to_contain_text("已生成批次")
    expect(ready).to_have_count(0)
    batch = phone.locator("#batches tbody tr")
    expect(batch).to_have_count(1)
    expect(batch.locator("td").nth(3)).to_have_text("12,460.50")

    expect(batch.get_by_role("link", name="CSV")).to_have_count(0)  # no file before the export
    batch.get_by_role("button", name="导出").click()
    expect(batch.locator("td").nth(1)).to_have_text("已发送银行")
    with phone.expect_download() as download:
        batch.get_by_role("link", name="CSV").click()
    bank_file = Path(download.value.path()).read_text(encoding="utf-8-sig").splitlines()
    assert bank_file[0].startswith("reference,") and len(bank_file) == 2
    reference, number = bank_file[1].split(",")[:2]
    assert number == waiting["number"]

    result = tmp_path / "result.csv"
    result.write_text(f"reference,amount,status\n{reference},12460.50,paid\n", encoding="utf-8")
    batch.locator("input[type=file]").set_input_files(str(result))
    expect(phone.locator("#report-summary")).to_contain_text("到账 1 笔")
    expect(phone.locator("#batches tbody tr td").nth(1)).to_have_text("已结清")
    phone.screenshot(path=str(SCREENSHOTS / "finance.png"), full_page=True)
    assert blocking(claim_state(settings, waiting["id"])).status == "closed"
