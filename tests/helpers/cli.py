"""Helpers shared by the CLI tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def run_reader_leaves_early(cwd: Path, *args: str) -> tuple[bytes, bytes, int]:
    """Run ``hubprops ARGS`` in a subprocess whose reader takes one line of stdout and leaves
    (like ``| head -1``); return (first line, stderr, exit code)."""
    code = "from hubprops.cli import run; run()"
    with subprocess.Popen(
        [sys.executable, "-c", code, *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        first = proc.stdout.readline()
        proc.stdout.close()
        err = proc.stderr.read()
        return first, err, proc.wait(timeout=60)
