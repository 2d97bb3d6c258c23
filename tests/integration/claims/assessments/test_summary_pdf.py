"""The claim summary PDF shows the visit, then the assessed lines and the steps once they exist."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient

from core.settings import Settings
from tests.conftest import login
from tests.integration.claims.assessments.worlds import assessment_body, build_visit_world
from tests.pdf_helpers import assert_cjk_pdf, pdf_text_compact


async def test_the_summary_shows_the_visit_and_then_the_assessment(
    client: AsyncTestClient[Litestar], settings: Settings
) -> None:
    world = await build_visit_world(settings, client)
    path = f"/claims/{world.claim_id}/summary.pdf"
    officer = await login(client, "officer")

    planned = await client.get(path, headers=officer)
    assert planned.status_code == 200, planned.text
    # "adjuster" in lower case is the adjuster's name; the English label reads "Adjuster".
    assert_cjk_pdf(planned.content, pages=1, phrases=["现场查勘", "查勘员", "adjuster", "已安排"])
    assert "定损清单" not in pdf_text_compact(planned.content)

    recorded = await client.post(
        f"/visits/{world.visit_id}/assessment",
        json=assessment_body(),
        headers=await login(client, "adjuster"),
    )
    assert recorded.status_code == 201, recorded.text
    for reader in ("officer", "resident"):
        summary = await client.get(path, headers=await login(client, reader))
        assert summary.status_code == 200, (reader, summary.text)
        text = assert_cjk_pdf(
            summary.content,
            pages=2,
            phrases=[
                "已查勘",
                "定损清单",
                "冰箱",
                "4,200.00",
                "衣柜",
                "25%",
                "2,250.00",
                "电视机",
                "25,000.00",
                "31,450.00元",  # the assessed loss
                "500.00元",  # the larger deductible, once
                "30,950.00元",  # payable before the advance
                "25,950.00元",  # the final payout
                "住户确认",
                "王建国",
            ],
        )
        assert "已定损" in text
