"""Adjusters, planning visits, moving them, and the adjuster's day."""
