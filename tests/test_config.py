"""hubprops.config: parsing, located errors, precedence; and the CLI options that use it."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from hubprops.cli import main
from hubprops.config import Config, key_lines, load_config, parse_config, resolve
from hubprops.errors import ConfigError

GOOD = """\
definitions = "props"
lock = "locks/hubprops.lock.json"
api_version = "2026-09"

[environments.staging]
portal_id = 111
token_env = "STAGING_TOKEN"

[environments.production]
portal_id = 222
token_env = "PROD_TOKEN"
api_base = "https://api.hubapi.com"
api_version = "v3"

[lint]
description-required = "error"
name-pattern = { level = "error", pattern = "^stahla_" }
"""

DEFAULTS = {
    "default_api_version": "2026-03",
    "default_definitions": "definitions",
    "default_lock": "hubprops.lock.json",
}


def test_parses_every_section() -> None:
    config = parse_config(GOOD)
    assert config.definitions == "props"
    assert config.api_version == "2026-09"
    assert config.environments["production"].portal_id == 222
    assert config.environments["staging"].token_env == "STAGING_TOKEN"
    assert config.lint["name-pattern"] == {"level": "error", "pattern": "^stahla_"}
    assert config.line_of("lint", "name-pattern") == 17
    assert config.line_of("environments", "production", "api_version") == 13
    assert config.where("lint", "description-required") == "hubprops.toml:16"


def test_missing_default_file_is_the_empty_configuration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert load_config() == Config()


def test_explicit_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such configuration file"):
        load_config(tmp_path / "nope.toml")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('definitions = "a"\nlokc = "x"\n', r"hubprops.toml:2: unknown key 'lokc'"),
        ('[environments.prod]\nportal_id = "abc"\n', r"hubprops.toml:2: .*portal_id.*integer"),
        ('[environments.prod]\ntoken_env = "X"\n', r"hubprops.toml:1: .*'portal_id' is a required"),
        ('api_version = "v4"\n', r"hubprops.toml:1: api_version: 'v4' is not one of"),
        ("[environments.prod]\nportal_id = 1\ncolour = 1\n", r"hubprops.toml:3: unknown key"),
        ('definitions = "a"\ndefinitions = "b"\n', r"hubprops.toml:2: .*TOML syntax"),
        ('[lint]\nmax-options = "loud"\n', r"hubprops.toml:2: lint.max-options"),
    ],
)
def test_located_errors(text: str, expected: str) -> None:
    with pytest.raises(ConfigError, match=expected):
        parse_config(text)


def test_several_problems_are_all_reported() -> None:
    with pytest.raises(ConfigError) as info:
        parse_config('lokc = 1\napi_version = "x"\n')
    assert "2 problems" in str(info.value)
    assert "hubprops.toml:1" in str(info.value) and "hubprops.toml:2" in str(info.value)


def test_not_utf8_and_not_a_file(tmp_path: Path) -> None:
    bad = tmp_path / "hubprops.toml"
    bad.write_bytes(b'definitions = "a"\nlock = "\xff"\n')
    with pytest.raises(ConfigError, match=r"hubprops.toml:2: not UTF-8"):
        load_config(bad)
    folder = tmp_path / "dir.toml"
    folder.mkdir()
    with pytest.raises(ConfigError, match="not a regular file"):
        load_config(folder)


def test_precedence_flag_then_environment_then_top_level_then_default() -> None:
    config = parse_config(GOOD)
    top = resolve(config, **DEFAULTS)
    assert (top.api_version, top.definitions, top.lock) == (
        "2026-09",
        "props",
        "locks/hubprops.lock.json",
    )
    assert top.token_env == "HUBSPOT_ACCESS_TOKEN" and top.portal_id is None
    prod = resolve(config, env_name="production", **DEFAULTS)
    assert (prod.api_version, prod.portal_id, prod.token_env) == ("v3", 222, "PROD_TOKEN")
    flag = resolve(config, env_name="production", api_version="2026-03", **DEFAULTS)
    assert flag.api_version == "2026-03"
    staging = resolve(config, env_name="staging", **DEFAULTS)
    assert staging.api_version == "2026-09"  # the top level fills what the table leaves out
    assert resolve(Config(), **DEFAULTS).api_version == "2026-03"


def test_unknown_environment_lists_the_known_ones() -> None:
    with pytest.raises(ConfigError, match=r"unknown environment 'prd'.*production, staging"):
        resolve(parse_config(GOOD), env_name="prd", **DEFAULTS)


def test_portal_flag_contradicting_the_environment_is_refused() -> None:
    with pytest.raises(ConfigError, match=r"--portal 5 contradicts environment 'staging'.*111"):
        resolve(parse_config(GOOD), env_name="staging", portal_id=5, **DEFAULTS)


def test_key_lines_handles_quoted_and_dotted_keys() -> None:
    lines = key_lines('[lint]\n"name-pattern".level = "error"\n[environments."my env"]\n')
    assert lines[("lint", "name-pattern", "level")] == 2
    assert lines[("environments", "my env")] == 3


# Through the CLI: the options read hubprops.toml.


def test_cli_env_names_the_unset_token_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("STAGING_TOKEN", raising=False)
    (tmp_path / "hubprops.toml").write_text(GOOD)
    (tmp_path / "props").mkdir()
    (tmp_path / "props" / "c.yaml").write_text("objectType: contacts\nproperties: []\n")
    result = CliRunner().invoke(main, ["plan", "--env", "staging"])
    assert result.exit_code == 1
    assert "set STAGING_TOKEN (the token of environment 'staging')" in result.output


def test_cli_bad_config_is_one_located_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "hubprops.toml").write_text('definitions = "d"\napi_version = 7\n')
    result = CliRunner().invoke(main, ["plan", "--sandbox"])
    assert result.exit_code == 1
    assert "hubprops.toml:2: api_version" in result.output
    assert "Traceback" not in result.output


def test_cli_definitions_and_lock_come_from_the_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "hubprops.toml").write_text('definitions = "props"\n')
    (tmp_path / "props").mkdir()
    (tmp_path / "props" / "c.yaml").write_text("objectType: contacts\nproperties: []\n")
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 0, result.output
    assert "props/ is valid" in result.output


def test_cli_unknown_api_version_lists_the_valid_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["plan", "--sandbox", "--api-version", "2025-01"])
    assert result.exit_code == 1
    assert "2026-03" in result.output and "2026-09" in result.output and "v3" in result.output
