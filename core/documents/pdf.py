"""Render a Jinja2 template from reports/templates/ to an A4 PDF with WeasyPrint, in a CJK font."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import threading
from functools import lru_cache
from typing import Any

from weasyprint import HTML

from core.documents.templating import TEMPLATES_DIR, environment

# The families pdf_base.css asks for, in order. Any one of them prints Chinese.
CJK_FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei")


# WeasyPrint (through Pango and fontconfig) makes no promise of thread safety, and layout holds the GIL
# anyway: one rendering at a time costs nothing and rules out a class of crashes.
_render_lock = threading.Lock()


class CJKFontMissing(RuntimeError):
    """Without a CJK font WeasyPrint prints Chinese as empty boxes and says nothing: refuse instead."""


@lru_cache(maxsize=1)
def cjk_font_family() -> str:
    """The first installed family of CJK_FAMILIES, asked of fontconfig, which is what WeasyPrint uses."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        raise CJKFontMissing("fc-list (fontconfig) is not installed; install fontconfig and fonts-noto-cjk")
    listing = subprocess.run(
        [fc_list, ":lang=zh", "family"], capture_output=True, text=True, check=False, timeout=30
    ).stdout
    # A line may name several families of one file: "Noto Sans CJK SC,Noto Sans CJK SC Regular".
    installed = {name.strip() for line in listing.splitlines() for name in line.split(",")}
    for family in CJK_FAMILIES:
        if family in installed:
            return family
    raise CJKFontMissing(
        f"none of the CJK fonts {', '.join(CJK_FAMILIES)} is installed; Chinese would print as empty "
        "boxes. Install fonts-noto-cjk (Debian) and libharfbuzz-subset0."
    )


def render_html(template_name: str, context: dict[str, Any]) -> str:
    return environment.get_template(template_name).render(**context)


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    """An A4 PDF of `template_name`, which should extend pdf_base.html for the page size and fonts."""
    cjk_font_family()
    html = HTML(string=render_html(template_name, context), base_url=str(TEMPLATES_DIR))
    with _render_lock:
        pdf = html.write_pdf()
    assert pdf is not None  # write_pdf returns bytes when no target is given
    return pdf


async def render_pdf_async(template_name: str, context: dict[str, Any]) -> bytes:
    """render_pdf off the event loop: a page takes about half a second, other requests must not wait."""
    return await asyncio.to_thread(render_pdf, template_name, context)
