"""Request and response bodies for adjusters, days off, site visits, the adjuster's day and event plans."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

import msgspec

from core.dates import DateKind, check_day
from core.schemas import Fen, Reason, RequestBody, VillageCode
from policies.domain import Peril

Weekday = Annotated[int, msgspec.Meta(ge=1, le=7)]
Capacity = Annotated[int, msgspec.Meta(ge=1, le=50)]
Villages = Annotated[list[VillageCode], msgspec.Meta(min_length=1, max_length=500)]
Weekdays = Annotated[list[Weekday], msgspec.Meta(min_length=1, max_length=7)]


class AdjusterCreate(RequestBody, kw_only=True):
    user_id: UUID
    village_codes: Villages
    home_village_code: VillageCode
    daily_capacity: Capacity = 12
    working_weekdays: Weekdays = msgspec.field(default_factory=lambda: [1, 2, 3, 4, 5, 6])


class AdjusterUpdate(RequestBody, kw_only=True):
    village_codes: Villages | msgspec.UnsetType = msgspec.UNSET
    home_village_code: VillageCode | msgspec.UnsetType = msgspec.UNSET
    daily_capacity: Capacity | msgspec.UnsetType = msgspec.UNSET
    working_weekdays: Weekdays | msgspec.UnsetType = msgspec.UNSET
    active: bool | msgspec.UnsetType = msgspec.UNSET


class Adjuster(msgspec.Struct, kw_only=True):
    id: UUID
    user_id: UUID
    name: str
    region_code: str
    village_codes: list[str]
    home_village_code: str
    daily_capacity: int
    working_weekdays: list[int]
    active: bool


class DayOffCreate(RequestBody, kw_only=True):
    day: date
    reason: Reason

    def __post_init__(self) -> None:
        super().__post_init__()
        # Days ahead of today are planned within a term's range (two years), never decades ahead.
        check_day(DateKind.TERM, self.day, field="day")


class DayOff(msgspec.Struct, kw_only=True):
    id: UUID
    adjuster_id: UUID
    day: date
    reason: str | None
    # The visits of that day planned again (or left for the officer when no one else could come).
    replanned: int
    unplanned: int


class VisitMove(RequestBody, kw_only=True):
    """Reschedule (a new day), reassign (another adjuster), or both."""

    visit_on: date | msgspec.UnsetType = msgspec.UNSET
    adjuster_id: UUID | msgspec.UnsetType = msgspec.UNSET

    def __post_init__(self) -> None:
        super().__post_init__()
        if isinstance(self.visit_on, date):
            check_day(DateKind.TERM, self.visit_on, field="visit_on")


class Visit(msgspec.Struct, kw_only=True):
    """A visit as the adjuster's day and the officer's list show it."""

    id: UUID
    claim_id: UUID
    claim_number: str
    adjuster_id: UUID
    adjuster_name: str
    visit_on: date
    route_order: int
    status: str
    at_risk: bool
    announced_at: datetime | None
    village_code: str
    village_name: str
    address: str
    head_name: str
    phone: str
    peril: Peril
    estimated_loss_fen: Fen | None
    latitude: float | None
    longitude: float | None
    geo_link: str | None
    map_link: str | None
    assess_link: str


class AdjusterDays(msgspec.Struct, kw_only=True):
    adjuster_id: UUID
    name: str
    visits_by_day: dict[str, int]


class VisitPlan(msgspec.Struct, kw_only=True):
    """An event's visits: the planned last day beside the lower bound, and each adjuster's days."""

    catastrophe_id: UUID
    visits: int
    unplanned: int  # accepted claims of the event still without a visit
    adjusters: int
    first_day: date | None
    last_day: date | None
    planned_days: int
    lower_bound_days: int
    per_adjuster: list[AdjusterDays]
    within_days: int | None = None
    capacity: int | None = None
    adjusters_needed: int | None = None
