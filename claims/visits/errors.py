"""What can go wrong with adjusters and site visits, each with a code and a zh-CN and English message."""

from __future__ import annotations

from core.errors import Conflict, InvalidInput, NotFound


class AdjusterNotFound(NotFound):
    code = "adjuster_not_found"
    message_zh = "找不到该查勘员"
    message_en = "Adjuster not found"


class VisitNotFound(NotFound):
    code = "visit_not_found"
    message_zh = "找不到该查勘安排"
    message_en = "Site visit not found"


class NotAnAdjuster(InvalidInput):
    code = "not_an_adjuster"
    message_zh = "该用户不是查勘员"
    message_en = "This user does not have the adjuster role"


class AdjusterExists(Conflict):
    code = "adjuster_exists"
    message_zh = "该用户已登记为查勘员"
    message_en = "This user is already registered as an adjuster"


class UnknownVillages(InvalidInput):
    code = "unknown_villages"
    message_zh = "村（社区）代码不存在"
    message_en = "Unknown village codes"


class VillagesInSeveralDistricts(InvalidInput):
    code = "villages_in_several_districts"
    message_zh = "一名查勘员负责的村须在同一区县"
    message_en = "An adjuster's villages must lie in one district"


class VillagesOutsideAdjusterRegions(InvalidInput):
    code = "villages_outside_adjuster_regions"
    message_zh = "查勘员负责的村须在其账号的辖区内"
    message_en = "An adjuster's villages must lie inside the regions of their login"


class VillageNotCovered(InvalidInput):
    code = "village_not_covered"
    message_zh = "该查勘员不负责这个村"
    message_en = "The adjuster does not cover this village"


class AdjusterOffThatDay(InvalidInput):
    code = "adjuster_off_that_day"
    message_zh = "该查勘员当天不上班"
    message_en = "The adjuster does not work that day"


class OverCapacity(InvalidInput):
    code = "over_capacity"
    message_zh = "该查勘员当天的查勘已排满"
    message_en = "The adjuster's day is full"


class DayInPast(InvalidInput):
    code = "visit_day_in_past"
    message_zh = "查勘日期不能早于今天"
    message_en = "A visit cannot be moved to a day before today"


class VisitClosed(Conflict):
    code = "visit_closed"
    message_zh = "该查勘已完成或已取消，不能再改"
    message_en = "The visit is done or cancelled and cannot be changed"


class DayOffExists(Conflict):
    code = "day_off_exists"
    message_zh = "该查勘员这一天已登记休息"
    message_en = "This day off is already recorded"
