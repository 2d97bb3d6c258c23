"""Tests of the users package."""
