"""Tests for hubprops.definitions.loader: loading folders, locations, models, errors at once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from hubprops.definitions.loader import (
    DEFAULT_GROUPS,
    find_definition_files,
    load_definitions,
)
from hubprops.errors import DefinitionError, Diagnostic
from hubprops.models import PropertyDef

REPO = Path(__file__).resolve().parents[2]

CUSTOM_FIELDS = {"name", "label", "type", "fieldType", "groupName"}


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def problems(folder: Path | str) -> list[Diagnostic]:
    with pytest.raises(DefinitionError) as info:
        load_definitions(folder)
    return list(info.value.diagnostics)


VALID = """\
objectType: contacts
groups:
  - name: event_details
    label: Event Details
properties:
  - name: firstname
    label: First Name
  - name: event_start_date
    label: Event Start Date
    type: date
    fieldType: date
    groupName: event_details
"""


@pytest.fixture()
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


# --- the repository's own definitions ---------------------------------------------------------


def test_repo_definitions_have_the_stahla_counts() -> None:
    loaded = load_definitions(REPO / "definitions")
    objects = loaded.definitions.objects
    assert sorted(objects) == ["contacts", "leads"]
    assert len(objects["contacts"].properties) == 15
    assert len(objects["leads"].properties) == 25
    assert loaded.warnings == ()
    for name in ("email", "firstname", "lastname", "what_service_do_you_need_", "event_start_date"):
        assert objects["contacts"].property(name) is not None
    for name in ("project_category", "ai_estimated_value", "quote_urgency"):
        assert objects["leads"].property(name) is not None


def test_repo_services_property_lists_the_six_services() -> None:
    prop = (
        load_definitions(REPO / "definitions")
        .definitions.objects["contacts"]
        .property("what_service_do_you_need_")
    )
    assert prop is not None and prop.options is not None
    assert (prop.type, prop.field_type) == ("enumeration", "checkbox")
    assert [o.label for o in prop.options] == [
        "Restroom Trailer",
        "Shower Trailer",
        "Laundry Trailer",
        "Porta Potty",
        "Trailer Repair / Pump Out",
        "Other",
    ]


def test_repo_custom_properties_carry_what_create_needs_and_use_existing_groups() -> None:
    defs = load_definitions(REPO / "definitions").definitions
    hubspot_defined = {"email", "firstname", "lastname"}
    for object_type, obj in defs.objects.items():
        usable = {g.name for g in obj.groups} | DEFAULT_GROUPS[object_type]
        for prop in obj.properties:
            fields = set(prop.managed_fields())
            if prop.name in hubspot_defined:
                assert fields == {"name", "label"}
                continue
            assert fields >= CUSTOM_FIELDS, prop.name
            assert prop.group_name in usable, prop.name
        assert any(p.group_name in {g.name for g in obj.groups} for p in obj.properties)


def test_repo_leads_cover_every_creatable_type_and_field_type_pair() -> None:
    leads = load_definitions(REPO / "definitions").definitions.objects["leads"].properties
    pairs = {(p.type, p.field_type) for p in leads}
    assert pairs >= {
        ("bool", "booleancheckbox"),
        ("enumeration", "checkbox"),
        ("enumeration", "radio"),
        ("enumeration", "select"),
        ("date", "date"),
        ("datetime", "date"),
        ("string", "text"),
        ("string", "textarea"),
        ("string", "html"),
        ("string", "file"),
        ("number", "number"),
        ("phone_number", "phonenumber"),
        ("number", "calculation_equation"),
    }


# --- models and locations -----------------------------------------------------------------------


def test_models_keep_only_the_fields_the_file_sets(in_tmp: Path) -> None:
    write(in_tmp / "defs", "contacts.yaml", VALID)
    defs = load_definitions("defs").definitions
    contacts = defs.objects["contacts"]
    firstname = contacts.property("firstname")
    assert isinstance(firstname, PropertyDef)
    assert firstname.managed_fields() == {"name": "firstname", "label": "First Name"}
    assert defs.files == ("defs/contacts.yaml",)


def test_sources_name_the_file_as_given_and_the_item_line(in_tmp: Path) -> None:
    write(in_tmp / "defs", "contacts.yaml", VALID)
    contacts = load_definitions("defs").definitions.objects["contacts"]
    assert str(contacts.properties[0].source) == "defs/contacts.yaml:6"
    assert str(contacts.properties[1].source) == "defs/contacts.yaml:8"
    assert str(contacts.groups[0].source) == "defs/contacts.yaml:3"


def test_absolute_folder_below_cwd_is_shown_relative(in_tmp: Path) -> None:
    write(in_tmp / "defs", "contacts.yaml", VALID)
    defs = load_definitions(in_tmp / "defs").definitions
    assert defs.files == ("defs/contacts.yaml",)


def test_files_of_one_object_type_are_gathered_and_ids_are_canonical(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", VALID)
    write(
        tmp_path,
        "sub/b.json",
        '{"objectType": "0-1", "properties": [{"name": "lastname", "label": "Last Name"}]}',
    )
    defs = load_definitions(tmp_path).definitions
    assert list(defs.objects) == ["contacts"]
    assert [p.name for p in defs.objects["contacts"].properties] == [
        "firstname",
        "event_start_date",
        "lastname",
    ]


def test_single_file_can_be_loaded(tmp_path: Path) -> None:
    path = write(tmp_path, "contacts.yml", VALID)
    assert len(load_definitions(path).definitions.objects["contacts"].properties) == 2


def test_hidden_folders_and_other_files_are_skipped(tmp_path: Path) -> None:
    write(tmp_path, "contacts.yaml", VALID)
    write(tmp_path, ".cache/junk.yaml", "::: not yaml")
    write(tmp_path, "notes.md", "# notes")
    assert [p.name for p in find_definition_files(tmp_path)] == ["contacts.yaml"]


def test_warnings_are_returned_not_raised(tmp_path: Path) -> None:
    write(tmp_path, "c.yaml", VALID.replace("groupName: event_details", "groupName: nowhere"))
    loaded = load_definitions(tmp_path)
    assert [w.severity for w in loaded.warnings] == ["warning"]
    assert "nowhere" in loaded.warnings[0].message


# --- errors -------------------------------------------------------------------------------------


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    (diag,) = problems(tmp_path / "nope")
    assert "no such directory" in diag.message


def test_folder_without_definition_files_is_a_clear_error(tmp_path: Path) -> None:
    write(tmp_path, "readme.txt", "hello")
    (diag,) = problems(tmp_path)
    assert "no definition files" in diag.message


def test_every_problem_of_every_file_is_reported_at_once(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", "objectType: contacts\nproperties:\n  - name: Bad\n")
    write(tmp_path, "b.yaml", "objectType: leads\nproperties:\n  - name: ok\n    type: nope\n")
    write(tmp_path, "c.yaml", "objectType: [unclosed\n")
    found = [(Path(d.file).name, d.line, d.path) for d in problems(tmp_path)]
    assert found == [
        ("a.yaml", 3, "properties[0].name"),
        ("b.yaml", 3, "properties[0].fieldType"),  # missing: located at its property
        ("b.yaml", 4, "properties[0].type"),
        ("c.yaml", 2, ""),
    ]


def test_errors_come_with_the_warnings(tmp_path: Path) -> None:
    write(
        tmp_path,
        "a.yaml",
        VALID.replace("groupName: event_details", "groupName: nowhere").replace(
            "name: firstname", "name: First"
        ),
    )
    assert sorted(d.severity for d in problems(tmp_path)) == ["error", "warning"]


def test_malformed_yaml_is_located(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", "objectType: contacts\nproperties:\n  - name: x\n   label: y\n")
    (diag,) = problems(tmp_path)
    assert diag.line == 4
    assert diag.message.startswith("invalid YAML: ")
    assert diag.path == ""


def test_malformed_json_is_located(tmp_path: Path) -> None:
    write(tmp_path, "a.json", '{"objectType": "contacts",\n "properties": [}\n')
    (diag,) = problems(tmp_path)
    assert (diag.line, diag.column) == (2, 17)
    assert diag.message.startswith("invalid JSON: ")


def test_json_errors_point_at_the_offending_line(tmp_path: Path) -> None:
    text = (
        '{\n  "objectType": "contacts",\n  "properties": [\n    {"name": "x", "typ": "s"}\n  ]\n}\n'
    )
    write(tmp_path, "a.json", text)
    (diag,) = problems(tmp_path)
    assert (diag.line, diag.path) == (4, "properties[0].typ")
    assert "did you mean 'type'?" in diag.message


def test_json_values_are_read_as_json(tmp_path: Path) -> None:
    # YAML 1.1 reads 1e5 as the string "1e5"; JSON reads a number, which a label cannot be.
    write(tmp_path, "a.json", '{"objectType": "contacts", "groups": [{"name": "g", "label": 1e5}]}')
    (diag,) = problems(tmp_path)
    assert diag.path == "groups[0].label"
    assert "expected a string" in diag.message


def test_empty_file_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", "# nothing here\n")
    (diag,) = problems(tmp_path)
    assert "empty" in diag.message


def test_key_written_twice_is_an_error(tmp_path: Path) -> None:
    write(
        tmp_path, "a.yaml", VALID.replace("    label: First Name\n", "    label: A\n    label: B\n")
    )
    (diag,) = problems(tmp_path)
    assert (diag.line, diag.path) == (8, "properties[0].label")
    assert "first at line 7" in diag.message


def test_non_utf8_file_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_bytes(b"objectType: \xff\xfe\n")
    (diag,) = problems(tmp_path)
    assert "UTF-8" in diag.message


@pytest.mark.skipif(os.name == "nt" or os.geteuid() == 0, reason="needs file permissions")
def test_unreadable_file_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, "a.yaml", VALID)
    path.chmod(0)
    try:
        (diag,) = problems(tmp_path)
    finally:
        path.chmod(0o644)
    assert "cannot read" in diag.message


def test_non_utf8_byte_is_located_at_its_line_and_column(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_bytes(
        b"objectType: contacts\nproperties:\n  - name: cafe\n    label: Caf\xe9\n"
    )
    (diag,) = problems(tmp_path)
    assert (diag.line, diag.column) == (4, 15)
    assert "not UTF-8" in diag.message
    assert "byte 0xe9" in diag.message


def test_utf8_bom_is_accepted_in_json_and_yaml(tmp_path: Path) -> None:
    # Windows editors (Notepad, PowerShell's Out-File) write a byte order mark.
    bom = b"\xef\xbb\xbf"
    (tmp_path / "a.json").write_bytes(
        bom + b'{"objectType": "contacts",\n "groups": [{"name": "g"}]}'
    )
    (tmp_path / "b.yaml").write_bytes(bom + b"objectType: leads\nfoo: 1\n")
    found = sorted(
        (d.file.rsplit("/", 1)[-1], d.line, d.column, d.path) for d in problems(tmp_path)
    )
    assert found == [("a.json", 2, 13, "groups[0].label"), ("b.yaml", 2, 1, "foo")]


def test_key_written_twice_in_json_does_not_blame_yaml(tmp_path: Path) -> None:
    write(tmp_path, "a.json", '{"objectType": "contacts",\n "objectType": "leads"}')
    (diag,) = problems(tmp_path)
    assert (diag.line, diag.column, diag.path) == (2, 2, "objectType")
    assert diag.message == (
        "written twice in one mapping (first at line 1); only the last one would count"
    )


def test_unusable_folder_path_is_a_clear_error_not_a_crash(tmp_path: Path) -> None:
    (diag,) = problems(tmp_path / ("a" * 5000))  # longer than any file system allows
    assert diag.message.startswith("cannot read this folder: ")


# -- unreadable parts of the folder (issue 17, item 2; item 6 for FIFOs) -----------------------
def _named(diags: list[Diagnostic], needle: str) -> Diagnostic:
    return next(d for d in diags if needle in d.file)


def test_broken_symlink_is_an_error_naming_it(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", VALID)
    (tmp_path / "leads").symlink_to(tmp_path / "nowhere")
    diag = _named(problems(tmp_path), "leads")
    assert "broken symlink" in diag.message


def test_symlink_loop_is_an_error_naming_it(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", VALID)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "back").symlink_to(tmp_path)
    (tmp_path / "self.yaml").symlink_to(tmp_path / "self.yaml")
    diags = problems(tmp_path)
    assert "symlink loop" in _named(diags, "back").message
    assert "symlink loop" in _named(diags, "self.yaml").message


def test_fifo_with_a_definitions_suffix_is_refused_without_blocking(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", VALID)
    os.mkfifo(tmp_path / "pipe.yaml")
    assert "not a regular file" in _named(problems(tmp_path), "pipe.yaml").message
    with pytest.raises(DefinitionError) as info:
        find_definition_files(tmp_path / "pipe.yaml")
    assert "not a regular file" in str(info.value.diagnostics[0])


def test_unreadable_subfolder_is_an_error_not_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``validate`` used to say "valid: 1 file" and ``plan --prune`` archived the folder's
    properties. As root no permission denies a read, so the OS refusal is simulated there."""
    write(tmp_path, "a.yaml", VALID)
    secret = tmp_path / "leads"
    write(secret, "leads.yaml", "objectType: leads\n")
    if os.geteuid() == 0:
        real = os.scandir

        def scandir(path: object) -> object:
            if Path(str(path)) == secret:
                raise PermissionError(13, "Permission denied", str(path))
            return real(path)  # type: ignore[arg-type]

        monkeypatch.setattr(os, "scandir", scandir)
        diag = _named(problems(tmp_path), "leads")
    else:
        secret.chmod(0)
        try:
            diag = _named(problems(tmp_path), "leads")
        finally:
            secret.chmod(0o755)
    assert "cannot read this folder: Permission denied" in diag.message


