"""Who may call each operation: the table the role test checks every (operation, role) pair against.

An operation of the OpenAPI document missing from ACCESS fails the role test, so a new endpoint
arrives with its rule. PUBLIC operations need no login; every other one answers 401 without a login,
403 (code `forbidden`, detail `role_not_allowed`) to a role outside its set, and lets the roles in its
set past the role check (their region or household is then the services' business, core.scope).
Auditors read and never write: no write operation lists them (logout only ends one's own login).
"""

from __future__ import annotations

from core.auth import Role

PUBLIC: frozenset[Role] = frozenset()
EVERYONE = frozenset(Role)
STAFF = EVERYONE - {Role.RESIDENT}
REBATE_READERS = frozenset({Role.LIAISON, Role.CLAIMS_OFFICER, Role.FINANCE, Role.AUDITOR, Role.ADMIN})
ENROLLERS = frozenset({Role.LIAISON, Role.ADMIN})
FILERS = frozenset({Role.RESIDENT, Role.LIAISON, Role.CLAIMS_OFFICER})
PUBLIC_PATHS = frozenset({"/health", "/auth/login", "/public/claims/status", "/forms/claim-form.pdf"})
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

ACCESS: dict[tuple[str, str], frozenset[Role]] = {
    ("GET", "/audit/events"): frozenset({Role.AUDITOR, Role.ADMIN}),
    ("GET", "/audit/verify"): frozenset({Role.AUDITOR, Role.ADMIN}),
    ("POST", "/auth/login"): PUBLIC,
    ("POST", "/auth/logout"): EVERYONE,
    ("GET", "/auth/me"): EVERYONE,
    ("GET", "/catastrophes"): STAFF,
    ("POST", "/catastrophes"): frozenset({Role.CLAIMS_OFFICER}),
    ("GET", "/catastrophes/{catastrophe_id}"): STAFF,
    ("POST", "/catastrophes/{catastrophe_id}/claims/{claim_id}/clear"): frozenset(
        {Role.LIAISON, Role.CLAIMS_OFFICER}
    ),
    ("POST", "/catastrophes/{catastrophe_id}/claims/{claim_id}/confirm"): frozenset(
        {Role.LIAISON, Role.CLAIMS_OFFICER}
    ),
    ("GET", "/claims"): EVERYONE,
    ("POST", "/claims"): FILERS,
    ("GET", "/claims/{claim_id}"): EVERYONE,
    ("POST", "/claims/{claim_id}/accept"): frozenset({Role.CLAIMS_OFFICER}),
    ("GET", "/claims/{claim_id}/documents"): EVERYONE,
    ("POST", "/claims/{claim_id}/documents"): frozenset(
        {Role.RESIDENT, Role.LIAISON, Role.ADJUSTER, Role.CLAIMS_OFFICER}
    ),
    ("GET", "/claims/{claim_id}/documents/{document_id}"): EVERYONE,
    ("POST", "/claims/{claim_id}/reject"): frozenset({Role.CLAIMS_OFFICER}),
    ("POST", "/claims/{claim_id}/reopen"): frozenset({Role.CLAIMS_OFFICER}),
    ("GET", "/claims/{claim_id}/summary.pdf"): EVERYONE,
    ("POST", "/claims/{claim_id}/withdraw"): FILERS,
    ("GET", "/enrollment/progress"): frozenset(
        {Role.LIAISON, Role.CLAIMS_OFFICER, Role.FINANCE, Role.AUDITOR, Role.ADMIN}
    ),
    ("GET", "/enrollment/unpaid"): frozenset(
        {Role.LIAISON, Role.CLAIMS_OFFICER, Role.FINANCE, Role.AUDITOR, Role.ADMIN}
    ),
    ("GET", "/forms/claim-form.pdf"): PUBLIC,
    ("GET", "/health"): PUBLIC,
    ("GET", "/households"): EVERYONE,
    ("POST", "/households"): ENROLLERS,
    ("GET", "/households/{household_id}"): EVERYONE,
    ("PATCH", "/households/{household_id}"): ENROLLERS,
    ("GET", "/households/{household_id}/covers"): EVERYONE,
    ("POST", "/households/{household_id}/people"): ENROLLERS,
    ("DELETE", "/households/{household_id}/people/{person_id}"): ENROLLERS,
    ("PATCH", "/households/{household_id}/people/{person_id}"): ENROLLERS,
    ("POST", "/imports/households"): ENROLLERS,
    ("POST", "/imports/premiums"): frozenset({Role.LIAISON, Role.FINANCE, Role.ADMIN}),
    ("GET", "/policies"): EVERYONE,
    ("POST", "/policies"): ENROLLERS,
    ("POST", "/policies/blanket"): frozenset({Role.ADMIN}),
    ("GET", "/policies/{policy_id}"): EVERYONE,
    ("GET", "/policies/{policy_id}/payments"): EVERYONE,
    ("POST", "/policies/{policy_id}/payments"): frozenset({Role.FINANCE, Role.ADMIN}),
    ("POST", "/programs/{program_id}/government-payments"): frozenset({Role.FINANCE, Role.ADMIN}),
    ("POST", "/policies/{policy_id}/renew"): ENROLLERS,
    ("POST", "/policies/{policy_id}/resume"): frozenset({Role.ADMIN}),
    ("POST", "/policies/{policy_id}/suspend"): frozenset({Role.ADMIN}),
    ("GET", "/programs"): EVERYONE,
    ("POST", "/programs/{program_id}/renewals"): frozenset({Role.CLAIMS_OFFICER, Role.ADMIN}),
    ("POST", "/programs"): frozenset({Role.ADMIN}),
    ("GET", "/programs/{program_id}"): EVERYONE,
    ("GET", "/public/claims/status"): PUBLIC,
    ("GET", "/rebates/agreements"): REBATE_READERS,
    ("POST", "/rebates/agreements"): frozenset({Role.FINANCE, Role.ADMIN}),
    ("GET", "/rebates/agreements/{agreement_id}"): REBATE_READERS,
    ("POST", "/rebates/agreements/{agreement_id}/accruals"): frozenset({Role.FINANCE}),
    ("GET", "/rebates/agreements/{agreement_id}/periods"): REBATE_READERS,
    ("POST", "/rebates/approvals"): frozenset({Role.CLAIMS_OFFICER, Role.FINANCE}),
    ("POST", "/rebates/disbursements"): frozenset({Role.FINANCE}),
    ("GET", "/rebates/districts/{district_code}/villages"): REBATE_READERS,
    ("GET", "/rebates/entries"): REBATE_READERS,
    ("GET", "/rebates/entries/{entry_id}"): REBATE_READERS,
    ("POST", "/rebates/entries/{entry_id}/reversals"): frozenset({Role.CLAIMS_OFFICER, Role.FINANCE}),
    ("GET", "/rebates/expenditures/{expenditure_id}/receipt"): REBATE_READERS,
    ("GET", "/rebates/periods/{period_id}/villages/{village_code}/statement"): REBATE_READERS,
    ("GET", "/rebates/periods/{period_id}/villages/{village_code}/statement.csv"): REBATE_READERS,
    ("GET", "/rebates/periods/{period_id}/villages/{village_code}/statement.pdf"): REBATE_READERS,
    ("GET", "/rebates/villages/{village_code}/expenditures"): REBATE_READERS,
    ("POST", "/rebates/villages/{village_code}/expenditures"): frozenset({Role.LIAISON}),
    ("GET", "/rebates/villages/{village_code}/fund"): REBATE_READERS,
    ("GET", "/regions"): EVERYONE,
    ("POST", "/regions/import"): frozenset({Role.ADMIN}),
    ("GET", "/regions/{code}"): EVERYONE,
    ("GET", "/users"): frozenset({Role.ADMIN}),
    ("POST", "/users"): frozenset({Role.ADMIN}),
    ("POST", "/users/{user_id}/deactivate"): frozenset({Role.ADMIN}),
    # the clock (issue 12)
    ("GET", "/work-queue"): frozenset({Role.CLAIMS_OFFICER}),
    ("GET", "/clock/report"): frozenset({Role.CLAIMS_OFFICER, Role.AUDITOR, Role.ADMIN}),
}
