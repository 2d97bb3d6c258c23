"""The payable amount of an assessed claim, pure: from the line items found at the door to what the
policies pay, every step kept so an officer or an auditor can read how the number came about.

The order, and how each step rounds (integer fen throughout, never a float):

1. **Depreciation, per line.** A line's new value is quantity × unit value. Its depreciation is the
   rate the adjuster typed (basis points, 0–10,000) or, from the item's age, 1,000 bps (10 %) per
   full year, at most 8,000 bps: a used item keeps at least a fifth of its new value. The line's
   value is new value × (10,000 − rate) / 10,000, rounded half up to the fen on each line (so the
   lines the resident signed add up to the assessed loss exactly).
2. **Assessed loss** = the sum of the lines' values.
3. **Deductible**: the largest `deductible_fen` among the claim's covers, taken once off the assessed
   loss (never below 0). One loss is one loss: a household holding two policies is not charged two
   deductibles, and no policy pays within its own deductible.
4. **Shares**: what is left is shared over the covers in their order, the blanket (district) policy
   first, then the voluntary one; each pays up to its own limit (the peril limit, no more than its
   per-claim cap), all together up to the tightest combined cap (`claims.domain.split_payable`, the
   rule filing used to set the claim's payable cap).
5. **Payable** = the sum of the shares: what the claim is worth, BEFORE any advance. This is
   `Assessment.payable_fen`.
6. **Advances** already paid (`Claim.advance_paid_fen`) are then deducted: the **final payout** is
   payable − advances, never below 0; if the advances exceed the payable, the difference is
   **owed back** as a separate figure and the final payout is 0 (`final_payout`, `owed_back`: the
   one rule, which payouts pays by). The steps keep these figures as at the assessment; the
   assessment's view and the payouts apply the rule to the advances paid by the time they read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from claims.domain import combined_cap, cover_limit, split_payable
from core.documents.formatting import yuan
from core.documents.templating import FUNDING_ZH
from policies.domain import Cover, Peril

WHOLE_BPS = 10_000
AGE_RATE_BPS = 1_000  # per full year of age
MAX_AGE_DEPRECIATION_BPS = 8_000  # an old item still keeps a fifth of its new value


@dataclass(frozen=True, kw_only=True)
class Line:
    """One item as entered at the door: a depreciation rate, or an age, or neither (a new item)."""

    item: str
    quantity: int
    unit_value_fen: int
    age_years: int | None = None
    depreciation_bps: int | None = None


@dataclass(frozen=True)
class Share:
    policy_number: str
    funding: str
    limit_fen: int
    amount_fen: int


@dataclass(frozen=True, kw_only=True)
class Payable:
    """The whole computation. `payable_fen` is the claim's worth before advances; `final_payout_fen`
    is that less the advances paid; `owed_back_fen` is what the household owes if the advances were more."""

    lines: list[dict[str, Any]]
    assessed_loss_fen: int
    deductible_fen: int
    payable_fen: int
    advance_paid_fen: int
    final_payout_fen: int
    owed_back_fen: int
    shares: list[Share]
    steps: list[dict[str, Any]]


def depreciation_bps(line: Line) -> int:
    """The rate typed, else the rate the item's age gives, else none."""
    if line.depreciation_bps is not None:
        return line.depreciation_bps
    if line.age_years is not None:
        return min(line.age_years * AGE_RATE_BPS, MAX_AGE_DEPRECIATION_BPS)
    return 0


