"""The random-policy measurement, on a tiny fake peer env with known returns."""

from __future__ import annotations

import json

from leaderboard.measure_random import measure, random_returns, update_constants


class FakeSpace:
    def seed(self, seed):
        pass

    def sample(self):
        return 0


class FakePeerEnv:
    """Two peers, one advice phase then an act phase per round; every act pays 1 (2 for
    peer_1), advice pays 100 (which must not be counted), and a task episode lasts 3 acts."""

    possible_agents = ["peer_0", "peer_1"]

    def reset(self, seed=None):
        self.agents = list(self.possible_agents)
        self.phase = 0
        self.acts = 0
        return self._obs(), {}

    def _obs(self):
        role = 1 if self.phase % 2 == 0 else 0
        return {a: {"role": role, "observation": 0} for a in self.agents}

    def action_space(self, agent):
        return FakeSpace()

    def step(self, actions):
        acting = self.phase % 2 == 1
        self.phase += 1
        rewards = {"peer_0": 1.0, "peer_1": 2.0} if acting else {a: 100.0 for a in self.agents}
        infos = {a: {} for a in self.agents}
        if acting:
            self.acts += 1
            if self.acts % 3 == 0:
                infos = {a: {"task_terminated": True} for a in self.agents}
        done = {a: self.acts >= 6 for a in self.agents}
        agents = list(self.agents)
        if self.acts >= 6:
            self.agents = []
        return (
            {a: {"role": 1 if self.phase % 2 == 0 else 0} for a in agents},
            rewards,
            done,
            {a: False for a in agents},
            infos,
        )

    def close(self):
        pass


def test_only_act_phase_rewards_count_and_each_task_episode_is_one_return():
    returns = random_returns(FakePeerEnv(), episodes=6, seed=0)
    assert sorted(returns) == [3.0, 3.0, 3.0, 6.0, 6.0, 6.0]


def test_measure_writes_random_values_and_keeps_references(tmp_path):
    path = tmp_path / "constants.json"
    path.write_text(
        json.dumps({"envs": {"fake_v0": {"reference": {"value": 9.0, "source": "paper"}}}})
    )
    measured = measure(["fake_v0"], episodes=4, seed=0, make=lambda _: FakePeerEnv())
    update_constants(path, measured, "python leaderboard/measure_random.py --ids fake_v0")
    table = json.loads(path.read_text())["envs"]["fake_v0"]
    assert table["reference"] == {"value": 9.0, "source": "paper"}
    assert table["random"]["value"] == 4.5 and "measure_random.py" in table["random"]["source"]
