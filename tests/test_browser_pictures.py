"""The routes and exposure pictures in headless Chromium: what a person sees, no console errors,
nothing fetched from anywhere."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from api.pictures import exposure_html, routes_html
from graph.memory import MemoryStore
from queries.answers import ExposureAnswer, RoutesAnswer
from queries.exposure import exposure
from queries.exposure_view import exposure_view
from queries.routes import find_routes
from queries.views import Viewer
from tests.browser import chromium, guard, screenshot_path

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser
AS_OF = dt.date(2026, 11, 28)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as opened:
        yield opened


@pytest.fixture(scope="module")
def routes_answer(store: MemoryStore) -> RoutesAnswer:
    return Viewer(store).routes_answer(find_routes(store, "H100", "Xinjiang", as_of=AS_OF, screen=True))


@pytest.fixture(scope="module")
def exposure_answer(store: MemoryStore) -> ExposureAnswer:
    return exposure_view(Viewer(store), exposure(store, "Xinjiang", as_of=AS_OF))


def open_page(browser: Browser, path: Path, errors: list[str], outside: list[str]) -> Page:
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    outside += guard(context)
    page = context.new_page()
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(path.as_uri())
    return page


def test_routes_page_shows_the_routes_nodes_hops_and_sources(
    browser: Browser, routes_answer: RoutesAnswer, tmp_path: Path
) -> None:
    path = tmp_path / "routes.html"
    path.write_text(routes_html(routes_answer), encoding="utf-8")
    errors: list[str] = []
    outside: list[str] = []
    page = open_page(browser, path, errors, outside)
    svgs = page.locator("svg.route")
    assert routes_answer.routes and svgs.count() == len(routes_answer.routes)
    for i, route in enumerate(routes_answer.routes):
        shown = svgs.nth(i).locator("g.node").evaluate_all("nodes => nodes.map(n => n.dataset.id)")
        assert shown == route.path
        labels = svgs.nth(i).locator(".hop-label").all_text_contents()
        assert labels == [f"{h.date} · ×{h.quantity:,}" for h in route.hops]
    hop = routes_answer.routes[0].hops[0]
    details = page.locator("#r0-h0")
    assert details.get_attribute("open") is None
    svgs.nth(0).locator("g.hop").first.click()
    assert details.get_attribute("open") is not None
    assert all(source.title in details.inner_text() for source in hop.sources if source.title)
    assert "US licence required" in page.locator("h1 + p + div.verdict").inner_text()
    page.screenshot(path=str(screenshot_path("routes")), full_page=True)
    assert errors == []
    assert outside == []


def test_exposure_page_shows_the_bars_and_the_sites(
    browser: Browser, exposure_answer: ExposureAnswer, tmp_path: Path
) -> None:
    path = tmp_path / "exposure.html"
    path.write_text(exposure_html(exposure_answer), encoding="utf-8")
    errors: list[str] = []
    outside: list[str] = []
    page = open_page(browser, path, errors, outside)
    bars = page.locator("g.bar[data-kind='chip']")
    assert bars.count() == len(exposure_answer.by_chip)
    widths = [float(bars.nth(i).locator("rect").get_attribute("width") or 0) for i in range(bars.count())]
    chips = [m.chips for m in exposure_answer.by_chip]
    assert widths.index(max(widths)) == chips.index(max(chips))
    assert all((w > 0) == (c > 0) for w, c in zip(widths, chips, strict=True))
    assert page.locator("g.bar[data-kind='confidence']").count() == len(exposure_answer.by_confidence)
    sites = page.locator("tr.site")
    assert sites.count() == len(exposure_answer.sites)
    for i, site in enumerate(exposure_answer.sites):
        text = sites.nth(i).inner_text()
        assert site.site.name is not None and site.site.name in text
        assert site.plausibility.verdict.value in text
    page.screenshot(path=str(screenshot_path("exposure")), full_page=True)
    assert errors == []
    assert outside == []
