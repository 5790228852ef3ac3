"""What pip installs: compatible ranges in pyproject.toml, tested versions in CI's constraints."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
REQUIREMENTS = [
    Requirement(text)
    for group in [PROJECT["dependencies"], *PROJECT["optional-dependencies"].values()]
    for text in group
    if not text.startswith("peerzoo[")  # an extra naming other extras
]


def pinned_versions() -> dict[str, str]:
    """``.ci/constraints.txt`` as name -> pinned version."""
    pins = {}
    for line in (ROOT / ".ci" / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            pins[canonicalize_name(name)] = version
    return pins


@pytest.mark.parametrize("requirement", REQUIREMENTS, ids=str)
def test_every_dependency_is_a_compatible_range_holding_the_tested_version(
    requirement: Requirement,
) -> None:
    operators = {spec.operator for spec in requirement.specifier}
    assert "==" not in operators, f"{requirement}: a range, not an exact pin"
    assert ">=" in operators and "<" in operators, f"{requirement}: give both bounds"
    pinned = pinned_versions().get(canonicalize_name(requirement.name))
    assert pinned, f"{requirement.name} has no tested version in .ci/constraints.txt"
    assert requirement.specifier.contains(pinned, prereleases=True), (
        f"the tested {requirement.name}=={pinned} is outside {requirement}"
    )
