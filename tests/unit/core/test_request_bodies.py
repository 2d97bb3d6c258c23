"""Request bodies clean their text as they are decoded; every endpoint's body is such a body."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import msgspec
import msgspec.inspect as mi
import pytest

from app import create_app
from claims.schemas import CatastropheCreate, ClaimCreate
from core.schemas import RequestBody
from core.settings import get_settings
from payouts.rebates.schemas import ExpenditureForm
from policies.schemas import HouseholdCreate, PersonUpdate
from users.schemas import Login


def household(name: str, **changes: Any) -> bytes:
    member = {"name": name, "resident_id": "11010519491231002X", "relation": "head"}
    body = {"village_code": "370211001001", "address": "幸福路 8 号", "phone": "13800000001"}
    return msgspec.json.encode(body | {"members": [member]} | changes)


def test_invisible_characters_leave_the_name_as_sent_by_a_person() -> None:
    decoded = msgspec.json.decode(
        household("李\u200b四", address="前石村\u3000（一组）"), type=HouseholdCreate
    )
    assert (decoded.members[0].name, decoded.address) == ("李四", "前石村 （一组）")


@pytest.mark.parametrize("name", ["\u200b", "\u202e", "\u2060", "\ufeff", " \u200b\u2060 "])
def test_a_name_of_invisible_characters_is_refused(name: str) -> None:
    with pytest.raises(msgspec.ValidationError, match="`name` is empty"):
        msgspec.json.decode(household(name), type=HouseholdCreate)


def test_text_that_grows_past_its_limit_when_normalised_is_refused() -> None:
    # U+0958 (Devanagari qa) is one character that NFC spells as two.
    with pytest.raises(msgspec.ValidationError, match="longer than 50"):
        msgspec.json.decode(household("\u0958" * 26), type=HouseholdCreate)


class Tagged(RequestBody, kw_only=True):
    tags: list[Annotated[str, msgspec.Meta(min_length=1)]]


def test_unset_fields_stay_unset_and_lists_of_text_are_cleaned() -> None:
    assert msgspec.json.decode(b'{"relation": "child"}', type=PersonUpdate).name is msgspec.UNSET
    event = {
        "name": "山火\u200b",
        "peril": "fire",
        "starts_at": "2026-07-01T00:00:00+08:00",
        "ends_at": "2026-07-02T00:00:00+08:00",
        "village_codes": ["370211001001"],
    }
    assert msgspec.json.decode(msgspec.json.encode(event), type=CatastropheCreate).name == "山火"
    assert msgspec.json.decode('{"tags": ["李\u200b四", " 火灾 "]}', type=Tagged).tags == ["李四", "火灾"]
    with pytest.raises(msgspec.ValidationError, match="`tags` is empty"):
        msgspec.json.decode('{"tags": ["\u2060"]}', type=Tagged)


def test_a_password_reaches_the_service_as_typed() -> None:
    login = msgspec.json.decode('{"username": "admin", "password": " pass\u200bword "}', type=Login)
    assert login.password == " pass\u200bword "


def _has_text(info: mi.Type) -> bool:
    if isinstance(info, mi.StrType):
        return True
    if isinstance(info, mi.UnionType):
        return any(map(_has_text, info.types))
    if isinstance(info, mi.ListType):
        return _has_text(info.item_type)
    if isinstance(info, mi.StructType | mi.DataclassType):
        return any(_has_text(field.type) for field in info.fields)
    return False


def test_every_body_with_text_is_a_request_body(tmp_path: Path) -> None:
    """A new endpoint whose body carries text but skips the cleaning fails here."""
    settings = msgspec.structs.replace(
        get_settings(), database_url=f"sqlite+aiosqlite:///{tmp_path}/anju.db", broker_url="stub"
    )
    bodies = {
        parameter.annotation
        for route in create_app(settings).routes
        for handler in getattr(route, "route_handlers", [])
        if (parameter := handler.parsed_fn_signature.parameters.get("data")) is not None
    }
    with_text = {body for body in bodies if _has_text(mi.type_info(body))}
    assert {HouseholdCreate, ClaimCreate, ExpenditureForm, Login} <= with_text  # JSON and multipart alike
    assert [body for body in with_text if not issubclass(body, RequestBody)] == []
