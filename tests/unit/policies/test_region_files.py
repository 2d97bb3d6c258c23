"""Region files are read by the one CSV decoder the household import uses, and checked whole."""

from __future__ import annotations

import pytest

from policies.errors import InvalidRegionFile
from policies.services.regions import decode_region_file, parse_regions

# 䶮 is in GB18030 but not in GBK: a name the old GBK-only region decoder refused.
CSV = "code,name\n370211,黄岛区\n370211001,䶮山街道\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_region_files_decode_like_household_files(encoding: str) -> None:
    rows = parse_regions(decode_region_file(CSV.encode(encoding)))
    assert [(row.code, row.name, row.level, row.parent_code) for row in rows] == [
        ("370211", "黄岛区", "district", None),
        ("370211001", "䶮山街道", "town", "370211"),
    ]


@pytest.mark.parametrize("raw", [CSV.encode("utf-16"), b"code,name\n\x00\x01\x02"])
def test_an_unreadable_region_file_is_an_invalid_region_file(raw: bytes) -> None:
    with pytest.raises(InvalidRegionFile):
        decode_region_file(raw)
