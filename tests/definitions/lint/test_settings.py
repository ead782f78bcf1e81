"""[lint] of hubprops.toml (hubprops/definitions/lint/settings.py): levels, parameters,
exclusions, and one located error per bad entry, all of them at once."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

import pytest

from hubprops.config import parse_config
from hubprops.definitions.lint import CHECKS, RULES, default_settings, lint_settings
from hubprops.errors import ConfigError


def settings_of(text: str):  # type: ignore[no-untyped-def]
    return lint_settings(parse_config(text))


def test_defaults_when_nothing_is_configured() -> None:
    settings = settings_of("")
    assert {i: s.level for i, s in settings.rules.items()} == {r.id: r.level for r in RULES}
    assert settings == default_settings()
    assert settings.rules["max-options"].params == {"max": 50}


def test_level_string_and_table_with_parameters() -> None:
    settings = settings_of(
        '[lint]\nlabel-style = "error"\n'
        'name-pattern = { level = "warning", pattern = "^acme_" }\n'
        "max-options = { max = 7 }\n"
    )
    assert settings.rules["label-style"].level == "error"
    assert settings.rules["name-pattern"].params["pattern"].pattern == "^acme_"
    assert settings.rules["max-options"].level == "warning"  # the default level stays
    assert settings.rules["max-options"].params["max"] == 7


def test_exclusions_match_files_names_and_object_type_dot_name() -> None:
    settings = settings_of(
        '[lint]\nexclude = ["legacy/*"]\n'
        'custom-group = { level = "error", exclude = ["contacts.notes", "tmp_*"] }\n'
    )
    rule = settings.rules["custom-group"]
    assert rule.excludes("legacy/a.yaml", "leads", "x")
    assert rule.excludes("defs/c.yaml", "contacts", "notes")
    assert not rule.excludes("defs/c.yaml", "leads", "notes")
    assert rule.excludes("defs/c.yaml", "leads", "tmp_note")
    assert settings.rules["name-pattern"].excludes("legacy/b.yaml", "leads", "y")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[lint]\nnope = "error"\n', "hubprops.toml:2: unknown key 'lint.nope'"),
        ('[lint]\nlabel-style = "loud"\n', "hubprops.toml:2: lint.label-style: 'loud' is not one"),
        (
            '[lint]\n\nmax-options = { max = "ten" }\n',
            "hubprops.toml:3: lint.max-options.max: expected a whole number, got a string ('ten')",
        ),
        (
            "[lint]\nmax-options = { max = 0 }\n",
            "hubprops.toml:2: lint.max-options.max: expected a number of at least 1, got 0",
        ),
        (
            '[lint.name-pattern]\nlevel = "error"\npattern = "([a-z"\n',
            "hubprops.toml:3: lint.name-pattern.pattern: not a valid regular expression",
        ),
        (
            '[lint]\nlabel-style = { style = "shouty" }\n',
            "hubprops.toml:2: lint.label-style.style: expected one of 'title', 'sentence'",
        ),
        (
            "[lint]\ntype-by-name = { when = 1 }\n",
            "hubprops.toml:2: lint.type-by-name: unknown parameter 'when' (known: level, exclude,",
        ),
        (
            '[lint]\nexclude = "legacy/*"\n',
            "hubprops.toml:2: lint.exclude: ",
        ),
        (
            "[lint]\nlabel-style = { words = [1] }\n",
            "hubprops.toml:2: lint.label-style.words: expected a list of strings",
        ),
    ],
)
def test_located_errors(text: str, expected: str) -> None:
    with pytest.raises(ConfigError) as caught:
        settings_of(text)
    assert str(caught.value).startswith(expected), str(caught.value)


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(ConfigError) as caught:
        settings_of('[lint]\nmax-options = { max = "x" }\nname-pattern = { pattern = "(" }\n')
    message = str(caught.value)
    assert message.startswith("2 problems in [lint]:")
    assert re.search(r"hubprops.toml:2: lint.max-options.max", message)
    assert re.search(r"hubprops.toml:3: lint.name-pattern.pattern", message)


def test_registry_checks_and_config_schema_agree() -> None:
    ids = [r.id for r in RULES]
    assert list(CHECKS) == ids
    text = resources.files("hubprops.schemas").joinpath("config.schema.json").read_text("utf-8")
    schema = json.loads(text)["properties"]["lint"]["properties"]
    assert sorted(schema) == sorted([*ids, "exclude"])
    for rule in RULES:
        assert rule.rationale and rule.hint and rule.summary
        assert rule.level in ("off", "warning", "error")


def test_docs_describe_every_rule() -> None:
    docs = (Path(__file__).resolve().parents[3] / "docs" / "lint.md").read_text("utf-8")
    for rule in RULES:
        assert f"### `{rule.id}`" in docs
        assert rule.hint in docs
