"""What keeps a browser from being turned against a logged-in person: cookie writes from another
origin are refused, a cross-site form cannot log anyone in, and every response carries the security
headers; the service will not start outside development on the public keys."""

from __future__ import annotations

from uuid import uuid4

import msgspec
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from app import create_app
from core.auth import Role
from core.security import PublicKeyOutsideDevelopment
from core.settings import Settings
from tests.conftest import PASSWORD, login, make_user

OWN = "http://testserver.local"
EVIL = "http://evil.example"


@pytest.fixture
async def officer_cookie(client: AsyncTestClient[Litestar], settings: Settings) -> dict[str, str]:
    """Logs the officer in on `client` (which keeps the cookie) and returns the bearer headers."""
    await make_user(settings, "officer", Role.CLAIMS_OFFICER, ["370211"])
    return await login(client, "officer")


async def test_cookie_writes_from_another_origin_are_refused(
    client: AsyncTestClient[Litestar], officer_cookie: dict[str, str]
) -> None:
    claim = f"/claims/{uuid4()}"
    form = await client.post(f"{claim}/accept", data={"x": "1"}, headers={"Origin": EVIL})
    text = await client.post(
        f"{claim}/reject", content=b'{"reason": "x"}', headers={"Origin": EVIL, "Content-Type": "text/plain"}
    )
    by_referer = await client.post(f"{claim}/accept", headers={"Referer": f"{EVIL}/page"})
    by_null_origin = await client.post(f"{claim}/accept", headers={"Origin": "null"})
    unnamed = await client.post(f"{claim}/accept")
    for refused in (form, text, by_referer, by_null_origin, unnamed):
        assert refused.status_code == 403
        assert refused.json()["code"] == "cross_site_request"


async def test_cookie_writes_from_the_services_own_pages_go_through(
    client: AsyncTestClient[Litestar], officer_cookie: dict[str, str]
) -> None:
    claim = f"/claims/{uuid4()}"
    # Through to the handler, which does not know the claim.
    by_origin = await client.post(f"{claim}/accept", headers={"Origin": OWN})
    by_referer = await client.post(f"{claim}/accept", headers={"Referer": f"{OWN}/claim"})
    assert [by_origin.status_code, by_referer.status_code] == [404, 404]


async def test_bearer_calls_are_not_checked_for_origin(
    client: AsyncTestClient[Litestar], officer_cookie: dict[str, str]
) -> None:
    answer = await client.post(f"/claims/{uuid4()}/accept", headers=officer_cookie | {"Origin": EVIL})
    assert answer.status_code == 404


async def test_a_cross_site_form_cannot_log_anyone_in(
    client: AsyncTestClient[Litestar], settings: Settings
) -> None:
    await make_user(settings, "resident", Role.RESIDENT, [])
    body = {"username": "resident", "password": PASSWORD}
    refused = await client.post("/auth/login", json=body, headers={"Origin": EVIL})
    assert refused.status_code == 403
    assert refused.json()["code"] == "cross_site_request"
    assert "set-cookie" not in refused.headers
    assert (await client.post("/auth/login", json=body, headers={"Origin": OWN})).status_code == 200


@pytest.mark.parametrize("path", ["/login", "/claim", "/static/anju.js", "/auth/me", "/no-such-page"])
async def test_every_response_carries_the_security_headers(
    client: AsyncTestClient[Litestar], path: str
) -> None:
    headers = (await client.get(path)).headers
    policy = headers["content-security-policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self';" in policy  # no inline script
    assert "frame-ancestors 'none'" in policy
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert "strict-transport-security" not in headers  # plain HTTP here


async def test_the_cookie_is_secure_when_served_over_https(settings: Settings) -> None:
    await make_user(settings, "resident", Role.RESIDENT, [])
    app = create_app(msgspec.structs.replace(settings, https=True))
    async with AsyncTestClient(app=app) as client:
        answer = await client.post("/auth/login", json={"username": "resident", "password": PASSWORD})
    assert answer.status_code == 200
    cookie = answer.headers["set-cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie
    assert answer.headers["strict-transport-security"] == "max-age=31536000"


def test_outside_development_the_public_keys_are_refused(settings: Settings) -> None:
    production = msgspec.structs.replace(settings, environment="production")
    with pytest.raises(PublicKeyOutsideDevelopment, match="ANJU_SECRET_KEY and ANJU_AUDIT_KEY"):
        create_app(production)
    with pytest.raises(PublicKeyOutsideDevelopment, match="ANJU_AUDIT_KEY"):
        create_app(msgspec.structs.replace(production, secret_key="a-secret-of-our-own-" * 2))
    own_keys = msgspec.structs.replace(production, secret_key="s" * 40, audit_key="a" * 40)
    assert isinstance(create_app(own_keys), Litestar)


async def test_the_api_pages_may_load_their_viewer_and_nothing_frames_them(
    client: AsyncTestClient[Litestar],
) -> None:
    policy = (await client.get("/schema/swagger")).headers["content-security-policy"]
    assert "script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net" in policy
    assert "frame-ancestors 'none'" in policy


async def test_a_pdf_may_open_in_the_browsers_viewer_but_not_in_a_frame(
    client: AsyncTestClient[Litestar],
) -> None:
    answer = await client.get("/forms/claim-form.pdf")
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.headers["content-security-policy"] == "frame-ancestors 'none'"
    assert answer.headers["x-frame-options"] == "DENY"
