"""What a person sees of claims in a browser: the one-page claim, tracking, a catastrophe board, the PDFs.

The HTML pages are server-rendered shells in Chinese; their small scripts (claims/static/) call the
JSON API with the login cookie, so every rule and every permission stays in the API.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from uuid import UUID

from litestar import Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from claims.services import pdfs
from claims.services.views import STAGE_ZH
from core.auth import AuthRequest
from core.documents.templating import PERIL_ZH

STATIC_DIR = Path(__file__).parents[1] / "static"
# Shells carry no data, so they load without a token; their scripts send people to /login on a 401.
OPEN = {"exclude_from_auth": True}
SHELL_HEADERS = {"Cache-Control": "no-store"}
PDF = "application/pdf"


def _pdf(content: bytes, filename: str, *, private: bool) -> Response[bytes]:
    return Response(
        content,
        media_type=PDF,
        headers={
            "Content-Disposition": f'inline; filename="{filename}"',
            "Cache-Control": "private, no-store" if private else "public, max-age=3600",
        },
    )


@get("/", opt=OPEN, include_in_schema=False, sync_to_thread=False)
def home() -> Redirect:
    return Redirect("/claim")


@get("/claim", opt=OPEN, include_in_schema=False, sync_to_thread=False)
def claim_page() -> Template:
    return Template(
        template_name="claims/page_claim.html",
        context={"title": "我要报案", "perils": list(PERIL_ZH.items())},
        headers=SHELL_HEADERS,
    )


@get("/track", opt=OPEN, include_in_schema=False, sync_to_thread=False)
def track_page() -> Template:
    return Template(
        template_name="claims/page_track.html", context={"title": "理赔进度查询"}, headers=SHELL_HEADERS
    )


@get("/catastrophes/{catastrophe_id:uuid}/page", opt=OPEN, include_in_schema=False, sync_to_thread=False)
def catastrophe_page(catastrophe_id: FromPath[UUID]) -> Template:
    labels = {"stages": {str(k): v for k, v in STAGE_ZH.items()}, "perils": PERIL_ZH}
    return Template(
        template_name="claims/page_catastrophe.html",
        context={
            "title": "灾害事件",
            "catastrophe_id": str(catastrophe_id),
            "labels_json": json.dumps(labels, ensure_ascii=False),
        },
        headers=SHELL_HEADERS,
    )


@get(
    "/forms/claim-form.pdf",
    opt=OPEN,
    tags=["forms"],
    summary="The blank one-page paper claim form (A4)",
    media_type=PDF,
)
async def claim_form() -> Response[bytes]:
    return _pdf(await asyncio.to_thread(pdfs.claim_form_pdf), "anju-claim-form.pdf", private=False)


@get(
    "/claims/{claim_id:uuid}/summary.pdf",
    tags=["claims"],
    summary="One-page summary of a claim (PDF)",
    media_type=PDF,
)
async def claim_summary(
    request: AuthRequest, db_session: NamedDependency[AsyncSession], claim_id: FromPath[UUID]
) -> Response[bytes]:
    number, pdf = await pdfs.claim_summary(db_session, request.user, claim_id)
    return _pdf(pdf, f"{number}.pdf", private=True)
