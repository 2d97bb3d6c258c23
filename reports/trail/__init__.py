"""A claim's audit trail: every event about it, its visits, assessment and payouts, with its links checked."""
