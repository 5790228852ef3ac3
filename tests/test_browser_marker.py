"""Tests that need Chromium are left out of the default run, and the run says so."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_default_run_deselects_browser_tests_and_says_how_to_run_them() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/leaderboard/test_site_browser.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=300,
    )
    assert result.returncode == 5, result.stdout  # pytest's "no tests ran": nothing else ran
    count = (ROOT / "tests/leaderboard/test_site_browser.py").read_text().count("\ndef test_")
    assert count >= 1 and f"{count} deselected" in result.stdout
    assert f"{count} browser test(s) deselected" in result.stdout
    assert "run them with `python -m pytest -m browser`" in result.stdout
