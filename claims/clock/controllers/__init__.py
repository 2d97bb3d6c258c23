"""The clock's HTTP surface: the work queue, the reports, their pages, and where their scripts live."""

from litestar.types import ControllerRouterHandler

from claims.clock.controllers.pages import STATIC_DIR, clock_report_page, work_queue_page
from claims.clock.controllers.queue import WorkQueueController
from claims.clock.controllers.reports import ClockReportController

ROUTES: list[ControllerRouterHandler] = [
    WorkQueueController,
    ClockReportController,
    work_queue_page,
    clock_report_page,
]

__all__ = ["ROUTES", "STATIC_DIR"]
