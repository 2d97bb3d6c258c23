"""Money at the edges: a district's lump sum past 32 bits is stored whole; absurd sums are refused."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient

from core.auth import Role
from core.settings import Settings
from tests import factories
from tests.conftest import login, make_user, run_in_db
from tests.integration.policies.conftest import Snapshot

Client = AsyncTestClient[Litestar]


async def test_large_sums_fit_on_both_databases_and_absurd_ones_are_refused(
    client: Client, settings: Settings, snapshot: Snapshot
) -> None:
    await run_in_db(settings, factories.region_tree)
    await make_user(settings, "admin", Role.ADMIN, [])
    admin = await login(client, "admin")
    fifty_million_yuan = 50_000_000 * 100  # past a 32-bit integer
    program = {
        "code": "BIG-DISTRICT",
        "name": "大区统保",
        "insurer": "人保财险",
        "funding": "district",
        "region_code": "370211",
        "premium_fen": fifty_million_yuan,
        "term_months": 12,
        "perils": [{"peril": "fire", "limit_fen": 30_000_000 * 100}],
        "per_claim_cap_fen": 30_000_000 * 100,
        "starts_on": "2026-01-01",
    }
    created = await client.post("/programs", json=program, headers=admin)
    assert created.status_code == 201, created.text
    blanket = await client.post("/policies/blanket", json={"program_id": created.json()["id"]}, headers=admin)
    assert blanket.status_code == 201, blanket.text
    lump = {
        "payer": "区财政局",
        "amount_fen": fifty_million_yuan,
        "channel": "district_finance",
        "receipt_no": "CZ",
    }
    paid = await client.post(f"/policies/{blanket.json()['id']}/payments", json=lump, headers=admin)
    assert paid.status_code == 201, paid.text

    before = await snapshot()
    # Terms the schema leaves as plain integers reach the program rules (422); a peril limit is
    # `PositiveFen`, whose bound (core.schemas.MAX_FEN) refuses it while decoding (400).
    invalid_program, validation_failed = (422, "invalid_program"), (400, "validation_failed")
    absurd = [
        ({"per_claim_cap_fen": 10**15}, invalid_program),
        ({"combined_cap_fen": 10**15}, invalid_program),
        ({"perils": [{"peril": "fire", "limit_fen": 10**15}]}, validation_failed),
        ({"perils": [{"peril": "fire", "limit_fen": 2**63}]}, validation_failed),
        ({"premium_fen": 2**63}, invalid_program),
    ]
    for n, (changes, expected) in enumerate(absurd):
        response = await client.post(
            "/programs", json=program | {"code": f"ABSURD-{n}"} | changes, headers=admin
        )
        assert (response.status_code, response.json()["code"]) == expected, (changes, response.text)
    too_much = lump | {"amount_fen": 2**63, "receipt_no": "CZ-2"}
    response = await client.post(f"/policies/{blanket.json()['id']}/payments", json=too_much, headers=admin)
    assert (response.status_code, response.json()["code"]) == (400, "validation_failed"), response.text
    assert await snapshot() == before
