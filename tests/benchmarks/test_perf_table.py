"""The docs' performance table is written only from a pytest-benchmark report."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.perf_table import BEGIN, END, table_from_report, update_page

REPORT = {
    "machine_info": {"cpu": {"brand_raw": "Test CPU", "count": 2}, "python_version": "3.11.7"},
    "datetime": "2026-11-24T09:00:00",
    "benchmarks": [
        {"name": "a", "extra_info": {"label": "case A", "ratio": 1.0449, "ratio_of": "4 raw"}},
        {"name": "raw", "extra_info": {}},
    ],
}


def test_rows_come_from_benchmarks_that_report_a_ratio() -> None:
    table = table_from_report(REPORT)
    assert "| case A | 1.045 | 4 raw |  |" in table
    assert "raw" not in table.split("\n", 3)[-1].replace("4 raw", "")
    assert table.startswith("Measured on Test CPU, 2 cores, Python 3.11.7, 2026-11-24.")


def test_update_replaces_only_the_marked_block(tmp_path: Path) -> None:
    page = tmp_path / "performance.md"
    page.write_text(f"intro\n{BEGIN}\nold\n{END}\noutro\n")
    update_page("new table", page)
    assert page.read_text() == f"intro\n{BEGIN}\nnew table\n{END}\noutro\n"
    page.write_text("no markers")
    with pytest.raises(SystemExit, match="no"):
        update_page("x", page)


def test_the_default_target_is_the_docs_performance_page() -> None:
    from benchmarks.perf_table import PERFORMANCE_PAGE

    text = PERFORMANCE_PAGE.read_text(encoding="utf-8")
    assert PERFORMANCE_PAGE.parent.name == "docs" and BEGIN in text and END in text
