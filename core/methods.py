"""OPTIONS answers with every method its path takes, not only those of the first handler registered.

Litestar builds a path's OPTIONS handler with the first route registered for that path; when a second
controller method adds POST beside GET (GET /claims and POST /claims are two handlers), the merged
route answers 405 with the right `Allow`, but OPTIONS still lists the first handler's methods.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, Response
from litestar.enums import MediaType
from litestar.routes import HTTPRoute
from litestar.status_codes import HTTP_204_NO_CONTENT


def allowed_methods(request: Request[Any, Any, Any]) -> str:
    template = request.scope.get("path_template")
    methods: set[str] = set()
    for route in request.app.routes:
        if isinstance(route, HTTPRoute) and route.path_format == template:
            methods |= route.methods
    return ", ".join(sorted(methods))


def answer_options(request: Request[Any, Any, Any]) -> Response[None] | None:
    """The answer to an OPTIONS request (None for any other method)."""
    if request.method != "OPTIONS":
        return None
    return Response(
        None,
        status_code=HTTP_204_NO_CONTENT,
        headers={"Allow": allowed_methods(request)},
        media_type=MediaType.TEXT,
    )
