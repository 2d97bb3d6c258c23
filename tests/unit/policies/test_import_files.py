"""Reading import files: encodings, headers, spreadsheets, and files that are not imports at all."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from policies.imports.files import (
    ImportColumnsInvalid,
    ImportEncodingUnsupported,
    ImportFileUnsupported,
    Row,
    read_table,
)

HEADER_ZH = "户编号,村代码,地址,户主姓名,联系电话,姓名,身份证号,与户主关系"
HEADER_EN = "household_no,village_code,address,head_name,phone,name,resident_id,relation"
LINE = "H1,370211001001,前石村1号,张建国,13800000001,张建国,11010519491231002X,户主"
EXPECTED = Row(
    2, "H1", "370211001001", "前石村1号", "张建国", "13800000001", "张建国", "11010519491231002X", "户主"
)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_each_accepted_encoding(encoding: str) -> None:
    table = read_table(f"{HEADER_ZH}\r\n{LINE}\r\n".encode(encoding), "户籍.csv")
    assert table.kind == "csv"
    assert table.rows == [EXPECTED]


def test_english_headers_in_any_order_and_case_and_optional_head_name() -> None:
    text = "Relation,NAME,resident_id,phone,address,village_code,household_no\n"
    text += "户主,张建国,11010519491231002X,13800000001,前石村1号,370211001001,H1\n"
    (row,) = read_table(text.encode(), None).rows
    assert row == EXPECTED._replace(head_name="")


def test_line_numbers_count_blank_and_multiline_rows() -> None:
    quoted = LINE.replace("前石村1号", '"前石村\n1号"')
    text = f"{HEADER_ZH}\n\n{quoted}\n,,,,,,,\n{LINE}\n"
    rows = read_table(text.encode(), "a.csv").rows
    assert [row.line for row in rows] == [4, 6]
    assert rows[0].address == "前石村 1号"  # the line break inside the cell collapses to a space


def test_short_rows_and_spaces_read_as_empty_and_trimmed_fields() -> None:
    text = f"{HEADER_ZH}\n  H1 , 370211001001 ,地址\n"
    (row,) = read_table(text.encode(), "a.csv").rows
    assert (row.household_no, row.village_code, row.address, row.relation) == (
        "H1",
        "370211001001",
        "地址",
        "",
    )


@pytest.mark.parametrize(
    ("header", "detail"),
    [
        (HEADER_ZH.replace("身份证号", "身分证号"), "身分证号"),
        (HEADER_ZH.replace(",与户主关系", ""), "relation"),
        (HEADER_ZH + ",姓名", "twice"),
        ("", "empty"),
    ],
)
def test_header_problems_refuse_the_whole_file(header: str, detail: str) -> None:
    with pytest.raises(ImportColumnsInvalid) as caught:
        read_table(f"{header}\n{LINE}\n".encode() if header else b"", "a.csv")
    assert detail in str(caught.value.detail)


def test_an_unreadable_encoding_is_refused() -> None:
    with pytest.raises(ImportEncodingUnsupported):
        read_table(HEADER_ZH.encode() + b"\n\xff\xfe\xff\n", "a.csv")
    with pytest.raises(ImportEncodingUnsupported):
        read_table(f"{HEADER_ZH}\n{LINE}\n".encode("utf-16"), "a.csv")


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (b"%PDF-1.7 whatever", "scan.pdf"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", None),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "old.xls"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, None),
        (b"PK\x03\x04not really a workbook", "book.xlsx"),
        (f"{HEADER_ZH}\n{LINE}\n".encode(), "book.xlsx"),
    ],
)
def test_files_that_are_not_csv_or_xlsx_are_refused(data: bytes, filename: str | None) -> None:
    with pytest.raises(ImportFileUnsupported):
        read_table(data, filename)


def xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_reads_the_first_sheet_and_numbers_typed_as_numbers() -> None:
    data = xlsx(
        [
            HEADER_ZH.split(","),
            ["H1", 370211001001, "前石村1号", "张建国", 13800000001, "张建国", "11010519491231002X", "户主"],
            [None] * 8,
            ["H1", "370211001001", "前石村1号", None, 13800000001.0, "王芳", "110105195001010015", "配偶"],
        ]
    )
    table = read_table(data, "户籍.xlsx")
    assert table.kind == "xlsx"
    assert table.rows[0] == EXPECTED
    assert table.rows[1].line == 4
    assert (table.rows[1].phone, table.rows[1].head_name) == ("13800000001", "")


def test_xlsx_with_a_wrong_header_is_refused() -> None:
    with pytest.raises(ImportColumnsInvalid):
        read_table(xlsx([["户编号", "备注"], ["H1", "x"]]), "a.xlsx")
