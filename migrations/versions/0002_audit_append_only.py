"""The audit log is append-only: the database itself refuses UPDATE and DELETE on audit_events.

Revision ID: 0002
Revises: 0001
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SQLITE_UP = [
    """CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
       BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END""",
    """CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
       BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END""",
]
SQLITE_DOWN = ["DROP TRIGGER audit_events_no_update", "DROP TRIGGER audit_events_no_delete"]

POSTGRES_UP = [
    """CREATE FUNCTION audit_events_refuse_change() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit_events is append-only'; END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_events
       FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change()""",
]
POSTGRES_DOWN = [
    "DROP TRIGGER audit_events_append_only ON audit_events",
    "DROP FUNCTION audit_events_refuse_change()",
]


def _statements(up: bool) -> list[str]:
    if op.get_bind().dialect.name == "postgresql":
        return POSTGRES_UP if up else POSTGRES_DOWN
    return SQLITE_UP if up else SQLITE_DOWN


def upgrade() -> None:
    for statement in _statements(up=True):
        op.execute(statement)


def downgrade() -> None:
    for statement in _statements(up=False):
        op.execute(statement)
