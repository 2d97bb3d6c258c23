"""Visit pages driven in headless Chromium on a phone-sized screen: the adjuster's day (visits with
their call, map and assessment links), the public status page with the visit day, and the
catastrophe board with the event's visit plan."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from app import create_app
from claims.visits import tasks
from claims.visits.services.planning import plan_claim
from core.auth import Role
from core.clock import today
from core.settings import Settings
from tests.conftest import PASSWORD, login, make_user, run_in_db
from tests.integration.browser import BROWSER, SCREENSHOTS, blocking
from tests.integration.claims.visits.worlds import add_adjuster, file_and_accept, user_id
from tests.integration.claims.worlds import build_world, event

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


def log_in(page: Any, base: str, username: str, path: str) -> None:
    page.goto(f"{base}{path}")
    page.wait_for_url("**/login?next=*")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"**{path}")


# One database is enough to see the page work; the API tests cover PostgreSQL.
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_adjuster_reads_the_day_on_a_phone(settings: Settings, served: str, phone: Any) -> None:
    from playwright.sync_api import expect

    facts = blocking(arrange_day(settings))
    log_in(phone, served, "adjuster", "/adjuster/day")
    card = phone.locator("section.visit")
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

    day = today()
    phone.goto(f"{served}/track?number={facts['claim']['number']}")
    expect(phone.locator("#number")).to_have_value(facts["claim"]["number"])
    phone.fill("#phone_last4", "1234")
    phone.click("button[type=submit]")
    expect(phone.locator("#stage")).to_have_text("已安排查勘")
    expect(phone.locator("#visit-on")).to_have_text(f"{day.year}年{day.month}月{day.day}日")
    expect(phone.locator("#paid-box")).to_be_hidden()


async def arrange_event(settings: Settings) -> str:
    """An event of three households, confirmed, accepted and planned, through the API."""
    world = await build_world(settings)
    await add_adjuster(settings, "adjuster", [world.villages[0]], capacity=1)
    await add_adjuster(settings, "adjuster2", [world.villages[3]], capacity=1)
    async with AsyncTestClient(app=create_app(settings)) as client:
        officer = await login(client, "officer")
        body = event([world.villages[0], world.villages[3]])
        cat = (await client.post("/catastrophes", json=body, headers=officer)).json()
        listed = await client.get("/claims", params={"catastrophe_id": cat["id"]}, headers=officer)
        for claim in listed.json()["items"]:
            confirm = f"/catastrophes/{cat['id']}/claims/{claim['id']}/confirm"
            await client.post(confirm, json={"estimated_loss_fen": 100_000}, headers=officer)
            await client.post(f"/claims/{claim['id']}/accept", headers=officer)
        requested = await client.post(f"/catastrophes/{cat['id']}/visit-plan", headers=officer)
        assert requested.status_code == 202, requested.text
    officer_id = str(await user_id(settings, "officer"))

    async def plan(session: AsyncSession) -> None:  # what the worker would do after the request
        await tasks.plan_event_visits.work(session, str(cat["id"]), officer_id)

    await run_in_db(settings, plan)
    return str(cat["id"])


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_catastrophe_board_shows_the_visit_plan_and_the_adjusters_needed(
    settings: Settings, served: str, phone: Any
) -> None:
    from playwright.sync_api import expect

    event_id = blocking(arrange_event(settings))
    log_in(phone, served, "officer", f"/catastrophes/{event_id}/page")
    summary = phone.locator("#plan-summary")
    expect(summary).to_contain_text("已安排 3 户，待安排 0 户；计划 2 天查勘完")
    expect(summary).to_contain_text("理论最少 2 天（2 名查勘员）")
    expect(phone.locator("#plan-days tbody tr")).to_have_count(2)
    expect(phone.locator("#plan-needed")).to_have_text("7 天内查勘完需 1 名查勘员")
    phone.fill("#within_days", "1")
    phone.fill("#capacity", "1")
    phone.click("#need-form button")
    expect(phone.locator("#plan-needed")).to_have_text("1 天内查勘完需 3 名查勘员")
    phone.screenshot(path=str(SCREENSHOTS / "catastrophe-plan.png"), full_page=True)


async def arrange_adjusters(settings: Settings) -> dict[str, Any]:
    world = await build_world(settings)
    await make_user(settings, "wang", Role.ADJUSTER, ["370211"])
    return {"villages": world.villages, "wang": str(await user_id(settings, "wang"))}


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_an_officer_registers_an_adjuster_and_a_day_off_on_the_adjusters_page(
    settings: Settings, served: str, phone: Any
) -> None:
    from playwright.sync_api import expect

    facts = blocking(arrange_adjusters(settings))
    log_in(phone, served, "officer", "/adjusters/page")
    phone.fill("#user_id", facts["wang"])
    phone.fill("#village_codes", f"{facts['villages'][0]}，{facts['villages'][1]}")
    phone.fill("#home_village_code", facts["villages"][0])
    phone.fill("#daily_capacity", "10")
    phone.locator("#add-form button").dblclick()
    expect(phone.locator("#done")).to_have_text("已登记：wang")
    rows = phone.locator("#adjusters tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(f"{facts['villages'][0]}、{facts['villages'][1]}")
    expect(rows.first).to_contain_text("一二三四五六")
    phone.fill("#off_day", today().isoformat())
    phone.fill("#off_reason", "家中有事")
    phone.click("#off-form button")
    expect(phone.locator("#done")).to_have_text("已登记休息：重新安排 0 户，待人工安排 0 户。")
    phone.fill("#user_id", facts["wang"])
    phone.click("#add-form button")
    expect(phone.locator("#problem")).to_have_text("该用户已登记为查勘员")
