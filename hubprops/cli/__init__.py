"""The ``hubprops`` command: a click group that only adds commands.

Commands are imported lazily (one small module per command), so ``hubprops validate`` does not
pay for importing httpx and the planner.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from collections.abc import Sequence
from typing import Any

import click

from hubprops import __version__

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


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="hubprops")
def main() -> None:
    """HubSpot CRM property definitions as code: validate, plan, apply."""
