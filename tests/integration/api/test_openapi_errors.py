"""The OpenAPI document describes failures as they are answered: problem details, by status."""

from __future__ import annotations

from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from core.auth import Role
from tests.conftest import login, make_user
from tests.integration.api.access import PUBLIC_PATHS

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def operations(app: Litestar) -> list[tuple[str, str, dict[str, Any]]]:
    paths = app.openapi_schema.to_schema()["paths"]
    return [(path, method, operation) for path, item in paths.items() for method, operation in item.items()]


async def test_every_error_status_is_documented_as_a_problem(app: Litestar) -> None:
    found = 0
    for path, method, operation in operations(app):
        for status, response in operation["responses"].items():
            if int(status) < 400:
                continue
            found += 1
            content = response["content"]
            assert list(content) == ["application/problem+json"], (method, path, status)
            assert content["application/problem+json"]["schema"] == {"$ref": "#/components/schemas/Problem"}
    assert found > 100


async def test_operations_behind_the_login_say_so_and_public_ones_need_none(app: Litestar) -> None:
    for path, method, operation in operations(app):
        public = path in PUBLIC_PATHS
        if public:
            assert "security" not in operation and "401" not in operation["responses"], (method, path)
        else:
            assert operation["security"] == [{"BearerToken": []}], (method, path)
            assert {"401", "403"} <= set(operation["responses"]), (method, path)


async def test_a_body_can_be_too_large_or_of_the_wrong_type(app: Litestar) -> None:
    responses: dict[tuple[str, str], set[str]] = {}
    for path, method, operation in operations(app):
        if "requestBody" in operation:
            responses[(method, path)] = set(operation["responses"])
            assert {"400", "413", "415", "422"} <= responses[(method, path)], (method, path)
    assert ("post", "/claims") in responses


async def test_options_on_a_guarded_route_is_answered_not_crashed(
    client: AsyncTestClient[Litestar], settings: Any
) -> None:
    await make_user(settings, "officer", Role.CLAIMS_OFFICER, ["370211"])
    headers = await login(client, "officer")
    for path in ("/rebates/agreements", "/audit/events", "/catastrophes"):
        response = await client.options(path, headers=headers)
        assert response.status_code == 204, path
