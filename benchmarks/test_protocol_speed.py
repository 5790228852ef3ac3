"""pytest-benchmark suite for the peer protocol's per-round cost (docs/performance.md).

Run: ``python -m pytest benchmarks/test_protocol_speed.py --benchmark-only``.
Each case benchmarks one peer round and its raw baseline side by side; the
interleaved median ratio is stored in ``extra_info["ratio"]`` and printed.
Ratios are reported, never asserted: timings are not pass/fail here.
"""

from __future__ import annotations

import pytest

from benchmarks.protocol_overhead import CASES, Case, overhead_ratio, peer_round, raw_round

# docs/performance.md: hard targets without advice, aims with advice="always".
TARGETS = {
    ("peer_hopper_v0", 4, "parallel", None): "≤ 1.08",
    ("peer_hopper_v0", 4, "aec", None): "≤ 1.15",
    ("peer_hopper_v0", 4, "parallel", "always"): "aim ≤ 1.15",
    ("peer_hopper_v0", 4, "aec", "always"): "aim ≤ 1.25",
}


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.label.replace(" ", "-"))
def test_peer_round(benchmark, case: Case) -> None:
    benchmark.group = f"{case.env_id} N={case.n_peers}"
    benchmark.extra_info.update(
        label=case.label,
        ratio=overhead_ratio(case),
        ratio_of=f"{case.n_peers} raw task steps",
        target=TARGETS.get((case.env_id, case.n_peers, case.api, case.advice), "report"),
    )
    benchmark(peer_round(case))
    print(f"\n{case.label}: round / {case.n_peers} raw steps = {benchmark.extra_info['ratio']:.3f}")


@pytest.mark.parametrize(
    "env_id, n_peers", [("peer_hopper_v0", 4), ("peer_hopper_v0", 8), ("peer_room_v0", 4)]
)
def test_raw_task_steps(benchmark, env_id: str, n_peers: int) -> None:
    benchmark.group = f"{env_id} N={n_peers}"
    benchmark(raw_round(env_id, n_peers))
