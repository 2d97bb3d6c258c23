"""The login page, left here until it moves to the users package with its script (reports/static/)."""

from __future__ import annotations

from pathlib import Path

from litestar import get
from litestar.response import Template
from litestar.types import ControllerRouterHandler

STATIC_DIR = Path(__file__).parent / "static"


@get("/login", opt={"exclude_from_auth": True}, include_in_schema=False, sync_to_thread=False)
def login_page() -> Template:
    return Template(
        template_name="reports/page_login.html",
        context={"title": "登录"},
        headers={"Cache-Control": "no-store"},
    )


ROUTES: list[ControllerRouterHandler] = [login_page]
