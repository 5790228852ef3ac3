"""The peer protocol's one state machine; the AEC and parallel envs are thin views of it.

A *round* advances every active task copy by one step. It is a list of
*phases*; in every phase each peer has exactly one turn (docs/protocol.md):

* advice phases p = 1 … N−1 (a Latin square): peer j advises subject
  i = (j + p) mod N if i asked j, else its turn is IDLE. A phase in which
  nobody advises is skipped, so a round without requests is the act phase alone.
* the act phase: every active peer sees its own state plus the recommendations
  it received and answers with the action its task copy executes.

The core owns all state, validates every action before anything changes, and
builds observations on demand from small preallocated arrays, so a view can
hand out one phase's observations without copying big arrays.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import gymnasium
import numpy as np
from gymnasium import spaces

from peerzoo.errors import PeerConfigError, TurnOrderError
from peerzoo.peer.render import tile_frames
from peerzoo.peer.schedules import AdviceSchedule, Stepping
from peerzoo.peer.scripted import ScriptedFactory, ScriptedPeer, resolve_scripted
from peerzoo.peer.validation import make_validator

ACT, ADVISE, IDLE = 0, 1, 2
ROLE_NAMES = ("ACT", "ADVISE", "IDLE")
MAX_PEERS = 64

TaskFactory = Callable[..., gymnasium.Env]

# Immutable numpy scalars shared by every observation: no per-turn allocation.
_ROLE_VALUES = tuple(np.int64(role) for role in (ACT, ADVISE, IDLE))


def _read_only(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array


def check_n_peers(n_peers: Any) -> int:
    """Validate ``n_peers`` with a message that says what is allowed."""
    if isinstance(n_peers, bool) or not isinstance(n_peers, (int, np.integer)):
        raise PeerConfigError(f"n_peers must be an integer in [1, {MAX_PEERS}]; got {n_peers!r}.")
    if not 1 <= int(n_peers) <= MAX_PEERS:
        raise PeerConfigError(f"n_peers must be in [1, {MAX_PEERS}]; got {n_peers}.")
    return int(n_peers)


class PeerCore:
    """N task copies plus the round/phase state machine of the peer protocol.

    Args:
        task_fn: builds one task copy; called as ``task_fn(render_mode=...)``.
        n_peers: number of learning peers (agents ``peer_0`` …).
        advice: advice schedule (see :class:`~peerzoo.peer.schedules.AdviceSchedule`).
        stepping: ``"lockstep"`` or ``"round_robin:E"``.
        autoreset: reset a task copy in place when its episode ends.
        scripted: scripted advisors (names from ``scripted_catalogue`` or objects).
        scripted_catalogue: the task's named scripted peers.
        advisor_reward_share: share of the advisee's reward credited to each advisor.
        max_rounds: truncate every agent after this many rounds (None: never).
        render_mode: ``None`` or ``"rgb_array"``.
    """

    def __init__(
        self,
        task_fn: TaskFactory,
        n_peers: int,
        *,
        advice: str | None = "always",
        stepping: str = "lockstep",
        autoreset: bool = False,
        scripted: Sequence[str | ScriptedPeer] = (),
        scripted_catalogue: Mapping[str, ScriptedFactory] | None = None,
        advisor_reward_share: float = 0.0,
        max_rounds: int | None = None,
        render_mode: str | None = None,
    ) -> None:
        self.n = n = check_n_peers(n_peers)
        self.schedule = AdviceSchedule.parse(advice)
        self.stepping = Stepping.parse(stepping)
        if not isinstance(autoreset, bool):
            raise PeerConfigError(f"autoreset must be True or False; got {autoreset!r}.")
        if not 0.0 <= float(advisor_reward_share) <= 1.0:
            raise PeerConfigError(
                f"advisor_reward_share must be in [0, 1]; got {advisor_reward_share!r}."
            )
        if max_rounds is not None and (
            isinstance(max_rounds, bool) or not isinstance(max_rounds, int) or max_rounds < 1
        ):
            raise PeerConfigError(f"max_rounds must be a positive int or None; got {max_rounds!r}.")
        self.autoreset = autoreset
        self.advisor_reward_share = float(advisor_reward_share)
        self.max_rounds = max_rounds
        self.render_mode = render_mode
        self.agents = [f"peer_{i}" for i in range(n)]

        self.tasks = [task_fn(render_mode=render_mode) for _ in range(n)]
        self.action_space = self.tasks[0].action_space
        self.task_observation_space = self.tasks[0].observation_space
        self.validate_action = make_validator(self.action_space)
        self.scripted = resolve_scripted(scripted, self.action_space, scripted_catalogue or {})
        self.scripted_names = [peer.name for peer in self.scripted]
        self.n_total = n_total = n + len(self.scripted)

        self._continuous = isinstance(self.action_space, spaces.Box)
        if self._continuous:
            act_shape = self.action_space.shape
            advice_space: spaces.Space = spaces.Box(
                -np.inf, np.inf, (n_total, *act_shape), np.float32
            )
            self._advice = np.zeros((n, n_total, *act_shape), np.float32)
        else:
            if int(self.action_space.start) != 0:
                raise PeerConfigError("Discrete action spaces must start at 0.")
            advice_space = spaces.MultiDiscrete([int(self.action_space.n)] * n_total)
            self._advice = np.zeros((n, n_total), np.int64)
        self._mask = np.zeros((n, n_total), np.int8)
        self._zero_advice = _read_only(np.zeros(self._advice.shape[1:], self._advice.dtype))
        self._zero_mask = _read_only(np.zeros(n_total, np.int8))
        self.observation_space = spaces.Dict(
            {
                "observation": self.task_observation_space,
                "role": spaces.Discrete(3),
                "subject": spaces.Discrete(n),
                "advice": advice_space,
                "advice_mask": spaces.MultiBinary(n_total),
            }
        )
        self._subject_values = tuple(np.int64(i) for i in range(n))

        # Per-peer state: plain lists, since N is small and numpy's per-call
        # overhead would dominate a round.
        self._obs: list[Any] = [None] * n
        self._episode_over = [False] * n
        self._last_terminated = [False] * n
        self._last_truncated = [False] * n
        self._act_steps = [0] * n
        self._advice_count = [0] * n
        self._budget_left = [int(self.schedule.value)] * n
        self._everyone_else = [frozenset(range(n_total)) - {i} for i in range(n)]
        self._identity = list(range(n))
        # Round state.
        self._active = [False] * n
        self._requested = [False] * n
        self._any_requested = False
        self._asked: list[frozenset[int]] = [frozenset()] * n
        self._plan_cache: dict[tuple[bool, ...], list[tuple[int, list[int], list[int]]]] = {}
        self._phases: list[tuple[int, list[int], list[int]]] = []
        self._phase_pos = 0
        self.roles: list[int] = [IDLE] * n
        self.subjects: list[int] = self._identity
        self._post_act: dict[int, dict[str, Any]] = {}
        self._rr_peer = 0
        self._rr_steps = 0
        self.round = 0
        self.started = False
        self.finished = False
        self.final_terminations = [False] * n
        self.final_truncations = [False] * n
        self.rng = np.random.default_rng()
        self._seeded = False

    # ------------------------------------------------------------------ reset
    def reset(self, seed: int | None = None, options: dict[str, Any] | None = None) -> None:
        """Reset every task copy; seeds come from ``SeedSequence(seed).spawn(N + 1)``.

        Children 0 … N−1 seed the task copies (``spawn(N)``, see docs/protocol.md), child N
        the protocol's own randomness (``prob`` schedules, scripted peers).
        """
        task_seeds: list[int | None] = [None] * self.n
        if seed is not None or not self._seeded:
            children = np.random.SeedSequence(seed).spawn(self.n + 1)
            task_seeds = [int(child.generate_state(1)[0]) for child in children[: self.n]]
            self.rng = np.random.default_rng(children[self.n])
            self._seeded = True
        for i, task in enumerate(self.tasks):
            self._obs[i], _ = task.reset(seed=task_seeds[i])
        self._episode_over = [False] * self.n
        self._last_terminated = [False] * self.n
        self._last_truncated = [False] * self.n
        self._act_steps = [0] * self.n
        self._advice_count = [0] * self.n
        if options and options.get("reset_budget"):
            self._budget_left = [int(self.schedule.value)] * self.n
        self._fresh_advice_buffers()
        self._post_act = {}
        self._rr_peer = 0
        self._rr_steps = 0
        self.round = 0
        self.started = True
        self.finished = False
        self.final_terminations = [False] * self.n
        self.final_truncations = [False] * self.n
        self._start_round()

    # ------------------------------------------------------------------ rounds
    def _start_round(self) -> None:
        n, over = self.n, self._episode_over
        if self.stepping.is_lockstep:
            active = [not done for done in over]
        else:
            active = [False] * n
            active[self._rr_peer] = not over[self._rr_peer]
        self._active = active
        self._requested = requested = [False] * n
        self._asked = asked = [frozenset()] * n
        schedule = self.schedule
        if schedule.may_request and schedule.kind != "on_request":
            for i in range(n):
                if active[i] and schedule.wants(self._act_steps[i], self._budget_left[i], self.rng):
                    requested[i] = True
                    asked[i] = self._everyone_else[i]
                    if schedule.kind == "budget":
                        self._budget_left[i] -= 1
        self._plan_phases(cacheable=True)

    def _plan_phases(self, cacheable: bool) -> None:
        """Lay out the round's advice phases; nobody asked means the act phase alone.

        Phases where no peer advises are dropped. With every requester asking
        everyone (all schedules but explicit ``request`` calls) the layout only
        depends on who requested, so it is cached by that pattern.
        """
        self._any_requested = any(self._requested)
        phases: list[tuple[int, list[int], list[int]]] = []
        if self._any_requested:
            key = tuple(self._requested)
            cached = self._plan_cache.get(key) if cacheable else None
            if cached is None:
                cached = self._advice_phases()
                if cacheable:
                    if len(self._plan_cache) >= 1024:
                        self._plan_cache.clear()
                    self._plan_cache[key] = cached
            phases = list(cached)
        phases.append((0, [], []))  # the act phase; roles are filled in on entry
        self._phases = phases
        self._phase_pos = 0
        self._enter_phase()

    def _advice_phases(self) -> list[tuple[int, list[int], list[int]]]:
        n, asked = self.n, self._asked
        phases = []
        for p in range(1, n):
            roles, subjects = [IDLE] * n, list(range(n))
            for j in range(n):
                subject = (j + p) % n
                if j in asked[subject]:
                    roles[j], subjects[j] = ADVISE, subject
            if ADVISE in roles:
                phases.append((p, roles, subjects))
        return phases

    def _enter_phase(self) -> None:
        p, roles, subjects = self._phases[self._phase_pos]
        if p:
            self.roles, self.subjects = roles, subjects
            return
        self.roles = [ACT if active else IDLE for active in self._active]
        self.subjects = self._identity
        if self.scripted and self._any_requested:
            self._add_scripted_advice()

    def _add_scripted_advice(self) -> None:
        for i in range(self.n):
            if not self._requested[i]:
                continue
            for k, peer in enumerate(self.scripted):
                row = self.n + k
                if row in self._asked[i]:
                    action = peer.recommend(self._obs[i], self.rng)
                    self._advice[i, row] = self.validate_action(
                        action,
                        lambda peer=peer, i=i: f"scripted peer {peer.name!r} advising peer_{i}",
                    )
                    self._mask[i, row] = 1

    @property
    def in_act_phase(self) -> bool:
        return self._phases[self._phase_pos][0] == 0

    @property
    def at_round_start(self) -> bool:
        return self._phase_pos == 0

    def describe_turn(self, i: int) -> str:
        """``peer_2 (ADVISE turn for peer_0, advice phase 1 of 3, round 7)``: for error messages."""
        p = self._phases[self._phase_pos][0]
        phase = f"advice phase {p} of {self.n - 1}" if p else "act phase"
        role = ROLE_NAMES[self.roles[i]]
        whom = f" for peer_{self.subjects[i]}" if self.roles[i] == ADVISE else ""
        return f"peer_{i} ({role} turn{whom}, {phase}, round {self.round})"

    # ------------------------------------------------------------------ requests
    def request(self, i: int, advisors: Iterable[int | str] | None = None) -> None:
        """Make peer ``i`` ask ``advisors`` (default: every other peer) this round."""
        who = self.agents[i]
        if self.schedule.kind != "on_request":
            raise PeerConfigError(
                f"{who}: env.request() needs advice='on_request'; this env was made "
                f"with a {self.schedule.kind!r} schedule."
            )
        self.check_running(who)
        if not self.at_round_start:
            raise TurnOrderError(
                f"{who}: env.request() must be called before a round starts; "
                f"round {self.round} is already at {self.describe_turn(i).split(', ', 1)[1]}."
            )
        if not self._active[i]:
            raise TurnOrderError(
                f"{who} does not act in round {self.round} (its task episode ended or "
                "another peer holds the round-robin turn), so it cannot request advice."
            )
        rows = self._advisor_rows(i, advisors)
        self._requested[i] = True
        self._asked[i] = self._asked[i] | frozenset(rows)
        self._plan_phases(cacheable=False)

    def _advisor_rows(self, i: int, advisors: Iterable[int | str] | None) -> list[int]:
        if advisors is None:
            return [k for k in range(self.n_total) if k != i]
        names = self.agents + self.scripted_names
        rows = []
        for advisor in advisors:
            row = names.index(advisor) if advisor in names else advisor
            if (
                isinstance(row, bool)
                or not isinstance(row, (int, np.integer))
                or not (0 <= row < self.n_total)
            ):
                raise PeerConfigError(
                    f"peer_{i}: unknown advisor {advisor!r}; choose from {names} or their indices."
                )
            if row == i:
                raise PeerConfigError(f"peer_{i} cannot ask itself for advice.")
            rows.append(int(row))
        return rows

    def check_running(self, who: str) -> None:
        """Raise :class:`TurnOrderError` before ``reset`` or after the last round."""
        if not self.started:
            raise TurnOrderError(f"{who}: call reset() before acting.")
        if self.finished:
            raise TurnOrderError(
                f"{who}: every task episode has ended (round {self.round}); call reset()."
            )

    # ------------------------------------------------------------------ turns
    def observe(self, i: int) -> dict[str, Any]:
        """Peer ``i``'s observation for its turn in the current phase."""
        role = self.roles[i]
        if role == ADVISE:
            subject = self.subjects[i]
            return {
                "observation": self._obs[subject],
                "role": _ROLE_VALUES[ADVISE],
                "subject": self._subject_values[subject],
                "advice": self._zero_advice,
                "advice_mask": self._zero_mask,
            }
        if role == ACT and self._requested[i]:
            # Read-only views: each round writes a fresh buffer (see _fresh_advice_buffers),
            # so what a learner holds never changes under it.
            advice, mask = self._advice[i], self._mask[i]
            advice.flags.writeable = mask.flags.writeable = False
        else:
            advice, mask = self._zero_advice, self._zero_mask
        return {
            "observation": self._obs[i],
            "role": _ROLE_VALUES[role],
            "subject": self._subject_values[i],
            "advice": advice,
            "advice_mask": mask,
        }

    def info(self, i: int) -> dict[str, Any]:
        """Peer ``i``'s info for its turn in the current phase (keys: docs/protocol.md)."""
        info = {
            "role": self.roles[i],
            "subject": self.subjects[i],
            "requested": self._requested[i],
            "advice_count": self._advice_count[i],
        }
        extra = self._post_act.get(i)
        if extra:
            info.update(extra)
        return info

    def submit_phase(self, actions: Sequence[Any]) -> list[float]:
        """Apply one phase's validated actions (index = peer) and advance; returns rewards."""
        if self._phases[self._phase_pos][0] == 0:
            return self._act(actions)
        self._post_act = {}
        advice, mask, subjects, roles = self._advice, self._mask, self.subjects, self.roles
        for j in range(self.n):
            if roles[j] == ADVISE:
                advice[subjects[j], j] = actions[j]
                mask[subjects[j], j] = 1
        self._phase_pos += 1
        self._enter_phase()
        return [0.0] * self.n

    def _act(self, actions: Sequence[Any]) -> list[float]:
        n = self.n
        rewards = [0.0] * n
        post_act: dict[int, dict[str, Any]] = {}
        share = self.advisor_reward_share
        if self._any_requested:
            advised = self._mask.any(axis=1).tolist()
            followed = self._followed(actions)
        else:
            advised, followed = [False] * n, [-1] * n
        for i in range(n):
            if self.roles[i] != ACT:
                continue
            obs, reward, terminated, truncated, task_info = self.tasks[i].step(actions[i])
            reward = float(reward)
            rewards[i] += reward
            if share and advised[i]:
                for j in np.flatnonzero(self._mask[i, :n]):
                    rewards[j] += share * reward
            self._act_steps[i] += 1
            if advised[i]:
                self._advice_count[i] += 1
            extra: dict[str, Any] = {"followed": followed[i]}
            if terminated or truncated:
                extra["task_terminated"] = bool(terminated)
                extra["task_truncated"] = bool(truncated)
                extra["final_observation"] = obs
                extra["final_info"] = task_info
                self._last_terminated[i] = bool(terminated)
                self._last_truncated[i] = bool(truncated)
                if self.autoreset:
                    obs, _ = self.tasks[i].reset()
                    self._advice_count[i] = 0
                else:
                    self._episode_over[i] = True
            self._obs[i] = obs
            post_act[i] = extra
        self._post_act = post_act
        if self._any_requested:
            self._fresh_advice_buffers()
        self.round += 1
        if not self.stepping.is_lockstep:
            self._advance_round_robin()
        if all(self._episode_over):
            self._finish(cut=False)
        elif self.max_rounds is not None and self.round >= self.max_rounds:
            self._finish(cut=True)
        else:
            self._start_round()
        return rewards

    def _fresh_advice_buffers(self) -> None:
        """New zeroed recommendation buffers: one allocation per round with advice."""
        self._advice = np.zeros_like(self._advice)
        self._mask = np.zeros_like(self._mask)

    def _followed(self, actions: Sequence[Any]) -> list[int]:
        """Per peer, the first advisor row equal to its executed action, −1 for its own."""
        executed = np.asarray(actions, dtype=self._advice.dtype)
        equal = self._advice == executed[:, None]
        if equal.ndim > 2:
            equal = equal.reshape(self.n, self.n_total, -1).all(axis=2)
        equal &= self._mask.astype(bool)
        return np.where(equal.any(axis=1), equal.argmax(axis=1), -1).tolist()

    def _advance_round_robin(self) -> None:
        self._rr_steps += 1
        if self._rr_steps >= self.stepping.epoch or self._episode_over[self._rr_peer]:
            self._rr_steps = 0
            for offset in range(1, self.n + 1):
                candidate = (self._rr_peer + offset) % self.n
                if not self._episode_over[candidate]:
                    self._rr_peer = candidate
                    break

    def _finish(self, cut: bool) -> None:
        self.finished = True
        for i in range(self.n):
            if self._episode_over[i]:
                self.final_terminations[i] = self._last_terminated[i]
                self.final_truncations[i] = self._last_truncated[i]
            else:  # cut short by max_rounds
                self.final_truncations[i] = cut
        self.roles = [IDLE] * self.n
        self.subjects = self._identity
        self._requested = [False] * self.n
        self._any_requested = False

    # ------------------------------------------------------------------ extras
    @property
    def state_space(self) -> spaces.Box:
        """Every peer's task observation, stacked (peers × task observation)."""
        space = self.task_observation_space
        if not isinstance(space, spaces.Box):
            raise NotImplementedError(f"state() needs a Box task observation space, not {space}.")
        low = np.broadcast_to(space.low, (self.n, *space.shape))
        high = np.broadcast_to(space.high, (self.n, *space.shape))
        return spaces.Box(low, high, dtype=space.dtype)

    def state(self) -> np.ndarray:
        """The global state: all task copies' current observations, stacked."""
        return np.stack(self._obs).astype(self.task_observation_space.dtype, copy=False)

    def render(self) -> np.ndarray | None:
        """Tile the task copies' frames (``rgb_array``); None for other modes."""
        if self.render_mode != "rgb_array":
            return None
        return tile_frames([task.render() for task in self.tasks])

    def close(self) -> None:
        for task in self.tasks:
            task.close()
