"""Unit tests of the visit planner (pure: no database)."""
