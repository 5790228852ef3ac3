"""The static site: a results page (``site/index.html``) and a page per method.

Sections per env (a sortable table per preset and its learning curves), the
across-task plots, the methods, then the smoke entries folded away. Plain HTML
and a few lines of JS, no CDN. Every submitted string is HTML-escaped; file and
image names are ours (indices, preset names from the schema's enum and
validated file names), never submitted text, so nothing can write or link
outside the site folder.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from leaderboard.across_tasks import PROFILE_TAUS, PresetAggregate
from leaderboard.budgets import env_budget
from leaderboard.escape import html_text
from leaderboard.layout import (
    EnvSection,
    Table,
    ci_text,
    env_sections,
    methods,
    optional,
    rank_text,
    tied_text,
    unranked_lines,
)
from leaderboard.plots import (
    CurveSeries,
    plot_interval_estimates,
    plot_learning_curves,
    plot_performance_profiles,
    plot_probability_of_improvement,
)
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
      var x = a.cells[th.cellIndex].dataset.sort, y = b.cells[th.cellIndex].dataset.sort;
      var c = numeric ? (parseFloat(x) || -Infinity) - (parseFloat(y) || -Infinity)
                      : x.localeCompare(y);
      return ascending ? c : -c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  });
});
"""

STYLE = """
body{font-family:system-ui,sans-serif;margin:0 auto;padding:1em 1.5em;max-width:1360px;
 color:#222;line-height:1.4}
nav{position:sticky;top:0;background:#fff;padding:.4em 0;border-bottom:1px solid #ddd;z-index:1}
nav a{margin-right:1.2em}
table{border-collapse:collapse;margin:.5em 0;font-size:14px;max-width:100%}
td,th{border:1px solid #ccc;padding:3px 7px;text-align:left;vertical-align:top}
th{cursor:pointer;background:#f0f0f0;white-space:nowrap}
th[data-order=asc]::after{content:" ▲"} th[data-order=desc]::after{content:" ▼"}
td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
td.file{max-width:15em;overflow-wrap:anywhere;font-size:12px}
td.name{max-width:14em;overflow-wrap:anywhere}
tr.reference td{background:#f7f7ff}
.plots{display:flex;flex-wrap:wrap;gap:1em}
figure{margin:.5em 0} figure img{max-width:100%;height:auto;border:1px solid #eee}
figcaption{font-size:13px;color:#555;max-width:640px}
.note{font-size:13px;color:#555;margin:.2em 0}
details>summary{cursor:pointer;font-size:1.3em;font-weight:bold;margin:1em 0}
"""

COLUMNS = [
    ("Rank", "number"),
    ("Method", "text"),
    ("Seeds", "number"),
    ("IQM [95% CI]", "number"),
    ("Mean [95% CI]", "number"),
    ("P(>ref)", "number"),
    ("Avg return over training", "number"),
    ("Final return", "number"),
    ("Tied with", "text"),
    ("File", "text"),
]


def _cell(text: str, sort_value: object, css: str = "") -> str:
    klass = f' class="{css}"' if css else ""
    return f'<td{klass} data-sort="{html_text(str(sort_value))}">{text}</td>'


def _number(value: float | None) -> object:
    return "" if value is None else value


