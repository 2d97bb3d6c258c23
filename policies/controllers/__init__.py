"""Enrollment's HTTP: regions, households and people, programs, policies and premiums; exports ROUTES."""

from __future__ import annotations

from policies.controllers.households import HouseholdController
from policies.controllers.policies import PolicyController
from policies.controllers.programs import ProgramController
from policies.controllers.regions import RegionController
from policies.imports.controllers import HouseholdImportController
from policies.imports.premium_controllers import PremiumImportController

ROUTES = [
    RegionController,
    HouseholdController,
    ProgramController,
    PolicyController,
    HouseholdImportController,
    PremiumImportController,
]
