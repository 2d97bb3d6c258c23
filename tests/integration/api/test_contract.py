"""What the contract found broken: 500s from input, bodies of another media type, OPTIONS, the document."""

from __future__ import annotations

from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select

from claims.models import Claim
from core.auth import Role
from core.params import MAX_OFFSET, MAX_ROW_ID
from core.settings import Settings
from policies.models import Household
from tests.conftest import PASSWORD, login, make_user, run_in_db

Client = AsyncTestClient[Litestar]
PLAIN = {"Content-Type": "text/plain"}
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


async def count(settings: Settings, model: Any) -> int:
    async def counted(session: Any) -> int:
        return await session.scalar(select(func.count()).select_from(model)) or 0

    return int(await run_in_db(settings, counted))


@pytest.mark.parametrize(
    ("path", "name", "largest"),
    [
        ("/households", "offset", MAX_OFFSET),
        ("/policies", "offset", MAX_OFFSET),
        ("/claims", "offset", MAX_OFFSET),
        ("/audit/events", "before_id", MAX_ROW_ID),
    ],
)
async def test_a_number_past_the_database_is_a_400_not_a_500(
    client: Client, settings: Settings, path: str, name: str, largest: int
) -> None:
    await make_user(settings, "admin", Role.ADMIN, [])
    admin = await login(client, "admin")
    assert (await client.get(path, params={name: largest}, headers=admin)).status_code == 200
    past = await client.get(path, params={name: 2**63}, headers=admin)
    assert (past.status_code, past.json()["code"]) == (400, "validation_failed")


async def test_an_import_without_its_file_part_is_a_400(client: Client, settings: Settings) -> None:
    await make_user(settings, "admin", Role.ADMIN, [])
    admin = await login(client, "admin")
    misnamed = {"other": ("a.csv", b"x", "text/csv")}
    no_file = {"note": (None, b"no file")}
    for files in (misnamed, no_file):
        answer = await client.post("/imports/households", files=files, headers=admin)
        assert (answer.status_code, answer.json()["code"]) == (400, "validation_failed"), answer.text


async def test_a_json_body_sent_as_another_type_is_refused_unread(client: Client, settings: Settings) -> None:
    await make_user(settings, "admin", Role.ADMIN, [])
    await make_user(settings, "liaison", Role.LIAISON, ["370211"])
    liaison = await login(client, "liaison")
    claim = b'{"household_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6"}'
    as_text = await client.post("/claims", content=claim, headers=liaison | PLAIN)
    assert (as_text.status_code, as_text.json()["code"]) == (415, "unsupported_media_type")
    household = await client.post("/households", content=b"village_code=370211001001", headers=liaison | FORM)
    assert (household.status_code, household.json()["code"]) == (415, "unsupported_media_type")
    assert (await count(settings, Claim), await count(settings, Household)) == (0, 0)

    credentials = f'{{"username": "admin", "password": "{PASSWORD}"}}'.encode()
    login_as_text = await client.post("/auth/login", content=credentials, headers=PLAIN)
    assert (login_as_text.status_code, "set-cookie" in login_as_text.headers) == (415, False)
    as_json = await client.post(
        "/auth/login", content=credentials, headers={"Content-Type": "application/json; charset=utf-8"}
    )
    as_problem_json = await client.post(
        "/auth/login", content=credentials, headers={"Content-Type": "application/vnd.anju+json"}
    )
    assert (as_json.status_code, as_problem_json.status_code) == (200, 200)


async def test_a_form_endpoint_takes_only_its_form_type(client: Client, settings: Settings) -> None:
    await make_user(settings, "admin", Role.ADMIN, [])
    admin = await login(client, "admin")
    as_json = await client.post("/imports/households", json={"file": "x"}, headers=admin)
    as_urlencoded = await client.post("/imports/households", content=b"file=x", headers=admin | FORM)
    assert (as_json.status_code, as_urlencoded.status_code) == (415, 415)
    regions_as_json = await client.post("/regions/import", json={"code": "370211"}, headers=admin)
    assert regions_as_json.status_code == 415


async def test_options_lists_every_method_of_its_path(client: Client, settings: Settings) -> None:
    await make_user(settings, "officer", Role.CLAIMS_OFFICER, ["370211"])
    officer = await login(client, "officer")
    household = "/households/3fa85f64-5717-4562-b3fc-2c963f66afa6"
    expected = {
        "/claims": "GET, OPTIONS, POST",
        "/users": "GET, OPTIONS, POST",
        household: "GET, OPTIONS, PATCH",
        f"{household}/people/3fa85f64-5717-4562-b3fc-2c963f66afa6": "DELETE, OPTIONS, PATCH",
    }
    answered = {path: (await client.options(path, headers=officer)).headers["allow"] for path in expected}
    assert answered == expected


async def test_a_store_error_is_a_documented_problem(client: Client, settings: Settings) -> None:
    await make_user(settings, "admin", Role.ADMIN, [])
    admin = await login(client, "admin")
    body = {
        "username": "resident",
        "password": "long enough password",
        "role": "resident",
        "display_name": "居民",
        "regions": [],
        "household_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    }
    answer = await client.post("/users", json=body, headers=admin)
    assert answer.status_code == 409
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["code"] == "conflict"


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_public_answers_are_documented(app: Litestar) -> None:
    paths = app.openapi_schema.to_schema()["paths"]
    assert {"404", "429"} <= set(paths["/public/claims/status"]["get"]["responses"])
    assert {"403", "415", "429"} <= set(paths["/auth/login"]["post"]["responses"])
    region_body = paths["/regions/import"]["post"]["requestBody"]["content"]
    assert list(region_body) == ["text/csv"]
    files = {
        "/forms/claim-form.pdf": "application/pdf",
        "/claims/{claim_id}/summary.pdf": "application/pdf",
        "/rebates/periods/{period_id}/villages/{village_code}/statement.pdf": "application/pdf",
        "/rebates/periods/{period_id}/villages/{village_code}/statement.csv": "text/csv",
    }
    assert {path: list(paths[path]["get"]["responses"]["200"]["content"]) for path in files} == {
        path: [media_type] for path, media_type in files.items()
    }
    accruals = paths["/rebates/agreements/{agreement_id}/accruals"]["post"]["responses"]
    assert ("202" in accruals, "201" in accruals) == (True, False)
    upload = paths["/imports/households"]["post"]["requestBody"]["content"]["multipart/form-data"]
    assert upload["schema"] == {"$ref": "#/components/schemas/HouseholdUpload"}