def line_value(line: Line) -> int:
    """new value × (10,000 − rate) / 10,000, rounded half up to the fen."""
    kept = line.quantity * line.unit_value_fen * (WHOLE_BPS - depreciation_bps(line))
    return (kept + WHOLE_BPS // 2) // WHOLE_BPS


def deductible(covers: Sequence[Cover]) -> int:
    """The largest deductible of the covers, taken once."""
    return max((cover.deductible_fen for cover in covers), default=0)


def _step(step: str, zh: str, en: str, amount_fen: int, detail: str = "") -> dict[str, Any]:
    return {"step": step, "label_zh": zh, "label_en": en, "amount_fen": amount_fen, "detail": detail}


def _percent(bps: int) -> str:
    whole, rest = divmod(bps, 100)
    return f"{whole}%" if not rest else f"{whole}.{rest:02d}".rstrip("0") + "%"


def _line_step(line: Line, value: int) -> dict[str, Any]:
    rate = depreciation_bps(line)
    how = (
        f"使用 {line.age_years} 年，" if line.depreciation_bps is None and line.age_years is not None else ""
    )
    detail = f"{line.quantity} × {yuan(line.unit_value_fen)} 元，{how}折旧 {_percent(rate)}"
    return _step("line", f"{line.item}", "item after depreciation", value, detail)


def final_payout(payable_fen: int, advance_paid_fen: int) -> int:
    """What the final payout carries: the payable less the advances paid; 0 means none is due."""
    return max(payable_fen - max(advance_paid_fen, 0), 0)


def owed_back(payable_fen: int, advance_paid_fen: int) -> int:
    """What the household owes when the advances came to more than the payable (else 0)."""
    return max(advance_paid_fen - payable_fen, 0)


def compute(
    lines: Sequence[Line], covers: Sequence[Cover], peril: Peril, *, advance_paid_fen: int = 0
) -> Payable:
    """Everything payable for one assessed claim; `covers` are in paying order (blanket first)."""
    values = [line_value(line) for line in lines]
    steps = [_line_step(line, value) for line, value in zip(lines, values, strict=True)]
    loss = sum(values)
    steps.append(_step("assessed_loss", "定损金额（折旧后合计）", "assessed loss", loss, f"{len(lines)} 项"))
    taken = min(deductible(covers), loss)
    steps.append(_step("deductible", "免赔额", "deductible", taken, "各保单免赔额取最高者，只扣一次"))
    net = loss - taken
    steps.append(_step("after_deductible", "扣除免赔额后", "after the deductible", net))
    cap = combined_cap(covers)
    if cap is not None:
        steps.append(_step("combined_cap", "多保单合计上限", "combined cap", cap, "各保单合计不超过此数"))
    shares = []
    for cover, amount in split_payable(covers, peril, net):
        limit = cover_limit(cover, peril)
        shares.append(Share(cover.policy_number, cover.funding.value, limit, amount))
        detail = (
            f"{cover.policy_number}（{FUNDING_ZH.get(cover.funding.value, cover.funding.value)}），"
            f"险种限额 {yuan(cover.perils.get(peril, 0))} 元，每案上限 {yuan(cover.per_claim_cap_fen)} 元"
        )
        steps.append(_step("share", "保单赔付份额", "policy share", amount, detail))
    payable = sum(share.amount_fen for share in shares)
    steps.append(_step("payable", "应赔金额（未扣预赔款）", "payable before advances", payable))
    advance = max(advance_paid_fen, 0)
    steps.append(_step("advance_paid", "已付预赔款", "advances paid", advance))
    final = final_payout(payable, advance)
    steps.append(_step("final_payout", "最终应付（应赔 − 预赔）", "final payout (payable − advances)", final))
    owed = owed_back(payable, advance)
    if owed:
        steps.append(_step("owed_back", "预赔款多付、应退回", "advance owed back", owed))
    entered = [
        {
            "item": line.item,
            "quantity": line.quantity,
            "unit_value_fen": line.unit_value_fen,
            "age_years": line.age_years,
            "depreciation_bps": depreciation_bps(line),
            "value_fen": value,
        }
        for line, value in zip(lines, values, strict=True)
    ]
    return Payable(
        lines=entered,
        assessed_loss_fen=loss,
        deductible_fen=taken,
        payable_fen=payable,
        advance_paid_fen=advance,
        final_payout_fen=final,
        owed_back_fen=owed,
        shares=shares,
        steps=steps,
    )
