"""Findings and the desk-review sample: the reads (claims.py, rebates.py) and the rules run over them."""

from __future__ import annotations

import secrets
from collections.abc import Callable

from sqlalchemy.ext.asyncio import AsyncSession

from core import scope
from core.audit import verify_chain
from core.auth import Principal, Role
from core.privacy import mask_resident_id
from reports.findings import cycles, domain, sampling
from reports.findings.kinds import Finding, FindingKind, claim_link
from reports.findings.schemas import DeskSample, FindingsReport, SampledClaim
from reports.findings.services import claims, rebates
from reports.findings.window import Window

Kind = FindingKind
CYCLE_RULE = (
    f"处于本区中位数 ± 3 × 1.4826 × MAD 之外（本区当期已赔案件不少于 {cycles.MIN_CYCLE_SAMPLE} 件） / "
    f"outside the district's median ± 3 × 1.4826 × MAD, with at least {cycles.MIN_CYCLE_SAMPLE} claims paid "
    "in the district in the period"
)
SAMPLE_METHOD = (
    "random.Random(seed).sample(paid claims of the period ordered by claim number, size) — "
    "Python's Mersenne Twister; the same seed over the same claims draws the same sample"
)
SEED_LIMIT = 2**31 - 1
# Auditors and admins see payee accounts in full: comparing them against bank records and across
# households is their work. Claims officers read them masked like resident IDs.
ACCOUNT_READERS = frozenset({Role.AUDITOR, Role.ADMIN})


def mask_account(account: str) -> str:
    """A bank account keeps its first four and last four digits."""
    return account[:4] + "*" * (len(account) - 8) + account[-4:] if len(account) > 8 else "*" * len(account)


def account_shown(principal: Principal) -> Callable[[str], str]:
    return str if principal.role in ACCOUNT_READERS else mask_account


async def _claim_findings(
    session: AsyncSession, principal: Principal, window: Window, kinds: set[Kind]
) -> list[Finding]:
    found: list[Finding] = []
    money = {Kind.PAID_OVER_LIMIT, Kind.LOSS_OUTSIDE_COVER, Kind.PAID_WITHOUT_VISIT, Kind.CYCLE_OUTLIER}
    if kinds & money:
        paid = await claims.paid_claims(session, window, where=claims.visible(principal, window.region_code))
        if Kind.PAID_OVER_LIMIT in kinds:
            found += domain.paid_over_limit(paid)
        if Kind.LOSS_OUTSIDE_COVER in kinds:
            periods = await claims.cover_periods(session, domain.cover_policy_ids(paid))
            found += domain.loss_outside_cover(paid, periods)
        if Kind.PAID_WITHOUT_VISIT in kinds:
            found += domain.paid_without_visit(paid)
        if Kind.CYCLE_OUTLIER in kinds:
            whole_district = (
                window.region_code == window.district and principal.role in scope.HOUSEHOLD_READERS
            )
            # The claims just read are the district's own when the caller reads all of it: no second read.
            hours = [cycles.cycle_hours(claim) for claim in paid] if whole_district else None
            usual = cycles.cycle_usual(
                hours if hours is not None else await claims.district_cycles(session, window)
            )
            found += cycles.cycle_outliers(paid, usual)
    if Kind.SHARED_BANK_ACCOUNT in kinds:
        payouts, uses = await claims.payouts_and_account_uses(session, principal, window)
        found += domain.shared_accounts(payouts, uses, account_shown(principal))
    if kinds & {Kind.RESIDENT_ID_TWO_HOUSEHOLDS, Kind.CLAIMANT_SEVERAL_HOUSEHOLDS}:
        claimants = await claims.claimants_registered(session, principal, window)
        if Kind.RESIDENT_ID_TWO_HOUSEHOLDS in kinds:
            found += domain.resident_ids_elsewhere(claimants, mask_resident_id)
        if Kind.CLAIMANT_SEVERAL_HOUSEHOLDS in kinds:
            everywhere = await claims.claims_by_claimants(session, principal, window)
            found += domain.claimants_for_several(claimants, everywhere, mask_resident_id)
    return found


async def find(
    session: AsyncSession, *, principal: Principal, window: Window, kind: Kind | None = None
) -> FindingsReport:
    """Every rule (or the one asked for) over the region and period; see reports.findings.domain."""
    kinds = {kind} if kind else set(Kind)
    found = await _claim_findings(session, principal, window, kinds)
    if Kind.REBATE_LEDGER_MISMATCH in kinds:
        found += domain.ledger_mismatches(await rebates.ledger_checks(session, principal, window))
    if Kind.VILLAGE_OVERSPENT in kinds:
        found += domain.overspent_villages(await rebates.village_funds(session, principal, window))
    if Kind.AUDIT_CHAIN_BROKEN in kinds:
        report = await verify_chain(session)
        if not report.ok:
            found += domain.chain_broken(report.first_broken_id, report.problem, report.checked)
    ordered = sorted(kinds, key=list(Kind).index)
    return FindingsReport(
        region_code=window.region_code,
        from_on=window.from_on,
        to_on=window.to_on,
        kinds_checked=ordered,
        cycle_rule=CYCLE_RULE,
        count=len(found),
        findings=found,
    )


async def desk_sample(
    session: AsyncSession, *, principal: Principal, window: Window, size: int, seed: int | None = None
) -> DeskSample:
    """A reproducible random sample of the period's paid claims; without a seed, one is chosen and shown."""
    seed = secrets.randbelow(SEED_LIMIT) + 1 if seed is None else seed
    paid = await claims.paid_claims(session, window, where=claims.visible(principal, window.region_code))
    by_number = {claim.number: claim for claim in paid}
    drawn = sampling.draw_sample(list(by_number), size=size, seed=seed)
    return DeskSample(
        region_code=window.region_code,
        from_on=window.from_on,
        to_on=window.to_on,
        seed=seed,
        size=len(drawn),
        population=len(paid),
        method=SAMPLE_METHOD,
        claims=[
            SampledClaim(
                draw=n,
                claim_id=str(by_number[number].claim_id),
                claim_number=number,
                village_code=by_number[number].village_code,
                paid_fen=by_number[number].paid_total_fen,
                paid_at=by_number[number].paid_at,
                link=claim_link(by_number[number].claim_id),
            )
            for n, number in enumerate(drawn, start=1)
        ],
    )
