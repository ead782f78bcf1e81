"""Views of a lint report: located text lines, JSON, and SARIF 2.1.0 for code scanning.

SARIF puts the rule id in ``ruleId``, the file and line in the result's physical location, and
an inline suppression in ``suppressions`` (kind ``inSource``, with its reason), so GitHub code
scanning shows findings on the pull request's lines and hides the suppressed ones.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hubprops import __version__
from hubprops.definitions.lint import RULES, RULES_BY_ID, Finding, LintReport

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
#: SARIF's names for our levels ("off" rules are "none").
SARIF_LEVELS = {"off": "none", "warning": "warning", "error": "error"}


def render_lint(report: LintReport, fmt: str, *, source: str = "definitions") -> str:
    """``report`` as ``text``, ``json`` or ``sarif`` (newline-terminated)."""
    if fmt == "json":
        return render_lint_json(report)
    if fmt == "sarif":
        return render_lint_sarif(report)
    return render_lint_text(report, source=source)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def render_lint_text(report: LintReport, *, source: str = "definitions") -> str:
    """One ``file:line:col: [warning: ]rule-id: message`` line per finding, a fix hint per rule
    that fired, and a summary line."""
    lines = [str(f) for f in report.findings]
    fired = sorted({f.rule for f in report.findings})
    lines += [f"hint: {rule}: {RULES_BY_ID[rule].hint}" for rule in fired]
    counts = [_count(len(report.errors), "error"), _count(len(report.warnings), "warning")]
    if report.suppressed:
        counts.append(f"{len(report.suppressed)} suppressed")
    if report.findings:
        lines.append(f"{source}: {', '.join(counts)}")
    else:
        extra = f" ({counts[-1]})" if report.suppressed else ""
        lines.append(f"{source}: no lint findings{extra}")
    return "\n".join(lines) + "\n"


def _finding_json(finding: Finding) -> dict[str, Any]:
    return {
        "rule": finding.rule,
        "level": finding.level,
        "file": finding.file,
        "line": finding.line,
        "column": finding.column,
        "objectType": finding.object_type,
        "property": finding.property,
        "path": finding.path,
        "message": finding.message,
        "hint": RULES_BY_ID[finding.rule].hint,
        **({"suppressed": finding.suppressed} if finding.suppressed is not None else {}),
    }


def render_lint_json(report: LintReport) -> str:
    """``{"findings": [...], "suppressed": [...], "summary": {errors, warnings, suppressed}}``."""
    data = {
        "findings": [_finding_json(f) for f in report.findings],
        "suppressed": [_finding_json(f) for f in report.suppressed],
        "summary": {
            "errors": len(report.errors),
            "warnings": len(report.warnings),
            "suppressed": len(report.suppressed),
        },
    }
    return json.dumps(data, indent=2) + "\n"


def render_lint_sarif(report: LintReport) -> str:
    """A SARIF 2.1.0 log with one run: every rule described, one result per finding."""
    index = {rule.id: i for i, rule in enumerate(RULES)}
    results = [_result(f, index) for f in (*report.findings, *report.suppressed)]
    log = {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "hubprops",
                        "version": __version__,
                        "rules": [_rule(rule.id) for rule in RULES],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2) + "\n"


def _rule(rule_id: str) -> dict[str, Any]:
    rule = RULES_BY_ID[rule_id]
    return {
        "id": rule.id,
        "name": rule.id,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.rationale},
        "help": {"text": rule.hint},
        "defaultConfiguration": {"level": SARIF_LEVELS[rule.level]},
    }


def _result(finding: Finding, index: dict[str, int]) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": _artifact(finding.file)}
    if finding.line > 0:
        physical["region"] = {"startLine": finding.line, "startColumn": max(finding.column, 1)}
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": index[finding.rule],
        "level": SARIF_LEVELS[finding.level],
        "message": {"text": finding.message},
        "locations": [
            {
                "physicalLocation": physical,
                "logicalLocations": [
                    {
                        "name": finding.property,
                        "fullyQualifiedName": f"{finding.object_type}.{finding.property}",
                        "kind": "member",
                    }
                ],
            }
        ],
    }
    if finding.suppressed is not None:
        result["suppressions"] = [{"kind": "inSource", "justification": finding.suppressed}]
    return result


def _artifact(file: str) -> dict[str, Any]:
    path = Path(file)
    if path.is_absolute():
        return {"uri": path.as_uri()}
    return {"uri": path.as_posix(), "uriBaseId": "%SRCROOT%"}
