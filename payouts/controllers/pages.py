"""Finance's page: payouts ready for a batch, the batches with their bank files, result imports."""

from __future__ import annotations

from litestar import get
from litestar.response import Template


# A shell with no data, so it loads without a token; its script sends people to /login on a 401.
@get("/payouts/page", opt={"exclude_from_auth": True}, include_in_schema=False, sync_to_thread=False)
def finance_page() -> Template:
    return Template(
        template_name="payouts/page_finance.html",
        context={"title": "赔款支付"},
        headers={"Cache-Control": "no-store"},
    )
