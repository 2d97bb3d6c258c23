"""Unit tests of the users package."""
