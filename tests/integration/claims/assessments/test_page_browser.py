"""The assessment page at the door, driven in headless Chromium on a phone: log in, type the lines,
take a photo, survive a reload and a failed request, double-tap save, read the payable."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app import create_app
from claims.assessments.models import Assessment
from claims.models import Claim, ClaimDocument
from core.settings import Settings
from tests.conftest import PASSWORD, run_in_db
from tests.integration.browser import BROWSER, SCREENSHOTS, blocking
from tests.integration.claims.assessments.worlds import VisitWorld, build_visit_world
from tests.integration.claims.test_page_browser import tiny_png

pytestmark = BROWSER


async def arrange(settings: Settings) -> VisitWorld:
    async with AsyncTestClient(app=create_app(settings)) as client:
        return await build_visit_world(settings, client)


def recorded(settings: Settings) -> list[tuple[Any, ...]]:
    async def read(session: AsyncSession) -> list[tuple[Any, ...]]:
        rows = await session.execute(
            select(
                Assessment.payable_fen, Assessment.photo_ids, Assessment.acknowledged_by, Claim.status
            ).join(Claim, Claim.id == Assessment.claim_id)
        )
        return [tuple(row) for row in rows]

    result: list[tuple[Any, ...]] = blocking(run_in_db(settings, read))
    return result


def site_photo_ids(settings: Settings) -> list[str]:
    async def read(session: AsyncSession) -> list[str]:
        return [
            str(i)
            for i in await session.scalars(select(ClaimDocument.id).where(ClaimDocument.kind == "site_photo"))
        ]

    result: list[str] = blocking(run_in_db(settings, read))
    return result


def fill_line(row: Any, item: str, quantity: str, unit_yuan: str, mode: str, amount: str) -> None:
    row.locator("[name=item]").fill(item)
    row.locator("[name=quantity]").fill(quantity)
    row.locator("[name=unit_yuan]").fill(unit_yuan)
    row.locator("[name=mode]").select_option(mode)
    row.locator("[name=amount]").fill(amount)


# One database is enough to see the page work; the API tests cover PostgreSQL.
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_adjuster_assesses_at_the_door_on_a_phone(
    settings: Settings, served: str, phone: Any, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    world = blocking(arrange(settings))
    page_url = f"{served}/adjuster/visits/{world.visit_id}/assess"
    phone.goto(page_url)
    phone.wait_for_url("**/login?next=*")
    phone.fill("#username", "adjuster")
    phone.fill("#password", PASSWORD)
    phone.click("button[type=submit]")
    phone.wait_for_url(page_url)
    expect(phone.locator("#claim-card")).to_contain_text("火灾")
    expect(phone.locator("#claim-card")).to_contain_text("已付预赔 5,000.00 元")

    rows = phone.locator("#lines .line")
    fill_line(rows.nth(0), "冰箱", "1", "6000", "age", "3")
    phone.click("#add-line")
    fill_line(rows.nth(1), "衣柜", "2", "1,500", "rate", "25")
    phone.click("#add-line")
    phone.click("#add-line")
    fill_line(rows.nth(2), "电视机", "1", "25000", "age", "")
    rows.nth(3).locator(".remove").click()
    expect(rows).to_have_count(3)

    photo = tmp_path / "门口.png"
    photo.write_bytes(tiny_png())
    # The first upload is lost on the way (a slow village connection): the page tries again by itself.
    lost: list[str] = []

    def lose_first(route: Any) -> None:
        if not lost:
            lost.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    phone.route("**/photos", lose_first)
    phone.set_input_files("#photos", str(photo))
    expect(phone.locator("#photo-list li")).to_contain_text("已上传")
    assert len(lost) == 1
    phone.fill("#acknowledged_by", "王建国")

    # A reload keeps everything typed and the photo already uploaded.
    phone.reload()
    expect(rows).to_have_count(3)
    expect(rows.nth(1).locator("[name=item]")).to_have_value("衣柜")
    expect(rows.nth(1).locator("[name=mode]")).to_have_value("rate")
    expect(phone.locator("#acknowledged_by")).to_have_value("王建国")
    expect(phone.locator("#photo-list li")).to_have_count(1)
    expect(phone.locator("#photo-list li")).to_contain_text("已上传")

    phone.click("#submit")
    expect(phone.locator("#problem")).to_contain_text("勾选确认")
    phone.check("#acknowledged")

    # The first save never reaches the server: the page says so and keeps the form.
    dropped: list[str] = []

    def drop_first(route: Any) -> None:
        if not dropped:
            dropped.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    phone.route("**/assessment", drop_first)
    phone.click("#submit")
    expect(phone.locator("#problem")).to_contain_text("网络不通")
    expect(rows.nth(2).locator("[name=item]")).to_have_value("电视机")
    phone.screenshot(path=str(SCREENSHOTS / "assess-filled.png"), full_page=True)

    phone.locator("#submit").dblclick()
    expect(phone.locator("#result")).to_be_visible()
    # 4,200.00 + 2,250.00 + 25,000.00 − 500.00 deductible = 30,950.00; less 5,000.00 advance.
    expect(phone.locator("#payable")).to_have_text("30,950.00")
    expect(phone.locator("#final")).to_have_text("25,950.00")
    expect(phone.locator("#owed-row")).to_be_hidden()
    expect(phone.locator("#steps li").first).to_contain_text("冰箱")
    phone.screenshot(path=str(SCREENSHOTS / "assess-done.png"), full_page=True)

    photos = site_photo_ids(settings)
    assert len(photos) == 1
    assert recorded(settings) == [(3_095_000, photos, "王建国", "assessed")]

    # Coming back to the page shows what was recorded, not an empty form.
    phone.reload()
    expect(phone.locator("#payable")).to_have_text("30,950.00")
    expect(phone.locator("#assess-form")).to_be_hidden()
