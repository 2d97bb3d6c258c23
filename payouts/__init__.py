"""Money going out: village security rebates (agreements, accruals, the ledger, the village funds)."""
