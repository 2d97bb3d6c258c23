"""Payout services by topic: views (who sees which payout), approvals, batches, results, notices."""
