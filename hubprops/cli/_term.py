"""Terminal habits every command shares: colour only on a terminal (never with ``NO_COLOR`` or
``--no-color``), and ``HUBPROPS_LOG=debug|info`` logging on stderr with the token redacted."""

from __future__ import annotations

import logging
import os
import sys
from typing import TextIO

import click

NO_COLOR_ENV = "NO_COLOR"
LOG_ENV = "HUBPROPS_LOG"
_META_NO_COLOR = "hubprops.no_color"
_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO}


def set_no_color(ctx: click.Context) -> None:
    """Remember ``--no-color`` for this invocation (on the root context, not in a global)."""
    ctx.find_root().meta[_META_NO_COLOR] = True


def use_color(stream: TextIO) -> bool:
    """Colour on ``stream``: only a terminal, and never with ``NO_COLOR`` (any non-empty value,
    https://no-color.org) or ``--no-color``."""
    if os.environ.get(NO_COLOR_ENV):
        return False
    ctx = click.get_current_context(silent=True)
    if ctx is not None and ctx.find_root().meta.get(_META_NO_COLOR):
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class _Redact(logging.Filter):
    """Replace the token, wherever a message might carry it, with ``***``."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        for secret in self.secrets:
            message = message.replace(secret, "***")
        record.msg, record.args = message, None
        return True


class _StderrHandler(logging.Handler):
    """Writes to the current ``sys.stderr`` (click's test runner swaps it per invocation)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stderr.write(self.format(record) + "\n")
        except Exception:  # pragma: no cover - logging must never break a command
            self.handleError(record)


def configure_logging(level_name: str | None, secrets: list[str]) -> str | None:
    """Log hubprops' records (one per HTTP request, ...) on stderr at ``level_name`` (debug or
    info), or not at all when it is empty; returns a warning for an unknown level."""
    logger = logging.getLogger("hubprops")
    for old in [h for h in logger.handlers if isinstance(h, _StderrHandler)]:
        logger.removeHandler(old)
    logger.setLevel(logging.NOTSET)
    if not level_name:
        return None
    level = _LEVELS.get(level_name.strip().lower())
    if level is None:
        return f"warning: {LOG_ENV}={level_name!r} is not debug or info; logging stays off"
    handler = _StderrHandler()
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s", "%H:%M:%S")
    )
    handler.addFilter(_Redact(secrets))
    logger.addHandler(handler)
    logger.setLevel(level)
    return None
