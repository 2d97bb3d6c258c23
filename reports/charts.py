"""Charts drawn on the server with matplotlib's SVG backend, labelled in Chinese in the CJK font.

No pyplot (its global figure registry is not for servers): each chart is a `Figure` of its own.
The font family is set explicitly to the CJK family fontconfig reports (core.documents.pdf), so
Chinese labels never fall back to a font without the glyphs. For pages the text stays text
(`svg.fonttype` "none": small, selectable; the browser has the same fonts); for PDFs it becomes
outlines ("path"), so WeasyPrint draws exactly what matplotlib laid out.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Sequence
from typing import Literal

import matplotlib
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

from core.documents.pdf import cjk_font_family

TextMode = Literal["none", "path"]

# rc_context changes process-wide settings: one chart at a time.
_lock = threading.Lock()

BAR = "#2f6f9f"
LINE = "#c0392b"


def _draw(text: TextMode, draw: Callable[[Figure], None]) -> str:
    with (
        _lock,
        matplotlib.rc_context(
            {
                "font.family": [cjk_font_family(), "DejaVu Sans"],
                "font.size": 10,
                "svg.fonttype": text,
                "svg.hashsalt": "anju",  # the same chart gives the same SVG
                "axes.unicode_minus": False,
                # Plain numbers on the axes: people misread "1e8" in a corner.
                "axes.formatter.limits": (-9, 9),
                "axes.formatter.useoffset": False,
            }
        ),
    ):
        figure = Figure(figsize=(6.4, 3.2), dpi=100, layout="constrained")
        draw(figure)
        buffer = io.StringIO()
        FigureCanvasSVG(figure).print_svg(buffer)
        return buffer.getvalue()


def bar_chart(
    title: str, labels: Sequence[str], values: Sequence[float], *, unit: str, text: TextMode = "none"
) -> str:
    """One bar per label; horizontal when there are many or long labels."""

    def draw(figure: Figure) -> None:
        axes = figure.add_subplot()
        positions = range(len(labels))
        axes.barh(positions, values, color=BAR)
        axes.set_yticks(list(positions), list(labels))
        axes.invert_yaxis()
        axes.set_xlabel(unit)
        axes.set_title(title)
        axes.grid(axis="x", alpha=0.3)
        if not any(values):
            axes.set_xlim(0, 1)

    return _draw(text, draw)


def trend_chart(
    title: str,
    months: Sequence[str],
    amounts_yuan: Sequence[float],
    counts: Sequence[int],
    *,
    amount_label: str,
    count_label: str,
    text: TextMode = "none",
) -> str:
    """Amounts as bars (left axis) and counts as a line (right axis), month by month."""

    def draw(figure: Figure) -> None:
        axes = figure.add_subplot()
        positions = list(range(len(months)))
        axes.bar(positions, amounts_yuan, color=BAR, label=amount_label)
        axes.set_ylabel(amount_label)
        axes.set_xticks(positions, list(months), rotation=45, ha="right")
        axes.set_title(title)
        axes.grid(axis="y", alpha=0.3)
        counts_axes = axes.twinx()
        counts_axes.plot(positions, counts, color=LINE, marker="o", label=count_label)
        counts_axes.set_ylabel(count_label)
        counts_axes.set_ylim(bottom=0, top=max([*counts, 1]) * 1.15)
        if not any(amounts_yuan):
            axes.set_ylim(0, 1)

    return _draw(text, draw)
