"""The adjuster's day as a printable one-page A4 PDF in Chinese."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from claims.visits.services.visits import my_day
from core.auth import Principal
from core.clock import utcnow
from core.documents.pdf import render_pdf_async
from users.models import User


async def day_pdf(session: AsyncSession, principal: Principal, on: date) -> bytes:
    visits = await my_day(session, principal, on)
    name = await session.scalar(select(User.display_name).where(User.id == principal.user_id))
    context = {
        "visits": visits,
        "day": on,
        "adjuster_name": name or principal.username,
        "printed_at": utcnow(),
    }
    return await render_pdf_async("claims.visits/pdf_day.html", context)
