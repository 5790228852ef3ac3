"""The site in a real browser: sections, sorting, CI-band curves, aggregate plots, method pages.

Marked ``browser``: they need Debian's chromium and chromium-driver (``apt-get
install -y chromium chromium-driver``, as ``.ci/run`` does), so the default run
deselects them; ``python -m pytest -m browser`` runs them, and fails naming what to
install when they are absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from leaderboard.build import build
from tests.conftest import BROWSER_WINDOW
from tests.leaderboard.conftest import KNOWN_IDS, make_submission, put

pytestmark = pytest.mark.browser

WINDOW = BROWSER_WINDOW


def populate(board: Path) -> None:
    """Two peer envs and a social env at the short preset, each with its reference; smoke."""
    for env_id in ("peer_room_v0", "peer_hopper_v0"):
        levels = (("single", 10.0), ("bravo", 30.0), ("alpha", 12.0), ("charlie", 20.0))
        for name, level in levels:
            put(board, f"{name}_{env_id}.json", make_submission(name, env_id, level=level))
    for name, level in (("solo_ppo_aux", 1.0), ("social_ppo_aux", 2.0)):
        put(board, f"{name}.json", make_submission(name, "goal_cycle_v0", level=level, n_peers=1))
    put(board, "smoke_single.json", make_submission("single", preset="smoke"))
    put(board, "smoke_alpha.json", make_submission("alpha", preset="smoke"))


@pytest.fixture
def site_url(board: Path, serve):
    populate(board)
    build(board, board / "constants" / "normalisation.json", KNOWN_IDS, reps=100)
    return serve(board / "site") + "/index.html"


def css(driver, selector: str) -> list:
    return driver.find_elements("css selector", selector)


def loaded(driver, img) -> bool:
    return driver.execute_script("return arguments[0].complete && arguments[0].naturalWidth", img)


def column(driver, table_id: str, header: str) -> list[str]:
    headers = [h.text.rstrip(" ▲▼") for h in css(driver, f"#{table_id} th")]
    index = headers.index(header)
    return [
        row.find_elements("css selector", "td")[index].text
        for row in css(driver, f"#{table_id} tbody tr")
    ]


def test_a_section_per_env_then_across_tasks_methods_and_a_folded_smoke_section(browser, site_url):
    browser.get(site_url)
    sections = [h.text for h in css(browser, "body > section > h2")]
    assert sections == [
        "peer_hopper_v0",
        "peer_room_v0",
        "goal_cycle_v0",
        "Across tasks",
        "Methods",
    ]
    smoke = browser.find_element("css selector", "details#smoke")
    assert smoke.get_attribute("open") is None  # collapsed
    assert not css(browser, "#smoke table")[0].is_displayed()
    smoke.find_element("css selector", "summary").click()
    assert css(browser, "#smoke table")[0].is_displayed()
    # the page fits a 1400 px window: no horizontal scrolling
    assert browser.execute_script("return document.documentElement.scrollWidth") <= WINDOW[0]


def test_clicking_a_header_sorts_that_table(browser, site_url):
    browser.get(site_url)
    table = "env1-short"  # peer_room_v0
    ranked = column(browser, table, "Method")
    assert ranked == ["bravo", "charlie", "alpha", "single"]  # by IQM, best first
    method_header = next(h for h in css(browser, f"#{table} th") if h.text == "Method")
    method_header.click()
    assert column(browser, table, "Method") == ["alpha", "bravo", "charlie", "single"]
    method_header.click()
    assert column(browser, table, "Method") == ["single", "charlie", "bravo", "alpha"]
    next(h for h in css(browser, f"#{table} th") if h.text.startswith("Final return")).click()
    finals = [float(x) for x in column(browser, table, "Final return")]
    assert finals == sorted(finals) and finals[0] < finals[-1]
    assert column(browser, "env0-short", "Method")[0] == "bravo"  # other tables untouched


def test_every_env_shows_its_learning_curves_with_ci_bands(browser, site_url):
    browser.get(site_url)
    for section in css(browser, "body > section.env"):
        (img,) = section.find_elements("css selector", "img.curves")
        assert loaded(browser, img) and img.size["width"] > 300
        caption = section.find_element("css selector", "figcaption").text
        heading = section.find_element("css selector", "h2").text
        assert "95%" in caption and heading not in caption  # says what the band is, not the title


def test_the_across_task_section_shows_its_plots(browser, site_url):
    browser.get(site_url)
    images = css(browser, "#across-tasks img.aggregate")
    sources = [img.get_attribute("src").rsplit("/", 1)[-1] for img in images]
    assert sources == ["aggregate_short.png", "profiles_short.png", "improvement_short.png"]
    assert all(loaded(browser, img) for img in images)


def test_a_method_page_lists_every_env_it_ran(browser, site_url):
    browser.get(site_url)
    browser.find_element("css selector", "#methods a[href$='.html']").click()
    assert browser.find_element("css selector", "h1").text == "alpha"
    envs = sorted(column(browser, "runs", "Env"))
    assert envs == ["peer_hopper_v0", "peer_room_v0", "peer_room_v0"]
    assert "Config hash" in browser.find_element("css selector", "body").text
    link = browser.find_element("css selector", 'a[href="../submissions/alpha_peer_room_v0.json"]')
    assert link.text == "alpha_peer_room_v0.json"
