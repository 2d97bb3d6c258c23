"""The one Jinja2 environment shared by PDFs and web pages, with the money, time and label filters.

Shared layouts (page_base.html, pdf_base.html, pdf.css) live in core/documents/templates/. A package's
own templates live in its templates/ folder and are named with the package first:
"claims/page_claim.html", "payouts.rebates/rebate_statement.html".
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from core.documents.formatting import local_date, local_time, yuan

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"

# Chinese first; the codes are policies.domain.Peril. Claim stages are named by claims.services.STAGE_ZH.
PERIL_ZH = {
    "fire": "火灾",
    "explosion": "爆炸",
    "theft": "盗窃",
    "robbery": "抢劫",
    "natural_disaster": "自然灾害",
    "accidental_death": "意外身故",
    "disability": "意外伤残",
    "livestock": "畜禽死亡",
}
PERIL_EN = {
    "fire": "Fire",
    "explosion": "Explosion",
    "theft": "Theft",
    "robbery": "Robbery",
    "natural_disaster": "Natural disaster",
    "accidental_death": "Accidental death",
    "disability": "Disability",
    "livestock": "Livestock",
}
FUNDING_ZH = {"district": "政府统保", "household": "农户自愿投保"}


def css_string(value: object) -> Markup:
    """Text for a quoted CSS string (a page footer): HTML entities undone, quotes, backslashes and
    angle brackets escaped the CSS way, so a name with a quote cannot end the string or the style."""
    text = value.unescape() if isinstance(value, Markup) else str(value)
    return Markup("".join(f"\\{ord(c):x} " if c in '"\\<>\n' else c for c in text.strip()))


def _label(table: dict[str, str]) -> Any:
    # Unknown codes print as themselves rather than vanishing: a new stage should still be visible.
    return lambda code: table.get(str(code), str(code)) if code is not None else ""


class PackageTemplates(jinja2.BaseLoader):
    """ "claims/page_claim.html" is page_claim.html in the templates/ folder of the claims package."""

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        package, _, name = template.partition("/")
        if not name:
            raise jinja2.TemplateNotFound(template)
        return _package_loader(package).get_source(environment, name)


@cache
def _package_loader(package: str) -> jinja2.BaseLoader:
    try:
        return jinja2.PackageLoader(package, "templates")
    except (ModuleNotFoundError, ValueError):
        return jinja2.DictLoader({})


def _build() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(TEMPLATES_DIR), PackageTemplates()]),
        autoescape=jinja2.select_autoescape(["html", "xml"]),
        # A misspelt field must fail the test, not print an empty box on a legal document.
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        yuan=yuan,
        css_string=css_string,
        local_time=local_time,
        local_date=local_date,
        peril_zh=_label(PERIL_ZH),
        peril_en=_label(PERIL_EN),
        funding_zh=_label(FUNDING_ZH),
    )
    env.globals.update(PERIL_ZH=PERIL_ZH, PERIL_EN=PERIL_EN)
    return env


environment = _build()
