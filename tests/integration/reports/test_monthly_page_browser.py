"""The monthly reports page in headless Chromium: an officer asks for March, the page follows the build
and offers the PDF once it is done."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from core.settings import Settings
from reports.services import monthly
from tests.conftest import PASSWORD, run_in_db
from tests.integration.browser import BROWSER, SCREENSHOTS, blocking
from tests.integration.reports.worlds import DISTRICT, World, march_world

pytestmark = BROWSER


@pytest.fixture
async def world(settings: Settings) -> World:
    return await march_world(settings)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_an_officer_asks_for_a_report_and_downloads_it(
    world: World, settings: Settings, served: str, phone: Any, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    page = "/reports/monthly-reports/page"
    phone.goto(served + page)
    phone.wait_for_url("**/login?next=*")
    phone.fill("#username", "officer")
    phone.fill("#password", PASSWORD)
    phone.click("button[type=submit]")
    phone.wait_for_url(f"**{page}")

    expect(phone.locator("#district")).to_have_value(DISTRICT)
    phone.fill("#month", "2026-03")
    phone.click("#ask button[type=submit]")
    row = phone.locator("#builds tbody tr")
    expect(row).to_have_count(1)
    expect(row.locator("td").nth(2)).to_have_text("生成中…")

    # The served app runs no worker: do the build actor's work, as a worker would.
    report_id = UUID(row.get_attribute("data-id"))

    async def build(session: AsyncSession) -> None:
        await monthly.build(session, report_id)

    blocking(run_in_db(settings, build))
    expect(row.locator("td").nth(2)).to_have_text("已生成")
    with phone.expect_download() as download:
        row.locator("a", has_text="下载 PDF").click()
    saved = tmp_path / "report.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF-")
    assert download.value.suggested_filename == f"governance-report-{DISTRICT}-2026-03.pdf"
    phone.screenshot(path=str(SCREENSHOTS / "monthly-reports.png"), full_page=True)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_an_auditor_reads_but_is_not_offered_the_request(world: World, served: str, phone: Any) -> None:
    from playwright.sync_api import expect

    page = "/reports/monthly-reports/page"
    phone.goto(served + page)
    phone.wait_for_url("**/login?next=*")
    phone.fill("#username", "auditor")
    phone.fill("#password", PASSWORD)
    phone.click("button[type=submit]")
    phone.wait_for_url(f"**{page}")
    expect(phone.locator("#ask")).to_be_hidden()
    expect(phone.locator("#problem")).to_be_hidden()
