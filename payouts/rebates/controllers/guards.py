"""Who may call the rebate routes at all; which regions and which writes are the services' to decide."""

from __future__ import annotations

from core.auth import Role, require_roles

# Everyone with a stake in rebates reads them, each within their own regions; only some write.
READERS = require_roles(Role.LIAISON, Role.FINANCE, Role.CLAIMS_OFFICER, Role.AUDITOR, Role.ADMIN)
