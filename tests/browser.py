"""Headless Chromium for the browser tests: Debian's `chromium`, driven by Playwright for Python
(`executable_path`, so no browser is ever downloaded). Under CI=true a missing Chromium or Playwright
fails the test; elsewhere it is skipped with the command that installs it.

Every page runs behind a guard that lets requests to loopback, `file:`, `data:` and `blob:` through
and records (and aborts) anything else, so a test can assert that nothing leaves the machine.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from tests.helpers import required

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Route

CHROMIUM = Path(os.environ.get("CHIPTRAIL_CHROMIUM", "/usr/bin/chromium"))
ARTEFACTS = Path(__file__).resolve().parents[1] / "test-artefacts"
INSTALL = "sudo apt-get install -y chromium chromium-driver"
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")


def browser_unavailable(reason: str) -> None:
    """Fail under CI, skip elsewhere."""
    required("headless Chromium", reason)


@contextmanager
def chromium() -> Iterator[Browser]:
    """Debian's Chromium, headless."""
    if not CHROMIUM.exists():
        browser_unavailable(f"{CHROMIUM} is missing; install it with `{INSTALL}`")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        browser_unavailable("Playwright for Python is missing; run `make install`")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            yield browser
        finally:
            browser.close()


def guard(context: BrowserContext) -> list[str]:
    """Abort and record every request that would leave loopback; the list fills as the pages load."""
    outside: list[str] = []

    def route(handle: Route) -> None:
        url = handle.request.url
        if url.startswith(LOCAL_SCHEMES) or urlsplit(url).hostname in ("127.0.0.1", "localhost", "::1"):
            handle.continue_()
        else:
            outside.append(url)
            handle.abort()

    context.route("**/*", route)
    return outside


def screenshot_path(name: str) -> Path:
    ARTEFACTS.mkdir(exist_ok=True)
    return ARTEFACTS / f"{name}.png"
