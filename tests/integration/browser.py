"""Driving pages in headless Chromium (Debian's, through Playwright): the browser, its marks, helpers.

The `served` and `phone` fixtures live in tests/integration/conftest.py.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path("/tmp/anju-screens")

BROWSER = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (dev.sh)"),
]


def blocking(coroutine: Coroutine[Any, Any, Any]) -> Any:
    """Run a coroutine to the end from sync code; in its own thread, because Playwright's sync API
    keeps an event loop running in this one."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
