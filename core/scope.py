"""Who may see or act on which region, household, policy or claim: the one place that says so.

Region codes nest by prefix (district 6 → town 9 → village 12 digits), so a principal scoped to a
town covers every village whose code starts with the town's. Each rule has a Python form, for one
row already read, and an SQL form (`…_clause`), for listings. Admin covers everything; a resident
sees only their own household. Services ask these with the principal passed in; controllers never
decide access themselves.

Least privilege: a role sees the households (and so the claims and household policies) of its
regions only if its work needs them. Adjusters see those behind their own site visits and finance
the payees of the payouts it handles (ASSIGNED_READERS): the service that knows the work passes
`assigned` (a bool, or an SQL condition for listings); without it they see none. Finance also
sees household policies (it records their premiums). A record the
caller may not see is answered exactly as an unknown one (404, raised by the service that looked it
up), so ids cannot be probed; `check_region` answers 403 only for a region or village the caller
names in a write (region codes are public).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, and_, false, or_, true

from core.auth import Principal, Role
from core.errors import OutsideYourRegion

REGION_CODE_LENGTHS = (6, 9, 12)

# Staff whose work today needs the households and claims of their regions (DESIGN.md §7, §10).
HOUSEHOLD_READERS = frozenset({Role.LIAISON, Role.CLAIMS_OFFICER, Role.AUDITOR, Role.ADMIN})
# Finance records premiums, so it reads the policies of its regions, not the households behind them.
POLICY_READERS = HOUSEHOLD_READERS | {Role.FINANCE}
# Staff who see a household only where their own work names it (a site visit, a payout).
ASSIGNED_READERS = frozenset({Role.ADJUSTER, Role.FINANCE})


def covers(principal: Principal, region_code: str | None) -> bool:
    """The region is the principal's or lies inside one of theirs."""
    if principal.role is Role.ADMIN:
        return True
    if not region_code:
        return False
    return any(region_code.startswith(scope) for scope in principal.regions)


def region_clause(principal: Principal, column: Any) -> ColumnElement[bool]:
    """The SQL form of `covers`."""
    if principal.role is Role.ADMIN:
        return true()
    if not principal.regions:
        return false()
    return or_(*(column.startswith(scope, autoescape=True) for scope in principal.regions))


def enclosing(principal: Principal) -> set[str]:
    """The regions around the principal's own: a liaison of one village may read its town and district."""
    return {scope[:n] for scope in principal.regions for n in REGION_CODE_LENGTHS if n < len(scope)}


def may_read_region(principal: Principal, region_code: str) -> bool:
    """A region in scope, or one enclosing the scope (its name, its agreements, its statements)."""
    return covers(principal, region_code) or region_code in enclosing(principal)


def readable_region_clause(principal: Principal, column: Any) -> ColumnElement[bool]:
    """The SQL form of `may_read_region`."""
    if principal.role is Role.ADMIN:
        return true()
    return or_(region_clause(principal, column), column.in_(enclosing(principal)))


def audit_clause(principal: Principal, region_column: Any) -> ColumnElement[bool]:
    """Audit events an auditor reads: those in scope, and the system's own, which have no region
    (accounts, the region tree, imports spanning districts) and concern every district."""
    return or_(region_clause(principal, region_column), region_column.is_(None))


def may_see_household(
    principal: Principal, household_id: UUID | None, village_code: str, *, assigned: bool = False
) -> bool:
    """A resident sees their own household; HOUSEHOLD_READERS the households of their villages;
    ASSIGNED_READERS those of their villages their work names (`assigned`, decided by the caller).

    Claims follow their household, so this is also the rule for a claim.
    """
    if principal.role is Role.RESIDENT:
        return principal.household_id is not None and principal.household_id == household_id
    if principal.role in ASSIGNED_READERS:
        return assigned and covers(principal, village_code)
    return principal.role in HOUSEHOLD_READERS and covers(principal, village_code)


def household_clause(
    principal: Principal,
    household_id: Any,
    village_code: Any,
    *,
    assigned: ColumnElement[bool] | None = None,
) -> ColumnElement[bool]:
    """The SQL form of `may_see_household`, over a row's household id and village code columns;
    `assigned` is the condition that the caller's work names the row (for ASSIGNED_READERS)."""
    if principal.role is Role.RESIDENT:
        return household_id == principal.household_id if principal.household_id else false()
    if principal.role in ASSIGNED_READERS:
        return and_(assigned, region_clause(principal, village_code)) if assigned is not None else false()
    if principal.role not in HOUSEHOLD_READERS:
        return false()
    return region_clause(principal, village_code)


def may_see_policy(principal: Principal, household_id: UUID | None, region_code: str) -> bool:
    """A resident their household's policy; POLICY_READERS the household policies of their villages;
    a blanket policy (no household) by its region, which staff of any village inside it may read."""
    if household_id is None:
        return principal.role is not Role.RESIDENT and may_read_region(principal, region_code)
    if principal.role is Role.RESIDENT:
        return may_see_household(principal, household_id, region_code)
    return principal.role in POLICY_READERS and covers(principal, region_code)


def policy_clause(principal: Principal, household_id: Any, region_code: Any) -> ColumnElement[bool]:
    """The SQL form of `may_see_policy`."""
    if principal.role is Role.RESIDENT:
        return household_clause(principal, household_id, region_code)
    blanket = household_id.is_(None) & readable_region_clause(principal, region_code)
    if principal.role not in POLICY_READERS:
        return blanket
    return or_(region_clause(principal, region_code), blanket)


def check_region(principal: Principal, region_code: str) -> None:
    """For a region or village the caller names in a write: codes are public, so 403 tells nothing."""
    if not covers(principal, region_code):
        raise OutsideYourRegion(region_code)
