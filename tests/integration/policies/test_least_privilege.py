"""Least privilege over households and policies: each role sees what its work needs, listings mask
resident IDs and phones, and an id the caller may not see answers exactly as an unknown one."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from core.auth import Role
from tests import factories
from tests.conftest import login

Client = AsyncTestClient[Litestar]
UNKNOWN = str(uuid4())


def reads(household: str, policy: str) -> list[str]:
    return [
        f"/households/{household}",
        f"/households/{household}/covers",
        f"/policies/{policy}",
        f"/policies/{policy}/payments",
    ]


async def answer(client: Client, method: str, path: str, headers: dict[str, str], **kwargs: Any) -> Any:
    response = await client.request(method, path, headers=headers, **kwargs)
    return response.status_code, response.headers["content-type"], response.json()


# Who may see the home household's records (village v0), and who may not.
@pytest.mark.parametrize(
    ("role", "household", "policy"),
    [
        (Role.RESIDENT, "neighbour", "neighbour_policy"),
        (Role.LIAISON, "neighbour", "neighbour_policy"),
        (Role.ADJUSTER, "home", "home_policy"),
        (Role.FINANCE, "home", "far_policy"),
        (Role.CLAIMS_OFFICER, "far", "far_policy"),
        (Role.AUDITOR, "far", "far_policy"),
    ],
)
async def test_an_id_out_of_scope_reads_exactly_as_an_unknown_id(
    client: Client, two_districts: dict[str, str], role: Role, household: str, policy: str
) -> None:
    ids = two_districts
    headers = await login(client, role.value)
    for hidden, unknown in zip(reads(ids[household], ids[policy]), reads(UNKNOWN, UNKNOWN), strict=True):
        hidden_answer = await answer(client, "GET", hidden, headers)
        assert hidden_answer[0] == 404, (role, hidden)
        assert hidden_answer == await answer(client, "GET", unknown, headers), (role, hidden)


async def test_a_region_out_of_scope_reads_exactly_as_an_unknown_code(
    client: Client, two_districts: dict[str, str]
) -> None:
    liaison = await login(client, "liaison")
    hidden = await answer(client, "GET", f"/regions/{two_districts['v1']}", liaison)
    assert hidden[0] == 404
    assert hidden == await answer(client, "GET", "/regions/370211999999", liaison)


async def test_writes_on_a_household_out_of_scope_answer_as_on_an_unknown_one(
    client: Client, two_districts: dict[str, str]
) -> None:
    ids = two_districts
    liaison = await login(client, "liaison")
    member = {
        "name": "新成员",
        "resident_id": factories.resident_id(8101, birth="19700101"),
        "relation": "child",
    }
    for household in (ids["neighbour"], UNKNOWN):
        writes = [
            ("PATCH", f"/households/{household}", {"json": {"address": "改址"}}),
            ("POST", f"/households/{household}/people", {"json": member}),
            ("POST", "/policies", {"json": {"household_id": household, "program_id": ids["voluntary"]}}),
        ]
        for method, path, kwargs in writes:
            status, _, body = await answer(client, method, path, liaison, **kwargs)
            assert (status, body["code"]) == (404, "household_not_found"), (household, method, path)
    finance = await login(client, "finance")
    payment = {"payer": "王五", "amount_fen": 100, "channel": "cash", "receipt_no": "LP-1"}
    far = await answer(client, "POST", f"/policies/{ids['far_policy']}/payments", finance, json=payment)
    assert far == await answer(client, "POST", f"/policies/{UNKNOWN}/payments", finance, json=payment)
    assert far[0] == 404


async def test_adjusters_and_finance_see_no_household_until_their_work_names_one(
    client: Client, two_districts: dict[str, str]
) -> None:
    ids = two_districts
    for role in (Role.ADJUSTER, Role.FINANCE):
        headers = await login(client, role.value)
        listed = (await client.get("/households", headers=headers)).json()
        assert (listed["items"], listed["total"]) == ([], 0), role
        by_village = await client.get("/households", params={"village_code": ids["v0"]}, headers=headers)
        assert by_village.json()["total"] == 0, role
        assert (await client.get(f"/households/{ids['home']}", headers=headers)).status_code == 404, role


async def test_finance_reads_and_pays_the_policies_of_its_district(
    client: Client, two_districts: dict[str, str]
) -> None:
    ids = two_districts
    finance = await login(client, "finance")
    assert (await client.get(f"/policies/{ids['neighbour_policy']}", headers=finance)).status_code == 200
    payment = {"payer": "李四", "amount_fen": 100, "channel": "cash", "receipt_no": "LP-2"}
    paid = await client.post(f"/policies/{ids['neighbour_policy']}/payments", json=payment, headers=finance)
    assert paid.status_code == 201, paid.text


async def test_adjusters_see_only_the_blanket_policy_over_their_district(
    client: Client, two_districts: dict[str, str]
) -> None:
    ids = two_districts
    adjuster = await login(client, "adjuster")
    listed = (await client.get("/policies", headers=adjuster)).json()["items"]
    assert [p["id"] for p in listed] == [ids["blanket"]]
    assert (await client.get(f"/policies/{ids['home_policy']}", headers=adjuster)).status_code == 404


async def test_listings_mask_ids_and_phones_and_one_household_shows_them_in_full(
    client: Client, two_districts: dict[str, str]
) -> None:
    ids = two_districts
    admin = await login(client, "admin")
    member = {
        "name": "王小明",
        "resident_id": factories.resident_id(8102, birth="19900101"),
        "relation": "child",
        "phone": "13912345678",
    }
    added = await client.post(f"/households/{ids['home']}/people", json=member, headers=admin)
    assert added.status_code == 201, added.text
    full = (await client.get(f"/households/{ids['home']}", headers=admin)).json()
    person = next(p for p in full["people"] if p["name"] == "王小明")
    assert (person["resident_id"], person["phone"]) == (member["resident_id"], "13912345678")
    rid = member["resident_id"]
    for role in (Role.LIAISON, Role.CLAIMS_OFFICER, Role.AUDITOR, Role.ADMIN):
        headers = await login(client, role.value)
        listed = (await client.get("/households", params={"village_code": ids["v0"]}, headers=headers)).json()
        (home,) = listed["items"]
        assert home["phone"] == f"{full['phone'][:3]}****{full['phone'][-4:]}", role
        shown = next(p for p in home["people"] if p["name"] == "王小明")
        assert (shown["resident_id"], shown["phone"]) == (f"{rid[:6]}********{rid[-4:]}", "139****5678"), role
        assert all(p["resident_id"][6:14] == "********" for p in home["people"]), role
        one = (await client.get(f"/households/{ids['home']}", headers=headers)).json()
        assert one == full, role
    resident = await login(client, "resident")
    (own,) = (await client.get("/households", headers=resident)).json()["items"]
    assert own == full
