"""The GraphiQL page in a real headless Chromium: sign in, run a query, read the answer on the page.

Debian's chromium and chromium-driver drive it. `.ci/run` installs them and sets
GONGZHI_REQUIRE_BROWSER, so there the test cannot skip; elsewhere it skips and says why.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time

import pytest

from deploy.seed import seed_directory
from shared.identity import PartyType

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")

pytestmark = pytest.mark.skipif(
    not (CHROMIUM and CHROMEDRIVER) and not os.environ.get("GONGZHI_REQUIRE_BROWSER"),
    reason="needs Chromium and ChromeDriver (Debian: apt-get install chromium chromium-driver)",
)


@pytest.fixture
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1400,900",
        f"--user-data-dir={tempfile.mkdtemp()}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


def wait_for(what, probe, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = probe()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"waited {timeout} s for {what}")


def test_graphiql_signs_in_runs_a_query_and_shows_the_answer(platform, browser):
    from selenium.webdriver.common.by import By

    demo = seed_directory(platform.rpc)
    token = platform.token(demo.principals[PartyType.RESIDENTS_COMMITTEE])
    browser.get(f"{platform.url}#token={token}")
    wait_for(
        "the GraphiQL editor", lambda: browser.find_elements(By.CSS_SELECTOR, ".graphiql-execute-button")
    )
    browser.find_element(By.CSS_SELECTOR, ".graphiql-execute-button").click()

    def answer():
        text = browser.execute_script(
            "const view = document.querySelector('.result-window .CodeMirror');"
            "return view ? view.CodeMirror.getValue() : '';"
        )
        return json.loads(text) if text.strip().startswith("{") and "viewer" in text else None

    result = wait_for("the answer in the result pane", answer)
    assert result["data"]["viewer"]["party"] == {
        "type": "RESIDENTS_COMMITTEE",
        "name": "和平社区居委会 Heping Residents' Committee",
    }
    assert result["data"]["viewer"]["community"]["name"] == "和平社区 Heping Community"
