"""The import's row rules: each reason a row is bad, with its line, and how households form."""

from __future__ import annotations

from datetime import date

from policies.imports.files import Row
from policies.imports.rules import Checked, check_rows, plan
from tests.factories import resident_id

VILLAGE = "370211001001"
OTHER_VILLAGE = "370211002001"
TODAY = date(2025, 6, 1)


def everywhere(_village: str) -> bool:
    return True


def row(line: int, number: str = "H1", **fields: str) -> Row:
    values = {
        "household_no": number,
        "village_code": VILLAGE,
        "address": "前石村1号",
        "head_name": "",
        "phone": "13800000001",
        "name": f"人{line}",
        "resident_id": resident_id(line),
        "relation": "子女",
    } | fields
    return Row(line, **values)


def check(*rows: Row, scope: str = "") -> Checked:
    return check_rows(
        list(rows),
        villages={VILLAGE, OTHER_VILLAGE},
        in_scope=lambda code: code.startswith(scope),
        today=TODAY,
    )


def reasons(checked: Checked) -> list[tuple[int, str]]:
    return [(error.line, error.code) for error in checked.errors]


def test_a_good_household_becomes_one_draft_with_normalised_fields() -> None:
    checked = check(
        row(2, relation="户主", name="张建国", phone="+86 138 0000 0001", resident_id=resident_id(2).lower()),
        row(3, relation="spouse", phone="13800000001"),
    )
    assert checked.errors == []
    household = checked.households["H1"]
    assert (household.line, household.head_name, household.phone) == (2, "张建国", "13800000001")
    assert [(p.line, p.relation) for p in checked.people] == [(2, "head"), (3, "spouse")]
    assert checked.people[0].resident_id == resident_id(2).upper()


def test_each_field_problem_is_reported_with_its_line_and_column() -> None:
    bad_check_digit = resident_id(5)[:17] + ("0" if resident_id(5)[17] != "0" else "1")
    checked = check(
        row(2, relation="户主"),
        row(3, name="", resident_id=""),
        row(4, resident_id="1101051949123100"),
        row(5, resident_id=bad_check_digit),
        row(6, phone="12345"),
        row(7, village_code="370211009009"),
        row(8, relation="表亲"),
        row(9, address="长" * 201),
        row(10, resident_id=resident_id(2)),
    )
    assert reasons(checked) == [
        (3, "missing_field"),
        (3, "missing_field"),
        (4, "invalid_resident_id"),
        (5, "invalid_resident_id"),
        (6, "invalid_phone"),
        (7, "unknown_village"),
        (8, "unknown_relation"),
        (9, "too_long"),
        (10, "duplicate_resident_id"),
    ]
    assert [e.column for e in checked.errors[:2]] == ["name", "resident_id"]
    assert "check digit" in checked.errors[3].message_en
    assert checked.errors[-1].message_zh == "身份证号与第 2 行重复"
    assert [p.line for p in checked.people] == [2]


def test_rows_disagreeing_with_their_household_are_bad_but_the_household_stays() -> None:
    checked = check(
        row(2, relation="户主", head_name="张建国"),
        row(3, address="别处"),
        row(4, phone="13900000009"),
        row(5, village_code=OTHER_VILLAGE),
        row(6, head_name="李四"),
        row(7, relation="户主"),
        row(8, head_name="张建国"),
    )
    assert reasons(checked) == [
        (3, "household_inconsistent"),
        (4, "household_inconsistent"),
        (5, "household_inconsistent"),
        (6, "household_inconsistent"),
        (7, "second_head"),
    ]
    assert [e.column for e in checked.errors[:4]] == ["address", "phone", "village_code", "head_name"]
    assert checked.errors[0].message_en == "address differs from line 2 of the same household"
    assert [p.line for p in checked.people] == [2, 8]


def test_the_first_good_row_defines_the_household() -> None:
    checked = check(row(2, phone="bad"), row(3, phone="13900000009", relation="户主"))
    assert reasons(checked) == [(2, "invalid_phone")]
    assert checked.households["H1"].phone == "13900000009"


def test_rows_outside_the_callers_villages_are_bad() -> None:
    checked = check(
        row(2, relation="户主"),
        row(3, "H2", village_code=OTHER_VILLAGE, relation="户主"),
        scope="370211001",
    )
    assert reasons(checked) == [(3, "village_out_of_scope")]


def test_plan_skips_people_already_in_the_household_and_refuses_those_in_another() -> None:
    checked = check(row(2, relation="户主"), row(3), row(4), row(5, "H2", relation="户主"))
    outcome = plan(
        checked,
        existing_households={"H1": VILLAGE},
        existing_people={resident_id(2): "H1", resident_id(3): "H9", resident_id(5): None},
        in_scope=everywhere,
    )
    assert outcome.already_enrolled == 1
    assert outcome.existing_households == 1
    assert [(e.line, e.code) for e in outcome.errors] == [
        (3, "person_in_other_household"),
        (5, "person_in_other_household"),
    ]
    assert outcome.new_households == []
    assert [p.line for p in outcome.new_people] == [4]
    assert outcome.villages == {VILLAGE}


def test_plan_refuses_a_registered_household_in_another_village() -> None:
    outcome = plan(
        check(row(2, relation="户主"), row(3)),
        existing_households={"H1": OTHER_VILLAGE},
        existing_people={},
        in_scope=everywhere,
    )
    assert [(e.line, e.code) for e in outcome.errors] == [
        (2, "household_village_mismatch"),
        (3, "household_village_mismatch"),
    ]
    assert outcome.new_people == []


def test_a_household_number_taken_outside_the_callers_villages_is_not_placed() -> None:
    outcome = plan(
        check(row(2, relation="户主")),
        existing_households={"H1": OTHER_VILLAGE},
        existing_people={},
        in_scope=lambda village: village == VILLAGE,
    )
    assert [(e.line, e.code) for e in outcome.errors] == [(2, "household_no_taken")]
    assert OTHER_VILLAGE not in outcome.errors[0].message_zh + outcome.errors[0].message_en


def test_a_new_household_needs_a_head_row_or_head_name() -> None:
    headless = check(row(2), row(3), row(4, "H2"), row(5, "H2", head_name="王芳"))
    outcome = plan(headless, existing_households={}, existing_people={}, in_scope=everywhere)
    assert [(e.line, e.code) for e in outcome.errors] == [(2, "household_no_head"), (3, "household_no_head")]
    assert [(h.household_no, h.head_name) for h in outcome.new_households] == [("H2", "王芳")]
    assert [p.line for p in outcome.new_people] == [4, 5]


def test_a_household_with_some_bad_rows_keeps_its_good_members() -> None:
    outcome = plan(
        check(row(2, relation="户主", name="张建国"), row(3, resident_id="bad"), row(4)),
        existing_households={},
        existing_people={},
        in_scope=everywhere,
    )
    assert [(e.line, e.code) for e in outcome.errors] == [(3, "invalid_resident_id")]
    assert [(h.household_no, h.head_name) for h in outcome.new_households] == [("H1", "张建国")]
    assert [p.line for p in outcome.new_people] == [2, 4]
