"""HTTP for regions, households and people (thin: scope checks, then services); exports ROUTES."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.exceptions import HTTPException
from litestar.pagination import OffsetPagination
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from core.auth import Principal, Role, require_roles
from core.clock import today
from core.idempotency import create_once
from core.views import from_row
from policies import cover, households, regions
from policies.access import (
    check_household,
    check_region,
    check_region_visible,
    household_clause,
    visible_regions,
)
from policies.domain import Cover
from policies.models import Household
from policies.policy_controllers import PolicyController, ProgramController
from policies.schemas import (
    HouseholdCreate,
    HouseholdUpdate,
    HouseholdView,
    MemberIn,
    PersonUpdate,
    PersonView,
    RegionImportResult,
    RegionView,
)

AnyRequest = Request[Principal, Any, Any]
CSV_TYPES = ("text/csv", "application/csv", "text/plain")
ENROLLERS = require_roles(Role.ADMIN, Role.LIAISON)


def household_view(household: Household) -> HouseholdView:
    """Head first, then by name (`people` is loaded with the household)."""
    people = sorted(household.people, key=lambda p: (p.relation != "head", p.name))
    return from_row(household, HouseholdView, people=people)


class RegionController(Controller):
    path = "/regions"
    tags = ["regions"]

    @get("/", summary="Regions in the caller's scope, by parent or level")
    async def list_regions(
        self,
        request: AnyRequest,
        db_session: NamedDependency[AsyncSession],
        parent: FromQuery[str | None] = None,
        level: FromQuery[str | None] = None,
    ) -> list[RegionView]:
        visible = visible_regions(request.user)
        rows = await regions.list_regions(db_session, visible=visible, parent=parent, level=level)
        return [from_row(r, RegionView) for r in rows]

    @get("/{code:str}", summary="One region by its code")
    async def get_region(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession], code: FromPath[str]
    ) -> RegionView:
        region = await regions.get_region(db_session, code)
        check_region_visible(request.user, code)
        return from_row(region, RegionView)

    @post(
        "/import",
        status_code=200,
        guards=[require_roles(Role.ADMIN)],
        summary="Import regions from CSV (admin)",
    )
    async def import_regions(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession]
    ) -> RegionImportResult:
        if request.content_type[0] not in CSV_TYPES:
            raise HTTPException(status_code=415, detail="send the file as text/csv")
        rows = regions.parse_regions(regions.decode_csv(await request.body()))
        return await regions.import_regions(db_session, actor=request.user.username, rows=rows)


class HouseholdController(Controller):
    path = "/households"
    tags = ["households"]

    @post("/", guards=[ENROLLERS], summary="Register a household and its people")
    async def register(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession], data: JSONBody[HouseholdCreate]
    ) -> Response[HouseholdView]:
        check_region(request.user, data.village_code)

        async def create() -> HouseholdView:
            household = await households.register_household(
                db_session,
                actor=request.user.username,
                village_code=data.village_code,
                address=data.address,
                phone=data.phone,
                members=data.members,
                household_no=data.household_no,
            )
            return household_view(household)

        return await create_once(request, db_session, owner=request.user.username, data=data, create=create)

    @get("/", summary="Households in scope; find one by a member's resident ID or a phone number")
    async def find(
        self,
        request: AnyRequest,
        db_session: NamedDependency[AsyncSession],
        village_code: FromQuery[str | None] = None,
        resident_id: FromQuery[str | None] = None,
        phone: FromQuery[str | None] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = 50,
        offset: Annotated[int, QueryParameter(ge=0)] = 0,
    ) -> OffsetPagination[HouseholdView]:
        rows, total = await households.find_households(
            db_session,
            visible=household_clause(request.user),
            village_code=village_code,
            resident_id=resident_id,
            phone=phone,
            limit=limit,
            offset=offset,
        )
        return OffsetPagination([household_view(h) for h in rows], limit=limit, offset=offset, total=total)

    async def _visible(self, request: AnyRequest, session: AsyncSession, household_id: UUID) -> Household:
        household = await households.get_household(session, household_id)
        check_household(request.user, household)
        return household

    @get("/{household_id:uuid}", summary="One household and its people")
    async def get_household(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession], household_id: FromPath[UUID]
    ) -> HouseholdView:
        return household_view(await self._visible(request, db_session, household_id))

    @get("/{household_id:uuid}/covers", summary="The policies covering the household on a day")
    async def covers(
        self,
        request: AnyRequest,
        db_session: NamedDependency[AsyncSession],
        household_id: FromPath[UUID],
        on: FromQuery[date | None] = None,
    ) -> list[Cover]:
        await self._visible(request, db_session, household_id)
        return await cover.find_covering_policies(db_session, household_id=household_id, on=on or today())

    @patch(
        "/{household_id:uuid}", guards=[ENROLLERS], summary="Change a household's address, phone or number"
    )
    async def update(
        self,
        request: AnyRequest,
        db_session: NamedDependency[AsyncSession],
        household_id: FromPath[UUID],
        data: JSONBody[HouseholdUpdate],
    ) -> HouseholdView:
        household = await self._visible(request, db_session, household_id)
        await households.update_household(
            db_session, actor=request.user.username, household=household, changes=data
        )
        return household_view(household)

    @post("/{household_id:uuid}/people", guards=[ENROLLERS], summary="Add a person to a household")
    async def add_member(
        self,
        request: AnyRequest,
        db_session: NamedDependency[AsyncSession],
        household_id: FromPath[UUID],
        data: JSONBody[MemberIn],
    ) -> Response[PersonView]:
        household = await self._visible(request, db_session, household_id)

        async def create() -> PersonView:
            person = await households.add_member(
                db_session, actor=request.user.username, household=household, member=data
            )
            return from_row(person, PersonView)

        return await create_once(request, db_session, owner=request.user.username, data=data, create=create)

    @patch("/{household_id:uuid}/people/{person_id:uuid}", guards=[ENROLLERS], summary="Change a person")
    async def update_member(
        self,
        request: AnyRequest,
        db_session: NamedDependency[AsyncSession],
        household_id: FromPath[UUID],
        person_id: FromPath[UUID],
        data: JSONBody[PersonUpdate],
    ) -> PersonView:
        household = await self._visible(request, db_session, household_id)
        person = await households.update_member(
            db_session, actor=request.user.username, household=household, person_id=person_id, changes=data
        )
        return from_row(person, PersonView)

    @delete("/{household_id:uuid}/people/{person_id:uuid}", guards=[ENROLLERS], summary="Remove a person")
    async def remove_member(
        self,
        request: AnyRequest,
        db_session: NamedDependency[AsyncSession],
        household_id: FromPath[UUID],
        person_id: FromPath[UUID],
    ) -> None:
        household = await self._visible(request, db_session, household_id)
        await households.remove_member(
            db_session, actor=request.user.username, household=household, person_id=person_id
        )


ROUTES = [RegionController, HouseholdController, ProgramController, PolicyController]
