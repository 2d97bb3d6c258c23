"""POST /programs/{id}/renewals: an officer renews a voluntary program's policies in bulk."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, Response, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from sqlalchemy.ext.asyncio import AsyncSession

from core.auth import AuthRequest, Role, require_roles
from core.idempotency import create_once
from policies.schemas import RenewalCreate
from policies.services import renewals
from policies.services.renewals import RenewalReport


class RenewalController(Controller):
    path = "/programs/{program_id:uuid}/renewals"
    tags = ["enrollment"]
    guards = [require_roles(Role.ADMIN, Role.CLAIMS_OFFICER)]

    @post(
        "/",
        status_code=200,
        summary="Renew a voluntary program's active policies ending in a window, or those numbered",
        description="Each renewed policy gets its next term, idle until its premium is paid; officers "
        "renew only policies in their regions. Policies already renewed are counted and skipped, so "
        "sending the same request again changes nothing; any other that cannot be renewed is listed "
        "with its number and reason. A district-funded program is refused (422): its blanket policy "
        "is renewed with `litestar anju renew` and the district's lump sum.",
    )
    async def renew(
        self,
        request: AuthRequest,
        db_session: NamedDependency[AsyncSession],
        program_id: FromPath[UUID],
        data: JSONBody[RenewalCreate],
    ) -> Response[RenewalReport]:
        principal = request.user

        async def run() -> RenewalReport:
            return await renewals.renew_program(
                db_session,
                actor=principal.username,
                program_id=program_id,
                ends_from=data.ends_from,
                ends_before=data.ends_before,
                numbers=data.numbers,
                principal=principal,
            )

        return await create_once(
            request, db_session, owner=principal.username, data=data, create=run, status_code=200
        )
