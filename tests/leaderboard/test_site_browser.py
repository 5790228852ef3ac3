"""The site in a real browser: headless Chromium sorts the table and shows the plots.

Needs Debian's chromium and chromium-driver (``apt-get install -y chromium
chromium-driver``, as ``.ci/run`` does) and selenium (in ``peerzoo[dev]``); the test
fails, naming what to install, when they are absent.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path

import pytest

from leaderboard.build import build
from tests.leaderboard.conftest import KNOWN_IDS, make_submission, put

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture
def site_url(board: Path):
    for name, level in (("bravo", 30.0), ("alpha", 10.0), ("charlie", 20.0)):
        put(board, f"{name}.json", make_submission(name=name, level=level))
    build(board, board / "constants" / "normalisation.json", KNOWN_IDS, reps=100)
    handler = functools.partial(QuietHandler, directory=str(board / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/index.html"
    server.shutdown()
    server.server_close()


@pytest.fixture
def browser(tmp_path: Path):
    if not (CHROMIUM and CHROMEDRIVER):
        pytest.fail("chromium/chromedriver absent: apt-get install -y chromium chromium-driver")
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


def column_texts(driver, index: int) -> list[str]:
    return [
        row.find_elements("css selector", "td")[index].text
        for row in driver.find_elements("css selector", "#leaderboard tbody tr")
    ]


def test_clicking_a_header_sorts_the_table_and_the_plot_loads(browser, site_url):
    browser.get(site_url)
    headers = [h.text for h in browser.find_elements("css selector", "#leaderboard th")]
    method_col = headers.index("Method")
    final_col = headers.index("Final return")

    browser.find_elements("css selector", "#leaderboard th")[method_col].click()
    assert column_texts(browser, method_col) == ["alpha", "bravo", "charlie"]
    browser.find_elements("css selector", "#leaderboard th")[method_col].click()
    assert column_texts(browser, method_col) == ["charlie", "bravo", "alpha"]

    browser.find_elements("css selector", "#leaderboard th")[final_col].click()
    finals = [float(x) for x in column_texts(browser, final_col)]
    assert finals == sorted(finals) and finals[0] < finals[-1]

    images = browser.find_elements("css selector", "figure img")
    assert images
    assert all(
        browser.execute_script("return arguments[0].complete && arguments[0].naturalWidth", img) > 0
        for img in images
    )
    link = browser.find_element("css selector", 'a[href="submissions/alpha.json"]')
    assert link.text == "alpha.json"
