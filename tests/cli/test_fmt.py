"""``hubprops fmt`` (hubprops/cli/fmt.py): --check lists and exits 1, fmt writes and keeps
comments, --convert turns contact.json into contacts.yaml."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from hubprops.cli import main
from hubprops.definitions import load_definitions

REPO = Path(__file__).resolve().parents[2]

MESSY = """\
objectType: contacts
properties:
  # Keep me.
  - label: Size
    name: size
    type: string
    fieldType: text
    groupName: contactinformation   # and me
"""


def hubprops(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "definitions").mkdir()
    (tmp_path / "definitions" / "contacts.yaml").write_text(MESSY)
    return tmp_path


def test_check_lists_the_file_and_exits_1_without_writing(folder: Path) -> None:
    result = hubprops("fmt", "--check")
    assert result.exit_code == 1, result.output
    assert "would reformat definitions/contacts.yaml" in result.stdout
    assert (folder / "definitions" / "contacts.yaml").read_text() == MESSY


def test_fmt_rewrites_keeping_comments_then_check_passes(folder: Path) -> None:
    assert hubprops("fmt").exit_code == 0
    text = (folder / "definitions" / "contacts.yaml").read_text()
    assert "  # Keep me.\n  - name: size\n    label: Size\n" in text
    assert "groupName: contactinformation   # and me" in text
    assert hubprops("fmt", "--check").exit_code == 0


@pytest.mark.parametrize("folder_name", ["definitions", "examples"])
def test_repository_files_are_canonical(folder_name: str) -> None:
    result = hubprops("fmt", "--check", "-d", str(REPO / folder_name))
    assert result.exit_code == 0, result.output


def test_convert_turns_the_original_array_into_yaml(folder: Path) -> None:
    target = folder / "orig"
    target.mkdir()
    shutil.copy(REPO / "examples" / "original-system" / "contact.json", target)
    before = load_definitions(target).definitions.objects["contacts"].properties
    result = hubprops("fmt", "--convert", "-d", "orig")
    assert result.exit_code == 0, result.output
    assert not (target / "contact.json").exists()
    text = (target / "contacts.yaml").read_text()
    assert text.startswith("# yaml-language-server: $schema=../schemas/definitions.schema.json")
    after = load_definitions(target).definitions.objects["contacts"].properties
    assert [p.managed_fields() for p in after] == [p.managed_fields() for p in before]


def test_a_file_that_is_not_yaml_is_skipped_with_its_line(folder: Path) -> None:
    (folder / "definitions" / "broken.yaml").write_text("objectType: contacts\n  a: b: c\n")
    result = hubprops("fmt", "--check", "definitions/broken.yaml")
    assert result.exit_code == 0
    assert "definitions/broken.yaml:2: skipped: not valid YAML" in result.stderr
