"""The claim PDFs over HTTP: the blank paper form and a claim's summary, read back with pdfminer."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from core.auth import Role
from core.clock import BUSINESS_TZ, utcnow
from core.documents import pdf
from core.settings import Settings
from policies.domain import Funding
from tests import factories
from tests.conftest import login, make_user, run_in_db
from tests.pdf_helpers import assert_cjk_pdf

FORM_LABELS = [
    "家庭财产保险理赔申请书",
    "户主姓名",
    "家庭住址",
    "报案人姓名",
    "身份证号码",
    "联系电话",
    "火灾",
    "爆炸",
    "盗窃",
    "抢劫",
    "自然灾害",
    "出险时间",
    "出险地点",
    "经过简述",
    "估计损失",
    "银行账号",
    "报案人签名",
    "联络员确认",
]


async def arrange_covered_household(settings: Settings) -> dict[str, Any]:
    """A village household with an active voluntary policy, its resident user and two outsiders."""

    async def arrange(session: AsyncSession) -> dict[str, Any]:
        villages = await factories.region_tree(session)
        program = await factories.program(session, funding=Funding.HOUSEHOLD, region_code="370211")
        home = await factories.household(session, villages[0])
        await factories.active_policy(session, home, program, starts_on=utcnow().date() - timedelta(days=90))
        other = await factories.household(session, villages[0])
        head = home.people[0]
        return {
            "village": villages[0],
            "other_village": villages[-1],
            "household_id": home.id,
            "other_household_id": other.id,
            "head_name": head.name,
            "head_resident_id": head.resident_id,
            "phone": home.phone,
        }

    facts: dict[str, Any] = await run_in_db(settings, arrange)
    await make_user(settings, "resident", Role.RESIDENT, [facts["village"]], facts["household_id"])
    await make_user(settings, "neighbour", Role.RESIDENT, [facts["village"]], facts["other_household_id"])
    await make_user(settings, "liaison", Role.LIAISON, [facts["village"]])
    await make_user(settings, "far_liaison", Role.LIAISON, [facts["other_village"]])
    return facts


def theft_claim(facts: dict[str, Any], **changes: Any) -> dict[str, Any]:
    loss_at = (utcnow() - timedelta(hours=3)).astimezone(BUSINESS_TZ)
    return {
        "household_id": str(facts["household_id"]),
        "claimant_resident_id": facts["head_resident_id"],
        "claimant_phone": facts["phone"],
        "peril": "theft",
        "loss_at": loss_at.isoformat(),
        "loss_place": "前石村 12 号院内",
        "description": "夜里院门被撬，电动三轮车和两袋化肥被盗。",
        "estimated_loss_fen": 1_246_050,
        "payee_name": facts["head_name"],
        "payee_bank_name": "青岛农商银行",
        "payee_account": "6228480012345678901",
        "police_report_no": "JJ2026-0042",
        "fire_certificate_no": None,
    } | changes


async def test_blank_claim_form_is_one_page_of_chinese_and_public(client: AsyncTestClient[Litestar]) -> None:
    response = await client.get("/forms/claim-form.pdf")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert_cjk_pdf(response.content, pages=1, phrases=[*FORM_LABELS, "Claim Form"])


async def test_claim_summary_is_one_page_for_those_who_may_see_the_claim(
    client: AsyncTestClient[Litestar], settings: Settings
) -> None:
    facts = await arrange_covered_household(settings)
    resident = await login(client, "resident")
    filed = await client.post(
        "/claims", json=theft_claim(facts), headers=resident | {"Idempotency-Key": "summary-1"}
    )
    assert filed.status_code == 201, filed.text
    claim = filed.json()
    path = f"/claims/{claim['id']}/summary.pdf"

    for who in ("resident", "liaison"):
        response = await client.get(path, headers=await login(client, who))
        assert response.status_code == 200, (who, response.text)
        assert response.headers["content-type"] == "application/pdf"
        text = assert_cjk_pdf(
            response.content,
            pages=1,
            phrases=[
                "理赔案件摘要",
                claim["number"],
                "盗窃",
                facts["head_name"],
                "12,460.50元",  # integer fen printed as yuan, never through a float
                "电动三轮车",
                "预计到账时间",
                "已报案",
                "前石村",  # the village's name, not only its code
                f"安居理赔摘要{claim['number']}",  # the page footer
            ],
        )
        assert facts["head_resident_id"] not in text  # the summary never prints the full ID

    for outsider in ("neighbour", "far_liaison"):
        denied = await client.get(path, headers=await login(client, outsider))
        assert denied.status_code == 404, outsider
        assert denied.json()["code"] == "claim_not_found"
    anonymous = await client.get(path, headers={"Cookie": ""})
    assert anonymous.status_code == 401


async def test_long_description_still_fits_one_page(
    client: AsyncTestClient[Litestar], settings: Settings
) -> None:
    facts = await arrange_covered_household(settings)
    headers = await login(client, "liaison")
    long_text = "房屋东侧围墙倒塌，院内物品被盗，" * 31
    body = theft_claim(facts, description=long_text[:500], loss_place="前" * 200)
    filed = await client.post("/claims", json=body, headers=headers)
    assert filed.status_code == 201, filed.text
    response = await client.get(f"/claims/{filed.json()['id']}/summary.pdf", headers=headers)
    assert_cjk_pdf(response.content, pages=1, phrases=["房屋东侧围墙倒塌"])


def test_missing_cjk_font_is_a_clear_error_not_empty_boxes(monkeypatch: pytest.MonkeyPatch) -> None:
    pdf.cjk_font_family.cache_clear()
    try:
        with monkeypatch.context() as patch:
            patch.setattr(pdf, "CJK_FAMILIES", ("No Such Font SC",))
            with pytest.raises(pdf.CJKFontMissing, match="fonts-noto-cjk"):
                pdf.render_pdf("reports/pdf_claim_form.html", {"perils": [], "form_version": "t"})
    finally:
        pdf.cjk_font_family.cache_clear()
    assert pdf.cjk_font_family() == "Noto Sans CJK SC"
