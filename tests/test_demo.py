"""The README's main-job demo: random peers, per-peer returns, reproducible from the seed."""

from __future__ import annotations

from peerzoo.demo import main, run_random_peers


def test_demo_reports_one_return_per_peer_and_repeats_with_the_seed(capsys) -> None:
    first = run_random_peers("peer_room_v0", n_peers=3, rounds=250, seed=4)
    assert sorted(first) == ["peer_0", "peer_1", "peer_2"]
    assert all(len(values) == 3 for values in first.values()), "episodes end at 100, 200, cut"
    assert first == run_random_peers("peer_room_v0", n_peers=3, rounds=250, seed=4)
    main(["--env", "peer_room_v0", "--n-peers", "2", "--rounds", "100"])
    out = capsys.readouterr().out
    assert "peer_0" in out and "peer_1" in out and "mean return" in out
