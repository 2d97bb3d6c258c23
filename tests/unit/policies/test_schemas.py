"""Request bodies refuse text that is only spaces: an elderly resident's blank field is not an answer."""

from __future__ import annotations

import msgspec
import pytest

from policies.schemas import HouseholdCreate

BODY = {
    "village_code": "370211001001",
    "address": "幸福路 1 号",
    "phone": "13800000001",
    "members": [{"name": "李秀英", "resident_id": "11010519491231002X", "relation": "head"}],
}


def test_a_real_body_decodes() -> None:
    assert msgspec.convert(BODY, HouseholdCreate).address == "幸福路 1 号"


@pytest.mark.parametrize(
    "body",
    [
        BODY | {"address": "   "},
        BODY | {"members": [{"name": " \u3000 ", "resident_id": "11010519491231002X", "relation": "head"}]},
    ],
)
def test_blank_text_is_refused(body: dict[str, object]) -> None:
    with pytest.raises(msgspec.ValidationError, match="matching regex"):
        msgspec.convert(body, HouseholdCreate)
