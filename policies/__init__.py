"""Regions, households, people, programs, policies, premiums and enrollment import."""
