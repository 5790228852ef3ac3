"""Figures of the study pages: matplotlib without a display, saved next to the page."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def pyplot() -> Any:
    """``matplotlib.pyplot`` on the Agg backend (studies run headless, under ``nohup``)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def save_figure(fig: Any, path: Path, docs_dir: Path) -> list[str]:
    """Save ``fig`` as ``path`` and return the page's Markdown lines that show it."""
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    pyplot().close(fig)
    return [f"![{path.stem}]({path.relative_to(docs_dir).as_posix()})", ""]
