"""Regions: import GB/T 2260-coded districts, towns and villages from CSV; list and look up."""

from __future__ import annotations

import csv
import io

import msgspec
from advanced_alchemy.filters import LimitOffset
from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from advanced_alchemy.service import SQLAlchemyAsyncRepositoryService
from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from core import scope
from core.audit import record
from core.auth import Principal
from core.errors import InvalidInput
from core.text import clean
from policies.domain import parent_code, region_level
from policies.errors import InvalidRegionFile, RegionNotFound, UnknownRegion
from policies.imports.files import decode_csv
from policies.models import Region
from policies.schemas import RegionImportResult, RegionView


class RegionService(SQLAlchemyAsyncRepositoryService[Region]):
    class Repo(SQLAlchemyAsyncRepository[Region]):
        model_type = Region
        id_attribute = "code"

    repository_type = Repo


def decode_region_file(raw: bytes) -> str:
    """The one CSV decoder; a region file it cannot read is an invalid region file."""
    try:
        return decode_csv(raw)
    except InvalidInput as error:
        raise InvalidRegionFile(error.detail or error.message_en) from None


def _coordinate(value: str | None, low: float, high: float, line: int) -> float | None:
    if not value or not value.strip():
        return None
    try:
        number = float(value)
    except ValueError:
        raise InvalidRegionFile(f"line {line}: {value!r} is not a number", line=line) from None
    if not low <= number <= high:
        raise InvalidRegionFile(f"line {line}: {number} is out of range", line=line)
    return number


def parse_regions(text: str) -> list[RegionView]:
    """Rows of code,name[,level][,parent_code],latitude,longitude; level and parent follow from the code.

    A bad line rejects the whole file: regions are few, and a half-imported tree helps nobody.
    """
    reader = csv.DictReader(io.StringIO(text))
    missing = {"code", "name"} - set(reader.fieldnames or ())
    if missing:
        raise InvalidRegionFile(f"missing columns: {', '.join(sorted(missing))}")
    rows: dict[str, RegionView] = {}
    for line, raw in enumerate(reader, start=2):
        code = clean(raw.get("code") or "")
        name = clean(raw.get("name") or "")
        try:
            level = region_level(code)
        except UnknownRegion:
            raise InvalidRegionFile(f"line {line}: {code!r} is not a region code", line=line) from None
        parent = parent_code(code)
        if not name or len(name) > 100:
            raise InvalidRegionFile(f"line {line}: a name of 1 to 100 characters is required", line=line)
        if (raw.get("level") or "").strip() not in ("", level):
            raise InvalidRegionFile(f"line {line}: a {len(code)}-digit code is a {level}", line=line)
        if (raw.get("parent_code") or "").strip() not in ("", parent):
            raise InvalidRegionFile(f"line {line}: the parent of {code} is {parent}", line=line)
        if code in rows:
            raise InvalidRegionFile(f"line {line}: {code} is listed twice", line=line)
        rows[code] = RegionView(
            code=code,
            name=name,
            level=level,
            parent_code=parent,
            latitude=_coordinate(raw.get("latitude"), -90, 90, line),
            longitude=_coordinate(raw.get("longitude"), -180, 180, line),
        )
    return sorted(rows.values(), key=lambda row: (len(row.code), row.code))


async def import_regions(session: AsyncSession, *, actor: str, rows: list[RegionView]) -> RegionImportResult:
    """Create new regions, update changed ones, leave the rest: running a file twice changes nothing."""
    codes = [row.code for row in rows]
    existing = {r.code: r for r in await RegionService(session=session).get_many(Region.code.in_(codes))}
    parents = {row.parent_code for row in rows if row.parent_code} - set(codes) - set(existing)
    if parents:
        known = set(await session.scalars(select(Region.code).where(Region.code.in_(parents))))
        if unknown := sorted(parents - known):
            raise InvalidRegionFile(f"unknown parent regions: {', '.join(unknown[:10])}")
    created = updated = 0
    for row in rows:
        region = existing.get(row.code)
        fields = msgspec.structs.asdict(row)
        if region is None:
            session.add(Region(**fields))
            created += 1
        elif any(getattr(region, key) != value for key, value in fields.items()):
            for key, value in fields.items():
                setattr(region, key, value)
            updated += 1
    # Rows are sorted parents first and inserted in that order, so the parent key always exists.
    await session.flush()
    result = RegionImportResult(created=created, updated=updated, unchanged=len(rows) - created - updated)
    if created or updated:
        await record(
            session,
            actor=actor,
            action="regions.imported",
            subject_type="regions",
            subject_id="import",
            after=result,
        )
    return result


async def get_region(session: AsyncSession, code: str) -> Region:
    region = await RegionService(session=session).get_one_or_none(Region.code == code)
    if region is None:
        raise RegionNotFound()
    return region


async def get_readable_region(session: AsyncSession, principal: Principal, code: str) -> Region:
    """A region in the caller's scope or enclosing it; any other is answered as an unknown code."""
    region = await get_region(session, code)
    if not scope.may_read_region(principal, code):
        raise RegionNotFound()
    return region


async def list_regions(
    session: AsyncSession,
    principal: Principal,
    *,
    parent: str | None = None,
    level: str | None = None,
    limit: int = 500,
) -> list[Region]:
    """The regions the caller may read (their scope and the regions enclosing it), by code."""
    filters: list[ColumnElement[bool]] = [scope.readable_region_clause(principal, Region.code)]
    if parent:
        filters.append(Region.parent_code == parent)
    if level:
        filters.append(Region.level == level)
    rows = await RegionService(session=session).get_many(
        *filters, LimitOffset(limit=limit, offset=0), order_by=[Region.code.asc()]
    )
    return list(rows)
