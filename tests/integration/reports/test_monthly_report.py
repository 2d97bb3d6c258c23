"""The monthly governance report: requested, built by a real worker, kept, served again, never rebuilt;
its PDF read back (text, CJK font, charts); the schedule; the denials."""

from __future__ import annotations

import io

import dramatiq
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTCurve, LTFigure, LTImage, LTLayoutContainer

from core.settings import Settings
from tests.conftest import drain, login
from tests.integration.reports.worlds import DISTRICT, OTHER_DISTRICT, World, march_world
from tests.pdf_helpers import assert_cjk_pdf

MARCH_REPORT = {"district_code": DISTRICT, "month": "2026-03"}


@pytest.fixture
async def world(settings: Settings) -> World:
    return await march_world(settings)


def drawn_shapes(pdf: bytes) -> int:
    """Vector shapes and images on the pages: the charts are drawn as paths (text as outlines too)."""

    def count(item: object) -> int:
        if isinstance(item, LTCurve | LTImage):
            return 1
        if isinstance(item, LTFigure | LTLayoutContainer):
            return sum(count(child) for child in item)
        return 0

    return sum(count(page) for page in extract_pages(io.BytesIO(pdf)))


async def test_a_report_is_built_kept_and_served_again(
    client: AsyncTestClient[Litestar], world: World, worker: dramatiq.Worker
) -> None:
    officer = await login(client, "officer")
    queued = await client.post("/reports/monthly-reports", json=MARCH_REPORT, headers=officer)
    assert queued.status_code == 202, queued.text
    build = queued.json()
    assert (build["status"], build["month"], build["download_href"]) == ("queued", "2026-03", None)

    await drain(worker)
    auditor = await login(client, "auditor")
    done = (await client.get(f"/reports/monthly-reports/{build['id']}", headers=auditor)).json()
    assert done["status"] == "done"
    assert done["download_href"] == f"/reports/monthly-reports/{build['id']}/report.pdf"
    answer = await client.get(done["download_href"], headers=auditor)
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/pdf"
    pdf = answer.content
    assert done["size_bytes"] == len(pdf)
    text = assert_cjk_pdf(
        pdf,
        pages=3,
        phrases=[
            "黄岛区保险治理月报",
            "2026年3月",
            # Covered: 6 households / 13 people by the blanket policy, 2 / 5 by voluntary ones.
            "6/13",
            "2/5",
            # Premiums 10,400.00, paid 5,300.00 (c1, c2's two payouts, c4), loss ratio 51.0 %.
            "10,400.00",
            "5,300.00",
            "51.0%",
            # The clock: 48 h, 120 h, 96 h paid in March: mean 88.0, p90 120.0, 1 of 3 within 72 h.
            "88.0",
            "120.0",
            "33.3%",
            # c2 and c4 paid late, c3 unpaid at the month's end.
            "本月超出时限的案件共3件（其中本月已赔付2件，月末仍未赔付1件）",
            # Stage means over the three: accepted (1 h, 2 h), then c2's own, paid (2 h and c4's 96 h).
            "1.524.048.03.020.022.049.0",
            # Villages by loss: A 3,800.00 on 200.00 of premiums, B 1,500.00 on 200.00.
            "前石村（370211001001）",
            "3,800.00",
            "1,500.00",
            "1900.0%",
            "750.0%",
            # Rebates: accrued 1,000.00, disbursed 600.00; A spent 800.00.
            "1,000.00",
            "600.00",
            "800.00",
            "支出超过拨付",
        ],
    )
    assert "5,000.00" not in text  # the other district's claim
    assert drawn_shapes(pdf) > 200

    # Asked again, by anyone: the same build, not rebuilt.
    admin = await login(client, "admin")
    again = await client.post("/reports/monthly-reports", json=MARCH_REPORT, headers=admin)
    assert again.status_code == 202
    assert again.json()["id"] == build["id"] and again.json()["built_at"] == done["built_at"]
    await drain(worker)
    served = await client.get(done["download_href"], headers=officer)
    assert served.content == pdf
    listed = (await client.get("/reports/monthly-reports", headers=auditor)).json()
    assert [(row["id"], row["status"]) for row in listed] == [(build["id"], "done")]


async def test_a_build_message_run_twice_changes_nothing(
    client: AsyncTestClient[Litestar], world: World, worker: dramatiq.Worker, app: Litestar
) -> None:
    officer = await login(client, "officer")
    build = (await client.post("/reports/monthly-reports", json=MARCH_REPORT, headers=officer)).json()
    await drain(worker)
    first = (await client.get(f"/reports/monthly-reports/{build['id']}", headers=officer)).json()
    app.state.broker.get_actor("reports.build_monthly_report").send(build["id"])
    await drain(worker)
    second = (await client.get(f"/reports/monthly-reports/{build['id']}", headers=officer)).json()
    assert second == first


async def test_the_schedule_builds_last_month_for_every_district(
    client: AsyncTestClient[Litestar], world: World, worker: dramatiq.Worker, app: Litestar
) -> None:
    schedule = app.state.broker.get_actor("reports.schedule_monthly_reports")
    schedule.send()
    await drain(worker)
    schedule.send()  # a second run finds both built and queues nothing
    await drain(worker)
    admin = await login(client, "admin")
    builds = (await client.get("/reports/monthly-reports", headers=admin)).json()
    assert sorted((row["district_code"], row["status"], row["requested_by"]) for row in builds) == [
        (DISTRICT, "done", "schedule"),
        (OTHER_DISTRICT, "done", "schedule"),
    ]
    assert len({row["month"] for row in builds}) == 1


async def test_who_may_ask_and_read(client: AsyncTestClient[Litestar], world: World) -> None:
    auditor = await login(client, "auditor")
    refused = await client.post("/reports/monthly-reports", json=MARCH_REPORT, headers=auditor)
    assert refused.status_code == 403 and refused.json()["detail"] == "role_not_allowed"

    town_officer = await login(client, "town_officer")
    outside = await client.post("/reports/monthly-reports", json=MARCH_REPORT, headers=town_officer)
    assert outside.status_code == 403 and outside.json()["code"] == "outside_your_region"

    officer = await login(client, "officer")
    unfinished = await client.post(
        "/reports/monthly-reports", json={"district_code": DISTRICT, "month": "2099-01"}, headers=officer
    )
    assert unfinished.status_code == 422 and unfinished.json()["code"] == "month_not_over"
    town = await client.post(
        "/reports/monthly-reports", json={"district_code": "370211001", "month": "2026-03"}, headers=officer
    )
    assert town.status_code == 400

    build = (await client.post("/reports/monthly-reports", json=MARCH_REPORT, headers=officer)).json()
    # No worker ran: the file is not there yet.
    pending = await client.get(f"/reports/monthly-reports/{build['id']}/report.pdf", headers=auditor)
    assert pending.status_code == 409 and pending.json()["code"] == "monthly_report_not_ready"

    other = await login(client, "other_auditor")
    hidden = await client.get(f"/reports/monthly-reports/{build['id']}", headers=other)
    assert hidden.status_code == 404 and hidden.json()["code"] == "monthly_report_not_found"
    assert (
        await client.get(f"/reports/monthly-reports/{build['id']}/report.pdf", headers=other)
    ).status_code == 404
    assert (await client.get("/reports/monthly-reports", headers=other)).json() == []
