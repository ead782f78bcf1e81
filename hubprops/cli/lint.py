"""``hubprops lint``: the team's conventions (``[lint]`` of hubprops.toml) over the definitions.

Offline: reads the configuration (checked first: a bad ``[lint]`` stops before any rule runs),
the definitions and, for option-value-renamed, the lock. Prints ``file:line:col: rule-id:
message`` per finding (or JSON, or SARIF 2.1.0); exits 1 when any finding is at error level.
FILE arguments limit the report to those files (rules still see the whole folder, so a
duplicate label in another file is found); a FILE outside the folder is linted on its own.
"""

from __future__ import annotations

from pathlib import Path

import click

from hubprops.cli._common import (
    EXIT_ERROR,
    EXIT_OK,
    definitions_option,
    echo_err,
    echo_out,
    error_boundary,
    lock_option,
    parse_cache,
    project_config,
)
from hubprops.definitions.lint import LintReport, LintSettings, lint_settings
from hubprops.definitions.lint import lint as run_lint
from hubprops.definitions.lint.engine import LintFailed
from hubprops.definitions.loader import display_path, load_definitions
from hubprops.errors import HubpropsError
from hubprops.lock.file import Lock, load_lock
from hubprops.models import Definitions
from hubprops.render.lint import render_lint
from hubprops.render.plan import render_error_json

FORMATS = ("text", "json", "sarif")


@click.command()
@definitions_option()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@lock_option("Lock file, for option-value-renamed (read only).")
@error_boundary
def lint(directory: str, files: tuple[str, ...], fmt: str, lock_path: str) -> int:
    """Check the definitions against the team's conventions ([lint] in hubprops.toml)."""
    try:
        settings = lint_settings(project_config())
        report = _run(directory, files, settings, lock_path)
    except HubpropsError as exc:
        if fmt != "json":
            raise
        echo_out(render_error_json(exc))  # with --format json, errors are JSON too
        return EXIT_ERROR
    echo_out(render_lint(report, fmt, source=_source(directory, files)))
    return EXIT_ERROR if report.errors else EXIT_OK


def _run(
    directory: str, files: tuple[str, ...], settings: LintSettings, lock_path: str
) -> LintReport:
    lock = load_lock(lock_path)
    cache = parse_cache()
    loaded = load_definitions(directory, cache=cache).definitions
    report = run_lint(loaded, settings, lock)
    if not files:
        return report
    wanted = {display_path(Path(f)) for f in files}
    findings = [f for f in report.findings if f.file in wanted]
    suppressed = [f for f in report.suppressed if f.file in wanted]
    for outside in sorted(wanted - set(loaded.files)):
        alone = run_lint(load_definitions(outside, cache=cache).definitions, settings, lock)
        findings += alone.findings
        suppressed += alone.suppressed
    return LintReport(tuple(findings), tuple(suppressed), tuple(sorted(wanted)))


def _source(directory: str, files: tuple[str, ...]) -> str:
    if files:
        return ", ".join(files)
    return f"{directory.rstrip('/')}/" if Path(directory or ".").is_dir() else directory


def lint_gate(
    directory: str,
    lock_path: str,
    *,
    definitions: Definitions | None = None,
    lock: Lock | None = None,
) -> None:
    """What ``plan`` runs unless ``--no-lint``: the error-level rules; raises LintFailed (exit 1,
    every finding printed as a located line) when any fails. ``definitions`` and ``lock``, when
    the caller has them loaded already, spare loading them a second time."""
    settings = lint_settings(project_config())
    report = run_lint(
        definitions
        if definitions is not None
        else load_definitions(directory, cache=parse_cache()).definitions,
        settings,
        lock if lock is not None else load_lock(lock_path),
        only_errors=True,
    )
    if report.errors:
        echo_err("Lint rules at error level failed (see `hubprops lint`; --no-lint skips them):")
        raise LintFailed([f.diagnostic() for f in report.errors])
