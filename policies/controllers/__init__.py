"""Enrollment's HTTP: regions, households and people, programs, policies and premiums; exports ROUTES."""

from __future__ import annotations

from litestar.types import ControllerRouterHandler

from policies.controllers.enrollment import STATIC_DIR, EnrollmentController, enrollment_page
from policies.controllers.households import HouseholdController
from policies.controllers.policies import PolicyController
from policies.controllers.programs import ProgramController
from policies.controllers.regions import RegionController
from policies.controllers.renewals import RenewalController
from policies.imports.controllers import HouseholdImportController
from policies.imports.premium_controllers import PremiumImportController

ROUTES: list[ControllerRouterHandler] = [
    RegionController,
    HouseholdController,
    ProgramController,
    PolicyController,
    HouseholdImportController,
    PremiumImportController,
    EnrollmentController,
    enrollment_page,
    RenewalController,
]

__all__ = ["ROUTES", "STATIC_DIR"]
