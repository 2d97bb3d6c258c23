"""The claim page driven in headless Chromium on a phone-sized screen: log in, fill, submit, track."""

from __future__ import annotations

import struct
import zlib
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from claims.models import Claim, ClaimDocument
from core.auth import Role
from core.clock import BUSINESS_TZ, utcnow
from core.settings import Settings
from tests.conftest import PASSWORD, make_user, run_in_db
from tests.integration.browser import BROWSER, SCREENSHOTS, blocking
from tests.integration.claims.worlds import arrange_covered_household

pytestmark = BROWSER


def tiny_png() -> bytes:
    """A valid 1×1 PNG, so the upload passes the server's check of the content, not only the name."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def claims_in_db(settings: Settings) -> list[dict[str, Any]]:
    async def read(session: AsyncSession) -> list[dict[str, Any]]:
        documents = (
            select(func.count()).where(ClaimDocument.claim_id == Claim.id).scalar_subquery().label("docs")
        )
        rows = await session.execute(
            select(Claim.number, Claim.estimated_loss_fen, Claim.peril, Claim.filed_by, documents)
        )
        return [dict(row._mapping) for row in rows]

    result: list[dict[str, Any]] = blocking(run_in_db(settings, read))
    return result


def log_in(page: Any, base: str, username: str) -> None:
    from playwright.sync_api import expect

    page.goto(f"{base}/claim")
    page.wait_for_url("**/login?next=%2Fclaim")
    page.fill("#username", username)
    page.fill("#password", "wrong password")
    page.click("button[type=submit]")
    expect(page.locator("#problem")).to_have_text("用户名或密码错误")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/claim")
    expect(page.locator("#claim-form")).to_be_visible()


def fill_theft(page: Any, facts: dict[str, Any], *, police_report_no: str | None) -> None:
    from playwright.sync_api import expect

    page.get_by_role("radio", name="盗窃").check()
    expect(page.locator("#police_report_no")).to_be_visible()
    expect(page.locator("#fire_certificate_no")).to_be_hidden()
    page.fill("#police_report_no", police_report_no or "")
    page.fill("#description", "夜里院门被撬，电动三轮车被盗。")
    page.fill("#estimated_yuan", "12,460.5")
    page.fill("#payee_bank_name", "青岛农商银行")
    page.fill("#payee_account", "6228 4800 1234 5678 901")


# One database is enough to see the page work; the API tests cover PostgreSQL.
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_resident_files_a_claim_on_a_phone(
    settings: Settings, served: str, phone: Any, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    facts = blocking(arrange_covered_household(settings))
    photo = tmp_path / "现场.png"
    photo.write_bytes(tiny_png())
    log_in(phone, served, "resident")
    # The resident's own household, its head as claimant, and the address as place are filled in.
    expect(phone.locator("#household-card")).to_contain_text(facts["head_name"])
    expect(phone.locator("#claimant_resident_id")).to_have_value(facts["head_resident_id"])
    expect(phone.locator("#claimant_phone")).to_have_value(facts["phone"])
    expect(phone.locator("#payee_name")).to_have_value(facts["head_name"])
    fill_theft(phone, facts, police_report_no="JJ2026-0099")
    phone.set_input_files("#photos", str(photo))
    phone.screenshot(path=str(SCREENSHOTS / "claim-filled.png"), full_page=True)

    # A double tap must not file twice: the button locks and the Idempotency-Key replays.
    phone.locator("#submit").dblclick()
    expect(phone.locator("#done")).to_be_visible()
    number = phone.locator("#claim-number").inner_text()
    expect(phone.locator("#claim-expected")).to_contain_text("年")
    expect(phone.locator("#upload-status")).to_have_text("已上传 1 个文件。")
    phone.screenshot(path=str(SCREENSHOTS / "claim-done.png"))

    summary = phone.request.get(f"{served}{phone.locator('#summary-link').get_attribute('href')}")
    assert summary.status == 200
    assert summary.headers["content-type"] == "application/pdf"

    phone.click("#track-link")
    # track.js fills the number after the page loads: wait for it, don't read it at once.
    expect(phone.locator("#number")).to_have_value(number)
    phone.fill("#phone_last4", facts["phone"][-4:])
    phone.click("button[type=submit]")
    expect(phone.locator("#stage")).to_have_text("已报案")
    phone.screenshot(path=str(SCREENSHOTS / "track.png"))

    assert claims_in_db(settings) == [
        {
            "number": number,
            "estimated_loss_fen": 1_246_050,
            "peril": "theft",
            "filed_by": "resident",
            "docs": 1,
        }
    ]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_liaison_finds_the_household_and_sees_the_api_problem(
    settings: Settings, served: str, phone: Any
) -> None:
    from playwright.sync_api import expect

    facts = blocking(arrange_covered_household(settings))
    log_in(phone, served, "liaison")
    expect(phone.locator("#household-search")).to_be_visible()
    phone.fill("#lookup", facts["head_resident_id"])
    phone.click("#lookup-button")
    expect(phone.locator("#household-card")).to_contain_text(facts["head_name"])
    expect(phone.locator("#claimant_resident_id")).to_have_value(facts["head_resident_id"])

    fill_theft(phone, facts, police_report_no=None)
    phone.click("#submit")
    # The API's own Chinese message, not a generic one: theft needs a police report number.
    expect(phone.locator("#problem")).to_contain_text("报警回执号")
    phone.screenshot(path=str(SCREENSHOTS / "claim-problem.png"))
    assert claims_in_db(settings) == []

    phone.fill("#police_report_no", "JJ2026-0100")
    phone.click("#submit")
    expect(phone.locator("#done")).to_be_visible()
    filed = claims_in_db(settings)
    assert [(c["number"], c["filed_by"]) for c in filed] == [
        (phone.locator("#claim-number").inner_text(), "liaison")
    ]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_catastrophe_board_counts_claims_by_village_and_stage(
    settings: Settings, served: str, phone: Any
) -> None:
    from playwright.sync_api import expect

    facts = blocking(arrange_covered_household(settings))
    blocking(make_user(settings, "officer", Role.CLAIMS_OFFICER, ["370211"]))
    log_in(phone, served, "officer")
    now = utcnow().astimezone(BUSINESS_TZ)
    declared = phone.request.post(
        f"{served}/catastrophes",
        data={
            "name": "11·22 龙卷风",
            "peril": "natural_disaster",
            "starts_at": (now - timedelta(hours=6)).isoformat(),
            "ends_at": (now - timedelta(hours=2)).isoformat(),
            "village_codes": [facts["village"]],
        },
        # With the login cookie, as a page of the service would send it (core.security).
        headers={"Idempotency-Key": "tornado", "Origin": served},
    )
    assert declared.status == 201, declared.text()
    event = declared.json()

    phone.goto(f"{served}/catastrophes/{event['id']}/page")
    expect(phone.locator("#name")).to_have_text("11·22 龙卷风")
    expect(phone.locator("#summary")).to_contain_text("自然灾害")
    table = phone.locator("#counts")
    expect(table.locator("thead")).to_contain_text("待村联络员确认")
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table.locator("tbody tr").first).to_contain_text(facts["village"])
    expect(table.locator("tfoot")).to_contain_text(str(event["claims"]))
    phone.screenshot(path=str(SCREENSHOTS / "catastrophe.png"))


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_yuan_typed_on_the_page_becomes_exact_fen(served: str, phone: Any) -> None:
    phone.goto(f"{served}/track")
    cases = {
        "12460": 1_246_000,
        "12,460.5": 1_246_050,
        "0.07": 7,
        "１２４６０．５０元": 1_246_050,  # full-width digits from a Chinese keyboard
        "1.005": None,  # a third decimal is refused, not rounded
        "-3": None,
        "abc": None,
        "": "empty",
    }
    for typed, fen in cases.items():
        got = phone.evaluate(
            "(t) => { const f = Anju.yuanToFen(t); return f === null ? 'empty' : f ?? null; }", typed
        )
        assert got == fen, typed
