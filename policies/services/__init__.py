"""Enrollment services by topic: regions, households, programs, policies, premiums, cover, the demo seed."""