class SiteWriter:
    """Writes one site: knows the method pages' names so every table can link to them."""

    def __init__(self, entries: list[EntryScore], site_dir: Path) -> None:
        self.site_dir = site_dir
        self.method_pages = {name: f"methods/m{i}.html" for i, name in enumerate(methods(entries))}

    def method_link(self, name: str, prefix: str = "") -> str:
        return f'<a href="{prefix}{self.method_pages[name]}">{html_text(name)}</a>'

    def row(self, e: EntryScore, prefix: str = "") -> str:
        rank = rank_text(e)
        if e.rank is None:
            rank = f'<span title="{html_text(e.unranked_reason or "")}">–</span>'
        cells = [
            _cell(rank, _number(e.rank), "num"),
            _cell(self.method_link(e.method_name, prefix), e.method_name, "name"),
            _cell(str(e.n_seeds), e.n_seeds, "num"),
            _cell(ci_text(e.iqm, e.iqm_ci), _number(e.iqm), "num"),
            _cell(ci_text(e.mean, e.mean_ci), _number(e.mean), "num"),
            _cell(
                optional(e.probability_of_improvement), _number(e.probability_of_improvement), "num"
            ),
            _cell(f"{e.average_return_over_training:.2f}", e.average_return_over_training, "num"),
            _cell(f"{e.final_return:.2f}", e.final_return, "num"),
            _cell(tied_text(e), tied_text(e)),
            _cell(
                f'<a href="{prefix}submissions/{e.file_name}">{html_text(e.file_name)}</a>',
                e.file_name,
                "file",
            ),
        ]
        css = ' class="reference"' if e.is_reference else ""
        return f"<tr{css}>" + "".join(cells) + "</tr>"

    def table(self, table: Table, table_id: str) -> str:
        header = "".join(
            f'<th data-type="{kind}" title="click to sort">{html_text(title)}</th>'
            for title, kind in COLUMNS
        )
        rows = "\n".join(self.row(e) for e in table.entries)
        notes = "".join(
            f'<p class="note">Unranked ({html_text(reason)}): {html_text(", ".join(names))}.</p>'
            for reason, names in unranked_lines(table.entries)
        )
        return (
            f'<table class="sortable board" id="{table_id}"><thead><tr>{header}</tr></thead>'
            f"<tbody>\n{rows}\n</tbody></table>{notes}"
        )

    def curves(self, table: Table, name: str) -> str:
        budget = env_budget(table.preset, table.env_id)
        series = [
            CurveSeries(
                e.method_name,
                [
                    ([p[0] for p in s["curve"]], [p[1] for p in s["curve"]])
                    for s in primary_evaluation(e.data)["seeds"]
                ],
            )
            for e in table.entries
        ]
        xmax = budget.steps_per_peer if budget else None
        plot_learning_curves(series, self.site_dir / "plots" / name, xmax=xmax)
        caption = (
            "Evaluation return (mean over peers) along training: mean over seeds, shaded 95% "
            "bootstrap CI over seeds; every method on the per-peer env-step axis"
            + (f", up to the preset's budget of {xmax:,}." if xmax else ".")
        )
        return (
            f'<figure><img class="curves" src="plots/{name}" '
            f'alt="learning curves, {html_text(table.env_id)}, {html_text(table.preset)} preset">'
            f"<figcaption>{caption}</figcaption></figure>"
        )

    def env_sections(self, sections: list[EnvSection], key: str) -> str:
        parts = []
        for i, section in enumerate(sections):
            anchor = f"{key}{i}"
            parts.append(f'<section class="env" id="{anchor}"><h2>{html_text(section.env_id)}</h2>')
            for table in section.tables:
                table_id = f"{anchor}-{table.preset}"
                parts.append(f"<h3>{html_text(table.preset)} preset</h3>")
                parts.append(self.table(table, table_id))
                parts.append(self.curves(table, f"curves_{table_id}.png"))
            parts.append("</section>")
        return "\n".join(parts)

    def aggregates(self, aggregates: list[PresetAggregate]) -> str:
        parts = ['<section id="across-tasks"><h2>Across tasks</h2>']
        if not aggregates:
            parts.append(
                "<p>No ranked entries yet. Once a preset has them, this section shows, per "
                "preset, the IQM and optimality gap over all envs, performance profiles and "
                "each method's probability of improvement over the reference.</p>"
            )
        for agg in aggregates:
            p = agg.preset
            plots = self.site_dir / "plots"
            rows = {
                f"{m.method} ({len(m.envs)} envs)": {
                    "IQM": m.iqm,
                    "Optimality gap": m.optimality_gap,
                }
                for m in agg.methods
            }
            plot_interval_estimates(rows, plots / f"aggregate_{p}.png")
            plot_performance_profiles(
                PROFILE_TAUS,
                {m.method: m.profile for m in agg.methods},
                {m.method: m.profile_ci for m in agg.methods},
                plots / f"profiles_{p}.png",
            )
            poi = {
                m.method: m.probability_of_improvement
                for m in agg.methods
                if m.probability_of_improvement is not None
            }
            figures = [
                (
                    f"aggregate_{p}.png",
                    "IQM and optimality gap (shortfall below the reference, 1) of the "
                    "normalised scores over seeds and envs; bars are 95% stratified-bootstrap "
                    "CIs.",
                ),
                (
                    f"profiles_{p}.png",
                    "Performance profiles: fraction of runs above each normalised score, "
                    "with 95% CI bands.",
                ),
            ]
            if poi:
                plot_probability_of_improvement(poi, plots / f"improvement_{p}.png")
                figures.append(
                    (
                        f"improvement_{p}.png",
                        "Probability that a run of the method beats a run of the env's "
                        "reference, averaged over envs; 0.5 is no difference.",
                    )
                )
            envs = ", ".join(html_text(e) for e in agg.envs)
            parts.append(f'<h3>{html_text(p)} preset</h3><p class="note">Envs: {envs}.</p>')
            parts.append('<div class="plots">')
            parts += [
                f'<figure><img class="aggregate" src="plots/{name}" alt="{html_text(text[:60])}">'
                f"<figcaption>{html_text(text)}</figcaption></figure>"
                for name, text in figures
            ]
            parts.append("</div>")
        parts.append("</section>")
        return "\n".join(parts)

    def methods_section(self, entries: list[EntryScore]) -> str:
        items = "".join(
            f"<li>{self.method_link(name)}: "
            f"{html_text(group[0].data['method'].get('description', ''))} "
            f'<span class="note">({_entries(len(group))})</span></li>'
            for name, group in methods(entries).items()
        )
        return f'<section id="methods"><h2>Methods</h2><ul>{items}</ul></section>'

    def method_page(self, name: str, group: list[EntryScore]) -> None:
        method = group[0].data["method"]
        url = method.get("code_url")
        code = (
            f'<a href="{html_text(url)}" rel="nofollow noopener">{html_text(url)}</a>'
            if url
            else "not given"
        )
        header = "".join(
            f'<th data-type="{kind}">{title}</th>'
            for title, kind in (
                ("Env", "text"),
                ("Preset", "text"),
                ("Seeds", "number"),
                ("Rank", "number"),
                ("IQM [95% CI]", "number"),
                ("Avg return over training", "number"),
                ("Final return", "number"),
                ("Config hash", "text"),
                ("File", "text"),
            )
        )
        rows = "".join(
            "<tr>"
            + _cell(html_text(e.train_env_id), e.train_env_id)
            + _cell(html_text(e.preset_name), e.preset_name)
            + _cell(str(e.n_seeds), e.n_seeds, "num")
            + _cell(
                f'<span title="{html_text(e.unranked_reason or "")}">{rank_text(e)}</span>',
                _number(e.rank),
                "num",
            )
            + _cell(ci_text(e.iqm, e.iqm_ci), _number(e.iqm), "num")
            + _cell(f"{e.average_return_over_training:.2f}", e.average_return_over_training, "num")
            + _cell(f"{e.final_return:.2f}", e.final_return, "num")
            + _cell(
                f'<code title="{html_text(e.data["config_hash"])}">'
                f"{html_text(e.data['config_hash'][:12])}</code>",
                e.data["config_hash"],
            )
            + _cell(
                f'<a href="../submissions/{e.file_name}">{html_text(e.file_name)}</a>',
                e.file_name,
                "file",
            )
            + "</tr>"
            for e in group
        )
        body = (
            f'<nav><a href="../index.html">← leaderboard</a></nav>'
            f"<h1>{html_text(name)}</h1>"
            f"<p>{html_text(method.get('description', ''))}</p>"
            f"<p>Code: {code}<br>Config hash: per entry below (hover for the full hash).</p>"
            f'<h2>Every env it ran</h2><table class="sortable" id="runs">'
            f"<thead><tr>{header}</tr></thead><tbody>{rows}</tbody></table>"
        )
        path = self.site_dir / self.method_pages[name]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_page(f"{name} — peerzoo leaderboard", body), encoding="utf-8")


