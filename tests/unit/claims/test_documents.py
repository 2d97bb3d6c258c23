"""Attachment checks without a database: the bytes decide the type, not the name or the label."""

from __future__ import annotations

import pytest

from claims.errors import FileTypeMismatch, UnsupportedFile
from claims.services.documents import DocumentKind, check_file
from core.files import sniff

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 "
HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00"
PDF = b"%PDF-1.4\n"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (JPEG, "image/jpeg"),
        (PNG, "image/png"),
        (WEBP, "image/webp"),
        (HEIC, "image/heic"),
        (PDF, "application/pdf"),
    ],
)
def test_sniff_knows_photos_and_pdfs(content: bytes, expected: str) -> None:
    assert sniff(content) == expected


def test_names_and_labels_must_agree_with_the_bytes() -> None:
    assert check_file(DocumentKind.PHOTO, "IMG_0001.HEIC", "application/octet-stream", HEIC) == "image/heic"
    assert check_file(DocumentKind.POLICE_REPORT, "回执", None, PDF) == "application/pdf"
    with pytest.raises(FileTypeMismatch):
        check_file(DocumentKind.PHOTO, "photo.png", "image/png", JPEG)
    with pytest.raises(FileTypeMismatch):
        check_file(DocumentKind.OTHER, "scan", "image/jpeg", PDF)
    with pytest.raises(FileTypeMismatch):
        check_file(DocumentKind.PHOTO, "scan.pdf", None, PDF)
    with pytest.raises(UnsupportedFile):
        check_file(DocumentKind.OTHER, "a.pdf", "application/pdf", b"<html>")
