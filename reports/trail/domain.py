"""Pure rules of a claim's trail: what an event changed, and whether its link in the chain holds."""

from __future__ import annotations

from typing import Any

import msgspec


class Change(msgspec.Struct, frozen=True):
    field: str
    before: Any
    after: Any


def changes(before: Any, after: Any) -> list[Change]:
    """The fields an event changed: those whose value differs between its before and after
    snapshots (a snapshot that is not a mapping is one field, `value`)."""
    if not isinstance(before, dict) and not isinstance(after, dict):
        return [] if before == after else [Change("value", before, after)]
    old = before if isinstance(before, dict) else {}
    new = after if isinstance(after, dict) else {}
    fields = sorted(set(old) | set(new))
    return [Change(name, old.get(name), new.get(name)) for name in fields if old.get(name) != new.get(name)]


def problem(*, hash_ok: bool, prev_matches: bool, next_matches: bool) -> str | None:
    """What is wrong with one event of the chain, in the words verify_chain uses, or None."""
    if not hash_ok:
        return "content does not match its hash"
    if not prev_matches:
        return "previous-hash link broken"
    if not next_matches:
        return "the next event does not link to this one"
    return None
