"""The ``hubprops`` command: a click group that only adds commands.

Commands are imported lazily (one small module per command), so ``hubprops validate`` does not
pay for importing httpx and the planner. Adding a command is adding its module
(``hubprops/cli/<name>.py`` defining a click command ``<name>``) and its line in ``COMMANDS``;
``tests/cli/test_main.py`` checks that the two agree.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import importlib.util
import logging
import os
import sys
import threading
from collections.abc import Sequence
from typing import Any, NoReturn

import click

from hubprops import __version__
from hubprops.cli._argv import nearest, prepare_args
from hubprops.cli._term import LOG_ENV, configure_logging, set_no_color

#: Exit code of a usage error (unknown option, bad value): DESIGN.md's "1 error".
EXIT_USAGE = 1

#: command name -> module under hubprops.cli holding a click command of the same name.
COMMANDS: dict[str, str] = {
    "validate": "validate",
    "lint": "lint",
    "plan": "plan",
    "show": "show",
    "apply": "apply",
    "status": "status",
    "pull": "pull",
    "drift": "drift",
    "fmt": "fmt",
    "init": "init",
    "diff": "diff",
    "sandbox": "sandbox",
    "serve": "serve",
}


def _module_name(cmd: str) -> str:
    return f"hubprops.cli.{COMMANDS[cmd]}"


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(c for c in COMMANDS if importlib.util.find_spec(_module_name(c)) is not None)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS or importlib.util.find_spec(_module_name(cmd_name)) is None:
            return None
        module = importlib.import_module(_module_name(cmd_name))
        command = getattr(module, cmd_name.replace("-", "_"))
        assert isinstance(command, click.Command)
        return command

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        """Click's, except that a mistyped command names the nearest one."""
        name = click.utils.make_str(args[0])
        if self.get_command(ctx, name) is None and not name.startswith("-"):
            guess = nearest(name, self.list_commands(ctx))
            hint = f" Did you mean '{guess}'?" if guess else ""
            raise click.UsageError(f"No such command '{name}'.{hint}", ctx)
        return super().resolve_command(ctx, args)

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        """Click's standalone main, except that a usage error (a mistyped option) exits 1, not
        click's 2: exit 2 means "changes" (`plan --detailed-exitcode`, `drift`), and a typo in a
        CI script must not read as one."""
        if not os.environ.get(complete_var or "_HUBPROPS_COMPLETE"):
            warning = configure_logging(os.environ.get(LOG_ENV), _secrets())
            if warning:
                click.echo(warning, err=True)
            try:
                args = prepare_args(
                    sys.argv[1:] if args is None else args,
                    lambda name: self.get_command(click.Context(self), name),
                )
            except click.UsageError as exc:
                if not standalone_mode:
                    raise
                exc.show()
                sys.exit(EXIT_USAGE)
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        try:
            code = super().main(args, prog_name, complete_var, False, **extra)
        except click.ClickException as exc:
            exc.show()
            sys.exit(EXIT_USAGE)
        except click.Abort:
            click.echo("Aborted!", err=True)
            sys.exit(EXIT_USAGE)
        sys.exit(code if isinstance(code, int) else 0)


def _secrets() -> list[str]:
    """Values the logs must never show: every token variable hubprops may read."""
    from hubprops.cli._common import TOKEN_ENV

    return [v for k, v in os.environ.items() if k == TOKEN_ENV or k.startswith("HUBSPOT_TOKEN")]


@click.group(
    cls=LazyGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="Environment: HUBSPOT_ACCESS_TOKEN, HUBPROPS_API_BASE, HUBPROPS_API_VERSION, "
    "HUBPROPS_LOG=debug|info (each HubSpot request on stderr, token redacted), NO_COLOR. "
    'Shell completion: eval "$(_HUBPROPS_COMPLETE=bash_source hubprops)" (zsh_source, '
    "fish_source for zsh and fish).",
)
@click.version_option(__version__, prog_name="hubprops")
@click.option(
    "--no-color",
    is_flag=True,
    help="No ANSI colours (also NO_COLOR=1). Colour is only used on a terminal. "
    "Accepted after the command too.",
)
@click.pass_context
def main(ctx: click.Context, no_color: bool) -> None:
    """HubSpot CRM property definitions as code: validate, plan, apply."""
    if no_color:
        set_no_color(ctx)


#: Commands that run until stopped: their servers' shutdown hooks must run, so they end with a
#: normal interpreter exit.
_LONG_RUNNING = frozenset({"sandbox", "serve"})


def run() -> NoReturn:
    """The ``hubprops`` console command (and ``python -m hubprops``): ``main`` as a process.

    A one-shot command ends with ``os._exit`` once its output is flushed, as mypy does: the
    interpreter's normal teardown frees every object one by one, about 0.2 s after a plan of
    2,000 properties, for nothing (every file hubprops writes is complete and closed by then,
    and the lock guard released). A long-running command (``sandbox``, ``serve``) or a process
    with another thread still running exits normally.

    Three more settings of this process only (not of a program importing hubprops): the cyclic
    collector's threshold is raised, since a command allocates many small acyclic objects and
    ends (the default, 700, would run it thousands of times for nothing, about a tenth of a big
    plan's time; mypy does the same); httpx's own command-line client, which httpx imports on
    import unless that import fails (rich, pygments: about 60 ms), is made to fail, since
    hubprops never runs it; and pydantic's plugins are off unless ``PYDANTIC_DISABLE_PLUGINS``
    is set already (to an empty value, say): hubprops' models are its own, and looking for
    plugins reads the entry points of every installed distribution when the first model is
    built."""
    gc.set_threshold(100_000, 50, 100)
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    if "httpx" not in sys.modules:
        sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
    try:
        main()
    except SystemExit as exc:
        code = exc.code
    else:  # pragma: no cover - main() always exits
        code = 0
    if isinstance(code, str):  # sys.exit("message"): Python prints it and exits 1
        print(code, file=sys.stderr)
        code = 1
    status = code if isinstance(code, int) else 0
    if _command(sys.argv[1:]) in _LONG_RUNNING or threading.active_count() > 1:
        sys.exit(status)
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe (`... | head`)
            stream.flush()
    os._exit(status)


def _command(argv: Sequence[str]) -> str | None:
    """The command word of ``argv``: the first argument that names one."""
    return next((a for a in argv if a in COMMANDS), None)
