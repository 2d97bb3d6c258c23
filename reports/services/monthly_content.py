"""What the monthly governance report says, and its PDF: a few pages of summaries and charts.

The month is set against the month before and the same month a year earlier; listings are cut to
the few rows people read (the exports hold every row).
"""

from __future__ import annotations

import asyncio
import base64
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.clock import add_months, utcnow
from core.documents.pdf import render_pdf_async
from core.documents.templating import PERIL_ZH
from payouts.rebates.domain import CATEGORY_NAMES_ZH
from policies.models import Region
from reports import charts, domain
from reports.domain import Period, month_period
from reports.services import coverage, figures, monthly_figures

TOP_VILLAGES = 10
BREACHES_LISTED = 10
TREND_MONTHS = 12


@dataclass(frozen=True)
class MonthSummary:
    label: str
    claims_reported: int
    paid_fen: int
    premiums_fen: int
    loss_ratio: str
    insured: coverage.Insured
    by_peril: dict[str, int]
    clock: domain.CycleStats


async def month_summary(session: AsyncSession, code: str, label: str, period: Period) -> MonthSummary:
    claims = await figures.claims_by_peril_and_status(session, code, period)
    by_peril: dict[str, int] = {}
    for peril, _, count in claims:
        by_peril[peril] = by_peril.get(peril, 0) + count
    paid = sum((await figures.paid_by_kind(session, code, period)).values())
    premiums = await figures.premiums_received(session, code, period)
    return MonthSummary(
        label=label,
        claims_reported=sum(count for _, _, count in claims),
        paid_fen=paid,
        premiums_fen=premiums,
        loss_ratio=domain.percent_text(domain.loss_ratio_permille(paid, premiums)),
        insured=await coverage.covered(session, code, period),
        by_peril=by_peril,
        clock=domain.cycle_statistics(await figures.paid_cycles(session, code, period)),
    )


async def gather(session: AsyncSession, code: str, month: date) -> dict[str, Any]:
    """Everything the template prints, read in the build's one transaction."""
    district = await session.get(Region, code)
    period = month_period(month)
    earlier = [domain.previous_month(month), add_months(month, -12)]
    await coverage.count_months(session, code, [month, *earlier])
    summaries = [
        await month_summary(session, code, "本月", period),
        await month_summary(session, code, "上月", month_period(earlier[0])),
        await month_summary(session, code, "去年同月", month_period(earlier[1])),
    ]
    breached = await monthly_figures.breached_claims(session, code, period)
    stage_means = domain.mean_stage_seconds([claim.stages for claim in breached])
    trend = await figures.monthly_trend(session, code, domain.months_ending(month, TREND_MONTHS))
    return {
        "district_code": code,
        "district_name": district.name if district else code,
        "month": month,
        "summaries": summaries,
        "by_peril": summaries[0].by_peril,
        "breached": breached[:BREACHES_LISTED],
        "breached_count": len(breached),
        "breached_paid": sum(1 for claim in breached if claim.paid),
        "stage_means": stage_means,
        "villages": await monthly_figures.villages_by_loss(session, code, period, top=TOP_VILLAGES),
        "catastrophes": await figures.catastrophes(session, code, period),
        "rebates": await figures.rebates_by_kind(session, code, period),
        "spending": await figures.spending_by_category(session, code, period),
        "funds": await monthly_figures.village_funds(session, code, period, top=TOP_VILLAGES),
        "trend": trend,
    }


def draw(context: dict[str, Any]) -> dict[str, str]:
    """The report's charts as SVG with their text drawn as outlines (see reports.charts)."""
    trend = context["trend"]
    stage_means: dict[str, int] = context["stage_means"]
    spending: dict[str, int] = context["spending"]
    return {
        "trend": charts.trend_chart(
            "近十二个月赔款与报案",
            [f"{m.month:%Y-%m}" for m in trend],
            [m.paid_fen / 1_000_000 for m in trend],
            [m.claims_reported for m in trend],
            amount_label="赔款（万元）",
            count_label="报案（件）",
            text="path",
        ),
        "perils": charts.bar_chart(
            "本月按险种报案",
            [PERIL_ZH.get(peril, peril) for peril in context["by_peril"]],
            list(context["by_peril"].values()),
            unit="件",
            text="path",
        ),
        "stages": charts.bar_chart(
            "超时案件各环节平均用时",
            [zh for field, zh, _ in domain.STAGES],
            [stage_means.get(field, 0) / 3600 for field, _, _ in domain.STAGES],
            unit="小时",
            text="path",
        ),
        "spending": charts.bar_chart(
            "本月村级安全支出（按类别）",
            [CATEGORY_NAMES_ZH.get(c, c) for c in spending],  # type: ignore[call-overload]
            [fen / 100 for fen in spending.values()],
            unit="元",
            text="path",
        ),
    }


def svg_data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


async def render_report(session: AsyncSession, code: str, month: date) -> bytes:
    context = await gather(session, code, month)
    drawn = await asyncio.to_thread(draw, context)
    context["charts"] = {key: svg_data_uri(svg) for key, svg in drawn.items()}
    context.update(
        printed_at=utcnow(),
        stages=domain.STAGES,
        stage_zh={field: zh for field, zh, _ in domain.STAGES},
        hours=domain.hours_text,
        percent=domain.percent_text,
        loss_ratio=domain.loss_ratio_permille,
        category_zh=CATEGORY_NAMES_ZH,
    )
    return await render_pdf_async("reports/monthly_report.html", context)
