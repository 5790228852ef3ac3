"""Escaping of submitted text: names come from strangers and must stay text everywhere."""

from __future__ import annotations

import html
import re

# Inline syntax only: submitted text lands inside table cells and list items, never at a
# line start, so block markers (#, -, +, digits) cannot take effect there.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()|~$!])")


def md(text: str) -> str:
    """Markdown-inert text: entities for ``<>&``, backslashes for inline syntax, one line."""
    flat = " ".join(str(text).split())
    return _MD_SPECIAL.sub(r"\\\1", html.escape(flat, quote=False))


def html_text(text: str) -> str:
    """Text safe inside HTML elements and quoted attributes."""
    return html.escape(str(text), quote=True)


def plot_label(text: str) -> str:
    """Matplotlib label without mathtext (``$``) interpretation, capped in length."""
    return str(text)[:60].replace("$", r"\$")
