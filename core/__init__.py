"""Shared machinery: settings, database, auth and roles, audit log, task broker and outbox."""
