"""Turn a pytest-benchmark JSON report into the docs' performance table.

    python -m pytest benchmarks --benchmark-only --benchmark-json=results/benchmarks.json
    python benchmarks/perf_table.py results/benchmarks.json --update-docs

Every benchmark that stores a ``ratio`` (and optionally ``ratio_of``, what it
is measured against, and ``target``) in ``extra_info`` becomes one row. The
table of ``docs/performance.md`` sits between ``<!-- perf-table:begin -->`` and
``<!-- perf-table:end -->`` and is only ever written from such a report.
"""

from __future__ import annotations

import argparse
import json
import platform
import re
from pathlib import Path

PERFORMANCE_PAGE = Path(__file__).resolve().parent.parent / "docs" / "performance.md"
BEGIN, END = "<!-- perf-table:begin -->", "<!-- perf-table:end -->"


def table_from_report(report: dict) -> str:
    """Markdown rows (label, ratio, against, target) for the benchmarks that report a ratio."""
    machine = report.get("machine_info", {})
    cpu = machine.get("cpu", {}).get("brand_raw") or platform.processor() or "unknown CPU"
    lines = [
        f"Measured on {cpu}, {machine.get('cpu', {}).get('count', '?')} cores, "
        f"Python {machine.get('python_version', '?')}, "
        f"{report.get('datetime', '')[:10]}.",
        "",
        "| benchmark | ratio | against | target |",
        "|---|---|---|---|",
    ]
    for bench in report.get("benchmarks", []):
        info = bench.get("extra_info", {})
        if "ratio" not in info:
            continue
        label = info.get("label", bench["name"])
        lines.append(
            f"| {label} | {info['ratio']:.3f} | {info.get('ratio_of', '')} | "
            f"{info.get('target', '')} |"
        )
    return "\n".join(lines)


def update_page(table: str, page: Path = PERFORMANCE_PAGE) -> None:
    """Replace the table between the markers, leaving the rest of the page as it is."""
    text = page.read_text(encoding="utf-8")
    if BEGIN not in text or END not in text:
        raise SystemExit(f"{page} has no {BEGIN} … {END} block to update")
    pattern = re.compile(re.escape(BEGIN) + ".*?" + re.escape(END), re.S)
    page.write_text(pattern.sub(lambda _: f"{BEGIN}\n{table}\n{END}", text), encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", type=Path, help="file written by --benchmark-json")
    parser.add_argument(
        "--update-docs", action="store_true", help=f"write the table into {PERFORMANCE_PAGE.name}"
    )
    args = parser.parse_args(argv)
    table = table_from_report(json.loads(args.report.read_text()))
    print(table)
    if args.update_docs:
        update_page(table)


if __name__ == "__main__":
    main()
