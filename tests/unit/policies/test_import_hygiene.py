"""Import files in the wrong encoding are refused; every cell is cleaned like API text."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import Workbook

from policies.errors import InvalidRegionFile
from policies.imports.files import ImportEncodingUnsupported, read_table
from policies.imports.rules import check_rows
from policies.services.regions import decode_region_file, parse_regions
from tests.factories import resident_id

HEADER_EN = "household_no,village_code,address,head_name,phone,name,resident_id,relation"
ID = resident_id(1)


def line(name: str, address: str = "前石村1号", relation: str = "户主") -> str:
    return f"H1,370211001001,{address},,13800000001,{name},{ID},{relation}"


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (
            "\n".join(
                [HEADER_EN, line("Müller", "Hauptstr. 1", "head"), line("Gérard", "Rue 2", "head"), ""]
            ),
            "latin-1",
        ),
        (f"{HEADER_EN}\n{line('François Dupont', 'Rue 3', 'head')}\n", "cp1252"),
        (f"{HEADER_EN}\n{line('Zoë', 'Main St 4', 'head')}\n", "latin-1"),
    ],
)
def test_a_western_file_is_refused_not_read_as_gb18030(text: str, encoding: str) -> None:
    with pytest.raises(ImportEncodingUnsupported) as refused:
        read_table(text.encode(encoding), "people.csv")
    assert "UTF-8 or GBK" in str(refused.value.detail)
    assert "GBK/GB18030" in refused.value.message_en


@pytest.mark.parametrize("encoding", ["gbk", "gb18030"])
def test_gbk_files_with_rare_name_characters_still_import(encoding: str) -> None:
    # 喆, 镕 and 昇 are outside GB2312: GBK encodes them with a trailing byte that is an ASCII letter.
    text = f"{HEADER_EN}\n{line('王喆')}\n{line('朱镕', '后石村（一组）')}\n{line('李昇')}\n"
    rows = read_table(text.encode(encoding), "people.csv").rows
    assert [(row.name, row.address) for row in rows] == [
        ("王喆", "前石村1号"),
        ("朱镕", "后石村（一组）"),
        ("李昇", "前石村1号"),
    ]


def test_a_latin1_region_file_is_an_invalid_region_file() -> None:
    with pytest.raises(InvalidRegionFile):
        decode_region_file("code,name\n370211,Müller\n370211001,Gérard\n".encode("latin-1"))


def test_a_tiny_gbk_region_file_is_read() -> None:
    rows = parse_regions(decode_region_file("code,name\n370211,王喆\n".encode("gbk")))
    assert [(row.code, row.name) for row in rows] == [("370211", "王喆")]


def test_csv_cells_are_cleaned_and_an_invisible_name_is_an_empty_name() -> None:
    spouse = f"H1,370211001001,前石村1号,,13800000001,\u200b\u2060,{resident_id(2)},配偶"
    text = "\n".join([HEADER_EN, line("李\u200b四", "Ａ栋\u3000３号\u200b"), spouse, ""])
    rows = read_table(text.encode(), "people.csv").rows
    assert [(row.name, row.address) for row in rows] == [("李四", "Ａ栋 ３号"), ("", "前石村1号")]
    checked = check_rows(rows, villages={"370211001001"}, in_scope=lambda _: True, today=date(2026, 1, 1))
    assert [person.name for person in checked.people] == ["李四"]
    assert [(error.line, error.column, error.code) for error in checked.errors] == [
        (3, "name", "missing_field")
    ]


def test_xlsx_cells_are_cleaned() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER_EN.split(","))
    sheet.append(["H1", "370211001001", "前石村1号", None, "13800000001", "\ufeff李\u202e四", ID, "户主"])
    out = io.BytesIO()
    book.save(out)
    (row,) = read_table(out.getvalue(), "people.xlsx").rows
    assert row.name == "李四"


def test_region_names_are_cleaned_and_an_invisible_one_is_refused() -> None:
    (row,) = parse_regions("code,name\n370211,黄\u200b岛区\n")
    assert row.name == "黄岛区"
    with pytest.raises(InvalidRegionFile):
        parse_regions("code,name\n370211,\u200b\u2060\n")


def test_a_utf8_file_with_a_pasted_latin1_line_is_refused() -> None:
    text = "\n".join([HEADER_EN, *(line(f"张建国{n}", f"前石村{n}号") for n in range(50)), ""])
    pasted = line("Gérard", "Rue 2", "head").encode("latin-1")
    with pytest.raises(ImportEncodingUnsupported):
        read_table(text.encode() + pasted, "people.csv")
