"""Browser tests: one real server (`justenough serve` on loopback) and one headless
Debian Chromium for the whole session, a fresh browser context per test.

Every page a test visits is checked with axe-core (no serious or critical
violation), must fit 320 px without scrolling sideways, and is photographed at
1280 and 320 px into out/web/screenshots/ (git-ignored); its weight and server
time go to out/web/pages.json for the closing note.
"""

from __future__ import annotations

import json
import re
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from tests.api.live import ROOT, LiveServer, add_users

CHROMIUM = Path("/usr/bin/chromium")
# As test-infra-notes.md found for Debian's Chromium as root; the network flags keep
# Chromium from calling out of a closed machine.
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-dev-shm-usage",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
OUT = ROOT / "out" / "web"
SCREENSHOTS = OUT / "screenshots"
NARROW, WIDE = 320, 1280
BLOCKING = {"serious", "critical"}

pytestmark = pytest.mark.xdist_group("browser")


@dataclass
class Site:
    url: str
    tokens: dict[str, str]
    pages: dict[str, dict[str, Any]] = field(default_factory=dict)

    def api(self, method: str, path: str, role: str, **kwargs: Any) -> Any:
        headers = {"Authorization": f"Bearer {self.tokens[role]}"}
        answer = httpx.request(method, self.url + path, headers=headers, timeout=60, **kwargs)
        assert answer.status_code < 400, answer.text
        return answer.json()


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    database = f"sqlite:///{tmp_path_factory.mktemp('web') / 'justenough.db'}"
    tokens = add_users(database, prefix="web")
    server = LiveServer(database, ("--engine-workers", "1")).start()
    found = Site(server.url, tokens)
    try:
        yield found
    finally:
        server.stop()
        OUT.mkdir(parents=True, exist_ok=True)
        (OUT / "pages.json").write_text(json.dumps(found.pages, indent=2, sort_keys=True))


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        raise RuntimeError("Debian's chromium is needed: apt-get install chromium (.ci/run does)")
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    SCREENSHOTS.mkdir(parents=True)
    with sync_playwright() as playwright:
        browser = _launch(playwright)
        yield browser
        browser.close()


def _launch(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)


@pytest.fixture
def page(chromium: Browser, site: Site) -> Iterator[Page]:
    context = chromium.new_context(viewport={"width": WIDE, "height": 900}, base_url=site.url)
    found = context.new_page()
    found.set_default_timeout(30_000)
    yield found
    context.close()


def sign_in(page: Page, site: Site, role: str) -> None:
    page.goto("/")
    page.get_by_label("Name").fill(f"web-{role}")
    page.get_by_label("Token").fill(site.tokens[role])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def check_page(page: Page, site: Site, name: str) -> dict[str, Any]:
    """axe on the page; no sideways scrolling at 320 px; screenshots; weight and timing."""
    # A click that navigates returns before the new page has loaded: axe run on a
    # document still being replaced finds no documentElement.
    page.wait_for_load_state()
    page.wait_for_function("document.documentElement && document.readyState === 'complete'")
    started = time.perf_counter()
    results = Axe().run(page)
    blocking = [v for v in results.response["violations"] if v.get("impact") in BLOCKING]
    assert not blocking, f"{name}: " + "; ".join(
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['html'][:160] for n in v['nodes'][:3]]}"
        for v in blocking
    )
    timing = page.evaluate(
        """() => {
            const nav = performance.getEntriesByType('navigation')[0];
            const bytes = performance.getEntriesByType('resource')
                .reduce((sum, r) => sum + r.encodedBodySize, nav.encodedBodySize);
            return {server_ms: nav.responseStart - nav.requestStart, bytes: bytes,
                    html_bytes: nav.encodedBodySize};
        }"""
    )
    page.screenshot(path=SCREENSHOTS / f"{name}-{WIDE}.png", full_page=True)
    page.set_viewport_size({"width": NARROW, "height": 800})
    overflow = page.evaluate("document.documentElement.scrollWidth")
    page.screenshot(path=SCREENSHOTS / f"{name}-{NARROW}.png", full_page=True)
    page.set_viewport_size({"width": WIDE, "height": 900})
    assert overflow <= NARROW, f"{name} scrolls sideways at {NARROW} px ({overflow} px wide)"
    found = {
        "path": re.sub(r"[0-9a-f]{32}", "{id}", page.url.removeprefix(site.url)),
        "server_ms": round(timing["server_ms"], 1),
        "page_bytes": timing["bytes"],
        "html_bytes": timing["html_bytes"],
        "axe_violations": {v["id"]: v.get("impact") for v in results.response["violations"]},
        "axe_passes": len(results.response["passes"]),
        "check_s": round(time.perf_counter() - started, 2),  # axe and screenshots
    }
    site.pages[name] = found
    return found


def tab_to(page: Page, element_id: str, most: int = 400) -> None:
    """Press Tab until the element has the focus (keyboard only)."""
    for _ in range(most):
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached #{element_id}")


def now() -> float:
    return time.perf_counter()
