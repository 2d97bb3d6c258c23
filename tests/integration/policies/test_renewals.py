"""Bulk renewal through HTTP, the CLI and the service: a window, a list, re-runs, refusals, the blanket."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any
from uuid import UUID

from click.testing import CliRunner
from litestar import Litestar
from litestar.testing import AsyncTestClient
from pytest import MonkeyPatch
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.settings import Settings
from policies import cli
from policies.imports.premium_services import import_premiums
from policies.models import Person, Policy, Program
from policies.services.renewals import renew_program
from tests.conftest import login, run_in_db

# two_districts' voluntary policies start on 2026-01-01 for 36 months.
ENDS_FROM, ENDS_BEFORE = date(2029, 1, 1), date(2029, 2, 1)


async def terms(settings: Settings, household_id: str) -> list[tuple[date, str, int, bool]]:
    """A household's terms, oldest first: start, status, premium due, whether it renews another."""

    async def work(session: AsyncSession) -> list[Any]:
        rows = await session.execute(
            select(Policy.starts_on, Policy.status, Policy.premium_due_fen, Policy.renewed_from_id)
            .where(Policy.household_id == UUID(household_id))
            .order_by(Policy.starts_on)
        )
        return [(starts, status, due, renews is not None) for starts, status, due, renews in rows]

    return await run_in_db(settings, work)


async def test_a_window_renews_the_active_policies_and_a_rerun_changes_nothing(
    settings: Settings, two_districts: dict[str, str]
) -> None:
    program = UUID(two_districts["voluntary"])

    async def renew(session: AsyncSession) -> Any:
        return await renew_program(
            session, actor="officer", program_id=program, ends_from=ENDS_FROM, ends_before=ENDS_BEFORE
        )

    first = await run_in_db(settings, renew)
    assert (first.policies_renewed, first.already_renewed) == (1, 0)
    # The neighbour never paid: an idle policy is not renewed, and says so.
    assert [(r.code, r.policy_number[:2]) for r in first.refused] == [("policy_transition_not_allowed", "P-")]
    assert await terms(settings, two_districts["home"]) == [
        (date(2026, 1, 1), "renewed", 20_000, False),
        (date(2029, 1, 1), "idle", 20_000, True),
    ]
    again = await run_in_db(settings, renew)
    assert (again.policies_renewed, again.already_renewed, len(again.refused)) == (0, 1, 1)
    assert len(await terms(settings, two_districts["home"])) == 2


async def test_a_list_of_numbers_reports_the_unknown_ones(
    settings: Settings, two_districts: dict[str, str]
) -> None:
    async def renew(session: AsyncSession) -> Any:
        home = await session.get_one(Policy, UUID(two_districts["home_policy"]))
        return await renew_program(
            session,
            actor="officer",
            program_id=UUID(two_districts["voluntary"]),
            numbers=[home.number, "NO-SUCH"],
        )

    report = await run_in_db(settings, renew)
    assert report.policies_renewed == 1
    assert [(r.policy_number, r.code) for r in report.refused] == [("NO-SUCH", "policy_not_found")]


async def test_the_renewed_term_is_paid_from_a_collection_list_and_activates(
    settings: Settings, two_districts: dict[str, str]
) -> None:
    async def renew_then_pay(session: AsyncSession) -> Any:
        program = await session.get_one(Program, UUID(two_districts["voluntary"]))
        await renew_program(
            session, actor="officer", program_id=program.id, ends_from=ENDS_FROM, ends_before=ENDS_BEFORE
        )
        head = await session.scalar(
            select(Person.resident_id).where(
                Person.household_id == UUID(two_districts["home"]), Person.relation == "head"
            )
        )
        listing = (
            "户主身份证号,方案代码,金额,缴费日期,缴费方式,收据号,收款人\n"
            f"{head},{program.code},200,2026-11-20,现金,RN1,村委\n"
        )
        return await import_premiums(session, listing.encode(), filename="续保.csv", actor="liaison")

    paid = await run_in_db(settings, renew_then_pay)
    assert (paid.payments_recorded, paid.policies_created, paid.policies_activated) == (1, 0, 1)
    assert [status for _, status, _, _ in await terms(settings, two_districts["home"])] == [
        "renewed",
        "active",
    ]


def test_cli_renews_a_window_and_a_blanket_policy_with_its_new_lump_sum(
    settings: Settings, two_districts: dict[str, str], monkeypatch: MonkeyPatch
) -> None:
    monkeypatch.setattr("core.cli.get_settings", lambda: settings)

    async def codes(session: AsyncSession) -> tuple[str, str]:
        voluntary = await session.get_one(Program, UUID(two_districts["voluntary"]))
        blanket = await session.get_one(Program, UUID(two_districts["blanket_program"]))
        return voluntary.code, blanket.code

    voluntary, blanket = asyncio.run(run_in_db(settings, codes))
    runner = CliRunner()
    window = runner.invoke(cli.renew, [voluntary, "--ends-from", "2029-01-01", "--ends-before", "2029-02-01"])
    assert window.exit_code == 1, window.output  # the neighbour's idle policy is refused
    assert "1 policies renewed; 0 already renewed; 1 refused" in window.output
    lump = runner.invoke(cli.renew, [blanket, "--lump-sum-yuan", "2100000"])
    assert lump.exit_code == 0, lump.output
    assert "210000000 fen due" in lump.output

    async def blanket_terms(session: AsyncSession) -> list[Any]:
        rows = await session.execute(
            select(Policy.status, Policy.premium_due_fen)
            .where(Policy.program_id == UUID(two_districts["blanket_program"]))
            .order_by(Policy.starts_on)
        )
        return [tuple(row) for row in rows]

    assert asyncio.run(run_in_db(settings, blanket_terms)) == [
        ("renewed", 200_000_000),
        ("active", 210_000_000),
    ]


async def test_an_officer_renews_over_http_and_a_liaison_may_not(
    client: AsyncTestClient[Litestar], two_districts: dict[str, str]
) -> None:
    path = f"/programs/{two_districts['voluntary']}/renewals"
    window = {"ends_from": "2029-01-01", "ends_before": "2029-02-01"}
    liaison = await login(client, "liaison")
    assert (await client.post(path, json=window, headers=liaison)).status_code == 403
    officer = await login(client, "claims_officer")
    response = await client.post(path, json=window, headers=officer)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["policies_renewed"], body["already_renewed"]) == (1, 0)
    assert [r["code"] for r in body["refused"]] == ["policy_transition_not_allowed"]
    blanket = await client.post(
        f"/programs/{two_districts['blanket_program']}/renewals", json={}, headers=officer
    )
    assert blanket.status_code == 422
