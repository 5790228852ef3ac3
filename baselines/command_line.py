"""Command lines generated from the config dataclasses with tyro: every knob is a flag.

A CLI picks a named preset first (``--preset``, a config resolved before any
flag is read), then tyro fills the overrides from the config dataclass itself,
nested configs included (``--trust.temperature 2``, ``--ppo.lr 3e-4``), so a
field added to a config is on the command line without touching the CLI. Flags
that are not config fields (where to write, whether to resume) belong to a
small argparse parser of run options, read first.
"""

from __future__ import annotations

import argparse
import dataclasses
import difflib
import typing
from collections.abc import Callable, Sequence
from typing import TypeVar

Config = TypeVar("Config")


def config_flags(config_type: type, prefix: str = "") -> list[str]:
    """The flags tyro generates for ``config_type``: ``--field-name``, ``--nested.field``,
    and ``--no-field`` beside each boolean."""
    hints = typing.get_type_hints(config_type)
    flags = []
    for field in dataclasses.fields(config_type):
        name = field.name.replace("_", "-")
        kind = hints[field.name]
        if dataclasses.is_dataclass(kind):
            flags += config_flags(kind, f"{prefix}{name}.")
            continue
        flags.append(f"--{prefix}{name}")
        if kind is bool:
            flags.append(f"--{prefix}no-{name}")
    return flags


def check_flags(args: Sequence[str], valid: Sequence[str], command: str) -> None:
    """Stop with one line naming each unknown flag (and its closest match) and the valid ones."""
    unknown = []
    for arg in args:
        flag = arg.split("=", 1)[0]
        if flag.startswith("--") and flag not in valid and flag != "--help":
            close = difflib.get_close_matches(flag, valid, n=1)
            unknown.append(flag + (f" (did you mean {close[0]}?)" if close else ""))
    if unknown:
        raise SystemExit(
            f"{command}: unknown option(s) {', '.join(unknown)}; valid options: "
            f"{' '.join(sorted(set(valid)))}"
        )


def overrides(config_type: type[Config], base: Config, args: Sequence[str]) -> Config:
    """``base`` with the config flags in ``args`` applied (for presets derived from them)."""
    import tyro

    return tyro.cli(config_type, default=base, args=list(args))


def parse_with_preset(
    argv: Sequence[str] | None,
    config_type: type[Config],
    *,
    command: str,
    description: str,
    presets: dict[str, Callable[[argparse.Namespace, list[str]], Config]],
    default_preset: str,
    run_options: argparse.ArgumentParser,
    finish: Callable[[Config], Config] | None = None,
) -> tuple[Config, argparse.Namespace]:
    """Run options and a config: ``--preset`` picks the base config, tyro the overrides.

    ``run_options`` must be built with ``add_help=False, allow_abbrev=False``; its
    parsed namespace and the remaining (config) flags are passed to the preset
    (e.g. to pick the env's preset) and the namespace is returned. ``finish``
    adjusts the parsed config (derived fields).
    """
    import sys

    import tyro

    args = list(sys.argv[1:] if argv is None else argv)
    run_options.prog = command
    run_options.add_argument(
        "--preset",
        choices=sorted(presets),
        default=default_preset,
        help="the named config the flags below override",
    )
    options, rest = run_options.parse_known_args(args)
    if "-h" in rest or "--help" in rest:
        run_options.print_help()
        print()
    check_flags(rest, [*config_flags(config_type), *_option_flags(run_options)], command)
    try:
        base = presets[options.preset](options, rest)
        config = tyro.cli(
            config_type, default=base, args=rest, description=description, prog=command
        )
        if hasattr(config, "device"):  # a GPU run on a machine without one: one line, now
            from baselines.device import checked_device

            checked_device(config.device)
        return (finish(config) if finish else config), options
    except ValueError as err:  # a config's own check (__post_init__), or its device
        raise SystemExit(f"{command}: {err}") from None


def _option_flags(parser: argparse.ArgumentParser) -> list[str]:
    return [flag for action in parser._actions for flag in action.option_strings]
