"""core.text.clean: what a person can read survives, what they cannot see is removed."""

from __future__ import annotations

import pytest

from core.text import clean, needs_cleaning


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("李\u200b四", "李四"),  # zero-width space
        ("李\u202e四", "李四"),  # right-to-left override
        ("李\u2060四", "李四"),  # word joiner
        ("\ufeff李四", "李四"),  # byte-order mark
        ("李\u00ad四", "李四"),  # soft hyphen (Cf)
        ("李\ufe0f四\U000e0100", "李四"),  # variation selectors
        ("\u3164李四", "李四"),  # Hangul filler: a letter to Python, blank on screen
        ("李\x07四\x7f", "李四"),  # control characters that are not whitespace
        ("后石村（一组），Ａ栋", "后石村（一组），Ａ栋"),  # full-width forms are characters of their own
        ("\uf900", "\u8c48"),  # a CJK compatibility ideograph becomes its unified form
        ("  幸福路\t8\n号\u3000二楼  ", "幸福路 8 号 二楼"),  # whitespace runs, ideographic space
        ("前石村 \u200b 1号", "前石村 1号"),  # removing a character does not leave two spaces
        ("\ue000\U00031350", "\ue000\U00031350"),  # private use and CJK Extension H stay
        ("张建国", "张建国"),
        ("Zhang Jianguo", "Zhang Jianguo"),
    ],
)
def test_clean_keeps_what_a_person_reads(raw: str, expected: str) -> None:
    assert clean(raw) == expected


@pytest.mark.parametrize(
    "invisible", ["\u200b", "\u202e", "\u2060", "\ufeff", "\u200b\u2060 \ufeff\u202e", "\u2800"]
)
def test_text_made_only_of_invisible_characters_is_empty(invisible: str) -> None:
    assert clean(invisible) == ""


def test_clean_composes_decomposed_letters() -> None:
    assert clean("Ge\u0301rard") == "G\u00e9rard"


@pytest.mark.parametrize(
    ("text", "needed"),
    [
        ("户编号,姓名\r\nH1, 张建国 \r\n", False),  # spaces at the ends of fields are only trimmed
        ('户编号,姓名\nH1,"前石村\n1号"\n', False),  # line breaks are the file's own
        ("户编号,姓名\nH1,李\u200b四\n", True),
        ("户编号,姓名\nH1,张  建国\n", True),
        ("户编号,姓名\nH1,张\t建国\n", True),
        ("户编号,姓名\nH1,\u3164\n", True),
        ("户编号,姓名\nH1,Ge\u0301rard\n", True),
    ],
)
def test_a_file_needs_cleaning_only_when_a_cell_would_change(text: str, needed: bool) -> None:
    assert needs_cleaning(text, chunk=4) is needed
