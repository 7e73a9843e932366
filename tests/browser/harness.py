"""The web console in a real browser: Debian's Chromium driven by Playwright (never a downloaded
browser), and the checks every page of the console must pass: axe-core's accessibility rules, no
id or ISO timestamp shown to a person, no script refused by the page's Content-Security-Policy.

The fixtures over these are in tests/browser/conftest.py; /tmp/tasks/browser-harness.md and the
module docstring there say how to write a journey test with them.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = ROOT / "console" / "node_modules" / "axe-core" / "axe.min.js"
DIST_INDEX = ROOT / "console" / "dist" / "index.html"
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
README_SCREENSHOTS = ROOT / "docs" / "screenshots"

# The flags tests/browser/test_graphiql.py starts Chromium with: headless, no sandbox (containers),
# no network of its own (updates, sync, QUIC).
FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1440, "height": 900}


def missing() -> list[str]:
    """What the console's browser tests need and this machine lacks, said so that it can be fixed."""
    found = []
    if not os.path.exists(CHROMIUM):
        found.append("Chromium (Debian: apt-get install chromium)")
    try:
        import playwright  # noqa: F401
    except ImportError:
        found.append("Playwright for Python (pip install -r requirements-test.txt)")
    if not DIST_INDEX.is_file():
        found.append("the console's build (./test.sh builds it; or cd console && npm ci && npm run build)")
    if not AXE.is_file():
        found.append("console/node_modules/axe-core (cd console && npm ci)")
    return found


def skip_or_fail_when_missing() -> None:
    """Skip saying why; under GONGZHI_REQUIRE_BROWSER (CI) fail instead, for nothing may skip there."""
    lacking = missing()
    if lacking:
        message = "the console's browser tests need " + "; ".join(lacking)
        if os.environ.get("GONGZHI_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)


class Browser:
    """One Chromium for the test session; a fresh context (cookies, storage) for each page."""

    def __init__(self):
        from playwright.sync_api import sync_playwright

        # Playwright is started and never stopped: its stop() waits for the driver's exit through
        # asyncio's child watcher, which never hears of it under eventlet's monkey-patching (the
        # platform's processes run in this one). The driver exits by itself when this process does.
        self._playwright = sync_playwright().start()
        self.chromium = self._playwright.chromium.launch(
            executable_path=CHROMIUM, args=[*FLAGS, f"--disk-cache-dir={tempfile.mkdtemp()}"]
        )

    def new_page(self, base_url: str, viewport: dict | None = None, language: str = "zh-CN"):
        context = self.chromium.new_context(
            base_url=base_url,
            viewport=viewport or DESKTOP,
            locale=language,
            timezone_id="Asia/Shanghai",
            is_mobile=viewport == PHONE,
            has_touch=viewport == PHONE,
        )
        context.set_default_timeout(15_000)
        page = context.new_page()
        page.refused = []  # what the page's Content-Security-Policy refused, and uncaught errors
        page.on(
            "console",
            lambda message: (
                page.refused.append(message.text)
                if message.type == "error" and "Content Security Policy" in message.text
                else None
            ),
        )
        page.on("pageerror", lambda error: page.refused.append(f"uncaught: {error}"))
        return page

    def close(self) -> None:
        self.chromium.close()


LOADING = ".ant-spin-spinning, .ant-skeleton-active, .ant-btn-loading, [aria-busy='true']"


def settled(page) -> None:
    """Wait until nothing on the page is loading (no spinner, skeleton or busy button).

    Waits the browser does (locators, wait_for_function, goto/reload with wait_until) are what works
    here: a wait Playwright's Python side keeps for an event (wait_for_url, wait_for_load_state,
    expect_navigation, expect_response) never hears its event while the platform's eventlet hub
    shares the process, and hangs past its own timeout."""
    page.wait_for_function(f"() => !document.querySelector({LOADING!r})")


# Checks ----------------------------------------------------------------------------------------


def axe_check(page, *, context: str | None = None) -> None:
    """Run axe-core (the console's own pinned copy) on the page as it is now; fail naming every
    serious or critical violation, with the elements it found them on."""
    # Evaluated through the DevTools protocol, which the page's CSP does not govern (a <script>
    # element added to the page would be refused, as any inline script is).
    # A message fading in or out is read by axe at its passing opacity (text at 1.3:1): check the
    # page once every animation that ends has ended (a spinner's never does).
    page.wait_for_function(
        """() => document.getAnimations().every(a => a.playState !== 'running'
                 || a.effect?.getComputedTiming().iterations === Infinity)"""
    )
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text())
    results = page.evaluate(
        """async () => {
            const found = await axe.run(document, {resultTypes: ['violations']});
            return found.violations
              .filter(v => v.impact === 'serious' || v.impact === 'critical')
              .map(v => ({id: v.id, impact: v.impact, help: v.help,
                          nodes: v.nodes.slice(0, 5)
                            .map(n => n.target.join(' ') + ': ' + n.failureSummary)}));
        }"""
    )
    if results:
        lines = [f"axe-core found {len(results)} serious or critical violation(s) on {context or page.url}:"]
        for violation in results:
            lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
            lines.extend(f"    {node}" for node in violation["nodes"])
        pytest.fail("\n".join(lines))


ISO_INSTANT = re.compile(r"\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", re.IGNORECASE)
# A Relay global id is base64 of "Type:uuid"; long runs of base64 are checked by decoding them.
BASE64_RUN = re.compile(r"[A-Za-z0-9+/]{16,}={0,2}")
GLOBAL_ID = re.compile(rb"^[A-Z][A-Za-z]+:")


def unreadable(text: str) -> list[str]:
    """What in ``text`` a person should never be shown: ISO dates and times, UUIDs, global ids."""
    found = ISO_INSTANT.findall(text) + ISO_DATE.findall(text) + UUID.findall(text)
    for run in BASE64_RUN.findall(text):
        try:
            decoded = base64.b64decode(run + "=" * (-len(run) % 4), validate=True)
        except (binascii.Error, ValueError):
            continue
        if GLOBAL_ID.match(decoded):
            found.append(run)
    return found


def assert_readable(page) -> None:
    """No id and no ISO string in the text the page shows (its title and visible text)."""
    text = page.title() + "\n" + page.locator("body").inner_text()
    found = unreadable(text)
    assert not found, f"{page.url} shows {found[:5]} to a person"


def assert_nothing_refused(page) -> None:
    """Nothing on the page was refused by its Content-Security-Policy and no script error went uncaught."""
    assert not page.refused, f"{page.url}: {page.refused}"


def screenshot(page, name: str, *, readme: bool = False) -> Path:
    """Save the page as tests/browser/screenshots/<name>.png (ignored by git); one the README shows
    (``readme=True``) also as docs/screenshots/<name>.png when GONGZHI_UPDATE_SCREENSHOTS=1."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True, animations="disabled")
    if readme and os.environ.get("GONGZHI_UPDATE_SCREENSHOTS") == "1":
        README_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, README_SCREENSHOTS / f"{name}.png")
    return path
