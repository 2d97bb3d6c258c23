"""The cycle-time outlier rule: claims paid far faster or slower than the district's usual.

A claim's cycle is the hours from its report to its money confirmed paid. The district's usual is
the median of its claims paid in the period; the spread is the median absolute deviation (MAD)
scaled by 1.4826, so that it estimates a standard deviation for normal data while the outliers
themselves cannot inflate it. A claim is an outlier outside median ± 3 × that spread, and only when
the district paid at least MIN_CYCLE_SAMPLE claims in the period (with fewer, "usual" means
nothing) and the spread is not zero (all alike: no claim stands out by this rule).
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from reports.findings.kinds import Finding, FindingKind, claim_link, finding
from reports.findings.rows import PaidClaim

MIN_CYCLE_SAMPLE = 20
MAD_TO_SIGMA = 1.4826
OUTLIER_SIGMAS = 3


def cycle_hours(claim: PaidClaim) -> float:
    return (claim.paid_at - claim.reported_at).total_seconds() / 3600


class CycleUsual(NamedTuple):
    sample: int
    median_hours: float
    spread_hours: float  # the scaled MAD

    @property
    def low(self) -> float:
        return self.median_hours - OUTLIER_SIGMAS * self.spread_hours

    @property
    def high(self) -> float:
        return self.median_hours + OUTLIER_SIGMAS * self.spread_hours


def cycle_usual(hours: Sequence[float]) -> CycleUsual | None:
    """The district's usual cycle, or None where no outlier can be told (see the module docstring)."""
    if len(hours) < MIN_CYCLE_SAMPLE:
        return None
    median = statistics.median(hours)
    spread = MAD_TO_SIGMA * statistics.median(abs(h - median) for h in hours)
    return CycleUsual(len(hours), median, spread) if spread > 0 else None


def cycle_outliers(claims: Iterable[PaidClaim], usual: CycleUsual | None) -> list[Finding]:
    if usual is None:
        return []
    found = []
    for claim in claims:
        hours = cycle_hours(claim)
        if not usual.low <= hours <= usual.high:
            found.append(
                finding(
                    FindingKind.CYCLE_OUTLIER,
                    "claim",
                    claim.claim_id,
                    claim_link(claim.claim_id),
                    claim_number=claim.number,
                    cycle_hours=round(hours, 1),
                    direction="slower" if hours > usual.high else "faster",
                    rule="outside median ± 3 × 1.4826 × MAD",
                    district_median_hours=round(usual.median_hours, 1),
                    usual_low_hours=round(usual.low, 1),
                    usual_high_hours=round(usual.high, 1),
                    district_sample=usual.sample,
                )
            )
    return found
