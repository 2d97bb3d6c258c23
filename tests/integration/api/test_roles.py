"""Every operation of the OpenAPI document × every role (and no login) answers as the access table says."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from litestar.testing import TestClient

from core.auth import Role
from tests.integration.api.access import ACCESS, PUBLIC_PATHS, WRITE_METHODS
from tests.integration.api.conftest import DemoWorld

DISTRICT = "370211"
METHODS = ("get", "post", "put", "patch", "delete")


def operations(world: DemoWorld) -> dict[tuple[str, str], dict[str, Any]]:
    paths = world.app.openapi_schema.to_schema()["paths"]
    return {
        (method.upper(), path): operation
        for path, item in paths.items()
        for method, operation in item.items()
        if method in METHODS
    }


def shaped_request(path: str, operation: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """A request of the operation's shape: each path parameter filled, a body of its media type."""
    for parameter in operation.get("parameters", []):
        if parameter["in"] == "path":
            is_uuid = parameter["schema"].get("format") == "uuid"
            path = path.replace(f"{{{parameter['name']}}}", str(uuid.uuid4()) if is_uuid else DISTRICT)
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" in content:
        return path, {"json": {}}
    if "multipart/form-data" in content:
        return path, {"files": {"file": ("a.csv", b"code\n", "text/csv")}}
    if "text/csv" in content:
        return path, {"content": b"code,name\n", "headers": {"Content-Type": "text/csv"}}
    return path, {}


def refused_by_role(answer: Any) -> bool:
    return answer.status_code == 403 and answer.json().get("detail") == "role_not_allowed"


def wrong_answers(world: DemoWorld, role: Role | None) -> list[str]:
    found = []
    # Logging out last: it may end the token the other requests use.
    ordered = sorted(operations(world).items(), key=lambda item: item[0] == ("POST", "/auth/logout"))
    with TestClient(app=world.app) as client:
        for (method, template), operation in ordered:
            path, extra = shaped_request(template, operation)
            headers = {**world.headers(role), **extra.pop("headers", {})}
            answer = client.request(method, path, headers=headers, **extra)
            allowed = template in PUBLIC_PATHS or (role is not None and role in ACCESS[(method, template)])
            if answer.status_code >= 500:
                found.append(f"{method} {template}: {answer.status_code}")
            elif role is None and not allowed and answer.status_code != 401:
                found.append(f"{method} {template}: {answer.status_code}, not 401 without a login")
            elif role is not None and not allowed and not refused_by_role(answer):
                found.append(f"{method} {template}: {answer.status_code}, not refused to {role.value}")
            elif allowed and (answer.status_code == 401 or refused_by_role(answer)):
                found.append(f"{method} {template}: {answer.status_code}, refused to {role}")
    return found


def test_every_operation_has_a_rule(demo_world: DemoWorld) -> None:
    assert sorted(operations(demo_world)) == sorted(ACCESS)


def test_auditors_are_refused_every_write() -> None:
    writes_open_to_auditors = [
        key for key, roles in ACCESS.items() if key[0] in WRITE_METHODS and Role.AUDITOR in roles
    ]
    assert writes_open_to_auditors == [("POST", "/auth/logout")]


@pytest.mark.parametrize("role", [None, *Role], ids=lambda role: role.value if role else "no_login")
def test_each_operation_answers_each_role_by_the_table(demo_world: DemoWorld, role: Role | None) -> None:
    assert wrong_answers(demo_world, role) == []
