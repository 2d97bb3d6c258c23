"""The bulk household import: files (reading) → rules (pure row checks) → writer (bulk insert)."""
