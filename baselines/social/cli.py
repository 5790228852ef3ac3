"""What the social CLIs (``baselines.social.ppo``, ``baselines.social.bc``) share.

Each CLI is generated from its config dataclass (``baselines.command_line``):
``--preset`` picks the method's config, every field is a flag. Here: the run
options that are not config fields, and ``--track``.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
from typing import Any


def social_run_options() -> argparse.ArgumentParser:
    """The social CLIs' flags that are not config fields."""
    parser = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    parser.add_argument("--threads", type=int, default=1, help="torch CPU threads")
    parser.add_argument("--track", action="store_true", help="also log to W&B (offline default)")
    return parser


def tracked(options: argparse.Namespace, name: str, config: Any) -> Any:
    """A W&B run around training with ``--track`` (it mirrors the TensorBoard logs)."""
    if not options.track:
        return contextlib.nullcontext()
    from baselines.tracking import wandb_run

    config_json = json.loads(json.dumps(dataclasses.asdict(config), default=str))
    return wandb_run(f"{name}__{config.env_id}__seed{config.seed}", config_json, config.logdir)
