"""Test-wide settings and the tests that need more than pip.

Headless rendering for MuJoCo (EGL) and pygame (dummy video). Tests marked
``browser`` drive Debian's Chromium, a system package pip cannot install, so the
default run deselects them (``addopts`` in pyproject.toml) and says at the end how
many it left out and how to run them; ``.ci/run`` installs Chromium and runs them.
The ``browser`` fixture is the one headless Chromium every such test uses.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("MUJOCO_GL", "egl")
os.environ.setdefault("PYOPENGL_PLATFORM", "egl")
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

BROWSER_MARKER = "browser"
BROWSER_INSTALL = "apt-get install -y chromium chromium-driver"
BROWSER_COMMAND = "python -m pytest -m browser"

_deselected_browser_tests: list[str] = []


def pytest_deselected(items: list[pytest.Item]) -> None:
    _deselected_browser_tests.extend(
        item.nodeid for item in items if item.get_closest_marker(BROWSER_MARKER)
    )


def pytest_terminal_summary(terminalreporter: Any) -> None:
    count = len(_deselected_browser_tests)
    if count:
        terminalreporter.write_line(
            f"{count} browser test(s) deselected: they need Chromium ({BROWSER_INSTALL}); "
            f"run them with `{BROWSER_COMMAND}`",
            yellow=True,
        )


BROWSER_WINDOW = (1400, 1000)  # the width the results pages must fit


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    """A headless Chromium driven by selenium; fails naming the install when it is absent."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    chromedriver = shutil.which("chromedriver")
    if not (chromium and chromedriver):
        pytest.fail(f"chromium/chromedriver absent: {BROWSER_INSTALL}")
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = chromium
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--window-size={BROWSER_WINDOW[0]},{BROWSER_WINDOW[1]}",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(chromedriver), options=options)
    yield driver
    driver.quit()


@pytest.fixture
def serve() -> Iterator[Any]:
    """``serve(folder)`` -> the base URL of a local HTTP server over ``folder`` (loopback only)."""
    import functools
    import http.server
    import threading

    class QuietHandler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    servers = []

    def start(folder: Path) -> str:
        handler = functools.partial(QuietHandler, directory=str(folder))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()
