"""The static site: ``site/index.html`` (sortable table, plain JS, no CDN) and curve plots.

Every submitted string is HTML-escaped; file and image names are ours (indices
and validated file names), never submitted text, so nothing can write or link
outside the site folder.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np

from leaderboard.escape import html_text, plot_label
from leaderboard.scoring import EntryScore, primary_evaluation

SORT_SCRIPT = """
document.querySelectorAll("table.sortable th").forEach(function (th, col) {
  th.addEventListener("click", function () {
    var table = th.closest("table"), body = table.tBodies[0];
    var numeric = th.dataset.type === "number";
    var ascending = th.dataset.order !== "asc";
    table.querySelectorAll("th").forEach(function (h) { delete h.dataset.order; });
    th.dataset.order = ascending ? "asc" : "desc";
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = a.cells[col].dataset.sort, y = b.cells[col].dataset.sort;
      var c = numeric ? (parseFloat(x) || -Infinity) - (parseFloat(y) || -Infinity)
                      : x.localeCompare(y);
      return ascending ? c : -c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  });
});
"""

COLUMNS = [
    ("Rank", "number"),
    ("Method", "text"),
    ("Train env", "text"),
    ("Preset", "text"),
    ("Seeds", "number"),
    ("IQM [95% CI]", "number"),
    ("Mean [95% CI]", "number"),
    ("P(>ref)", "number"),
    ("Final return", "number"),
    ("Avg over training", "number"),
    ("CI overlaps", "text"),
    ("File", "text"),
]


def plot_curves(entries: list[EntryScore], plot_dir: Path) -> dict[str, str]:
    """One PNG per train env: mean-over-seeds curve of each entry, shaded min–max over seeds."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plot_dir.mkdir(parents=True, exist_ok=True)
    paths: dict[str, str] = {}
    for index, env_id in enumerate(sorted({e.train_env_id for e in entries})):
        fig, ax = plt.subplots(figsize=(6, 3.6), dpi=90)
        for entry in (e for e in entries if e.train_env_id == env_id):
            steps, mean, low, high = _curve_band(entry)
            label = plot_label(f"{entry.method_name} ({entry.preset_name})")
            (line,) = ax.plot(steps, mean, label=label)
            ax.fill_between(steps, low, high, alpha=0.2, color=line.get_color())
        ax.set_title(plot_label(env_id))
        ax.set_xlabel("env steps per peer")
        ax.set_ylabel("mean return over peers")
        ax.legend(fontsize=7)
        fig.tight_layout()
        name = f"plots/curves_{index}.png"
        fig.savefig(plot_dir.parent / name)
        plt.close(fig)
        paths[env_id] = name
    return paths


def _curve_band(entry: EntryScore) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Seeds may evaluate at different steps: use the steps of the first seed, interpolating."""
    seeds = primary_evaluation(entry.data)["seeds"]
    steps = np.array([p[0] for p in seeds[0]["curve"]], dtype=float)
    values = np.array(
        [np.interp(steps, [p[0] for p in s["curve"]], [p[1] for p in s["curve"]]) for s in seeds]
    )
    return steps, values.mean(axis=0), values.min(axis=0), values.max(axis=0)


def _cell(text: str, sort_value: object) -> str:
    return f'<td data-sort="{html_text(str(sort_value))}">{text}</td>'


def _ci_text(point: float | None, ci: tuple[float, float] | None) -> str:
    if point is None or ci is None:
        return "–"
    return f"{point:.3f} [{ci[0]:.3f}, {ci[1]:.3f}]"


def _row(e: EntryScore) -> str:
    rank = (
        str(e.rank)
        if e.rank is not None
        else f'<span title="{html_text(e.unranked_reason or "")}">unranked</span>'
    )
    overlaps = ", ".join(f"#{r}" for r in e.overlaps_with) or "–"
    name = html_text(e.method_name)
    url = e.data["method"].get("code_url")
    if url:
        name = f'<a href="{html_text(url)}" rel="nofollow noopener">{name}</a>'
    cells = [
        _cell(rank, e.rank if e.rank is not None else ""),
        _cell(name, e.method_name),
        _cell(html_text(e.train_env_id), e.train_env_id),
        _cell(html_text(e.preset_name), e.preset_name),
        _cell(str(e.n_seeds), e.n_seeds),
        _cell(_ci_text(e.iqm, e.iqm_ci), "" if e.iqm is None else e.iqm),
        _cell(_ci_text(e.mean, e.mean_ci), "" if e.mean is None else e.mean),
        _cell(
            "–" if e.probability_of_improvement is None else f"{e.probability_of_improvement:.2f}",
            "" if e.probability_of_improvement is None else e.probability_of_improvement,
        ),
        _cell(f"{e.final_return:.2f}", e.final_return),
        _cell(f"{e.average_return_over_training:.2f}", e.average_return_over_training),
        _cell(overlaps, overlaps),
        _cell(f'<a href="submissions/{e.file_name}">{html_text(e.file_name)}</a>', e.file_name),
    ]
    return "<tr>" + "".join(cells) + "</tr>"


def render_site(
    entries: list[EntryScore],
    rejected: list[tuple[str, list[str]]],
    submissions_dir: Path,
    site_dir: Path,
) -> Path:
    """Write ``index.html``, the plots and copies of the entries' files under ``site_dir``."""
    if site_dir.exists():
        shutil.rmtree(site_dir)
    (site_dir / "submissions").mkdir(parents=True)
    for e in entries:  # names are validated: plain file names inside submissions_dir
        shutil.copyfile(submissions_dir / e.file_name, site_dir / "submissions" / e.file_name)
    plots = plot_curves(entries, site_dir / "plots") if entries else {}
    header = "".join(
        f'<th data-type="{kind}" title="click to sort">{html_text(title)}</th>'
        for title, kind in COLUMNS
    )
    rows = "\n".join(_row(e) for e in entries) or (
        f'<tr><td colspan="{len(COLUMNS)}">No submissions yet.</td></tr>'
    )
    figures = "\n".join(
        f'<figure><img src="{src}" alt="learning curves on {html_text(env)}">'
        f"<figcaption>{html_text(env)}</figcaption></figure>"
        for env, src in plots.items()
    )
    rejected_html = "".join(
        f"<li>{html_text(name)}: {html_text('; '.join(errors[:5]))}</li>"
        for name, errors in rejected
    )
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy"
 content="default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'">
<title>peerzoo leaderboard</title>
<style>body{{font-family:sans-serif;margin:2em}} table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:4px 8px}} th{{cursor:pointer;background:#eee}}
figure{{display:inline-block;margin:1em}}</style></head>
<body><h1>peerzoo leaderboard</h1>
<p>Normalised score (R − R_random)/(R_reference − R_random); IQM and mean over seeds with 95%
stratified-bootstrap CIs (rliable). Entries whose IQM CIs overlap are statistically tied (see
"CI overlaps"). Smoke entries and entries with fewer than 5 seeds are listed, not ranked.
Click a column header to sort.</p>
<table class="sortable" id="leaderboard"><thead><tr>{header}</tr></thead>
<tbody>
{rows}
</tbody></table>
<h2>Learning curves</h2>
{figures}
{"<h2>Rejected files</h2><ul>" + rejected_html + "</ul>" if rejected else ""}
<script>{SORT_SCRIPT}</script>
</body></html>
"""
    index = site_dir / "index.html"
    index.write_text(page, encoding="utf-8")
    return index
