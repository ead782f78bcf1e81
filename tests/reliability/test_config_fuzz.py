"""Fuzzing ``hubprops.toml`` (hypothesis): random bytes, random text, truncations of a full
file, deep nesting, huge files, unicode, and a wrong type in every field. A bad file always
gets a clean ``hubprops.toml...`` error and exit 1: never a traceback, an "unexpected error",
a hang, or a write to HubSpot. (Definitions, plan and lock files are fuzzed in test_fuzz.py.)"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hubprops.cli import main
from hubprops.config import load_config
from hubprops.errors import ConfigError
from tests.helpers.apply import prop, write_definitions

FULL = """\
definitions = "definitions"
lock = "hubprops.lock.json"
api_version = "2026-03"

[environments.prod]
portal_id = 12345678
token_env = "PROD_TOKEN"
api_base = "http://127.0.0.1:1"
api_version = "v3"

[lint]
description-required = "error"
name-pattern = { level = "error", pattern = "^fz_" }
"""
FIELDS = [
    "definitions",
    "lock",
    "api_version",
    "environments.prod.portal_id",
    "environments.prod.token_env",
    "environments.prod.api_base",
    "environments.prod.api_version",
    "lint.description-required",
    "lint.name-pattern",
]
WRONG = [
    "1",
    "-7",
    "3.5",
    "nan",
    "true",
    "1979-05-27T07:32:00Z",
    "[]",
    "[1, 'a']",
    "{}",
    "{ level = 5 }",
    '""',
    '"\u202e\u0000x"',
    '"' + "é" * 5000 + '"',
]
FUZZ = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@contextmanager
def project(config: bytes) -> Iterator[Path]:
    """A project folder (valid definitions needing one create) with this hubprops.toml."""
    old = Path.cwd()
    with tempfile.TemporaryDirectory(prefix="fuzz-config-") as tmp:
        root = Path(tmp)
        write_definitions(root / "definitions", "contacts", [prop("fz_made", "contactinformation")])
        (root / "hubprops.toml").write_bytes(config)
        os.chdir(root)
        try:
            yield root
        finally:
            os.chdir(old)


def check(config: bytes, *args: str) -> None:
    with project(config) as root:
        try:
            load_config()
            valid = True
        except ConfigError:
            valid = False
        result = CliRunner().invoke(main, list(args))
        out = result.output
        assert result.exception is None or isinstance(result.exception, SystemExit), out
        assert "Traceback" not in out and "unexpected error" not in out, out
        assert result.exit_code in (0, 1), out
        if not valid:
            assert result.exit_code == 1, out
            assert "hubprops.toml" in out, out
            state = root / ".hubprops" / "sandbox.json"
            if state.exists():  # the emulator may have started; it must hold no write
                assert "fz_made" not in json.dumps(json.loads(state.read_text())), out


def with_field(path: str, value: str) -> str:
    """FULL with the field at ``path`` set to ``value`` (TOML text)."""
    *tables, key = path.split(".")
    section = f"[{'.'.join(tables)}]" if tables else None
    lines, current, out = FULL.splitlines(), None, []
    for line in lines:
        if line.startswith("["):
            current = line
        if (current == section or (section is None and current is None)) and line.startswith(
            key + " ="
        ):
            line = f"{key} = {value}"
        out.append(line)
    return "\n".join(out) + "\n"


@FUZZ
@given(st.binary(max_size=400))
def test_random_bytes(data: bytes) -> None:
    check(data, "validate")


@FUZZ
@given(st.text(max_size=300))
def test_random_text(text: str) -> None:
    check(text.encode("utf-8", "surrogatepass"), "validate")


@FUZZ
@given(st.integers(0, len(FULL)))
def test_truncated(cut: int) -> None:
    check(FULL[:cut].encode(), "validate")


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("value", WRONG)
def test_wrong_type_in_every_field(field: str, value: str) -> None:
    check(with_field(field, value).encode("utf-8", "surrogatepass"), "validate")


@pytest.mark.parametrize(
    "config",
    [
        b"a = " + b"[" * 5000 + b"]" * 5000,
        b"a = " + b"{ b = " * 3000 + b"1" + b" }" * 3000,
        b"[" + b"a." * 20000 + b"b]\n",
        b"x = 1\n" * 200_000,  # over the 1 MB the loader reads
        b"definitions = '" + b"d" * 900_000 + b"'\n",
        b"\xef\xbb\xbf" + FULL.encode(),  # a BOM is fine
        'definitions = "d\u00e9fs"\n'.encode(),
        b"\x00" * 100,
    ],
    ids=["deep-arrays", "deep-tables", "long-key", "huge", "huge-value", "bom", "unicode", "nul"],
)
def test_nasty_files(config: bytes) -> None:
    check(config, "validate")


@settings(max_examples=12, deadline=None)
@given(st.one_of(st.binary(max_size=200), st.integers(0, len(WRONG) - 2)))
def test_apply_never_writes_with_a_bad_config(drawn: bytes | int) -> None:
    # an index into WRONG, not the value: hypothesis warns about a 10 kB repr
    data = WRONG[drawn].encode() if isinstance(drawn, int) else drawn
    check(b"lock = " + data + b"\n", "apply", "--auto-approve", "--sandbox")
    check(data, "apply", "--auto-approve", "--sandbox")


def test_apply_with_a_lock_name_too_long_is_a_clean_error() -> None:
    check(b"lock = " + WRONG[-1].encode() + b"\n", "apply", "--auto-approve", "--sandbox")
