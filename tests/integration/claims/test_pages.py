"""The page shells and their static files: public, Chinese, phone-sized; data comes only from the API."""

from __future__ import annotations

from uuid import uuid4

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from core.auth import Role
from core.settings import Settings
from tests.conftest import login, make_user


@pytest.mark.parametrize(
    ("path", "phrase"),
    [
        ("/login", "登录"),
        ("/claim", "我要报案"),
        ("/track", "理赔进度查询"),
        (f"/catastrophes/{uuid4()}/page", "灾害事件"),
    ],
)
async def test_page_shells_load_without_a_token(
    client: AsyncTestClient[Litestar], path: str, phrase: str
) -> None:
    response = await client.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert phrase in response.text
    assert 'name="viewport"' in response.text
    assert response.headers["cache-control"] == "no-store"


async def test_claim_page_offers_every_peril_and_every_field_of_the_api_body(
    client: AsyncTestClient[Litestar],
) -> None:
    page = (await client.get("/claim")).text
    for label in ("火灾", "爆炸", "盗窃", "抢劫", "自然灾害"):
        assert label in page
    for field in (
        "household_id",
        "claimant_resident_id",
        "claimant_phone",
        "peril",
        "loss_at",
        "loss_place",
        "description",
        "estimated_yuan",
        "payee_name",
        "payee_bank_name",
        "payee_account",
        "police_report_no",
        "fire_certificate_no",
    ):
        assert f'name="{field}"' in page, field


async def test_static_files_are_served_and_nothing_else(client: AsyncTestClient[Litestar]) -> None:
    script = await client.get("/static/claim.js")
    assert script.status_code == 200
    assert "Idempotency-Key" in script.text
    assert (await client.get("/static/anju.css")).status_code == 200
    assert (await client.get("/static/../pages.py")).status_code == 404
    assert (await client.get("/static/nothing.js")).status_code == 404


async def test_home_sends_people_to_the_claim_page(client: AsyncTestClient[Litestar]) -> None:
    response = await client.get("/", follow_redirects=False)
    assert response.status_code == 302
    assert response.headers["location"] == "/claim"


async def test_summary_of_an_unknown_claim_needs_a_login_then_is_not_found(
    client: AsyncTestClient[Litestar], settings: Settings
) -> None:
    path = f"/claims/{uuid4()}/summary.pdf"
    assert (await client.get(path)).status_code == 401
    await make_user(settings, "officer", Role.CLAIMS_OFFICER, ["370211"])
    response = await client.get(path, headers=await login(client, "officer"))
    assert response.status_code == 404
    assert response.json()["code"] == "claim_not_found"
