"""Co-funded premiums over HTTP: shares, activation when every share is paid, one government payment."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from core.settings import Settings
from tests.conftest import login
from tests.integration.policies.cofunded import PAID_ON, cofunded_world

Client = AsyncTestClient[Litestar]


async def policy(client: Client, headers: dict[str, str], policy_id: str) -> dict[str, Any]:
    response = await client.get(f"/policies/{policy_id}", headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def household_payment(amount_fen: int, receipt: str) -> dict[str, Any]:
    return {"payer": "王芳", "amount_fen": amount_fen, "channel": "cash", "receipt_no": receipt}


async def test_half_paid_by_the_household_then_the_village_by_the_district_activates(
    client: Client, settings: Settings
) -> None:
    ids = await cofunded_world(settings)
    finance = await login(client, "finance")
    # The household owes its half (25 yuan) only: the whole 50 is refused, 25 is taken and the policy waits.
    whole = await client.post(
        f"/policies/{ids['home_half']}/payments", json=household_payment(5_000, "R1"), headers=finance
    )
    assert (whole.status_code, whole.json()["code"]) == (422, "premium_overpaid")
    half = await client.post(
        f"/policies/{ids['home_half']}/payments", json=household_payment(2_500, "R1"), headers=finance
    )
    assert half.status_code == 201, half.text
    assert half.json()["share"] == "household"
    seen = await policy(client, finance, ids["home_half"])
    assert (seen["status"], seen["premium_due_fen"], seen["premium_paid_fen"]) == ("idle", 5_000, 2_500)

    paid = await client.post(
        f"/programs/{ids['half']}/government-payments",
        json={
            "payer": "district",
            "receipt_no": "G-1",
            "paid_on": PAID_ON.isoformat(),
            "village_code": ids["v0"],
        },
        headers=finance | {"Idempotency-Key": "g1"},
    )
    assert paid.status_code == 201, paid.text
    body = paid.json()
    assert (body["amount_fen"], body["policies_paid"], body["region_code"]) == (2_500, 1, ids["v0"])
    assert body["unpaid"] == [{"household_id": ids["bare"], "reason": "no_policy"}]
    seen = await policy(client, finance, ids["home_half"])
    assert (seen["status"], seen["premium_paid_fen"]) == ("active", 5_000)
    # The neighbour's village was not in the list; a second payment finds the share already paid.
    assert (await policy(client, finance, ids["neighbour_half"]))["status"] == "idle"
    again = await client.post(
        f"/programs/{ids['half']}/government-payments",
        json={
            "payer": "district",
            "receipt_no": "G-2",
            "paid_on": PAID_ON.isoformat(),
            "household_ids": [ids["home"]],
        },
        headers=finance,
    )
    assert again.status_code == 201, again.text
    assert (again.json()["amount_fen"], again.json()["unpaid"]) == (
        0,
        [{"household_id": ids["home"], "reason": "share_already_paid"}],
    )
    replay = await client.post(
        f"/programs/{ids['half']}/government-payments",
        json={
            "payer": "district",
            "receipt_no": "G-1",
            "paid_on": PAID_ON.isoformat(),
            "village_code": ids["v0"],
        },
        headers=finance | {"Idempotency-Key": "g1"},
    )
    assert (replay.status_code, replay.json()) == (201, body)
    reused = await client.post(
        f"/programs/{ids['half']}/government-payments",
        json={"payer": "district", "receipt_no": "G-1", "paid_on": PAID_ON.isoformat()},
        headers=finance,
    )
    assert (reused.status_code, reused.json()["code"]) == (409, "receipt_already_recorded")


async def test_per_resident_premium_is_paid_by_district_and_township_for_the_whole_region(
    client: Client, settings: Settings
) -> None:
    ids = await cofunded_world(settings)
    admin = await login(client, "admin")
    home = await policy(client, admin, ids["home_per_resident"])
    assert (home["premium_due_fen"], home["status"]) == (300, "idle")  # 3 people × 1 yuan
    household = await client.post(
        f"/policies/{ids['home_per_resident']}/payments", json=household_payment(100, "R9"), headers=admin
    )
    assert (household.status_code, household.json()["code"]) == (422, "wrong_funding")
    district = await client.post(
        f"/programs/{ids['per_resident']}/government-payments",
        json={"payer": "district", "receipt_no": "D-1", "paid_on": PAID_ON.isoformat()},
        headers=admin,
    )
    assert district.status_code == 201, district.text
    assert (district.json()["amount_fen"], district.json()["policies_paid"]) == (150 + 100, 2)
    assert (await policy(client, admin, ids["home_per_resident"]))["status"] == "idle"
    township = await client.post(
        f"/programs/{ids['per_resident']}/government-payments",
        json={"payer": "township", "receipt_no": "T-1", "paid_on": PAID_ON.isoformat()},
        headers=admin,
    )
    assert (township.json()["amount_fen"], township.json()["region_code"]) == (150 + 100, "370211")
    for name in ("home_per_resident", "neighbour_per_resident"):
        assert (await policy(client, admin, ids[name]))["status"] == "active"


async def test_denials(client: Client, settings: Settings) -> None:
    ids = await cofunded_world(settings)
    path = f"/programs/{ids['half']}/government-payments"
    body = {"payer": "district", "receipt_no": "G-9", "paid_on": PAID_ON.isoformat()}
    for user, status, code in (
        ("auditor", 403, "forbidden"),
        ("resident", 403, "forbidden"),
        ("far_finance", 403, "outside_your_region"),
    ):
        answer = await client.post(path, json=body, headers=await login(client, user))
        assert (answer.status_code, answer.json()["code"]) == (status, code), user
    far = await client.post(
        path, json=body | {"household_ids": [ids["home"]]}, headers=await login(client, "far_finance")
    )
    assert far.status_code == 201, far.text
    assert (far.json()["amount_fen"], far.json()["unpaid"]) == (
        0,
        [{"household_id": ids["home"], "reason": "no_policy"}],
    )
    admin = await login(client, "admin")
    township = await client.post(path, json=body | {"payer": "township"}, headers=admin)
    assert (township.status_code, township.json()["code"]) == (422, "wrong_funding")
    both = await client.post(
        path, json=body | {"village_code": ids["v0"], "household_ids": [ids["home"]]}, headers=admin
    )
    assert both.status_code in (400, 422)
    assert (await policy(client, admin, ids["home_half"]))["status"] == "idle"


async def test_the_collection_list_pays_the_households_share_only(client: Client, settings: Settings) -> None:
    ids = await cofunded_world(settings)
    admin = await login(client, "admin")
    rows = [
        f",{ids['home_head']},HALF,50,2026-07-01,现金,C1,王村委",  # line 2: the whole premium
        f",{ids['home_head']},HALF,25,2026-07-01,现金,C2,王村委",  # line 3: the household's half
        f",{ids['neighbour_head']},RES,1,2026-07-01,现金,C3,王村委",  # line 4: per resident
    ]
    header = "户编号,户主身份证号,方案代码,金额,缴费日期,缴费方式,收据号,收款人\n"
    csv = header + "\n".join(rows) + "\n"
    imported = await client.post(
        "/imports/premiums", files={"data": ("缴费清单.csv", csv.encode(), "text/csv")}, headers=admin
    )
    assert imported.status_code == 200, imported.text
    body = imported.json()
    assert [(e["line"], e["code"]) for e in body["errors"]] == [
        (2, "wrong_amount"),
        (4, "per_resident_program"),
    ]
    assert (body["payments_recorded"], body["policies_activated"]) == (1, 0)
    seen = await policy(client, admin, ids["home_half"])
    assert (seen["status"], seen["premium_paid_fen"]) == ("idle", 2_500)
    paid = await client.post(
        f"/programs/{ids['half']}/government-payments",
        json={"payer": "district", "receipt_no": "G-1", "paid_on": PAID_ON.isoformat()},
        headers=admin,
    )
    assert (paid.status_code, paid.json()["amount_fen"]) == (201, 2_500 + 2_500)
    assert (await policy(client, admin, ids["home_half"]))["status"] == "active"
    # The neighbour's district half came first; the household's half from a later list activates it.
    later = f"{header},{ids['neighbour_head']},HALF,25,2026-11-20,现金,C4,王村委\n"
    second = await client.post(
        "/imports/premiums", files={"data": ("缴费清单.csv", later.encode(), "text/csv")}, headers=admin
    )
    assert (second.json()["errors"], second.json()["policies_activated"]) == ([], 1)
    assert (await policy(client, admin, ids["neighbour_half"]))["status"] == "active"
