"""Read PDFs back in tests (pdfminer.six): the text, the page count and the embedded font names.

Every PDF test checks all three, because a missing CJK font still yields a valid PDF of empty boxes.
"""

from __future__ import annotations

import io
import re

from pdfminer.high_level import extract_text
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import resolve1

# Embedded subset names look like "ABCDEF+NotoSansCJKsc-Regular".
_CJK_FONT = re.compile(r"CJK|SourceHan|WenQuanYi|WQY|Hei|Song|Ming|Kai|Fang", re.IGNORECASE)


def pdf_text(pdf_bytes: bytes) -> str:
    """All text of the PDF, whitespace collapsed so a label split over a line still matches."""
    return re.sub(r"\s+", " ", extract_text(io.BytesIO(pdf_bytes)))


def pdf_text_compact(pdf_bytes: bytes) -> str:
    """The text with all whitespace removed: Chinese has no spaces, and layout may insert some."""
    return re.sub(r"\s+", "", extract_text(io.BytesIO(pdf_bytes)))


def pdf_page_count(pdf_bytes: bytes) -> int:
    return sum(1 for _ in PDFPage.get_pages(io.BytesIO(pdf_bytes)))


# A4 in PostScript points (1/72 inch): 210 × 297 mm.
A4_POINTS = (595.28, 841.89)


def pdf_page_sizes(pdf_bytes: bytes) -> list[tuple[float, float]]:
    """Each page's width and height in points, from its media box."""
    sizes = []
    for page in PDFPage.get_pages(io.BytesIO(pdf_bytes)):
        x0, y0, x1, y1 = (float(v) for v in page.mediabox)
        sizes.append((x1 - x0, y1 - y0))
    return sizes


def pdf_fonts(pdf_bytes: bytes) -> set[str]:
    """Base names of every font the pages use, without the six-letter subset prefix."""
    document = PDFDocument(PDFParser(io.BytesIO(pdf_bytes)))
    names: set[str] = set()
    for page in PDFPage.create_pages(document):
        fonts = resolve1(resolve1(page.resources or {}).get("Font", {})) or {}
        for ref in fonts.values():
            font = resolve1(ref)
            base = resolve1(font.get("BaseFont"))
            name = getattr(base, "name", str(base))
            names.add(name.split("+", 1)[-1])
    return names


def is_cjk_font(name: str) -> bool:
    return bool(_CJK_FONT.search(name))


def assert_cjk_pdf(pdf_bytes: bytes, *, pages: int, phrases: list[str]) -> str:
    """Check the page count and A4 size, that every phrase is really in the text, and that a CJK font
    is embedded."""
    assert pdf_bytes.startswith(b"%PDF-")
    assert pdf_page_count(pdf_bytes) == pages
    for width, height in pdf_page_sizes(pdf_bytes):
        assert abs(width - A4_POINTS[0]) < 1 and abs(height - A4_POINTS[1]) < 1, (width, height)
    compact = pdf_text_compact(pdf_bytes)
    missing = [phrase for phrase in phrases if re.sub(r"\s+", "", phrase) not in compact]
    assert not missing, f"not in the PDF text: {missing}\n{compact[:2000]}"
    fonts = pdf_fonts(pdf_bytes)
    assert any(is_cjk_font(name) for name in fonts), f"no CJK font embedded, only {fonts}"
    return compact
