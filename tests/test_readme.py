"""The README (and the docs pages) are followed by newcomers verbatim: what they show must run."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
PYTHON_BLOCK = re.compile(r"^```python\n(.*?)^```", flags=re.S | re.M)
PYTHON_BLOCKS = PYTHON_BLOCK.findall(README)
DOCS_BLOCKS = [
    (page.relative_to(ROOT).as_posix(), block)
    for page in sorted((ROOT / "docs").rglob("*.md"))
    for block in PYTHON_BLOCK.findall(page.read_text(encoding="utf-8"))
]


def quick_start_commands() -> list[str]:
    """The lines .ci/run executes: the fenced commands between the quick-start markers."""
    block = README.split("<!-- quick-start:begin -->")[1].split("<!-- quick-start:end -->")[0]
    return [line for line in block.splitlines() if line and not line.startswith("```")]


def test_the_readme_shows_a_parallel_loop_and_an_aec_agent_iter_loop() -> None:
    assert any('api="parallel"' in b and "while env.agents" in b for b in PYTHON_BLOCKS)
    assert any("env.agent_iter()" in b and "env.last()" in b for b in PYTHON_BLOCKS)


@pytest.mark.parametrize("index", range(len(PYTHON_BLOCKS)))
def test_every_python_block_of_the_readme_runs(index: int) -> None:
    exec(compile(PYTHON_BLOCKS[index], f"README.md python block {index}", "exec"), {})


@pytest.mark.parametrize(("page", "block"), DOCS_BLOCKS, ids=[p for p, _ in DOCS_BLOCKS])
def test_every_python_block_of_the_docs_pages_runs(page: str, block: str) -> None:
    exec(compile(block, f"{page} python block", "exec"), {})


def test_the_quick_start_is_two_commands_that_install_the_tested_versions() -> None:
    main_job, tests = quick_start_commands()
    assert "benchmarks/run_all.py --preset smoke" in main_job
    assert tests.endswith(".venv/bin/python -m pytest")
    for command in (main_job, tests):
        assert "pip install -c .ci/constraints.txt -e" in command
    constraints = (ROOT / ".ci" / "constraints.txt").read_text(encoding="utf-8").splitlines()
    assert "torch==2.13.0+cpu" in constraints  # the CPU build, never a CUDA one


def test_the_readme_never_claims_the_package_is_on_pypi() -> None:
    assert not re.search(r"^\s*pip install (\"|')?peerzoo", README, flags=re.M)


def test_the_citation_file_names_the_current_version() -> None:
    import peerzoo

    cff = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    assert f'version: "{peerzoo.__version__}"' in cff
    assert f"version = {{{peerzoo.__version__}}}" in README  # the BibTeX entry of peerzoo
