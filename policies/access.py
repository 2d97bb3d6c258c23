"""Who may see and change which households: region scope, and a resident's own household only."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import ColumnElement, or_

from core.auth import Principal, Role
from policies.errors import OutsideYourRegion
from policies.models import Household, Policy, Region


def may_see_household(principal: Principal, household_id: UUID, village_code: str) -> bool:
    if principal.role is Role.RESIDENT:
        return principal.household_id == household_id
    return principal.covers(village_code)


def check_household(principal: Principal, household: Household) -> None:
    if not may_see_household(principal, household.id, household.village_code):
        raise OutsideYourRegion()


def check_region(principal: Principal, region_code: str) -> None:
    if not principal.covers(region_code):
        raise OutsideYourRegion()


def check_region_visible(principal: Principal, region_code: str) -> None:
    """A region in scope, or one enclosing the scope (a liaison may read their town and district)."""
    if not (principal.covers(region_code) or region_code in _enclosing(principal)):
        raise OutsideYourRegion()


def household_clause(principal: Principal) -> ColumnElement[bool]:
    """The SQL form of `may_see_household`, for listings."""
    if principal.role is Role.RESIDENT:
        return Household.id == principal.household_id
    return principal.region_clause(Household.village_code)


def visible_regions(principal: Principal) -> ColumnElement[bool]:
    """The regions in the caller's scope and those enclosing it, so a liaison sees their town's name."""
    return or_(principal.region_clause(Region.code), Region.code.in_(_enclosing(principal)))


def _enclosing(principal: Principal) -> set[str]:
    return {scope[:n] for scope in principal.regions for n in (6, 9, 12) if n < len(scope)}


def check_policy(principal: Principal, policy: Policy) -> None:
    """A resident sees their household's policies; staff see those in scope and the blanket over it."""
    if principal.role is Role.RESIDENT:
        allowed = policy.household_id is not None and policy.household_id == principal.household_id
    else:
        allowed = principal.covers(policy.region_code) or (
            policy.household_id is None and policy.region_code in _enclosing(principal)
        )
    if not allowed:
        raise OutsideYourRegion()


def policy_clause(principal: Principal) -> ColumnElement[bool]:
    if principal.role is Role.RESIDENT:
        return Policy.household_id == principal.household_id
    blanket_over_scope = Policy.household_id.is_(None) & Policy.region_code.in_(_enclosing(principal))
    return or_(principal.region_clause(Policy.region_code), blanket_over_scope)
