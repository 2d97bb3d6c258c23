"""What keeps a browser from being turned against the service: the same-origin check on cookie writes,
the security headers on every response, and the refusal to run outside development on public keys.

Cross-site request forgery: a page elsewhere can make a logged-in person's browser send a form or a
`fetch` with their cookie, but it cannot make the browser lie about where the request comes from.
So an unsafe request (POST, PUT, PATCH, DELETE) that carries the login cookie and no
`Authorization` header must say it comes from this service: its `Origin`, or when a browser leaves
that out its `Referer`, names this service's own origin (scheme, host and port), else 403
`cross_site_request`. A request with neither is refused too: every browser this service supports
sends `Origin` on a POST. A bearer token is never sent by a browser on its own, so API calls with
`Authorization` pass unchecked. The login sets the cookie rather than carrying it, so it is checked
the same way when it names an origin (a cross-site form must not log a person into someone else's
account); an API client that names none logs in as before, whatever cookie it kept.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from litestar.datastructures import MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from core.errors import NotAllowed
from core.settings import DEVELOPMENT_AUDIT_KEY, DEVELOPMENT_SECRET, Settings

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

# Pages load only this service's own scripts, styles and images: no inline script, no framing.
PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
# The interactive API pages (/schema, /schema/swagger) are Litestar's: they load their viewer from a
# CDN and start it with an inline script. They show no one's data; everything else stays as above.
API_DOCS_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net https://fonts.googleapis.com; "
    "font-src 'self' data: https:; img-src 'self' data: https:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
API_DOCS_PAGES = frozenset({"/schema", "/schema/", "/schema/swagger"})


class CrossSiteRequest(NotAllowed):
    code = "cross_site_request"
    message_zh = "请求来自其他网站，已拒绝"
    message_en = "The request does not come from this service's own pages"


class PublicKeyOutsideDevelopment(RuntimeError):
    """Raised by create_app: a deployment must set its own keys."""


def refuse_public_keys(
    settings: Settings, names: tuple[str, ...] = ("ANJU_SECRET_KEY", "ANJU_AUDIT_KEY")
) -> None:
    """Outside development a token signed with the published key, or an audit chain keyed with it,
    would be forgeable by anyone who has read the source."""
    if settings.environment == "development":
        return
    keys = {
        "ANJU_SECRET_KEY": (settings.secret_key, DEVELOPMENT_SECRET),
        "ANJU_AUDIT_KEY": (settings.audit_key, DEVELOPMENT_AUDIT_KEY),
    }
    public = [name for name in names if not keys[name][0] or keys[name][0] == keys[name][1]]
    if public:
        raise PublicKeyOutsideDevelopment(
            f"ANJU_ENV={settings.environment!r} but {' and '.join(public)} "
            f"{'is' if len(public) == 1 else 'are'} unset or the public development key: set a secret "
            "of your own, or ANJU_ENV=development on a developer's machine"
        )


def security_headers(settings: Settings) -> Any:
    """A `before_send` hook: the headers on every response, pages, errors and files alike."""
    fixed = [
        ("X-Frame-Options", "DENY"),
        ("X-Content-Type-Options", "nosniff"),
        # Same-origin requests keep their Referer (the check above may need it); others get none.
        ("Referrer-Policy", "same-origin"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
        ("Permissions-Policy", "geolocation=(), microphone=(), camera=(), payment=()"),
    ]
    if settings.https:
        fixed.append(("Strict-Transport-Security", "max-age=31536000"))

    async def add_headers(message: Message, scope: Scope) -> None:
        if message["type"] != "http.response.start":
            return
        headers = MutableScopeHeaders.from_message(message)
        for name, value in fixed:
            headers[name] = value
        if scope.get("path") in API_DOCS_PAGES:
            headers["Content-Security-Policy"] = API_DOCS_POLICY
        elif (headers.get("content-type") or "").startswith("application/pdf"):
            # A browser shows a PDF in a viewer page built under the PDF's own policy, and the
            # page policy's object-src 'none' would block that viewer: only framing is refused.
            headers["Content-Security-Policy"] = "frame-ancestors 'none'"
        else:
            headers["Content-Security-Policy"] = PAGE_POLICY

    return add_headers


class SameOriginWrites(ASGIMiddleware):
    """Refuses cookie-authenticated unsafe requests that do not come from the service's own origin."""

    scopes = (ScopeType.HTTP,)

    def __init__(self, *, cookie: str, login_paths: Iterable[str], https: bool) -> None:
        self.cookie = cookie
        self.login_paths = frozenset(login_paths)
        self.https = https

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        if scope.get("method") in UNSAFE_METHODS:
            self.check(scope)
        await next_app(scope, receive, send)

    def check(self, scope: Scope) -> None:
        headers = {
            name.decode("latin-1").lower(): value.decode("latin-1") for name, value in scope["headers"]
        }
        if "authorization" in headers:
            return
        carries_cookie = any(
            pair.split("=", 1)[0].strip() == self.cookie for pair in headers.get("cookie", "").split(";")
        )
        logging_in = scope["path"].rstrip("/") in self.login_paths
        if not (carries_cookie or logging_in):
            return
        origin = headers.get("origin") or _origin_of(headers.get("referer"))
        if origin is None and logging_in:
            return  # an API client logging in: a browser always names the origin of a POST
        if origin is None or origin.lower() != self.own_origin(scope, headers):
            raise CrossSiteRequest()

    def own_origin(self, scope: Scope, headers: dict[str, str]) -> str:
        # Behind a TLS-terminating balancer the request arrives as http; the browser saw https.
        scheme = "https" if self.https else scope["scheme"]
        return f"{scheme}://{headers.get('host', '')}".lower()


def _origin_of(url: str | None) -> str | None:
    if not url:
        return None
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None
