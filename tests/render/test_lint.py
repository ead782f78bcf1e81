"""Lint views (hubprops/render/lint.py): SARIF 2.1.0 that validates against the OASIS schema
(vendored beside this file), JSON and text."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from jsonschema import Draft7Validator  # type: ignore[import-untyped]

from hubprops.definitions.lint import RULES, Finding, LintReport
from hubprops.render.lint import render_lint

SCHEMA = json.loads((Path(__file__).parent / "sarif-schema-2.1.0.json").read_text("utf-8"))

ERROR = Finding(
    "hidden-form-field",
    "error",
    "definitions/contacts.yaml",
    14,
    5,
    "contacts",
    "notes",
    "hidden",
    "'notes' is hidden but used in forms (formField: true)",
)
WARNING = Finding(
    "type-by-name",
    "warning",
    "definitions/contacts.yaml",
    3,
    5,
    "contacts",
    "event_date",
    "type",
    "'event_date' sounds like a date but is a string (type: date)",
)
SUPPRESSED = Finding(
    "max-options",
    "warning",
    "/abs/leads.yaml",
    0,
    0,
    "leads",
    "county",
    "options",
    "'county' has 60 options, more than 50",
    suppressed="every county of the state",
)
REPORT = LintReport((WARNING, ERROR), (SUPPRESSED,))


def sarif_errors(log: Any) -> list[str]:
    validator = Draft7Validator(SCHEMA, format_checker=Draft7Validator.FORMAT_CHECKER)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(log)]


def test_sarif_validates_and_locates_each_result() -> None:
    log = json.loads(render_lint(REPORT, "sarif"))
    assert sarif_errors(log) == []
    (run,) = log["runs"]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == [r.id for r in RULES]
    first, second, third = run["results"]
    assert first["ruleId"] == "type-by-name" and first["level"] == "warning"
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "definitions/contacts.yaml"
    assert location["region"] == {"startLine": 3, "startColumn": 5}
    assert run["tool"]["driver"]["rules"][first["ruleIndex"]]["id"] == "type-by-name"
    assert second["ruleId"] == "hidden-form-field" and second["level"] == "error"
    assert third["suppressions"] == [
        {"kind": "inSource", "justification": "every county of the state"}
    ]
    assert third["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
        "file:///abs/leads.yaml"
    )
    assert "region" not in third["locations"][0]["physicalLocation"]


def test_empty_report_is_valid_sarif_with_no_results() -> None:
    log = json.loads(render_lint(LintReport(), "sarif"))
    assert sarif_errors(log) == []
    assert log["runs"][0]["results"] == []


def test_the_schema_catches_a_broken_log() -> None:
    log = json.loads(render_lint(REPORT, "sarif"))
    del log["runs"][0]["results"][0]["message"]
    log["runs"][0]["results"][1]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    assert len(sarif_errors(log)) == 2


def test_json_and_text() -> None:
    data = json.loads(render_lint(REPORT, "json"))
    assert data["summary"] == {"errors": 1, "warnings": 1, "suppressed": 1}
    assert data["findings"][1]["hint"].startswith("Drop `hidden: true`")
    assert data["suppressed"][0]["suppressed"] == "every county of the state"
    text = render_lint(REPORT, "text", source="definitions/")
    assert text.splitlines() == [
        "definitions/contacts.yaml:3:5: warning: type-by-name: 'event_date' sounds like a date "
        "but is a string (type: date)",
        "definitions/contacts.yaml:14:5: hidden-form-field: 'notes' is hidden but used in forms "
        "(formField: true)",
        "hint: hidden-form-field: Drop `hidden: true`, or set `formField: false`.",
        "hint: type-by-name: Use `type: date` (or datetime) or `type: number`, or rename the "
        "property.",
        "definitions/: 1 error, 1 warning, 1 suppressed",
    ]
    assert render_lint(LintReport(), "text", source="d/") == "d/: no lint findings\n"
