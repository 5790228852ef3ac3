"""mkdocs hook: the pages that are generated at build time, never written twice by hand.

* one page per registered env from its module docstring (the docstring *is* the
  env's documentation, as in Gymnasium and PettingZoo), plus an index of them,
  appended to the nav's "Environments" section;
* the leaderboard's ``CONTRIBUTING.md`` and rendered ``LEADERBOARD.md``, with the
  files they link to (the schema, the constants, the committed submissions).

The page builders are plain functions of the registry, so a test can check them
without running mkdocs.
"""

from __future__ import annotations

import inspect
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # `mkdocs build` from a clone, peerzoo not installed
    sys.path.insert(0, str(ROOT))

import peerzoo  # noqa: E402  (after the path above)

ENV_DIR = "envs"
FAMILIES = {"peerzoo.peer.envs": "Peer learning", "peerzoo.social.envs": "Social learning"}
# Docstrings point to docs pages as "docs/<page>.md" (readable in help()); on an env page
# those become links, relative to envs/.
_DOCS_MENTION = re.compile(r"docs/([a-z_]+)\.md")
# Sphinx-style roles (":class:`~peerzoo.tasks.RoomEnv`") read as plain code on a page.
_ROLE = re.compile(r":(?:class|func|meth|mod|attr):`~?([^`]+)`")
# Leaderboard files copied into the site, so the pages' relative links resolve there too.
LEADERBOARD_PAGES = {
    "leaderboard/contributing.md": "CONTRIBUTING.md",
    "leaderboard/board.md": "LEADERBOARD.md",
}
LEADERBOARD_FILES = (
    "submission.schema.v1.json",
    "constants/normalisation.json",
    "submissions/*.json",
)


def env_family(env_id: str) -> str:
    """``Peer learning`` or ``Social learning``: which paper's setting the env belongs to."""
    package = peerzoo.spec(env_id).module.__name__.rpartition(".")[0]
    return FAMILIES[package]


def env_page(env_id: str) -> str:
    """The Markdown page of ``env_id``: its module docstring under the id as title."""
    module = peerzoo.spec(env_id).module
    summary, _, body = (inspect.getdoc(module) or "").partition("\n")
    source = Path(inspect.getfile(module)).relative_to(ROOT).as_posix()
    text = "\n".join(
        [
            f"# {env_id}",
            "",
            f"*{summary.strip()}*",
            body,
            "",
            "---",
            "",
            f"{env_family(env_id)} · source: `{source}` · "
            f'`peerzoo.make("{env_id}")` (AEC), `peerzoo.make("{env_id}", api="parallel")`',
            "",
        ]
    )
    text = _ROLE.sub(r"`\1`", text)
    return _DOCS_MENTION.sub(lambda m: f"[docs/{m[1]}.md](../{m[1]}.md)", text)


def envs_index() -> str:
    """A table of every registered env: id (linked to its page), family and one-line doc."""
    lines = [
        "# Environments",
        "",
        "Every registered id, generated from the registry at build time. Each page is",
        "the env module's docstring, which is also what `help()` shows.",
        "",
        "| id | family | what it is |",
        "|---|---|---|",
    ]
    for env_id, doc in peerzoo.envs().items():
        lines.append(f"| [`{env_id}`]({env_id}.md) | {env_family(env_id)} | {doc} |")
    return "\n".join(lines) + "\n"


def env_nav() -> list[dict[str, list[str]]]:
    """The nav entries of the env pages, grouped by family."""
    groups: dict[str, list[str]] = {family: [] for family in FAMILIES.values()}
    for env_id in peerzoo.envs():
        groups[env_family(env_id)].append(f"{ENV_DIR}/{env_id}.md")
    return [{family: pages} for family, pages in groups.items() if pages]


def on_config(config: Any) -> Any:
    for entry in config["nav"]:
        if isinstance(entry, dict) and "Environments" in entry:
            entry["Environments"].extend(env_nav())
            return config
    raise ValueError("mkdocs.yml's nav has no 'Environments' section for the env pages")


def on_files(files: Any, config: Any) -> Any:
    from mkdocs.structure.files import File

    def add(src_uri: str, content: str | bytes) -> None:
        files.append(File.generated(config, src_uri, content=content))

    add(f"{ENV_DIR}/index.md", envs_index())
    for env_id in peerzoo.envs():
        add(f"{ENV_DIR}/{env_id}.md", env_page(env_id))
    for src_uri, name in LEADERBOARD_PAGES.items():
        add(src_uri, (ROOT / "leaderboard" / name).read_text(encoding="utf-8"))
    for pattern in LEADERBOARD_FILES:
        for path in sorted((ROOT / "leaderboard").glob(pattern)):
            add(path.relative_to(ROOT).as_posix(), path.read_bytes())
    return files
