"""The read side's HTTP API and pages: the audit log, the dashboard, the monthly reports."""

from __future__ import annotations

from pathlib import Path

from litestar.types import ControllerRouterHandler

from reports.controllers.audit import AuditController
from reports.controllers.dashboard import DashboardController, dashboard_page
from reports.controllers.monthly import MonthlyReportController, monthly_reports_page

STATIC_DIR = Path(__file__).parents[1] / "static"

ROUTES: list[ControllerRouterHandler] = [
    AuditController,
    DashboardController,
    dashboard_page,
    MonthlyReportController,
    monthly_reports_page,
]

__all__ = ["ROUTES", "STATIC_DIR"]
