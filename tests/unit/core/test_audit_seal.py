"""The audit seal: events are hashed under the key, the checkpoint file is sealed, the public key refused."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import msgspec
import pytest

from core.audit import compute_hash
from core.audit_seal import AuditSeal, CheckpointInvalid, Link
from core.settings import DEVELOPMENT_AUDIT_KEY, get_settings

EVENT = {
    "prev_hash": "0" * 64,
    "occurred_at": datetime(2026, 11, 22, 4, 0, tzinfo=UTC),
    "actor": "officer",
    "action": "claim.accepted",
    "subject_type": "claim",
    "subject_id": "c1",
    "region_code": "370211001001",
    "reason": None,
    "before": {"status": "reported"},
    "after": {"status": "accepted"},
}
# `printf '%s' "$canonical_json_of_EVENT" | openssl dgst -sha256 -hmac "one key"`
KNOWN_ANSWER = "9e2dc3cd0cc331f093ca5105e06b2c6c7f1dfe0580709182699cd31554ffbc88"


def test_an_events_hash_is_an_hmac_under_the_key() -> None:
    one, other = AuditSeal(b"one key"), AuditSeal(b"another key")
    assert compute_hash(one, **EVENT) == compute_hash(AuditSeal(b"one key"), **EVENT)
    assert compute_hash(one, **EVENT) != compute_hash(other, **EVENT)
    assert compute_hash(one, **EVENT) == KNOWN_ANSWER


def test_a_checkpoint_reads_back_only_under_its_own_key(tmp_path: Path) -> None:
    path = tmp_path / "var" / "checkpoint.json"
    seal = AuditSeal(b"the key", path)
    assert seal.read_checkpoint() is None
    seal.write_checkpoint(Link(42, "ab" * 32, 40), "2026-11-22T04:00:00.000000Z")
    saved = seal.read_checkpoint()
    assert saved is not None and (saved.link, saved.written_at) == (
        Link(42, "ab" * 32, 40),
        "2026-11-22T04:00:00.000000Z",
    )
    with pytest.raises(CheckpointInvalid, match="its seal does not hold"):
        AuditSeal(b"another key", path).read_checkpoint()


@pytest.mark.parametrize("field", ["last_id", "count", "hash", "written_at"])
def test_an_edited_checkpoint_does_not_read(tmp_path: Path, field: str) -> None:
    path = tmp_path / "checkpoint.json"
    seal = AuditSeal(b"the key", path)
    seal.write_checkpoint(Link(42, "ab" * 32, 40), "2026-11-22T04:00:00.000000Z")
    changed = {"last_id": 41, "count": 39, "hash": "cd" * 32, "written_at": "2026-11-23T04:00:00.000000Z"}
    original = msgspec.json.decode(path.read_bytes())
    path.write_bytes(msgspec.json.encode(original | {field: changed[field]}))
    with pytest.raises(CheckpointInvalid, match="its seal does not hold"):
        seal.read_checkpoint()


def test_a_garbled_checkpoint_does_not_read(tmp_path: Path) -> None:
    path = tmp_path / "checkpoint.json"
    path.write_text("{not json")
    with pytest.raises(CheckpointInvalid, match="unreadable"):
        AuditSeal(b"the key", path).read_checkpoint()


def test_a_seal_without_a_path_keeps_no_checkpoint(tmp_path: Path) -> None:
    seal = AuditSeal(b"the key")
    seal.write_checkpoint(Link(1, "ab" * 32, 1), "2026-11-22T04:00:00.000000Z")
    assert (seal.read_checkpoint(), list(tmp_path.iterdir())) == (None, [])


def test_the_public_development_key_is_refused_outside_development() -> None:
    settings = msgspec.structs.replace(
        get_settings(), environment="production", audit_key=DEVELOPMENT_AUDIT_KEY
    )
    with pytest.raises(RuntimeError, match="ANJU_AUDIT_KEY is unset or the public development key"):
        AuditSeal.from_settings(settings)


@pytest.mark.parametrize(
    ("environment", "key"),
    [("development", DEVELOPMENT_AUDIT_KEY), ("production", "a key of the deployment's own")],
)
def test_a_deployments_own_key_or_development_is_accepted(environment: str, key: str) -> None:
    settings = msgspec.structs.replace(get_settings(), environment=environment, audit_key=key)
    assert AuditSeal.from_settings(settings).key == key.encode()
