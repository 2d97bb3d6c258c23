"""Reports: the read side across packages (dashboards, the governance report, exports, findings)."""