def test_plan_prune_with_a_broken_subfolder_archives_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from hubprops.cli import main
    from hubprops.sandbox import Sandbox
    from tests.helpers.apply import prop, write_definitions

    monkeypatch.chdir(tmp_path)
    group = [{"name": "ops", "label": "Ops"}]
    write_definitions(tmp_path / "definitions", "contacts", [prop("alpha", "ops")], group)
    write_definitions(tmp_path / "definitions" / "more", "leads", [prop("beta", "ops")], group)
    run = CliRunner().invoke
    assert run(main, ["apply", "--sandbox", "--auto-approve"]).exit_code == 0
    moved = tmp_path / "elsewhere"
    (tmp_path / "definitions" / "more").rename(moved)
    (tmp_path / "definitions" / "more").symlink_to(tmp_path / "gone")  # now broken
    result = run(main, ["plan", "--sandbox", "--prune", "--allow-destructive", "-o", "p.json"])
    assert result.exit_code == 1
    assert "definitions/more" in result.output and "broken symlink" in result.output
    assert not (tmp_path / "p.json").exists()
    state = Sandbox(state_file=".hubprops/sandbox.json")
    assert "beta" in [p["name"] for p in state.properties("leads")]


# -- clean, located errors instead of "unexpected error" (issue 17, items 5, 8, 9) ------------
BASE = """\
objectType: contacts
properties:
  - name: a
    label: A
    type: string
    fieldType: text
    groupName: contactinformation
"""


