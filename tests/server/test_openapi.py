"""A bounded schemathesis run against the app's own OpenAPI (served by uvicorn on loopback):
no answer is a 500, and every answer matches the schema declared for its route and status.
Positive and negative (invalid) inputs, a few examples per operation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode

from hubprops.server import create_app
from tests.server.helpers import auth, serving, settings_for

#: One property: the run exercises the routes, not the size of a sync.
SMALL = """objectType: contacts
properties:
  - name: stahla_fuzz
    label: Fuzz
    type: string
    fieldType: text
    groupName: contactinformation
"""


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_500_and_every_answer_matches_its_schema(tmp_path: Path, mode: GenerationMode) -> None:
    small = tmp_path / "small"
    small.mkdir()
    (small / "contacts.yaml").write_text(SMALL, encoding="utf-8")
    with serving(create_app(settings_for(tmp_path, definitions=str(small)))) as client:
        base = str(client.base_url)
        schema = schemathesis.openapi.from_url(f"{base}/openapi.json")
        operations = [result.ok() for result in schema.get_all_operations()]
        assert len(operations) == 8
        seen: set[str] = set()
        for operation in operations:
            _fuzz(operation, mode, base)
            seen.add(operation.label)
    assert len(seen) == 8


def _fuzz(operation: Any, mode: GenerationMode, base: str) -> None:
    if mode is GenerationMode.NEGATIVE and not operation.query and not operation.path_parameters:
        return  # nothing to make invalid (healthz, metrics)

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=3,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def run(case: schemathesis.Case) -> None:
        response = case.call(base_url=base, headers=auth())
        assert response.status_code < 500 or response.status_code == 503, response.text
        case.validate_response(response, headers=auth())

    run()
