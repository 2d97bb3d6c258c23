"""Least privilege over rebates: a village, district, entry or agreement outside the caller's scope
answers exactly as one never issued (the body echoes only the id or code the caller sent)."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.conftest import login
from tests.integration.payouts.worlds import Accrued, Paid

Client = AsyncTestClient[Litestar]
UNKNOWN_VILLAGE = "370211999999"


async def answer(client: Client, path: str, headers: dict[str, str], sent: str) -> tuple[Any, ...]:
    """Status, media type and body, with the echo of what was sent checked and set aside."""
    response = await client.get(path, headers=headers)
    body = response.json()
    assert body.pop("detail", sent) == sent, body
    return response.status_code, response.headers["content-type"], body


def village_reads(period_id: str, village: str) -> list[str]:
    statement = f"/rebates/periods/{period_id}/villages/{village}/statement"
    return [
        f"/rebates/villages/{village}/fund",
        f"/rebates/villages/{village}/expenditures",
        statement,
        f"{statement}.pdf",
        f"{statement}.csv",
    ]


async def test_a_village_out_of_scope_reads_exactly_as_an_unknown_code(
    client: Client, accrued: Accrued
) -> None:
    liaison = await login(client, "liaison")
    other = accrued.scene.villages[1]
    hidden_paths = village_reads(accrued.period_id, other)
    unknown_paths = village_reads(accrued.period_id, UNKNOWN_VILLAGE)
    for hidden, unknown in zip(hidden_paths, unknown_paths, strict=True):
        hidden_answer = await answer(client, hidden, liaison, other)
        assert hidden_answer[:2] == (404, "application/problem+json"), hidden
        assert hidden_answer[2]["code"] == "village_not_found", hidden
        assert hidden_answer == await answer(client, unknown, liaison, UNKNOWN_VILLAGE), hidden
    own = await client.get(f"/rebates/villages/{accrued.scene.villages[0]}/fund", headers=liaison)
    assert own.status_code == 200


async def test_a_district_out_of_scope_reads_exactly_as_an_unknown_code(
    client: Client, accrued: Accrued
) -> None:
    stranger = await login(client, "stranger")
    hidden = await answer(client, "/rebates/districts/370211/villages", stranger, "370211")
    assert hidden[:2] == (404, "application/problem+json")
    assert hidden == await answer(client, "/rebates/districts/370299/villages", stranger, "370299")


async def test_entries_and_agreements_out_of_scope_read_as_unknown_ids(client: Client, paid: Paid) -> None:
    finance = await login(client, "finance")
    entries = (await client.get("/rebates/entries", headers=finance)).json()
    agreement_id = (await client.get("/rebates/agreements", headers=finance)).json()[0]["id"]
    unknown = str(uuid4())
    liaison, stranger = await login(client, "liaison"), await login(client, "stranger")
    (other_entry,) = [e["id"] for e in entries if e["village_code"] == paid.scene.villages[1]]
    hidden = await answer(client, f"/rebates/entries/{other_entry}", liaison, other_entry)
    assert hidden[0] == 404
    assert hidden == await answer(client, f"/rebates/entries/{unknown}", liaison, unknown)
    hidden = await answer(client, f"/rebates/agreements/{agreement_id}", stranger, agreement_id)
    assert hidden[0] == 404
    assert hidden == await answer(client, f"/rebates/agreements/{unknown}", stranger, unknown)
