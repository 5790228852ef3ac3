"""The docs site: env pages generated from the registry, and the built site in a browser."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

import peerzoo

ROOT = Path(__file__).resolve().parents[2]


def load_hook():
    """The mkdocs hook module, loaded from its file as mkdocs loads it."""
    path = ROOT / "docs" / "hooks" / "generated_pages.py"
    spec = importlib.util.spec_from_file_location("generated_pages", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_registered_env_gets_a_page_from_its_module_docstring() -> None:
    hook = load_hook()
    nav_pages = [page for group in hook.env_nav() for pages in group.values() for page in pages]
    assert sorted(nav_pages) == sorted(f"envs/{env_id}.md" for env_id in peerzoo.envs())
    index = hook.envs_index()
    for env_id, doc in peerzoo.envs().items():
        page = hook.env_page(env_id)
        assert page.startswith(f"# {env_id}\n") and doc in page
        assert f"[`{env_id}`]({env_id}.md)" in index
    hopper = hook.env_page("peer_hopper_v0")
    assert "| Actions | continuous, `Box(-1, 1, (3,), float32)` (the task's) |" in hopper
    assert "[docs/protocol.md](../protocol.md)" in hopper  # docs mentions become links
    assert ":class:" not in hook.env_page("peer_room_v0")  # roles read as code


def test_envs_are_grouped_by_the_paper_they_come_from() -> None:
    groups = {name: pages for group in load_hook().env_nav() for name, pages in group.items()}
    assert "envs/peer_hopper_v0.md" in groups["Peer learning"]
    assert "envs/goal_cycle_v0.md" in groups["Social learning"]


def test_nothing_points_to_a_design_file_outside_the_repository() -> None:
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    offending = []
    for name in tracked:
        path = ROOT / name
        if path.suffix in {".py", ".md", ".json", ".toml", ".yml", ".cff"} and path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            if "DESIGN" + ".md" in text or "DESIGN" + " §" in text:
                offending.append(name)
    assert not offending, f"point to docs/design.md instead: {offending}"


@pytest.mark.browser
def test_the_built_site_shows_an_env_page_and_links_to_the_others(
    browser, serve, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(site)],
        cwd=ROOT,
        check=True,
    )
    browser.get(serve(site) + "/envs/peer_hopper_v0/")
    assert browser.find_element("css selector", "article h1").text == "peer_hopper_v0"
    cells = [c.text for c in browser.find_elements("css selector", "article table td")]
    assert 'peerzoo.make("peer_hopper_v0")' in cells

    link = browser.find_element("css selector", 'a[href$="goal_cycle_v0/"]')
    browser.get(link.get_attribute("href"))
    assert browser.find_element("css selector", "article h1").text == "goal_cycle_v0"
    headings = [h.text for h in browser.find_elements("css selector", "article h2")]
    assert "Rewards" in " ".join(headings)
