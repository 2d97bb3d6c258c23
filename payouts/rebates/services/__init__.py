"""Rebate services by topic: agreements, accruals, ledger, funds (village spending), statements."""
