"""HTTP for households and their people (thin: the services check scope); the caller is the principal."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from advanced_alchemy.service import OffsetPagination
from litestar import Controller, Response, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from core.auth import AuthRequest, Role, require_roles
from core.clock import today
from core.idempotency import create_once
from core.params import Offset
from core.views import from_row
from policies.domain import Cover
from policies.schemas import (
    HouseholdCreate,
    HouseholdUpdate,
    HouseholdView,
    MemberIn,
    PersonUpdate,
    PersonView,
)
from policies.services import cover, households
from policies.services.households import household_view

ENROLLERS = require_roles(Role.ADMIN, Role.LIAISON)


class HouseholdController(Controller):
    path = "/households"
    tags = ["households"]

    @post("/", guards=[ENROLLERS], summary="Register a household and its people")
    async def register(
        self, request: AuthRequest, db_session: NamedDependency[AsyncSession], data: JSONBody[HouseholdCreate]
    ) -> Response[HouseholdView]:
        async def create() -> HouseholdView:
            household = await households.register_household(
                db_session,
                actor=request.user.username,
                village_code=data.village_code,
                address=data.address,
                phone=data.phone,
                members=data.members,
                household_no=data.household_no,
                principal=request.user,
            )
            return household_view(household)

        return await create_once(request, db_session, owner=request.user.username, data=data, create=create)

    @get("/", summary="Households in scope; find one by a member's resident ID or a phone number")
    async def find(
        self,
        request: AuthRequest,
        db_session: NamedDependency[AsyncSession],
        village_code: FromQuery[str | None] = None,
        resident_id: FromQuery[str | None] = None,
        phone: FromQuery[str | None] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = 50,
        offset: Offset = 0,
    ) -> OffsetPagination[HouseholdView]:
        return await households.find_households(
            db_session,
            request.user,
            village_code=village_code,
            resident_id=resident_id,
            phone=phone,
            limit=limit,
            offset=offset,
        )

    @get("/{household_id:uuid}", summary="One household and its people")
    async def get_household(
        self, request: AuthRequest, db_session: NamedDependency[AsyncSession], household_id: FromPath[UUID]
    ) -> HouseholdView:
        return household_view(await households.get_visible_household(db_session, request.user, household_id))

    @get("/{household_id:uuid}/covers", summary="The policies covering the household on a day")
    async def covers(
        self,
        request: AuthRequest,
        db_session: NamedDependency[AsyncSession],
        household_id: FromPath[UUID],
        on: FromQuery[date | None] = None,
    ) -> list[Cover]:
        return await cover.find_covering_policies(
            db_session, household_id=household_id, on=on or today(), principal=request.user
        )

    @patch(
        "/{household_id:uuid}", guards=[ENROLLERS], summary="Change a household's address, phone or number"
    )
    async def update(
        self,
        request: AuthRequest,
        db_session: NamedDependency[AsyncSession],
        household_id: FromPath[UUID],
        data: JSONBody[HouseholdUpdate],
    ) -> HouseholdView:
        household = await households.get_visible_household(db_session, request.user, household_id)
        await households.update_household(
            db_session, actor=request.user.username, household=household, changes=data
        )
        return household_view(household)

    @post("/{household_id:uuid}/people", guards=[ENROLLERS], summary="Add a person to a household")
    async def add_member(
        self,
        request: AuthRequest,
        db_session: NamedDependency[AsyncSession],
        household_id: FromPath[UUID],
        data: JSONBody[MemberIn],
    ) -> Response[PersonView]:
        household = await households.get_visible_household(db_session, request.user, household_id)

        async def create() -> PersonView:
            person = await households.add_member(
                db_session, actor=request.user.username, household=household, member=data
            )
            return from_row(person, PersonView)

        return await create_once(request, db_session, owner=request.user.username, data=data, create=create)

    @patch("/{household_id:uuid}/people/{person_id:uuid}", guards=[ENROLLERS], summary="Change a person")
    async def update_member(
        self,
        request: AuthRequest,
        db_session: NamedDependency[AsyncSession],
        household_id: FromPath[UUID],
        person_id: FromPath[UUID],
        data: JSONBody[PersonUpdate],
    ) -> PersonView:
        household = await households.get_visible_household(db_session, request.user, household_id)
        person = await households.update_member(
            db_session, actor=request.user.username, household=household, person_id=person_id, changes=data
        )
        return from_row(person, PersonView)

    @delete("/{household_id:uuid}/people/{person_id:uuid}", guards=[ENROLLERS], summary="Remove a person")
    async def remove_member(
        self,
        request: AuthRequest,
        db_session: NamedDependency[AsyncSession],
        household_id: FromPath[UUID],
        person_id: FromPath[UUID],
    ) -> None:
        household = await households.get_visible_household(db_session, request.user, household_id)
        await households.remove_member(
            db_session, actor=request.user.username, household=household, person_id=person_id
        )
