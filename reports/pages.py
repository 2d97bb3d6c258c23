"""What a person sees in a browser: the one-page claim, tracking, a catastrophe board, claim PDFs.

The HTML pages are server-rendered shells in Chinese; their small scripts (reports/static/) call the
JSON API with the login cookie, so every rule and every permission stays in the API.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any
from uuid import UUID

from litestar import MediaType, Request, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect
from litestar.types import ControllerRouterHandler
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from claims import services as claim_services
from core.auth import Principal
from core.documents.pdf import render_html
from core.documents.templating import PERIL_ZH
from policies.models import Region
from reports.claim_pdfs import claim_form_pdf, claim_summary_pdf

STATIC_DIR = Path(__file__).parent / "static"
# Shells carry no data, so they load without a token; their scripts send people to /login on a 401.
OPEN = {"exclude_from_auth": True}


def _page(template: str, **context: Any) -> Response[str]:
    return Response(
        render_html(template, context), media_type=MediaType.HTML, headers={"Cache-Control": "no-store"}
    )


def _pdf(content: bytes, filename: str, *, private: bool) -> Response[bytes]:
    return Response(
        content,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="{filename}"',
            "Cache-Control": "private, no-store" if private else "public, max-age=3600",
        },
    )


@get("/", opt=OPEN, include_in_schema=False, sync_to_thread=False)
def home() -> Redirect:
    return Redirect("/claim")


@get("/claim", opt=OPEN, include_in_schema=False, sync_to_thread=False)
def claim_page() -> Response[str]:
    return _page("reports/page_claim.html", title="我要报案", perils=list(PERIL_ZH.items()))


@get("/track", opt=OPEN, include_in_schema=False, sync_to_thread=False)
def track_page() -> Response[str]:
    return _page("reports/page_track.html", title="理赔进度查询")


@get("/catastrophes/{catastrophe_id:uuid}/page", opt=OPEN, include_in_schema=False, sync_to_thread=False)
def catastrophe_page(catastrophe_id: FromPath[UUID]) -> Response[str]:
    return _page(
        "reports/page_catastrophe.html",
        title="灾害事件",
        catastrophe_id=str(catastrophe_id),
        labels_json=json.dumps(
            {"stages": {str(k): v for k, v in claim_services.STAGE_ZH.items()}, "perils": PERIL_ZH},
            ensure_ascii=False,
        ),
    )


@get("/forms/claim-form.pdf", opt=OPEN, tags=["forms"], summary="The blank one-page paper claim form (A4)")
async def claim_form() -> Response[bytes]:
    return _pdf(await asyncio.to_thread(claim_form_pdf), "anju-claim-form.pdf", private=False)


@get("/claims/{claim_id:uuid}/summary.pdf", tags=["claims"], summary="One-page summary of a claim (PDF)")
async def claim_summary(
    request: Request[Principal, Any, Any],
    db_session: NamedDependency[AsyncSession],
    claim_id: FromPath[UUID],
) -> Response[bytes]:
    view = await claim_services.get_claim_view(db_session, request.user, claim_id)
    village_name = await db_session.scalar(select(Region.name).where(Region.code == view.village_code))
    pdf = await claim_summary_pdf(view, village_name=village_name)
    return _pdf(pdf, f"{view.number}.pdf", private=True)


ROUTES: list[ControllerRouterHandler] = [
    home,
    claim_page,
    track_page,
    catastrophe_page,
    claim_form,
    claim_summary,
]
