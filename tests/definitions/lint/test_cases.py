"""Every lint rule against a definitions folder that triggers it and one that does not.

``cases/<rule-id>/`` holds ``hubprops.toml`` (the rule at error level, with parameters),
``triggers/`` and ``passes/`` definitions, ``expected.txt`` (the findings ``triggers/`` gives,
one ``file:line:col: rule-id: message`` per line) and, for option-value-renamed, ``lock.json``.
Adding a scenario is adding a folder.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from hubprops.config import load_config
from hubprops.definitions import load_definitions
from hubprops.definitions.lint import RULES, LintReport, lint
from hubprops.lock.file import load_lock

CASES = Path(__file__).parent / "cases"


def run_case(case: Path, folder: str, monkeypatch: pytest.MonkeyPatch) -> LintReport:
    monkeypatch.chdir(case)
    lock = load_lock("lock.json")  # a missing lock is an empty one
    return lint(load_definitions(folder).definitions, load_config("hubprops.toml"), lock)


def test_every_rule_has_a_case() -> None:
    assert sorted(p.name for p in CASES.iterdir()) == sorted(r.id for r in RULES)


@pytest.mark.parametrize("rule", [r.id for r in RULES])
def test_triggers(rule: str, monkeypatch: pytest.MonkeyPatch) -> None:
    case = CASES / rule
    report = run_case(case, "triggers", monkeypatch)
    expected = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert [str(f) for f in report.findings] == expected
    assert expected and {f.rule for f in report.findings} == {rule}
    assert all(f.level == "error" for f in report.findings)


@pytest.mark.parametrize("rule", [r.id for r in RULES])
def test_passes(rule: str, monkeypatch: pytest.MonkeyPatch) -> None:
    report = run_case(CASES / rule, "passes", monkeypatch)
    assert report.findings == ()
