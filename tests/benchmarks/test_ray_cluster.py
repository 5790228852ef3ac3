"""A sweep on a two-node Ray cluster: code shipped through runtime_env, records back to the driver.

Both nodes run on this machine, each with its own temp dir, started from a
directory outside the repository and without PYTHONPATH: a worker can only
import the sweep and the methods from the working directory the driver ships.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks import run_all

REPO = Path(__file__).resolve().parents[2]
RAY = str(Path(sys.executable).with_name("ray"))  # the venv's, activated or not


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_node(args: list[str], env: dict[str, str], cwd: str) -> int:
    """``ray start`` in a new process group; returns the group id its daemons inherit."""
    temp_dir = tempfile.mkdtemp(prefix="ray", dir="/tmp")  # Unix socket paths must stay short
    command = [
        RAY,
        "start",
        *args,
        "--num-cpus=1",
        "--node-ip-address=127.0.0.1",
        f"--temp-dir={temp_dir}",
        f"--dashboard-agent-listen-port={free_port()}",
        "--disable-usage-stats",
    ]
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env=env,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output, _ = process.communicate(timeout=120)
    assert process.returncode == 0, output
    return process.pid


def stop_groups(groups: list[int]) -> None:
    """Stop the nodes' processes (and only those): TERM, then KILL what is left after 5 s."""

    def alive() -> list[int]:
        left = []
        for group in groups:
            try:
                os.killpg(group, 0)
                left.append(group)
            except ProcessLookupError:
                pass
        return left

    for sig in (signal.SIGTERM, signal.SIGKILL):
        for group in alive():
            os.killpg(group, sig)
        deadline = time.time() + 5
        while alive() and time.time() < deadline:
            time.sleep(0.1)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory) -> Iterator[str]:
    outside = str(tmp_path_factory.mktemp("elsewhere"))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["RAY_USAGE_STATS_ENABLED"] = "0"
    port = free_port()
    groups: list[int] = []
    temp_dirs_before = set(Path("/tmp").glob("ray*"))
    try:
        head = ["--head", f"--port={port}", "--include-dashboard=false"]
        head.append(f"--ray-client-server-port={free_port()}")
        groups.append(start_node(head, env, outside))
        groups.append(start_node([f"--address=127.0.0.1:{port}"], env, outside))
        yield f"127.0.0.1:{port}"
    finally:
        stop_groups(groups)
        for temp_dir in set(Path("/tmp").glob("ray*")) - temp_dirs_before:
            shutil.rmtree(temp_dir, ignore_errors=True)


def stored(results: Path) -> dict[str, dict]:
    out = {}
    for path in sorted((results / "runs").rglob("seed*.json")):
        record = json.loads(path.read_text())
        record.pop("wall_time_s")
        out[str(path.relative_to(results))] = record
    return out


def test_a_sweep_spreads_over_two_nodes_and_the_driver_stores_every_record(
    cluster: str, tmp_path: Path
) -> None:
    sweep = [
        "--add-method",
        "toy=tests.benchmarks.toy_methods:counting",
        "--method",
        "toy",
        "--env",
        "peer_room_v0",
        "--env",
        "peer_hopper_v0",
        "--no-plots",
    ]
    env = {**os.environ, "RAY_USAGE_STATS_ENABLED": "0", "TOY_SLEEP": "1"}
    command = [sys.executable, "benchmarks/run_all.py", *sweep, "--results", str(tmp_path / "ray")]
    done = subprocess.run(
        [*command, "--ray", cluster], cwd=REPO, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout + done.stderr
    nodes = set(re.findall(r"^ok +\S+ \(\S+ on node (\w+)\)", done.stdout, re.MULTILINE))
    assert len(nodes) == 2, done.stdout
    assert len(list((tmp_path / "ray" / "logs").rglob("events.out.tfevents.*"))) == 4
    assert run_all.run([*sweep, "--results", str(tmp_path / "local"), "--workers", "1"]) == 0
    assert stored(tmp_path / "ray") == stored(tmp_path / "local")


def test_jobs_run_in_the_shipped_working_directory(cluster: str, tmp_path: Path) -> None:
    sweep = ["--add-method", "where=tests.benchmarks.toy_methods:whereabouts@room"]
    sweep += ["--env", "peer_room_v0", "--seed", "0", "--no-plots", "--results", str(tmp_path)]
    env = {**os.environ, "RAY_USAGE_STATS_ENABLED": "0"}
    done = subprocess.run(
        [sys.executable, "benchmarks/run_all.py", *sweep, "--method", "where", "--ray", cluster],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    record = json.loads((tmp_path / "runs/smoke/peer_room_v0/where/seed0.json").read_text())
    shipped = Path(record["cwd"])
    assert shipped != REPO and "working_dir_files" in shipped.parts
    assert (shipped / "benchmarks" / "run_all.py").exists()
    assert not (shipped / ".git").exists() and not (shipped / ".venv").exists()
