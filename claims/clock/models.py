"""The clock's rollup (counts, stage seconds and a cycle histogram per month, village and peril, and
again per month, village and adjuster) and the sweep's progress.

Reports read the rollup, never the claims: a district's month is a few hundred rows, two years of a
city some tens of thousands. Each event is counted twice, once in the row of its peril
(`kind` "peril", `value` the peril) and once in the row of its adjuster (`kind` "adjuster", `value`
the adjuster's id as text, '' for claims no adjuster visited and for reporting and acceptance, when no
adjuster is known yet), so a report reads one kind only and no row carries both dimensions.
Rows are kept as claims move (claims.clock.services.rollups): `accepted` and the paid figures are
added in the transaction of the step, `reported` is recounted from the claims by the clock sweep
(filing writes nothing more). Months are business-calendar months.
"""

from __future__ import annotations

from datetime import datetime

from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import BigInteger, Column, Date, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column

from claims.clock.domain import BUCKETS, STAGES
from core.database import Base, metadata

STAGE_SUMS = tuple(f"{stage.value}_s" for stage, _ in STAGES)
HISTOGRAM = tuple(f"h{index:02d}" for index in range(BUCKETS))
COUNTS = ("reported", "accepted", "paid", "paid_within_target")
SUMS = ("cycle_s", *STAGE_SUMS)

clock_rollup = Table(
    "claim_clock_rollups",
    metadata,
    Column("kind", String(10), primary_key=True),
    Column("month", Date, primary_key=True),
    Column("village_code", String(15), primary_key=True),
    Column("value", String(36), primary_key=True),
    *(Column(name, Integer, nullable=False, server_default="0") for name in COUNTS),
    *(Column(name, BigInteger, nullable=False, server_default="0") for name in SUMS),
    *(Column(name, Integer, nullable=False, server_default="0") for name in HISTOGRAM),
)


class ClockSweep(Base):
    """When the warning sweep last finished: the next one looks only at claims that could have
    crossed a threshold since (one row, locked by the sweep so two never overlap)."""

    __tablename__ = "claim_clock_sweeps"

    name: Mapped[str] = mapped_column(String(30), unique=True)
    swept_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
