"""The officer's work queue page and the clock report page: shells whose scripts call the JSON API
with the login cookie, so every permission stays in the API."""

from __future__ import annotations

from pathlib import Path

from litestar import get
from litestar.response import Template

STATIC_DIR = Path(__file__).parents[1] / "static"
# Shells carry no data, so they load without a token; their scripts send people to /login on a 401.
OPEN = {"exclude_from_auth": True}
SHELL_HEADERS = {"Cache-Control": "no-store"}


@get("/work-queue/page", opt=OPEN, include_in_schema=False, sync_to_thread=False)
def work_queue_page() -> Template:
    return Template(
        template_name="claims.clock/page_work_queue.html",
        context={"title": "待办理赔"},
        headers=SHELL_HEADERS,
    )


@get("/clock/page", opt=OPEN, include_in_schema=False, sync_to_thread=False)
def clock_report_page() -> Template:
    return Template(
        template_name="claims.clock/page_clock_report.html",
        context={"title": "赔付时效报表"},
        headers=SHELL_HEADERS,
    )
