"""Uploaded files: their real type from their first bytes, and storage once per sha256."""

from __future__ import annotations

import hashlib
from pathlib import Path
from uuid import uuid4

PDF = "application/pdf"
IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "image/heic"})
# ISO base media brands a phone camera writes for HEIC/HEIF stills.
HEIC_BRANDS = frozenset({b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"})


def sniff(content: bytes) -> str | None:
    """The file's real type (a photo or a PDF) from its first bytes, whatever its name claims."""
    if content.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    if content[4:8] == b"ftyp" and content[8:12] in HEIC_BRANDS:
        return "image/heic"
    if content.startswith(b"%PDF-"):
        return PDF
    return None


def stored_path(storage_dir: Path, sha256: str) -> Path:
    return storage_dir / sha256[:2] / sha256


def store(storage_dir: Path, content: bytes) -> str:
    """Keep the bytes under their sha256 and return it; the same file uploaded twice is kept once.

    Called before the row that names the file commits: an orphan file after a rollback is
    harmless, a row without its file is not.
    """
    sha256 = hashlib.sha256(content).hexdigest()
    path = stored_path(storage_dir, sha256)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{uuid4().hex}.part")
        partial.write_bytes(content)
        partial.replace(path)  # atomic: a reader never sees half a file
    return sha256
