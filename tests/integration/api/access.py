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
ASSESSMENT_READERS = EVERYONE - {Role.FINANCE}
PUBLIC_PATHS = frozenset(
    {
        "/health",
        "/auth/login",
        "/public/claims/status",
        "/forms/claim-form.pdf",
        "/public/claims/payout-notice.pdf",
    }
)
FINDINGS_READERS = frozenset({Role.AUDITOR, Role.ADMIN, Role.CLAIMS_OFFICER})
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
    # the assessment at the door (issue 11)
    ("POST", "/visits/{visit_id}/photos"): frozenset({Role.ADJUSTER}),
    ("POST", "/visits/{visit_id}/assessment"): frozenset({Role.ADJUSTER}),
    ("GET", "/visits/{visit_id}/assessment"): ASSESSMENT_READERS,
    ("GET", "/visits/{visit_id}/assessment-form"): frozenset({Role.ADJUSTER}),
    ("GET", "/claims/{claim_id}/assessment"): ASSESSMENT_READERS,
    # payouts (issue 12): approvals, advances, payouts, payment batches, bank files, payout notices
    ("POST", "/claims/{claim_id}/approve"): frozenset({Role.CLAIMS_OFFICER}),
    ("POST", "/claims/{claim_id}/advance"): frozenset({Role.CLAIMS_OFFICER}),
    ("GET", "/claims/{claim_id}/payouts"): EVERYONE,
    ("GET", "/claims/{claim_id}/payout-notice.pdf"): EVERYONE,
    ("GET", "/public/claims/payout-notice.pdf"): PUBLIC,
    ("GET", "/payouts"): frozenset({Role.CLAIMS_OFFICER, Role.FINANCE, Role.AUDITOR, Role.ADMIN}),
    ("GET", "/payouts/{payout_id}"): frozenset({Role.CLAIMS_OFFICER, Role.FINANCE, Role.AUDITOR, Role.ADMIN}),
    ("POST", "/payouts/{payout_id}/approve"): frozenset({Role.CLAIMS_OFFICER}),
    ("PATCH", "/payouts/{payout_id}/payee"): frozenset({Role.CLAIMS_OFFICER}),
    ("GET", "/payment-batches"): frozenset({Role.FINANCE, Role.CLAIMS_OFFICER, Role.AUDITOR, Role.ADMIN}),
    ("POST", "/payment-batches"): frozenset({Role.FINANCE}),
    ("GET", "/payment-batches/{batch_id}"): frozenset(
        {Role.FINANCE, Role.CLAIMS_OFFICER, Role.AUDITOR, Role.ADMIN}
    ),
    ("POST", "/payment-batches/{batch_id}/export"): frozenset({Role.FINANCE}),
    ("GET", "/payment-batches/{batch_id}/bank-file.csv"): frozenset({Role.FINANCE}),
    ("GET", "/payment-batches/{batch_id}/pain001.xml"): frozenset({Role.FINANCE}),
    ("POST", "/payment-batches/{batch_id}/results"): frozenset({Role.FINANCE}),
    # findings, the desk-review sample, claim audit trails and exports (issue 13)
    ("GET", "/reports/findings"): FINDINGS_READERS,
    ("GET", "/reports/sample"): FINDINGS_READERS,
    ("GET", "/audit/claims/{claim_id}/trail"): FINDINGS_READERS,
    ("GET", "/reports/exports/claims.csv"): FINDINGS_READERS,
    ("GET", "/reports/exports/claims.xlsx"): FINDINGS_READERS,
    ("GET", "/reports/exports/payouts.csv"): FINDINGS_READERS,
    ("GET", "/reports/exports/payouts.xlsx"): FINDINGS_READERS,
    ("GET", "/reports/exports/rebate-entries.csv"): FINDINGS_READERS,
    ("GET", "/reports/exports/rebate-entries.xlsx"): FINDINGS_READERS,
    ("GET", "/reports/exports/expenditures.csv"): FINDINGS_READERS,
    ("GET", "/reports/exports/expenditures.xlsx"): FINDINGS_READERS,
    # visits (issue 11)
    ("GET", "/adjusters"): frozenset({Role.CLAIMS_OFFICER, Role.AUDITOR, Role.ADMIN}),
    ("POST", "/adjusters"): frozenset({Role.CLAIMS_OFFICER, Role.ADMIN}),
    ("GET", "/adjusters/{adjuster_id}"): frozenset({Role.CLAIMS_OFFICER, Role.AUDITOR, Role.ADMIN}),
    ("PATCH", "/adjusters/{adjuster_id}"): frozenset({Role.CLAIMS_OFFICER, Role.ADMIN}),
    ("POST", "/adjusters/{adjuster_id}/days-off"): frozenset({Role.CLAIMS_OFFICER, Role.ADMIN}),
    ("GET", "/visits"): frozenset({Role.CLAIMS_OFFICER, Role.AUDITOR, Role.ADMIN}),
    ("GET", "/visits/mine"): frozenset({Role.ADJUSTER}),
    ("GET", "/visits/{visit_id}"): frozenset({Role.CLAIMS_OFFICER, Role.AUDITOR, Role.ADMIN}),
    ("PATCH", "/visits/{visit_id}"): frozenset({Role.CLAIMS_OFFICER, Role.ADMIN}),
    ("GET", "/adjuster/day.pdf"): frozenset({Role.ADJUSTER}),
    ("POST", "/catastrophes/{catastrophe_id}/visit-plan"): frozenset({Role.CLAIMS_OFFICER}),
    ("GET", "/catastrophes/{catastrophe_id}/visit-plan"): frozenset(
        {Role.CLAIMS_OFFICER, Role.AUDITOR, Role.ADMIN}
    ),
    # reports: the dashboard and the monthly governance reports (issue 13)
    ("GET", "/reports/dashboard"): frozenset({Role.AUDITOR, Role.CLAIMS_OFFICER, Role.ADMIN}),
    ("GET", "/reports/dashboard/charts"): frozenset({Role.AUDITOR, Role.CLAIMS_OFFICER, Role.ADMIN}),
    ("GET", "/reports/dashboard/claims"): frozenset({Role.AUDITOR, Role.CLAIMS_OFFICER, Role.ADMIN}),
    ("GET", "/reports/monthly-reports"): frozenset({Role.AUDITOR, Role.CLAIMS_OFFICER, Role.ADMIN}),
    ("POST", "/reports/monthly-reports"): frozenset({Role.CLAIMS_OFFICER, Role.ADMIN}),
    ("GET", "/reports/monthly-reports/{report_id}"): frozenset(
        {Role.AUDITOR, Role.CLAIMS_OFFICER, Role.ADMIN}
    ),
    ("GET", "/reports/monthly-reports/{report_id}/report.pdf"): frozenset(
        {Role.AUDITOR, Role.CLAIMS_OFFICER, Role.ADMIN}
    ),
    # the clock (issue 12)
    ("GET", "/work-queue"): frozenset({Role.CLAIMS_OFFICER}),
    ("GET", "/clock/report"): frozenset({Role.CLAIMS_OFFICER, Role.AUDITOR, Role.ADMIN}),
}
