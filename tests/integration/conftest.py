"""Fixtures for the integration tests that drive pages in headless Chromium."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn

from app import create_app
from core.settings import Settings
from tests.integration.browser import CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS
from tests.servers import free_port


@pytest.fixture
def served(settings: Settings) -> Iterator[str]:
    """The real app under uvicorn on 127.0.0.1, in a thread of this process."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the app did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def phone() -> Iterator[Any]:
    """A phone-sized Chromium page (390×844) whose clock is set to a zone ahead of Beijing, so a page
    that sent the phone's local time instead of Beijing time would file a loss in the future."""
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(
            viewport={"width": 390, "height": 844},
            device_scale_factor=2,
            is_mobile=True,
            has_touch=True,
            locale="zh-CN",
            timezone_id="Pacific/Auckland",
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        yield page
        browser.close()
    assert errors == [], errors
