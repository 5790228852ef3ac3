"""Random advice: peers that act at random and follow a uniformly random peer's advice.

The smallest method the sweep runs; a template for your own. It walks the peer
protocol's phases, answers advice requests and acts, and every
``budget.eval_every`` env steps yields ``(env_steps_per_peer, policy)``: the sweep
scores each policy with ``peerzoo.evaluate`` and builds the record itself.

    python benchmarks/run_all.py --add-method mine=examples/random_advice.py:run@room \\
        --method mine --env peer_room_v0
"""

import numpy as np

import peerzoo


def run(env_id, seed, budget):
    """Random actions; at each act turn, follow a uniformly random adviser (self included)."""
    env = peerzoo.make(env_id, api="parallel", autoreset=True)
    space = env.action_space(env.possible_agents[0])
    space.seed(seed)
    rng = np.random.default_rng(seed)
    own_policy = lambda observations, peers: [space.sample() for _ in peers]
    obs, _ = env.reset(seed=seed)
    steps = 0
    while steps < budget.steps_per_peer:
        actions = {agent: space.sample() for agent in env.agents}
        for agent, o in obs.items():
            advisers = np.flatnonzero(o["advice_mask"])
            if o["role"] == peerzoo.ACT and rng.integers(len(advisers) + 1) < len(advisers):
                actions[agent] = o["advice"][rng.choice(advisers)]
        acted = any(o["role"] == peerzoo.ACT for o in obs.values())
        obs, *_ = env.step(actions)
        steps += acted  # an act phase steps every peer's task once
        if acted and (steps % budget.eval_every == 0 or steps == budget.steps_per_peer):
            yield steps, own_policy
