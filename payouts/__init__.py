"""Money going out: claim payouts (issue 12, to come) and village security rebates (`payouts.rebates`)."""
