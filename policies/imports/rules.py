"""Pure rules of the household import: which rows are good, which households they form, and why not.

No session, no web. `check_rows` judges the file on its own (fields, village codes, duplicates,
household consistency); `plan` then weighs it against what the register already holds.

A household with some bad rows still gets its good members: a clerk fixes the bad lines and
re-runs the file, and the people already imported are skipped as already enrolled. A household's
fields come from its first good row; a later row that disagrees is bad ("inconsistent"), not the
whole household. A household_no already in the register is reused
as it is (the import never edits a household), but its village must match the file's.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import date

import msgspec

from core.errors import InvalidInput
from policies.domain import Relation, normalize_phone, normalize_resident_id
from policies.imports.files import Row

RELATIONS: dict[str, str] = {
    "户主": Relation.HEAD.value,
    "本人": Relation.HEAD.value,
    "配偶": Relation.SPOUSE.value,
    "子女": Relation.CHILD.value,
    "父母": Relation.PARENT.value,
    "兄弟姐妹": Relation.SIBLING.value,
    "其他": Relation.OTHER.value,
} | {relation.value: relation.value for relation in Relation}
# The column sizes of policies.models.Household and Person.
MAX_NUMBER, MAX_ADDRESS, MAX_NAME = 40, 200, 50
MAX_LENGTH = {"household_no": MAX_NUMBER, "address": MAX_ADDRESS, "head_name": MAX_NAME, "name": MAX_NAME}
REQUIRED = ("household_no", "village_code", "address", "phone", "name", "resident_id", "relation")

# code -> (zh, en) templates; every bad row gets one entry per problem found on it.
MESSAGES = {
    "missing_field": ("缺少必填项：{}", "Required field is empty: {}"),
    "too_long": ("{} 过长", "{} is too long"),
    "invalid_resident_id": ("身份证号无效：{}", "Invalid resident ID: {}"),
    "invalid_phone": ("联系电话无效：{}", "Invalid phone number: {}"),
    "unknown_village": ("村代码不存在：{}", "Unknown village code: {}"),
    "village_out_of_scope": ("无权导入该村：{}", "Village outside your regions: {}"),
    "unknown_relation": ("与户主关系无法识别：{}", "Unknown relation to the head: {}"),
    "duplicate_resident_id": ("身份证号与第 {} 行重复", "Resident ID repeats line {}"),
    "second_head": ("同一户已有户主（第 {} 行）", "The household already has a head (line {})"),
    "household_inconsistent": ("{} 与同户第 {} 行不一致", "{} differs from line {} of the same household"),
    "household_village_mismatch": ("该户已登记在村 {}", "This household is registered in village {}"),
    # The number is someone else's outside the caller's villages: say so without naming where.
    "household_no_taken": (
        "该户编号已被其他村使用",
        "This household number is already used in another village",
    ),
    "household_no_head": (
        "新户缺少户主：请填写户主姓名或户主行",
        "New household has no head row or head_name",
    ),
    "person_in_other_household": ("此人已是另一户的成员", "This person already belongs to another household"),
}


class RowError(msgspec.Struct, frozen=True):
    line: int
    column: str | None
    code: str
    message_zh: str
    message_en: str


def row_error(line: int, column: str | None, code: str, *args: object) -> RowError:
    zh, en = MESSAGES[code]
    return RowError(line, column, code, zh.format(*args), en.format(*args))


@dataclass(slots=True)
class HouseholdDraft:
    line: int  # the row its fields were taken from
    household_no: str
    village_code: str
    address: str
    phone: str
    head_name: str
    head_line: int = 0  # first good 户主 row, 0 when none


class PersonDraft(msgspec.Struct, gc=False):
    line: int
    household_no: str
    name: str
    resident_id: str
    relation: str


@dataclass(slots=True)
class Checked:
    households: dict[str, HouseholdDraft] = field(default_factory=dict)
    people: list[PersonDraft] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def _field_errors(row: Row) -> list[RowError]:
    errors = [row_error(row.line, name, "missing_field", name) for name in REQUIRED if not getattr(row, name)]
    errors += [
        row_error(row.line, name, "too_long", name)
        for name, limit in MAX_LENGTH.items()
        if len(getattr(row, name)) > limit
    ]
    return errors


def _fields_ok(row: Row) -> bool:
    """The common case in one expression; `_field_errors` names the problems when it fails."""
    _line, number, village, address, head_name, phone, name, resident_id, relation = row
    return bool(number and village and address and phone and name and resident_id and relation) and (
        len(number) <= MAX_NUMBER
        and len(address) <= MAX_ADDRESS
        and len(name) <= MAX_NAME
        and len(head_name) <= MAX_NAME
    )


class _RowJudge:
    """The checks of one row that need no other row but the earlier ones' resident IDs."""

    def __init__(self, villages: Collection[str], in_scope: Callable[[str], bool], today: date) -> None:
        self.villages = villages
        self.in_scope = in_scope
        self.today = today
        self.phones: dict[str, str] = {}  # raw -> normalised: a household's rows repeat one phone
        self.first_line_of: dict[str, int] = {}

    def __call__(self, row: Row) -> tuple[list[RowError], str, str, str]:
        """The row's problems, and its normalised resident ID, relation and phone."""
        line, _number, village, _address, _head, raw_phone, _name, raw_id, raw_relation = row
        problems = [] if _fields_ok(row) else _field_errors(row)
        resident_id = relation = phone = ""
        if raw_id:
            try:
                resident_id = normalize_resident_id(raw_id, today=self.today)
            except InvalidInput as exc:
                problems.append(row_error(line, "resident_id", "invalid_resident_id", exc.detail))
        if raw_relation:
            relation = RELATIONS.get(raw_relation) or RELATIONS.get(raw_relation.lower(), "")
            if not relation:
                problems.append(row_error(line, "relation", "unknown_relation", raw_relation))
        if raw_phone:
            phone = self.phones.get(raw_phone, "")
            if not phone:
                try:
                    phone = self.phones[raw_phone] = normalize_phone(raw_phone)
                except InvalidInput:
                    problems.append(row_error(line, "phone", "invalid_phone", raw_phone))
        if village and village not in self.villages:
            problems.append(row_error(line, "village_code", "unknown_village", village))
        elif village and not self.in_scope(village):
            problems.append(row_error(line, "village_code", "village_out_of_scope", village))
        if resident_id:
            first = self.first_line_of.setdefault(resident_id, line)
            if first != line:
                problems.append(row_error(line, "resident_id", "duplicate_resident_id", first))
        return problems, resident_id, relation, phone


