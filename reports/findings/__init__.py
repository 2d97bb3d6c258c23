"""Findings for auditors (what looks wrong, with its evidence) and the desk-review sample."""
