"""The lint engine (hubprops/definitions/lint/engine.py) and the label styles: defaults on the
repo's own definitions, suppression and exclusion end to end, error-only runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from hubprops.config import load_config, parse_config
from hubprops.definitions import load_definitions
from hubprops.definitions.lint import lint
from hubprops.definitions.lint.naming import restyle
from hubprops.errors import DefinitionError

REPO = Path(__file__).resolve().parents[3]

BAD = """\
objectType: contacts
properties:
  - name: event_date
    label: Event Date
    type: string
    fieldType: text
    groupName: contactinformation
  - name: guest_count  # hubprops: ignore[type-by-name] the form sends ranges like 10-20
    label: Guests
    type: string
    fieldType: text
    groupName: contactinformation
    description: How many guests the prospect expects.
  - name: notes
    label: Notes
    type: string
    fieldType: text
    groupName: contactinformation
    description: Free text.
    hidden: true
    formField: true
"""


@pytest.fixture()
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "defs").mkdir()
    (tmp_path / "defs" / "contacts.yaml").write_text(BAD, encoding="utf-8")
    return tmp_path


def test_repo_definitions_pass_with_defaults_and_with_the_repo_config(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(REPO)
    definitions = load_definitions("definitions").definitions
    assert lint(definitions).findings == ()
    config = load_config()
    assert config.lint, "the repo's hubprops.toml configures [lint]"
    assert lint(definitions, config).findings == ()


@pytest.mark.usefixtures("folder")
def test_defaults_suppression_and_levels() -> None:
    report = lint(load_definitions("defs").definitions)
    assert [str(f) for f in report.findings] == [
        "defs/contacts.yaml:3:5: warning: description-required: property 'event_date' has no "
        "description",
        "defs/contacts.yaml:3:5: warning: type-by-name: 'event_date' sounds like a date but is a "
        "string (type: date)",
        "defs/contacts.yaml:14:5: hidden-form-field: 'notes' is hidden but used in forms "
        "(formField: true)",
    ]
    assert [f.rule for f in report.errors] == ["hidden-form-field"]
    (suppressed,) = report.suppressed
    assert suppressed.rule == "type-by-name" and suppressed.property == "guest_count"
    assert suppressed.suppressed == "the form sends ranges like 10-20"


@pytest.mark.usefixtures("folder")
def test_config_levels_exclusions_and_only_errors() -> None:
    config = parse_config(
        '[lint]\ndescription-required = { level = "error", min_length = 20, exclude = ["notes"] }\n'
        'type-by-name = "off"\nhidden-form-field = { level = "error", exclude = ["defs/*"] }\n'
    )
    report = lint(load_definitions("defs").definitions, config, only_errors=True)
    assert [(f.rule, f.property) for f in report.findings] == [
        ("description-required", "event_date")
    ]
    assert report.suppressed == ()


def test_a_suppression_without_reason_stops_lint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("c.yaml").write_text(
        BAD.replace(
            "ignore[type-by-name] the form sends ranges like 10-20", "ignore[type-by-name]"
        ),
        encoding="utf-8",
    )
    with pytest.raises(DefinitionError) as caught:
        lint(load_definitions("c.yaml").definitions)
    assert str(caught.value.diagnostics[0]).startswith(
        "c.yaml:8:24: suppression of type-by-name gives no reason"
    )


@pytest.mark.parametrize(
    ("label", "style", "expected"),
    [
        ("event start date", "title", "Event Start Date"),
        ("Consent to receive texts", "title", "Consent to Receive Texts"),
        ("What is it for", "title", "What Is It For"),  # a small word that ends stays capital
        ("AI call URL", "title", "AI Call URL"),
        ("Rental Duration (days)", "title", "Rental Duration (Days)"),
        ("Event Start Date", "sentence", "Event start date"),
        ("AI Call Recording URL", "sentence", "AI call recording URL"),
        ("owner in Hubspot", "sentence", "Owner in HubSpot"),
        ("Can I  come?", "sentence", "Can I  come?"),
    ],
)
def test_restyle(label: str, style: str, expected: str) -> None:
    assert restyle(label, style, {"hubspot": "HubSpot"}) == expected
