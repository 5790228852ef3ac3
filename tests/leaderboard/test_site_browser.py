"""The site in a real browser: headless Chromium sorts the table and shows the plots.

Marked ``browser``: it needs Debian's chromium and chromium-driver (``apt-get
install -y chromium chromium-driver``, as ``.ci/run`` does), so the default run
deselects it; ``python -m pytest -m browser`` runs it, and fails naming what to
install when they are absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from leaderboard.build import build
from tests.leaderboard.conftest import KNOWN_IDS, make_submission, put

pytestmark = pytest.mark.browser


@pytest.fixture
def site_url(board: Path, serve):
    for name, level in (("bravo", 30.0), ("alpha", 10.0), ("charlie", 20.0)):
        put(board, f"{name}.json", make_submission(name=name, level=level))
    build(board, board / "constants" / "normalisation.json", KNOWN_IDS, reps=100)
    return serve(board / "site") + "/index.html"


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
