"""The social ids are reachable through peerzoo's and PettingZoo's registries."""

from __future__ import annotations

import subprocess
import sys

import pettingzoo
import pytest
from pettingzoo import AECEnv, ParallelEnv

import peerzoo.social.envs  # noqa: F401  (registers the ids)
from peerzoo.registry import envs, make
from peerzoo.social.envs import SOCIAL_ENV_IDS


@pytest.mark.parametrize("env_id", SOCIAL_ENV_IDS)
def test_peerzoo_make_builds_both_forms(env_id: str) -> None:
    assert isinstance(make(env_id), AECEnv)
    par = make(env_id, api="parallel", n_experts=0, obs_mode="symbolic")
    assert isinstance(par, ParallelEnv)
    assert par.n_experts == 0


def test_pettingzoo_registry_knows_goal_cycle() -> None:
    env = pettingzoo.make("aec", "peerzoo/goal_cycle-v0")
    env.reset(seed=0)
    assert env.agents == ["learner_0"]
    par = pettingzoo.make("parallel", "peerzoo/goal_cycle-v0")
    assert isinstance(par, ParallelEnv)


def test_import_peerzoo_exposes_the_social_ids_with_one_line_docs() -> None:
    import peerzoo

    docs = peerzoo.envs()
    assert "Goal Cycle" in docs["goal_cycle_v0"]
    assert all(env_id in docs for env_id in SOCIAL_ENV_IDS)
    assert peerzoo.make("goal_cycle_v0", api="parallel").metadata["name"] == "goal_cycle_v0"


def test_one_line_docs_come_from_the_module_docstrings() -> None:
    docs = envs()
    for env_id in SOCIAL_ENV_IDS:
        assert docs[env_id] and "\n" not in docs[env_id]


def test_importing_and_stepping_imports_neither_pygame_nor_torch() -> None:
    code = (
        "import sys\n"
        "from peerzoo.social.envs import goal_cycle_v0 as m\n"
        "env = m.parallel_env(render_mode='rgb_array'); env.reset(seed=0)\n"
        "env.step({'learner_0': 2}); env.render()\n"
        "bad = [x for x in ('pygame', 'torch', 'tianshou') if x in sys.modules]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
