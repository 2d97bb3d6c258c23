"""Money as yuan from integer fen, and stored UTC times as the resident reads them (Asia/Shanghai)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import escape

from core.documents.formatting import local_date, local_time, yuan
from core.documents.templating import css_string


@pytest.mark.parametrize(
    ("fen", "text"),
    [
        (0, "0.00"),
        (1, "0.01"),
        (99, "0.99"),
        (100, "1.00"),
        (1_246_000, "12,460.00"),
        (2_000_000, "20,000.00"),
        (15_000_000, "150,000.00"),
        (200_000_000_000, "2,000,000,000.00"),
        (-1_050, "-10.50"),
        (None, ""),
    ],
)
def test_yuan(fen: int | None, text: str) -> None:
    assert yuan(fen) == text


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_yuan_reads_back_to_the_same_fen(fen: int) -> None:
    assert int(yuan(fen).replace(",", "").replace(".", "")) == fen


@pytest.mark.parametrize("bad", [12.5, True, "100"])
def test_yuan_refuses_anything_but_integer_fen(bad: object) -> None:
    with pytest.raises(TypeError):
        yuan(bad)  # type: ignore[arg-type]


def test_times_are_shown_in_shanghai() -> None:
    late_utc = datetime(2026, 3, 4, 17, 30, tzinfo=UTC)
    assert local_time(late_utc) == "2026-03-05 01:30"
    assert local_date(late_utc) == "2026-03-05"
    assert local_time(datetime(2026, 3, 4, 17, 30)) == "2026-03-05 01:30"  # naive from SQLite means UTC
    assert local_date(date(2026, 3, 4)) == "2026-03-04"
    assert local_time(None) == ""


def test_footer_text_cannot_break_out_of_its_css_string() -> None:
    assert css_string(escape('王"家\\</style>&')) == "王\\22 家\\5c \\3c /style\\3e &"
    assert css_string("理赔摘要 AJ-1") == "理赔摘要 AJ-1"
