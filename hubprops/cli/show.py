"""``hubprops show PLAN``: render a saved plan exactly as ``hubprops plan`` printed it.

The plan is verified first (format version, checksum): an edited plan file is refused, exit 1.
"""

from __future__ import annotations

import sys

import click

from hubprops.cli._common import EXIT_OK, echo_out, error_boundary
from hubprops.cli._term import use_color
from hubprops.plan.file import encode, read_plan
from hubprops.render.plan import render_plan


@click.command()
@click.argument("plan_file", metavar="PLAN", type=click.Path(dir_okay=False))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("text", "json", "markdown")),
    default="text",
    show_default=True,
)
@error_boundary(json_errors=True)
def show(plan_file: str, fmt: str) -> int:
    """Show a saved plan (made with `hubprops plan -o PLAN`)."""
    saved = read_plan(plan_file)
    echo_out(render_plan(encode(saved), fmt, color=use_color(sys.stdout)))
    return EXIT_OK
