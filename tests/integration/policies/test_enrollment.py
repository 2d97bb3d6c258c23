"""Enrollment progress over HTTP: per village sums, a village's unpaid households, scope, the page."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.conftest import login

Client = AsyncTestClient[Litestar]


async def test_an_officer_sees_every_village_of_the_program(
    client: Client, two_districts: dict[str, str]
) -> None:
    officer = await login(client, "claims_officer")
    response = await client.get(
        "/enrollment/progress", params={"program_id": two_districts["voluntary"]}, headers=officer
    )
    assert response.status_code == 200, response.text
    by_village = {
        v["village_code"]: (
            v["households"],
            v["enrolled"],
            v["paid"],
            v["premium_collected_fen"],
            v["premium_due_fen"],
        )
        for v in response.json()["villages"]
    }
    # v0: home, enrolled and paid; v1: the neighbour, enrolled (idle) and unpaid.
    assert by_village == {
        two_districts["v0"]: (1, 1, 1, 20_000, 20_000),
        two_districts["v1"]: (1, 1, 0, 0, 20_000),
    }


async def test_a_liaison_sees_only_their_villages_and_their_unpaid(
    client: Client, two_districts: dict[str, str]
) -> None:
    liaison = await login(client, "liaison")
    program = two_districts["voluntary"]
    progress = await client.get("/enrollment/progress", params={"program_id": program}, headers=liaison)
    assert [v["village_code"] for v in progress.json()["villages"]] == [two_districts["v0"]]
    own = await client.get(
        "/enrollment/unpaid",
        params={"program_id": program, "village_code": two_districts["v0"]},
        headers=liaison,
    )
    assert own.json() == []  # home has paid
    other = await client.get(
        "/enrollment/unpaid",
        params={"program_id": program, "village_code": two_districts["v1"]},
        headers=liaison,
    )
    assert other.status_code == 403


async def test_the_unpaid_list_names_who_owes_what(client: Client, two_districts: dict[str, str]) -> None:
    admin = await login(client, "admin")
    response = await client.get(
        "/enrollment/unpaid",
        params={"program_id": two_districts["voluntary"], "village_code": two_districts["v1"]},
        headers=admin,
    )
    [neighbour] = response.json()
    assert (neighbour["household_id"], neighbour["owed_fen"]) == (two_districts["neighbour"], 20_000)
    assert neighbour["policy_number"] is not None


async def test_residents_may_not_and_the_page_is_a_shell(
    client: Client, two_districts: dict[str, str]
) -> None:
    page = await client.get("/enrollment/page")
    assert page.status_code == 200
    assert '<script src="/static/enrollment.js"></script>' in page.text
    assert "<script>" not in page.text  # no inline script: a content security policy is coming
    resident = await login(client, "resident")
    denied = await client.get(
        "/enrollment/progress", params={"program_id": two_districts["voluntary"]}, headers=resident
    )
    assert denied.status_code == 403
    assert (await client.get("/static/enrollment.js")).status_code == 200
