"""What a claim's audit trail answers with."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec

from reports.trail.domain import Change


class TrailEvent(msgspec.Struct, kw_only=True):
    id: int
    occurred_at: datetime
    actor: str
    action: str
    subject_type: str
    subject_id: str
    reason: str | None
    before: Any
    after: Any
    changes: list[Change]
    hash_ok: bool  # its hash recomputed from its content matches
    linked: bool  # its previous hash is the event before it, and the event after it names its hash
    problem: str | None


class ClaimTrail(msgspec.Struct, kw_only=True):
    claim_id: str
    claim_number: str
    chain_ok: bool
    checked: int
    first_broken_id: int | None
    events: list[TrailEvent]
