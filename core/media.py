"""A request body is read only as the media type its operation declares; anything else is a 415.

Litestar parses a body by what the handler expects, whatever the request's Content-Type says, so a
`text/plain` body reached JSON handlers (a cross-site form can send `text/plain` without a CORS
preflight). One `before_request` hook, run after the guards, compares the declared kind of the
handler's `data` argument with the request's Content-Type:
- a JSON body (the default, `JSONBody[T]`) takes `application/json` and any `application/*+json`;
- a form body takes its own form type (`multipart/form-data` or `application/x-www-form-urlencoded`);
- a raw body (the handler takes `body: RawBody` and says `opt={"raw_body": "text/csv"}`; core.openapi
  documents it) takes the types listed for it in `ALIASES`, or else exactly the one declared.
Handlers that read no body are left alone.
"""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.enums import RequestEncodingType
from litestar.exceptions import HTTPException
from litestar.handlers import HTTPRouteHandler
from litestar.params import BodyKwarg

JSON = RequestEncodingType.JSON.value
# Spreadsheet programs and older clients label a CSV file in more than one way.
ALIASES = {"text/csv": frozenset({"text/csv", "application/csv", "text/plain"})}


def declared_media_type(handler: HTTPRouteHandler) -> str | None:
    """The media type the handler's body is read as, or None when it reads no body."""
    field = handler.parsed_fn_signature.parameters.get("data")
    if field is None:
        return handler.opt.get("raw_body")
    kwarg = field.kwarg_definition
    media_type = kwarg.media_type if isinstance(kwarg, BodyKwarg) else JSON
    return media_type.value if isinstance(media_type, RequestEncodingType) else str(media_type)


def accepts(declared: str, sent: str) -> bool:
    if declared == JSON:
        return sent == JSON or (sent.startswith("application/") and sent.endswith("+json"))
    return sent in ALIASES.get(declared, frozenset({declared}))


async def enforce_media_type(request: Request[Any, Any, Any]) -> None:
    handler = request.route_handler
    declared = declared_media_type(handler) if isinstance(handler, HTTPRouteHandler) else None
    if declared is None:
        return
    sent = request.content_type[0].lower()
    if not accepts(declared, sent):
        expected = " or ".join(sorted(ALIASES.get(declared, {declared})))
        raise HTTPException(status_code=415, detail=f"send the body as {expected}, not {sent or 'nothing'}")
