"""Adjusters, the visit planner and the adjuster's day."""