def _entries(count: int) -> str:
    return f"{count} entry" if count == 1 else f"{count} entries"


def _page(title: str, body: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy"
 content="default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html_text(title)}</title>
<style>{STYLE}</style></head>
<body>{body}
<script>{SORT_SCRIPT}</script>
</body></html>
"""


INTRO = """<p>Score = (R − R<sub>random</sub>) / (R<sub>ref</sub> − R<sub>random</sub>) per seed:
R the mean final evaluation return on the training env, R<sub>random</sub> the measured random
policy, R<sub>ref</sub> the reference entry of the same env and preset (<code>single</code> on the
peer tasks, <code>solo_ppo_aux</code> on the social tasks; shaded rows), so 1 is the lone
learner's level. IQM and mean over seeds with 95% stratified-bootstrap CIs (rliable); P(&gt;ref)
is the probability of improvement over the reference's seeds; a rank such as <b>2=</b> is a
statistical tie (overlapping IQM CIs) with the ranks under <i>Tied with</i>. <i>Avg return over
training</i> is the paper's metric. An entry ranks with ≥ 5 seeds at a non-smoke preset and the
reference entry at that preset; hover over – to see what is missing. Click a header to sort.</p>"""


def render_site(
    entries: list[EntryScore],
    rejected: list[tuple[str, list[str]]],
    aggregates: list[PresetAggregate],
    submissions_dir: Path,
    site_dir: Path,
) -> Path:
    """Write ``index.html``, the method pages, the plots and copies of the entries' files."""
    if site_dir.exists():
        shutil.rmtree(site_dir)
    (site_dir / "submissions").mkdir(parents=True)
    for e in entries:  # names are validated: plain file names inside submissions_dir
        shutil.copyfile(submissions_dir / e.file_name, site_dir / "submissions" / e.file_name)
    writer = SiteWriter(entries, site_dir)
    main = env_sections(entries, smoke=False)
    smoke = env_sections(entries, smoke=True)
    nav = [f'<a href="#env{i}">{html_text(s.env_id)}</a>' for i, s in enumerate(main)]
    nav += ['<a href="#across-tasks">Across tasks</a>', '<a href="#methods">Methods</a>']
    if smoke:
        nav.append('<a href="#smoke">Smoke entries</a>')
    if rejected:
        nav.append('<a href="#rejected">Rejected files</a>')
    parts = ["<h1>peerzoo leaderboard</h1>", f"<nav>{''.join(nav)}</nav>", INTRO]
    if not entries:
        parts.append("<p>No submissions yet.</p>")
    elif not main:
        parts.append(
            "<p>No entries at a ranked preset (short, paper) yet: every entry so far is a "
            "smoke run (below). An env's entries rank once they and its reference entry "
            "land at one of those presets with ≥ 5 seeds.</p>"
        )
    parts.append(writer.env_sections(main, "env"))
    parts.append(writer.aggregates(aggregates))
    if entries:
        parts.append(writer.methods_section(entries))
    if smoke:
        count = sum(len(t.entries) for s in smoke for t in s.tables)
        parts.append(
            f'<details id="smoke"><summary>Smoke entries ({count})</summary>'
            '<p class="note">A check that every task × method runs end to end; never ranked.</p>'
            f"{writer.env_sections(smoke, 'smoke')}</details>"
        )
    if rejected:
        items = "".join(
            f"<li>{html_text(name)}: {html_text('; '.join(errors[:5]))}</li>"
            for name, errors in rejected
        )
        parts.append(f'<section id="rejected"><h2>Rejected files</h2><ul>{items}</ul></section>')
    for name, group in methods(entries).items():
        writer.method_page(name, group)
    index = site_dir / "index.html"
    index.write_text(_page("peerzoo leaderboard", "\n".join(parts)), encoding="utf-8")
    return index
