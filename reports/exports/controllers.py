"""HTTP for the full listings: /reports/exports/{claims|payouts|rebate-entries|expenditures}.{csv|xlsx}.

Reads only, for the findings' readers, with the dashboard's filters (region, period; peril and status
where a listing has them). The filter is checked before the first byte goes out, so a region outside
the caller's scope is a 403 problem, not a broken download.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from litestar import Controller, get
from litestar.params import FromQuery
from litestar.response import Stream
from litestar.types import ControllerRouterHandler

from claims.domain import ClaimStatus
from core.auth import AuthRequest, require_roles
from policies.domain import Peril
from reports.exports import files, listings
from reports.exports.listings import Listing
from reports.findings.controllers import READERS
from reports.findings.window import FromDate, RegionCode, ToDate, Window, window

PayoutStatus = Literal["pending", "approved", "sent", "paid", "failed"]


def _download(request: AuthRequest, listing: Listing, filters: Window, suffix: str) -> Stream:
    chunks = listings.chunks(request.app.state.sessionmaker, listing)
    headers = list(listing.headers)
    if suffix == "csv":
        content, media_type = files.csv_stream(headers, chunks), files.CSV
    else:
        content, media_type = files.xlsx_stream(listing.name, headers, chunks), files.XLSX
    name = f"{listing.name}-{filters.region_code}-{_day(filters.from_on)}-{_day(filters.to_on)}.{suffix}"
    return Stream(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
    )


def _day(day: date) -> str:
    return day.strftime("%Y%m%d")


class ExportController(Controller):
    path = "/reports/exports"
    tags = ["reports"]
    guards = [require_roles(*READERS)]

    @get("/claims.csv", media_type=files.CSV, summary="Claims reported in the period, CSV (UTF-8 with BOM)")
    async def claims_csv(
        self,
        request: AuthRequest,
        region_code: RegionCode,
        from_on: FromDate,
        to_on: ToDate,
        peril: FromQuery[Peril | None] = None,
        status: FromQuery[ClaimStatus | None] = None,
    ) -> Stream:
        filters = window(request.user, region_code, from_on, to_on)
        listing = listings.claims_listing(request.user, filters, peril=peril, status=status)
        return _download(request, listing, filters, "csv")

    @get("/claims.xlsx", media_type=files.XLSX, summary="Claims reported in the period, XLSX")
    async def claims_xlsx(
        self,
        request: AuthRequest,
        region_code: RegionCode,
        from_on: FromDate,
        to_on: ToDate,
        peril: FromQuery[Peril | None] = None,
        status: FromQuery[ClaimStatus | None] = None,
    ) -> Stream:
        filters = window(request.user, region_code, from_on, to_on)
        listing = listings.claims_listing(request.user, filters, peril=peril, status=status)
        return _download(request, listing, filters, "xlsx")

    @get(
        "/payouts.csv",
        media_type=files.CSV,
        summary="Payouts requested or paid in the period, CSV (UTF-8 with BOM)",
    )
    async def payouts_csv(
        self,
        request: AuthRequest,
        region_code: RegionCode,
        from_on: FromDate,
        to_on: ToDate,
        status: FromQuery[PayoutStatus | None] = None,
    ) -> Stream:
        filters = window(request.user, region_code, from_on, to_on)
        return _download(
            request, listings.payouts_listing(request.user, filters, status=status), filters, "csv"
        )

    @get("/payouts.xlsx", media_type=files.XLSX, summary="Payouts requested or paid in the period, XLSX")
    async def payouts_xlsx(
        self,
        request: AuthRequest,
        region_code: RegionCode,
        from_on: FromDate,
        to_on: ToDate,
        status: FromQuery[PayoutStatus | None] = None,
    ) -> Stream:
        filters = window(request.user, region_code, from_on, to_on)
        return _download(
            request, listings.payouts_listing(request.user, filters, status=status), filters, "xlsx"
        )

    @get(
        "/rebate-entries.csv", media_type=files.CSV, summary="Rebate ledger entries posted in the period, CSV"
    )
    async def rebate_entries_csv(
        self, request: AuthRequest, region_code: RegionCode, from_on: FromDate, to_on: ToDate
    ) -> Stream:
        filters = window(request.user, region_code, from_on, to_on)
        return _download(request, listings.rebate_entries_listing(request.user, filters), filters, "csv")

    @get(
        "/rebate-entries.xlsx",
        media_type=files.XLSX,
        summary="Rebate ledger entries posted in the period, XLSX",
    )
    async def rebate_entries_xlsx(
        self, request: AuthRequest, region_code: RegionCode, from_on: FromDate, to_on: ToDate
    ) -> Stream:
        filters = window(request.user, region_code, from_on, to_on)
        return _download(request, listings.rebate_entries_listing(request.user, filters), filters, "xlsx")

    @get("/expenditures.csv", media_type=files.CSV, summary="Village security spending in the period, CSV")
    async def expenditures_csv(
        self, request: AuthRequest, region_code: RegionCode, from_on: FromDate, to_on: ToDate
    ) -> Stream:
        filters = window(request.user, region_code, from_on, to_on)
        return _download(request, listings.expenditures_listing(request.user, filters), filters, "csv")

    @get("/expenditures.xlsx", media_type=files.XLSX, summary="Village security spending in the period, XLSX")
    async def expenditures_xlsx(
        self, request: AuthRequest, region_code: RegionCode, from_on: FromDate, to_on: ToDate
    ) -> Stream:
        filters = window(request.user, region_code, from_on, to_on)
        return _download(request, listings.expenditures_listing(request.user, filters), filters, "xlsx")


ROUTES: list[ControllerRouterHandler] = [ExportController]
