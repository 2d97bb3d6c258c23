"""The claims package's HTTP surface: the JSON API, the pages and PDFs, and where its scripts live."""

from litestar.types import ControllerRouterHandler

from claims.controllers.catastrophes import CatastropheController
from claims.controllers.claims import ClaimController, public_status
from claims.controllers.pages import (
    STATIC_DIR,
    catastrophe_page,
    claim_form,
    claim_page,
    claim_summary,
    home,
    track_page,
)

ROUTES: list[ControllerRouterHandler] = [
    ClaimController,
    CatastropheController,
    public_status,
    home,
    claim_page,
    track_page,
    catastrophe_page,
    claim_form,
    claim_summary,
]

__all__ = ["ROUTES", "STATIC_DIR"]
