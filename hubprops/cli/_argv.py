"""Command lines as Terraform users type them, made safe before click parses them.

- Terraform's single-dash long options (``-out=plan.json``, ``-detailed-exitcode``,
  ``-auto-approve``, ``-no-color``) mean the double-dash option when the command has it; an
  unknown one fails with "did you mean --out?" instead of click reading ``-o`` + ``ut=...``.
- ``--no-color`` anywhere is moved before the command (it is an option of the group).
- Bare ``hubprops`` shows the help.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import click

NO_COLOR_FLAGS = ("--no-color", "-no-color")
_SINGLE_DASH_LONG = re.compile(r"^-(?P<name>[a-z][a-z0-9-]+)(?P<value>=.*)?$")


def nearest(word: str, choices: Sequence[str]) -> str | None:
    """The closest of ``choices`` to ``word`` (difflib), or None when nothing is close."""
    import difflib  # only after a mistyped word

    found = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return found[0] if found else None


def _long_options(command: click.Command) -> list[str]:
    return [o for p in command.params for o in (*p.opts, *p.secondary_opts) if o.startswith("--")]


def prepare_args(
    args: Sequence[str], command_of: Callable[[str], click.Command | None]
) -> list[str]:
    """Rewrite ``args`` (see the module docstring); raise click.UsageError for a single-dash
    spelling of an option the command does not have."""
    if not args:
        return ["--help"]
    args = list(args)
    end = args.index("--") if "--" in args else len(args)
    before, after = args[:end], args[end:]
    no_color = any(a in NO_COLOR_FLAGS for a in before)
    before = [a for a in before if a not in NO_COLOR_FLAGS]
    position = next((i for i, a in enumerate(before) if not a.startswith("-")), None)
    if position is not None:
        command = command_of(before[position])
        if command is not None:
            rest = [_one(a, command) for a in before[position + 1 :]]
            before = [*before[: position + 1], *rest]
    return (["--no-color"] if no_color else []) + before + after


def _one(arg: str, command: click.Command) -> str:
    match = _SINGLE_DASH_LONG.match(arg)
    if match is None:
        return arg
    name, value = match.group("name"), match.group("value")
    longs = _long_options(command)
    if f"--{name}" in longs:
        return f"--{name}{value or ''}"
    if "-" in name or value is not None:  # not a short option with an attached value
        guess = nearest(f"--{name}", longs)
        hint = f" (did you mean {guess}?)" if guess else ""
        raise click.UsageError(f"no such option: {arg.split('=')[0]}{hint}")
    return arg
