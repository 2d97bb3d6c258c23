"""The findings page driven in headless Chromium: an auditor logs in, reads a planted finding with its
evidence, draws the desk-review sample by seed, and opens a sampled claim's audit trail."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit import record
from core.settings import Settings
from tests.conftest import PASSWORD, run_in_db
from tests.integration.browser import BROWSER, SCREENSHOTS, blocking
from tests.integration.reports.findings.worlds import World, add_paid_claim

pytestmark = BROWSER


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_an_auditor_reads_findings_samples_and_opens_a_trail(
    clean: World, settings: Settings, served: str, phone: Any
) -> None:
    from playwright.sync_api import expect

    async def plant(session: AsyncSession) -> None:
        claim_id = await add_paid_claim(session, clean, clean.homes[5], number="C202601209999", visited=False)
        await record(
            session,
            actor="officer",
            action="claim.approved",
            subject_type="claim",
            subject_id=claim_id,
            region_code=clean.homes[5].village_code,
            reason="无需查勘",
            before={"status": "accepted"},
            after={"status": "approved"},
        )

    blocking(run_in_db(settings, plant))
    page = "/reports/findings/page?region_code=370211&from=2026-01-01&to=2026-01-31"
    phone.goto(served + page)
    phone.wait_for_url("**/login?next=*")
    phone.fill("#username", "auditor")
    phone.fill("#password", PASSWORD)
    phone.click("button[type=submit]")
    phone.wait_for_url(f"**{page}")

    expect(phone.locator("#results-title")).to_have_text("共 1 条发现")
    card = phone.locator(".finding")
    expect(card).to_have_attribute("data-kind", "paid_without_visit")
    expect(card.locator("h3")).to_have_text("未查勘定损即赔付")
    expect(card.locator("dd").first).to_have_text("C202601209999")
    export = phone.locator("[data-export='claims.xlsx']")
    expect(export).to_have_attribute(
        "href", "/reports/exports/claims.xlsx?region_code=370211&from=2026-01-01&to=2026-01-31"
    )

    phone.fill("#size", "5")
    phone.fill("#seed", "42")
    phone.click("#sample-form button[type=submit]")
    rows = phone.locator("#sample tbody tr")
    expect(rows).to_have_count(5)
    expect(phone.locator("#sample-seed")).to_contain_text("随机种子 42：从 25 件已赔案件中抽取 5 件")
    phone.screenshot(path=str(SCREENSHOTS / "findings.png"), full_page=True)

    card.locator("a").click()
    phone.wait_for_url("**/reports/claims/*/trail")
    expect(phone.locator("#summary")).to_have_text("案件 C202601209999：共 1 条审计记录")
    expect(phone.locator("#chain")).to_have_attribute("data-ok", "true")
    cells = phone.locator("#events tbody tr td")
    expect(cells.nth(3)).to_have_text("claim.approved")
    expect(cells.nth(5)).to_have_text('status："accepted" → "approved"')
    expect(cells.nth(6)).to_have_text("无需查勘")
    expect(cells.nth(7)).to_have_text("一致")
    phone.screenshot(path=str(SCREENSHOTS / "claim-trail.png"), full_page=True)
