"""Rebate agreements and village spending outside their plausible dates are a 422 that stores nothing."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient

from core.clock import today
from core.settings import Settings
from payouts.rebates.models import RebateAgreement, SecurityExpenditure
from tests.conftest import login
from tests.integration.payouts.worlds import JPEG, Paid, agreement_body, build_scene, count, spending

Client = AsyncTestClient[Litestar]


async def test_an_agreement_for_1899_or_a_century_ahead_is_refused(
    client: Client, settings: Settings
) -> None:
    scene = await build_scene(settings, {0: 10_000})
    finance = await login(client, "finance")
    far = today().year + 75
    for starts_on, ends_on, field in [
        ("1899-01-01", "1900-01-01", "starts_on"),
        (f"{far}-01-01", f"{far + 1}-01-01", "starts_on"),
    ]:
        body = agreement_body(scene, starts_on=starts_on, ends_on=ends_on)
        refused = await client.post("/rebates/agreements", json=body, headers=finance)
        assert (refused.status_code, refused.json()["code"]) == (422, "date_implausible"), body
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert refused.json()["errors"][0]["field"] == field
    assert await count(settings, RebateAgreement) == 0


async def test_an_agreement_before_its_program_starts_is_refused(client: Client, settings: Settings) -> None:
    scene = await build_scene(settings, {0: 10_000})  # the program starts on 2025-01-01
    finance = await login(client, "finance")
    body = agreement_body(scene, starts_on="2024-01-01", ends_on="2025-01-01")
    refused = await client.post("/rebates/agreements", json=body, headers=finance)
    assert (refused.status_code, refused.json()["code"]) == (422, "agreement_before_program")
    assert await count(settings, RebateAgreement) == 0
    accepted = await client.post("/rebates/agreements", json=agreement_body(scene), headers=finance)
    assert accepted.status_code == 201


async def test_spending_dated_1899_is_refused(client: Client, settings: Settings, paid: Paid) -> None:
    url = f"/rebates/villages/{paid.scene.villages[0]}/expenditures"
    liaison = await login(client, "liaison")
    refused = await client.post(
        url,
        data=spending(100, spent_on="1899-12-31"),
        files={"receipt": ("发票.jpg", JPEG, "image/jpeg")},
        headers=liaison,
    )
    assert (refused.status_code, refused.json()["code"]) == (422, "invalid_spending_date")
    assert await count(settings, SecurityExpenditure) == 0


async def test_a_description_of_invisible_characters_is_refused_and_text_is_cleaned(
    client: Client, settings: Settings, paid: Paid
) -> None:
    url = f"/rebates/villages/{paid.scene.villages[0]}/expenditures"
    liaison = await login(client, "liaison")
    receipt = {"receipt": ("发票.jpg", JPEG, "image/jpeg")}
    empty = await client.post(
        url, data=spending(100, description="\u200b\u2060"), files=receipt, headers=liaison
    )
    assert empty.status_code == 400
    assert await count(settings, SecurityExpenditure) == 0
    kept = await client.post(
        url, data=spending(100, description="村口\u202e摄像头"), files=receipt, headers=liaison
    )
    assert kept.status_code == 201, kept.text
    assert kept.json()["description"] == "村口摄像头"
