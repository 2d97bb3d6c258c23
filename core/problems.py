"""The one error format: RFC 9457 problem details with a machine-readable code and zh-CN/English text.

Ours rather than Litestar's ProblemDetailsPlugin: that one always writes `detail` (the status
phrase when there is none) and puts a list of errors under `extra`, so it cannot give today's body;
and its body is a dict, where `Problem` gives the OpenAPI document a schema.
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Response

MEDIA_TYPE = "application/problem+json"


class Problem(msgspec.Struct, omit_defaults=True):
    status: int
    code: str
    title: str
    message_zh: str
    message_en: str
    type: str = "about:blank"
    detail: str | None = None
    errors: list[dict[str, Any]] | None = None


def problem_response(
    status: int,
    code: str,
    message_zh: str,
    message_en: str,
    *,
    detail: str | None = None,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response[Problem]:
    body = Problem(
        status=status,
        code=code,
        title=message_en,
        message_zh=message_zh,
        message_en=message_en,
        detail=detail,
        errors=errors,
    )
    return Response(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)
