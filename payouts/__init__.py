"""Money going out: claim payouts (approvals, advances, payment batches, bank files) and village
security rebates (`payouts.rebates`)."""
