"""The OpenAPI document tells the truth about failures: every operation lists each error status it can
answer, each as `application/problem+json` with the Problem body (core.problems).

Which statuses an operation can answer follows from how it is reached, not from reading each service:
- 400 when it takes parameters or a body (the framework's validation);
- 401 and 403 when it needs a login (403: the role guard, or a record outside the caller's scope);
- 404 when it names a record in its path or body, 409 when it changes something (a conflicting record,
  an Idempotency-Key reused with another body), 422 when a domain rule may refuse its input;
- 413 and 415 when it takes a body (too large, or not the media type it reads);
- 429 when the handler says it is rate limited (`opt={"rate_limited": True}`).
A handler's own `responses` win over these.

A handler that reads its body raw (`body: RawBody`, `opt={"raw_body": media type}`, see core.media) gets
that body documented as a string of its media type, which Litestar cannot infer from `bytes`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from litestar.config.app import AppConfig
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import (
    OpenAPIMediaType,
    OpenAPIType,
    Operation,
    RequestBody,
    Schema,
    SecurityRequirement,
)
from litestar.plugins import InitPlugin, ReceiveRoutePlugin
from litestar.routes import BaseRoute, HTTPRoute

from core.problems import MEDIA_TYPE, Problem

DESCRIPTIONS = {
    400: "The request is malformed (a parameter or the body fails its schema)",
    401: "Not logged in, or the login has ended",
    403: "The caller's role or region may not do this",
    404: "No such record, or none the caller may see",
    409: "Conflicts with an existing record, or an Idempotency-Key reused with another body",
    413: "The body is larger than the service accepts",
    415: "The body is not of the media type this operation reads",
    422: "A rule refuses the input (the problem's code says which)",
    429: "Too many requests; wait for Retry-After seconds",
}
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Handler arguments that the framework or a dependency fills, not the caller.
RESERVED = frozenset({"request", "state", "scope", "socket", "headers", "cookies", "query", "body", "data"})


def problem_spec(status: int, description: str | None = None) -> ResponseSpec:
    """A problem answer; a handler passes its own `description` where the general one would mislead."""
    return ResponseSpec(
        data_container=Problem, description=description or DESCRIPTIONS[status], media_type=MEDIA_TYPE
    )


@cache
def raw_body_operation(media_type: str) -> type[Operation]:
    @dataclass
    class RawBodyOperation(Operation):
        def __post_init__(self) -> None:
            schema = Schema(type=OpenAPIType.STRING)
            self.request_body = RequestBody(
                content={media_type: OpenAPIMediaType(schema=schema)}, required=True
            )

    return RawBodyOperation


class ErrorResponses(InitPlugin, ReceiveRoutePlugin):
    """Adds the error responses to every HTTP handler as its route is registered."""

    def __init__(self, public_paths: Iterable[str]) -> None:
        self._public = re.compile("|".join(f"^{path}" for path in public_paths))
        self._security: list[SecurityRequirement] = []

    def on_app_init(self, app_config: AppConfig) -> AppConfig:
        # The login's security requirement goes on each operation that needs it (below), so that
        # public operations say they need none instead of inheriting a document-wide requirement.
        if app_config.openapi_config is not None:
            self._security = app_config.openapi_config.security or []
            app_config.openapi_config.security = None
        return app_config

    def receive_route(self, route: BaseRoute) -> None:
        if not isinstance(route, HTTPRoute):
            return
        for handler in route.route_handlers:
            statuses = self.statuses(route, handler)
            if self.needs_login(route, handler):
                handler.security = [*self._security, *(handler.security or [])]
            handler.responses = {**{s: problem_spec(s) for s in statuses}, **(handler.responses or {})}
            if raw_body := handler.opt.get("raw_body"):
                handler.operation_class = raw_body_operation(raw_body)

    def statuses(self, route: HTTPRoute, handler: HTTPRouteHandler) -> list[int]:
        fields = handler.parsed_fn_signature.parameters
        filled = RESERVED | set(handler.resolve_dependencies())
        has_body = "data" in fields or "body" in fields
        has_params = any(name not in filled for name in fields)
        changes = not set(handler.http_methods) <= SAFE_METHODS
        statuses: set[int] = set()
        if has_params or has_body:
            statuses |= {400, 422}
        if self.needs_login(route, handler):
            statuses |= {401, 403}
        if route.path_parameters or changes:
            statuses.add(404)
        if changes:
            statuses |= {409, 422}
        if has_body:
            statuses |= {413, 415}
        if handler.opt.get("rate_limited"):
            statuses.add(429)
        return sorted(statuses)

    def needs_login(self, route: HTTPRoute, handler: HTTPRouteHandler) -> bool:
        return not (handler.opt.get("exclude_from_auth") or self._public.search(route.path))
