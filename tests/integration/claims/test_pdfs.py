"""The claim PDFs over HTTP: the blank paper form and a claim's summary, read back with pdfminer."""

from __future__ import annotations

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from core.documents import pdf
from core.settings import Settings
from tests.conftest import login
from tests.integration.claims.worlds import arrange_covered_household, theft_claim
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
