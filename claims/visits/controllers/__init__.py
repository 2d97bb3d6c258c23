"""The visits package's HTTP surface: adjusters, visits, the adjuster's day page and PDF."""

from pathlib import Path

from litestar.types import ControllerRouterHandler

from claims.visits.controllers.adjusters import AdjusterController
from claims.visits.controllers.pages import adjuster_day_page, adjuster_day_pdf, adjusters_page
from claims.visits.controllers.visits import VisitController

STATIC_DIR = Path(__file__).parents[1] / "static"

ROUTES: list[ControllerRouterHandler] = [
    AdjusterController,
    VisitController,
    adjuster_day_page,
    adjuster_day_pdf,
    adjusters_page,
]

__all__ = ["ROUTES", "STATIC_DIR"]
