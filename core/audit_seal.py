"""The audit chain's trust kept outside the database: its HMAC key and the checkpointed chain head.

A session carries its app's seal in its info (`session_info(settings)`, as `core.outbox` carries
the broker), so two apps in one process key and checkpoint their logs each with their own settings.
A session made outside any app (a script, a bench, a test's own engine) gets the configured key,
read when first needed, and no checkpoint: it can write and verify the chain, never move its head.

The checkpoint is a small JSON file (the last event's id and hash and the number of events up to
it, with the time it was written), itself sealed with an HMAC under the same key, so editing it
is caught like editing an event. It is replaced atomically; a writer that loses a race leaves an
older, still true checkpoint.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, NamedTuple

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from core.security import refuse_public_keys
from core.settings import Settings, get_settings

GENESIS_HASH = "0" * 64
_SEAL_KEY = "anju_audit_seal"
# Sealing a checkpoint under its own prefix keeps its MAC from ever passing for an event's (an
# event's body is a JSON array and starts with "[").
_CHECKPOINT_DOMAIN = b"anju-audit-checkpoint\n"


class Link(NamedTuple):
    """A point on the chain: an event's id and hash, and how many events lead to it, itself included."""

    id: int
    hash: str
    events: int


GENESIS = Link(0, GENESIS_HASH, 0)


class CheckpointInvalid(Exception):
    """The checkpoint file is unreadable or its seal does not hold: edited, or sealed with another key."""


class Checkpoint(msgspec.Struct, frozen=True):
    last_id: int
    hash: str
    count: int
    written_at: str
    mac: str

    @property
    def link(self) -> Link:
        return Link(self.last_id, self.hash, self.count)


@dataclass(frozen=True)
class AuditSeal:
    """The key that signs each event, and where the chain's head is checkpointed (None: nowhere)."""

    key: bytes
    checkpoint_path: Path | None = None

    @classmethod
    def from_settings(cls, settings: Settings, *, checkpoint: bool = True) -> AuditSeal:
        refuse_public_keys(settings, ("ANJU_AUDIT_KEY",))
        return cls(settings.audit_key.encode(), settings.audit_checkpoint_path if checkpoint else None)

    @cached_property
    def _keyed(self) -> Any:
        return hmac.new(self.key, digestmod=hashlib.sha256)

    def sign(self, body: bytes) -> str:
        """HMAC-SHA256 of `body` under the key (the keyed state is prepared once and copied)."""
        mac = self._keyed.copy()
        mac.update(body)
        return str(mac.hexdigest())

    def _checkpoint_mac(self, link: Link, written_at: str) -> str:
        return self.sign(_CHECKPOINT_DOMAIN + f"{link.id}\n{link.hash}\n{link.events}\n{written_at}".encode())

    def read_checkpoint(self) -> Checkpoint | None:
        """The sealed head, or None when there is no checkpoint (not configured, or not written yet)."""
        if self.checkpoint_path is None or not self.checkpoint_path.exists():
            return None
        try:
            saved = msgspec.json.decode(self.checkpoint_path.read_bytes(), type=Checkpoint)
        except (OSError, msgspec.DecodeError) as exc:
            raise CheckpointInvalid(f"unreadable: {exc}") from exc
        if not hmac.compare_digest(saved.mac, self._checkpoint_mac(saved.link, saved.written_at)):
            raise CheckpointInvalid("its seal does not hold")
        return saved

    def write_checkpoint(self, link: Link, written_at: str) -> None:
        """Replace the checkpoint with `link` in one step (a reader never sees half a file)."""
        if self.checkpoint_path is None:
            return
        mac = self._checkpoint_mac(link, written_at)
        sealed = Checkpoint(link.id, link.hash, link.events, written_at, mac)
        self.checkpoint_path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.checkpoint_path.with_name(f"{self.checkpoint_path.name}.{os.getpid()}.partial")
        with partial.open("wb") as file:
            file.write(msgspec.json.encode(sealed))
            file.flush()
            os.fsync(file.fileno())
        os.replace(partial, self.checkpoint_path)


def session_info(settings: Settings) -> dict[str, Any]:
    """Session info under which audit events are sealed, and the head checkpointed, per `settings`."""
    return {_SEAL_KEY: AuditSeal.from_settings(settings)}


def of_session(session: AsyncSession) -> AuditSeal:
    seal = session.info.get(_SEAL_KEY)
    if isinstance(seal, AuditSeal):
        return seal
    return AuditSeal.from_settings(get_settings(), checkpoint=False)