def check_rows(
    rows: list[Row], *, villages: Collection[str], in_scope: Callable[[str], bool], today: date
) -> Checked:
    """Judge each row against the file alone and the known villages; good rows become drafts."""
    checked = Checked()
    households, errors, people = checked.households, checked.errors, checked.people
    judge = _RowJudge(villages, in_scope, today)
    for row in rows:
        problems, resident_id, relation, phone = judge(row)
        if problems:
            errors += problems
            continue
        line, number, village, address, head_name, _phone, name, _id, _relation = row
        household = households.get(number)
        if household is None:
            household = households[number] = HouseholdDraft(line, number, village, address, phone, head_name)
        elif mismatch := _mismatch(household, village, address, phone, head_name):
            errors.append(row_error(line, mismatch, "household_inconsistent", mismatch, household.line))
            continue
        if relation == Relation.HEAD:
            if household.head_line:
                errors.append(row_error(line, "relation", "second_head", household.head_line))
                continue
            household.head_line = line
            household.head_name = household.head_name or name
        people.append(PersonDraft(line, number, name, resident_id, relation))
    return checked


def _mismatch(
    household: HouseholdDraft, village: str, address: str, phone: str, head_name: str
) -> str | None:
    if village != household.village_code:
        return "village_code"
    if address != household.address:
        return "address"
    if phone != household.phone:
        return "phone"
    if head_name and household.head_name and head_name != household.head_name:
        return "head_name"
    if head_name and not household.head_name:
        household.head_name = head_name
    return None


@dataclass(slots=True)
class Plan:
    new_households: list[HouseholdDraft] = field(default_factory=list)
    new_people: list[PersonDraft] = field(default_factory=list)
    existing_households: int = 0
    villages: set[str] = field(default_factory=set)  # every village gaining people
    already_enrolled: int = 0
    errors: list[RowError] = field(default_factory=list)


def plan(
    checked: Checked,
    *,
    existing_households: Mapping[str, str],
    existing_people: Mapping[str, str | None],
    in_scope: Callable[[str], bool],
) -> Plan:
    """Weigh the good rows against the register.

    existing_households: household_no -> village_code for the file's numbers already registered;
    existing_people: resident_id -> household_no (None when unnumbered) for the file's known people.
    in_scope: whether the caller may see a village; a household registered outside it is not named.
    """
    households = checked.households
    result = Plan(
        errors=list(checked.errors),
        existing_households=sum(1 for number in households if number in existing_households),
    )
    wanted: dict[str, list[PersonDraft]] = {}
    for person in checked.people:
        enrolled_in = existing_people.get(person.resident_id, "")
        if enrolled_in == "":
            wanted.setdefault(person.household_no, []).append(person)
        elif enrolled_in == person.household_no:
            result.already_enrolled += 1
        else:
            result.errors.append(row_error(person.line, "resident_id", "person_in_other_household"))
    for number, members in wanted.items():
        household = households[number]
        registered_village = existing_households.get(number)
        if registered_village is not None and registered_village != household.village_code:
            mismatch = (
                ("household_village_mismatch", registered_village)
                if in_scope(registered_village)
                else ("household_no_taken",)
            )
            result.errors += [row_error(p.line, "village_code", *mismatch) for p in members]
        elif registered_village is None and not household.head_name:
            result.errors += [row_error(p.line, "relation", "household_no_head") for p in members]
        else:
            if registered_village is None:
                result.new_households.append(household)
            result.new_people += members
            result.villages.add(household.village_code)
    result.errors.sort(key=lambda error: error.line)
    return result
