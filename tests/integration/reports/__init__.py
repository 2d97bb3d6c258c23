"""Tests of the reports package: the audit log as auditors read it."""
