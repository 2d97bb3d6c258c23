"""HTTP for the clock reports."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from claims.clock import schemas
from claims.clock.services import reports
from core.auth import AuthRequest, Role, require_roles
from core.openapi import problem_spec

Region = Annotated[
    str | None,
    QueryParameter(pattern=r"^(\d{6}|\d{9}|\d{12})$", description="District, town or village code"),
]


class ClockReportController(Controller):
    path = "/clock"
    tags = ["clock"]
    guards = [require_roles(Role.CLAIMS_OFFICER, Role.AUDITOR, Role.ADMIN)]

    @get(
        "/report",
        summary="The clock's figures for a region and whole business months, grouped",
        description=(
            "Claims reported, accepted and paid in the months from `from` to `to` (each date stands for "
            "its month); of the claims paid: average, median and 90th-percentile cycle (report to "
            "payment, hours; percentiles from a 2-hour histogram), the share paid within target and the "
            "average hours in each stage; grouped `by` child region, peril, adjuster or month; and the "
            f"latest {reports.BREACHED_LIMIT} breached claims with the stage where their time went. "
            "Without `region`, every region the caller covers; a region outside them is 403."
        ),
        responses={
            422: problem_spec(
                422,
                "The period ends before it starts, lies outside 2000 to next year, or spans over ten years",
            )
        },
    )
    async def report(
        self,
        request: AuthRequest,
        db_session: NamedDependency[AsyncSession],
        start: Annotated[date, QueryParameter(name="from", description="First business date (its month)")],
        end: Annotated[date, QueryParameter(name="to", description="Last business date (its month)")],
        region: Region = None,
        by: Annotated[schemas.GroupBy, QueryParameter(description="How to group")] = schemas.GroupBy.REGION,
    ) -> schemas.ClockReport:
        return await reports.clock_report(
            db_session, request.user, region=region, start=start, end=end, by=by
        )
