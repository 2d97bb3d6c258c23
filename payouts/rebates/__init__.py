"""Village security rebates: agreements, accruals, the append-only ledger, village funds, statements."""
