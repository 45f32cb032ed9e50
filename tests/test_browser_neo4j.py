"""The Neo4j Browser served by the project's own Neo4j (the jars), in headless Chromium: log in, the
chiptrail style and guide are loaded on connect, the guide's routes query draws the routes with
their captions, and no request leaves loopback."""

from __future__ import annotations

import datetime as dt
import secrets
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest
import uvicorn
from pydantic import SecretStr

from api.http.app import create_app
from api.http.settings import ApiSettings
from graph import neo4j_server
from graph.neo4j_browser import deep_link
from graph.settings import Neo4jSettings
from ontology.records import Dataset
from queries.answers import RoutesAnswer
from queries.roles import BY_KEY
from queries.routes import find_routes
from queries.views import Viewer
from tests.browser import chromium, guard, screenshot_path
from tests.neo4j_server import connect, unavailable

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.neo4j]
AS_OF = dt.date(2026, 11, 28)


@dataclass(frozen=True)
class Stack:
    config: neo4j_server.ServerConfig
    password: str
    routes: RoutesAnswer


def _serve(app: object, port: int) -> tuple[uvicorn.Server, threading.Thread]:
    """The API on a loopback port, in a thread, answering before this returns."""
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))  # type: ignore[arg-type]
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(100):
        if server.started:
            return server, thread
        time.sleep(0.1)
    raise RuntimeError(f"the API did not start on port {port}")


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory, bundled: Dataset) -> Iterator[Stack]:
    """A Neo4j of its own (so its neo4j.conf points the Browser at this API), holding the bundled data,
    and the API serving the guide and style from it."""
    if not neo4j_server.jars_present():
        unavailable(
            "no jars in tools/neo4j/lib (run `make neo4j-jars`): the Browser test needs the project's own Neo4j"
        )
    port = neo4j_server.free_port
    api_url = f"http://127.0.0.1:{port()}"
    config = neo4j_server.ServerConfig(Path(tmp_path_factory.mktemp("browser-neo4j")), port(), port(), api_url=api_url)
    password = secrets.token_hex(16)
    neo4j_server.start(config, password)
    try:
        store = connect(Neo4jSettings(uri=config.bolt_uri, password=SecretStr(password)), timeout=90.0)
        store.clear()
        store.load(bundled)
        app = create_app(ApiSettings(backend="neo4j", browser_port=config.http_port), store=store)
        server, thread = _serve(app, int(api_url.rsplit(":", 1)[1]))
        try:
            routes = Viewer(store).routes_answer(find_routes(store, "chip-nvidia-h100-sxm", "Xinjiang", as_of=AS_OF))
            yield Stack(config, password, routes)
        finally:
            server.should_exit = True
            thread.join(timeout=10)
            store.close()
    finally:
        neo4j_server.stop(config)


def log_in(page: Page, stack: Stack) -> None:
    page.get_by_test_id("username").fill("neo4j")
    page.get_by_test_id("password").fill(stack.password)
    page.get_by_test_id("connect").click()


def run_block(page: Page, index: int) -> None:
    """Click a runnable block of the guide's current slide (it goes into the editor) and run it."""
    page.get_by_test_id("guidesDrawer").locator("pre").nth(index).click()
    page.get_by_test_id("editor-Run").click()


def test_the_browser_loads_chiptrail_and_draws_the_routes(stack: Stack) -> None:
    api = stack.config.api_url
    assert httpx.get(f"{api}/browser/chiptrail.md", timeout=10).status_code == 200
    assert stack.routes.routes
    with chromium() as browser:
        context = browser.new_context(viewport={"width": 1500, "height": 950})
        outside = guard(context)
        page = context.new_page()
        page.goto(deep_link(stack.config.browser_url, api))
        page.get_by_test_id("guidesDrawer").get_by_text("who shipped which chips where").first.wait_for(timeout=60_000)
        page.goto(stack.config.browser_url)
        try:
            log_in(page, stack)
            check_style_and_guide(page)
            check_routes_drawn(page, stack.routes)
        finally:
            page.screenshot(path=str(screenshot_path("neo4j-browser-routes")))
    assert outside == []


def check_style_and_guide(page: Page) -> None:
    """Connecting ran `:style` and `:guide` with the chiptrail API's URLs (browser.post_connect_cmd)."""
    drawer = page.get_by_test_id("guidesDrawer")
    drawer.get_by_text("who shipped which chips where").first.wait_for(timeout=90_000)
    loaded = "() => (localStorage.getItem('neo4j.grass') || '').includes('node.ShellCompany')"
    page.wait_for_function(loaded, timeout=90_000)
    grass = page.evaluate("localStorage.getItem('neo4j.grass')") or ""
    assert BY_KEY["shell"].color in grass and "{citation}" in grass


def check_routes_drawn(page: Page, routes: RoutesAnswer) -> None:
    """The routes slide's parameters, then its graph form: every node of the routes, by name, in its colour."""
    page.get_by_test_id("guideNextSlide").click()
    page.get_by_test_id("guidesDrawer").get_by_text("Routes from a restricted chip into Xinjiang").wait_for()
    run_block(page, 0)  # four `:param` commands, run one after the other in one frame
    page.get_by_test_id("frameCommand").get_by_text(":param chip_id").first.wait_for(timeout=30_000)
    page.wait_for_timeout(3000)
    run_block(page, 1)
    nodes = {ref.id: ref for route in routes.routes for hop in route.hops for ref in (hop.from_, hop.to)}
    page.get_by_text(f"Displaying {len(nodes)} nodes").first.wait_for(timeout=60_000)
    words = [(ref.name or "")[:6] for ref in nodes.values()]  # the Browser shortens long captions
    drawn = "words => { const t = Array.from(document.querySelectorAll('svg text')).map(x => x.textContent).join(' ');"
    page.wait_for_function(drawn + " return words.every(w => t.includes(w)); }", arg=words, timeout=60_000)
    captions = " ".join(page.locator("svg text").all_text_contents())
    assert all(word in captions for word in words)
    fills = page.locator("svg circle").evaluate_all("cs => cs.map(c => c.getAttribute('fill') || '')")
    assert {BY_KEY[ref.role or "other"].color.upper() for ref in nodes.values()} <= {f.upper() for f in fills}
