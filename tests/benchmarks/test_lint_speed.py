"""Lint speed (``pytest -m benchmark -s tests/benchmarks/test_lint_speed.py``).

1,000 properties per object type for contacts and leads (every tenth an enumeration with
options, some suppression comments), every rule switched on: the CPU time
(``time.process_time``) of ``lint`` on loaded definitions, best of three. Target: under 0.5 s.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from hubprops.config import parse_config
from hubprops.definitions import load_definitions
from hubprops.definitions.lint import RULES, lint
from hubprops.lock.file import Lock

pytestmark = pytest.mark.benchmark
COUNT = 1000
TARGET_S = 0.5


def _file(object_type: str, group: str) -> str:
    lines = [f"objectType: {object_type}", "properties:"]
    for i in range(COUNT):
        name = f"acme_field_{i:04d}"
        if i % 50 == 5:
            lines.append(f"  # hubprops: ignore[type-by-name] kept as text for import {i}")
        lines += [
            f"  - name: {name}{'_count' if i % 50 == 5 else ''}",
            f"    label: Field {i} of {object_type.title()}",
            f"    type: {'enumeration' if i % 10 == 0 else 'string'}",
            f"    fieldType: {'select' if i % 10 == 0 else 'text'}",
            f"    groupName: {group}",
            f"    description: What field {i} holds, written out for the people who fill it in.",
        ]
        if i % 10 == 0:
            lines.append("    options:")
            lines += [f"      - {{ label: Choice {j}, value: choice_{j} }}" for j in range(8)]
    return "\n".join(lines) + "\n"


def test_lint_of_two_thousand_properties(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("defs").mkdir()
    Path("defs/contacts.yaml").write_text(_file("contacts", "contactinformation"), "utf-8")
    Path("defs/leads.yaml").write_text(_file("leads", "leadinformation"), "utf-8")
    definitions = load_definitions("defs").definitions
    config = parse_config("[lint]\n" + "".join(f'{r.id} = "error"\n' for r in RULES))
    lock = Lock.model_validate(
        {
            "portals": {
                "1": {
                    "objects": {
                        "contacts": {
                            "properties": {
                                f"acme_field_{i:04d}": {
                                    "id": f"0-1/acme_field_{i:04d}",
                                    "sha256": "0" * 64,
                                    "options": {f"choice_{j}": f"Choice {j}" for j in range(8)},
                                }
                                for i in range(0, COUNT, 10)
                            }
                        }
                    }
                }
            }
        }
    )
    timings = []
    for _ in range(3):
        start = time.process_time()
        report = lint(definitions, config, lock)
        timings.append(time.process_time() - start)
    best = min(timings)
    print(
        f"\nlint of {2 * COUNT} properties, {len(RULES)} rules: {best:.3f} s CPU "
        f"(target {TARGET_S} s); {len(report.findings)} findings, "
        f"{len(report.suppressed)} suppressed"
    )
    # custom-group fires on every property (HubSpot default groups); the suppressed ones are
    # the commented *_count names.
    assert len(report.suppressed) == 2 * COUNT // 50
    assert {f.rule for f in report.findings} == {"custom-group"}
    assert best < TARGET_S
