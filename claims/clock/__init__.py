"""The claim clock: its arithmetic, warnings, rollups, reports and the officers' work queue."""