@pytest.mark.timeout(30)
def test_yaml_alias_bomb_is_a_located_error(tmp_path: Path) -> None:
    levels = "a0: &a0 [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 10)
    )
    write(tmp_path, "bomb.yaml", "objectType: contacts\n" + levels)
    (diag,) = problems(tmp_path)
    assert "aliases expand to more than" in diag.message
    assert diag.line > 1


@pytest.mark.parametrize(
    ("old", "new", "needle"),
    [
        ("label: A", "label: !!int 'abc'", "cannot read 'abc'"),
        ("label: A", "label: !!float x", "cannot read 'x'"),
        ("label: A", "label: !!timestamp '2024-13-45'", "cannot read '2024-13-45'"),
        ("label: A", "label: !!bool maybe", "cannot read 'maybe'"),
        ("label: A", "label: A\n    displayOrder: " + "9" * 5000, "too many digits"),
        ("type: string", "type: [a]", "a list is not a valid type"),
        ("objectType: contacts", 'objectType: "contacts\\n"', "ends with a line break"),
        ("name: a", 'name: "a\\n"', "ends with a line break"),
        ("groupName: contactinformation", 'groupName: "contactinformation\\n"', "line break"),
        ("label: A", 'label: "   "', "is blank"),
    ],
)
def test_bad_values_are_located_errors(tmp_path: Path, old: str, new: str, needle: str) -> None:
    write(tmp_path, "a.yaml", BASE.replace(old, new))
    diags = problems(tmp_path)
    assert any(needle in d.message and d.line >= 1 for d in diags), diags


def test_json_lone_surrogate_and_huge_integer_are_errors(tmp_path: Path) -> None:
    body = '"name": "a", "type": "string", "fieldType": "text", "groupName": "contactinformation"'
    write(
        tmp_path,
        "a.json",
        '{"objectType": "contacts", "properties": [{' + body + ', "label": "\\ud800"}]}',
    )
    assert "lone surrogate" in problems(tmp_path)[0].message
    write(tmp_path, "a.json", '{"objectType": "contacts",\n "x": ' + "1" * 5000 + "}")
    (diag,) = problems(tmp_path)
    assert (diag.line, diag.column) == (2, 7)
    assert "too many digits" in diag.message


def test_deeply_nested_json_definitions_are_an_error(tmp_path: Path) -> None:
    write(tmp_path, "a.json", "[" * 10000 + "]" * 10000)
    assert "nested too deeply" in problems(tmp_path)[0].message
