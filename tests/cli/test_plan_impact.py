"""``hubprops plan`` impact lines (hubprops/cli/plan.py, render/plan.py) against a sandbox with
2,000 contacts served on loopback: the count in text, markdown (at the top) and JSON, and
``--no-impact`` sending no search request."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from hubprops.cli import main
from hubprops.sandbox import Sandbox
from hubprops.sandbox.http import serve
from tests.plan.test_impact import holding, trip_property


@pytest.fixture(scope="module")
def seeded() -> Sandbox:
    sb = Sandbox(portal_id=4343, rate_limit=(100_000, 10.0))
    sb.put_property("contacts", trip_property())
    sb.seed_records(2000, ["contacts"])
    return sb


@pytest.fixture
def url(seeded: Sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HUBSPOT_ACCESS_TOKEN", "pat-na1-impact-test")
    folder = tmp_path / "definitions"
    folder.mkdir()
    prop = trip_property(("city", "mountain", "lake"))
    prop["options"] = [{"label": o["label"], "value": o["value"]} for o in prop["options"]]
    (folder / "contacts.json").write_text(
        json.dumps({"objectType": "contacts", "properties": [prop]})
    )
    seeded.clear_requests()
    with serve(seeded) as running:
        yield running.url


def plan(url: str, *args: str) -> Result:
    return CliRunner().invoke(
        main, ["plan", "--api-base", url, "--allow-destructive", "--no-lint", *args]
    )


def searches(sb: Sandbox) -> int:
    return sum(1 for r in sb.requests if r.path.endswith("/search"))


def test_markdown_shows_the_count_at_the_top(seeded: Sandbox, url: str) -> None:
    result = plan(url, "--format", "markdown")
    assert result.exit_code == 0, result.output
    expected = f"{holding(seeded, 'beach'):,} contacts hold 'beach'"
    lines = result.stdout.splitlines()
    at = next(i for i, line in enumerate(lines) if expected in line)
    assert at < next(i for i, line in enumerate(lines) if line.startswith("<details>"))
    assert searches(seeded) == 1


def test_text_and_json_show_the_count(seeded: Sandbox, url: str) -> None:
    text = plan(url)
    assert f"# impact: {holding(seeded, 'beach'):,} contacts hold 'beach'" in text.stdout
    data = json.loads(plan(url, "--format", "json").stdout)
    assert data["changes"][0]["impact"]["records"] == holding(seeded, "beach")


def test_no_impact_sends_no_search(seeded: Sandbox, url: str) -> None:
    result = plan(url, "--no-impact")
    assert result.exit_code == 0, result.output
    assert "not counted (--no-impact)" in result.stdout
    assert searches(seeded) == 0


def test_a_refused_plan_names_the_records_each_change_touches(seeded: Sandbox, url: str) -> None:
    result = CliRunner().invoke(main, ["plan", "--api-base", url, "--no-lint"])
    assert result.exit_code == 1
    assert "1 destructive change(s)" in result.output
    assert f"{holding(seeded, 'beach'):,} contacts hold 'beach'" in result.stdout
    no_count = CliRunner().invoke(main, ["plan", "--api-base", url, "--no-lint", "--no-impact"])
    assert no_count.exit_code == 1 and "contacts hold" not in no_count.output
    assert searches(seeded) == 1
