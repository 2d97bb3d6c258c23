"""What the findings and the desk-review sample answer with (msgspec Structs)."""

from __future__ import annotations

from datetime import date, datetime

import msgspec

from core.schemas import Fen
from reports.findings.kinds import Finding, FindingKind


class FindingsReport(msgspec.Struct, kw_only=True):
    region_code: str
    from_on: date = msgspec.field(name="from")
    to_on: date = msgspec.field(name="to")
    kinds_checked: list[FindingKind]
    # The outlier and sample rules in words, so a reader knows what was applied.
    cycle_rule: str
    count: int
    findings: list[Finding]


class SampledClaim(msgspec.Struct, kw_only=True):
    draw: int  # 1 for the first drawn
    claim_id: str
    claim_number: str
    village_code: str
    paid_fen: Fen
    paid_at: datetime
    link: str


class DeskSample(msgspec.Struct, kw_only=True):
    region_code: str
    from_on: date = msgspec.field(name="from")
    to_on: date = msgspec.field(name="to")
    seed: int
    size: int
    population: int  # paid claims the sample was drawn from
    method: str
    claims: list[SampledClaim]
