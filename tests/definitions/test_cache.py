"""Tests for hubprops.definitions.cache: a parsed file is reused only when its bytes are the
same, gives exactly what parsing gives, and a cache that is broken, full or unwritable only
ever costs time."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hubprops.definitions import cache as cache_module
from hubprops.definitions.cache import ParseCache
from hubprops.definitions.loader import LoadedDefinitions, load_definitions
from hubprops.definitions.parse import parse_document
from hubprops.errors import DefinitionError, Diagnostic

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"

VALID = """\
objectType: contacts
groups:
  - name: events
    label: Events
properties:
  - name: favourite_colour
    label: Favourite colour
    type: enumeration
    fieldType: select
    groupName: events
    options:
      - {label: Red, value: red}
      - {label: Blue, value: blue}
  - name: joined
    label: Joined
    type: date
    fieldType: date
    groupName: events
    description: "on: yes"
"""

#: A schema error, a text problem (blank label) and a duplicate key, in one file.
INVALID = """\
objectType: contacts
properties:
  - name: bad_type
    label: Bad
    type: strin
    fieldType: text
    groupName: contactinformation
  - name: blank
    label: "   "
    label: "   "
    type: string
    fieldType: text
    groupName: contactinformation
"""


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.json")) if folder.exists() else []


def load(folder: Path, cache: ParseCache | None) -> LoadedDefinitions:
    return load_definitions(folder, cache=cache)


def failure(folder: Path, cache: ParseCache | None) -> tuple[Diagnostic, ...]:
    with pytest.raises(DefinitionError) as info:
        load_definitions(folder, cache=cache)
    return tuple(info.value.diagnostics)


@pytest.fixture()
def defs(tmp_path: Path) -> Path:
    folder = tmp_path / "definitions"
    folder.mkdir()
    (folder / "contacts.yaml").write_text(VALID, encoding="utf-8")
    return folder


def test_a_second_load_reads_the_cache_and_gives_the_same_definitions(
    defs: Path, tmp_path: Path
) -> None:
    store = ParseCache(tmp_path / "cache")
    fresh = load(defs, None)
    first = load(defs, store)
    assert len(entries(store.directory)) == 1
    second = load(defs, store)
    assert first == fresh and second == fresh
    # the source lines come from the cached positions
    joined = next(
        p for p in second.definitions.objects["contacts"].properties if p.name == "joined"
    )
    assert joined.source is not None and joined.source.line == 14


def test_the_entry_is_what_is_read(defs: Path, tmp_path: Path) -> None:
    """Proof that a hit skips parsing: an entry edited in place is what the next load sees."""
    store = ParseCache(tmp_path / "cache")
    load(defs, store)
    (entry,) = entries(store.directory)
    stored = json.loads(entry.read_text(encoding="utf-8"))
    stored["data"]["properties"][0]["label"] = "From the cache"
    entry.write_text(json.dumps(stored), encoding="utf-8")
    labels = {p.name: p.label for p in load(defs, store).definitions.objects["contacts"].properties}
    assert labels["favourite_colour"] == "From the cache"


def test_a_changed_file_is_parsed_again(defs: Path, tmp_path: Path) -> None:
    store = ParseCache(tmp_path / "cache")
    load(defs, store)
    (defs / "contacts.yaml").write_text(VALID.replace("Favourite colour", "Colour"), "utf-8")
    labels = {p.name: p.label for p in load(defs, store).definitions.objects["contacts"].properties}
    assert labels["favourite_colour"] == "Colour"
    assert len(entries(store.directory)) == 2


def test_problems_are_the_same_from_the_cache(tmp_path: Path) -> None:
    folder = tmp_path / "definitions"
    folder.mkdir()
    (folder / "contacts.yaml").write_text(INVALID, encoding="utf-8")
    store = ParseCache(tmp_path / "cache")
    fresh = failure(folder, None)
    assert any("strin" in d.message for d in fresh)
    assert any("blank" in d.message for d in fresh)
    assert any("written twice" in d.message for d in fresh)
    assert failure(folder, store) == fresh
    assert len(entries(store.directory)) == 1
    assert failure(folder, store) == fresh


#: Problems found after the per-file checks, located at fields (deep paths) and across files.
SEMANTIC = {
    "a.yaml": """\
objectType: contacts
properties:
  - name: shared
    label: Shared
    type: string
    fieldType: text
    groupName: nowhere
""",
    "b.yaml": """\
objectType: contacts
properties:
  - name: colour
    label: Colour
    type: enumeration
    fieldType: select
    groupName: contactinformation
    options:
      - {label: Red, value: red}
      - {label: Also red, value: red}
  - name: shared
    label: Shared again
    type: string
    fieldType: text
    groupName: contactinformation
""",
}


def test_semantic_problems_are_located_the_same_from_the_cache(tmp_path: Path) -> None:
    folder = tmp_path / "definitions"
    folder.mkdir()
    for name, text in SEMANTIC.items():
        (folder / name).write_text(text, encoding="utf-8")
    store = ParseCache(tmp_path / "cache")
    fresh = failure(folder, None)
    assert failure(folder, store) == fresh  # fills the cache
    assert failure(folder, store) == fresh  # read from it
    where = {(d.file.rsplit("/", 1)[-1], d.line, d.column, d.path) for d in fresh}
    assert ("b.yaml", 10, 27, "properties[0].options[1].value") in where  # duplicate value
    assert ("b.yaml", 11, 5, "properties[1].name") in where  # defined twice ...
    assert any("first at" in d.message and "a.yaml:3" in d.message for d in fresh)  # ... here
    assert ("a.yaml", 7, 5, "properties[0].groupName") in where  # unknown group (warning)


def test_cached_positions_of_fields_are_read_only_when_a_problem_needs_them(
    defs: Path, tmp_path: Path
) -> None:
    store = ParseCache(tmp_path / "cache")
    load(defs, store)
    (entry,) = entries(store.directory)
    hit = store.get(entry.stem)
    assert hit is not None
    positions = hit.parsed.positions
    assert positions[("properties", 1)] == (14, 5)  # an item: given at once
    assert getattr(positions, "_all", None) is None  # the fields' positions not decoded yet
    assert positions[("properties", 1, "description")] == (19, 5)
    assert dict(positions.items()) == dict(parse_document(VALID).positions)


@pytest.mark.parametrize(
    "folder", ["basic", "invalid", "multi-portal/definitions", "original-system"]
)
def test_every_example_loads_the_same_cold_and_warm(folder: str, tmp_path: Path) -> None:
    copy = tmp_path / "defs"
    shutil.copytree(EXAMPLES / folder, copy, ignore=shutil.ignore_patterns("*.md"))
    store = ParseCache(tmp_path / "cache")

    def outcome(cache: ParseCache | None) -> object:
        try:
            return load(copy, cache)
        except DefinitionError as exc:
            return exc.diagnostics

    fresh = outcome(None)
    assert outcome(store) == fresh
    assert outcome(store) == fresh


def test_legacy_files_are_converted_from_a_cached_parse(tmp_path: Path) -> None:
    """The same bytes as contact.json (legacy) and as another name (native) do not mix."""
    legacy = tmp_path / "legacy"
    shutil.copytree(EXAMPLES / "original-system", legacy, ignore=shutil.ignore_patterns("*.md"))
    store = ParseCache(tmp_path / "cache")
    fresh = load(legacy, None)
    assert load(legacy, store) == fresh
    assert load(legacy, store) == fresh
    renamed = tmp_path / "renamed"
    renamed.mkdir()
    shutil.copy(legacy / "contact.json", renamed / "people.json")
    assert failure(renamed, store) == failure(renamed, None)


def test_values_json_cannot_carry_are_not_cached(tmp_path: Path) -> None:
    folder = tmp_path / "definitions"
    folder.mkdir()
    # a YAML timestamp where a string belongs: a schema error, and a datetime in the data
    text = VALID.replace('description: "on: yes"', "description: 2024-01-02")
    (folder / "contacts.yaml").write_text(text, encoding="utf-8")
    store = ParseCache(tmp_path / "cache")
    fresh = failure(folder, None)
    assert failure(folder, store) == fresh
    assert entries(store.directory) == []


def test_a_broken_entry_is_a_miss_and_is_replaced(defs: Path, tmp_path: Path) -> None:
    store = ParseCache(tmp_path / "cache")
    fresh = load(defs, store)
    (entry,) = entries(store.directory)
    for broken in ("", "{", '{"key": "someone else"}', "[1, 2]", json.dumps({"key": entry.stem})):
        entry.write_text(broken, encoding="utf-8")
        assert load(defs, store) == fresh
        assert json.loads(entry.read_text(encoding="utf-8"))["key"] == entry.stem


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere")
def test_an_unwritable_cache_costs_time_only(defs: Path, tmp_path: Path) -> None:
    locked = tmp_path / "cache"
    locked.mkdir(mode=0o500)
    try:
        assert load(defs, ParseCache(locked)) == load(defs, None)
        assert entries(locked) == []
    finally:
        locked.chmod(0o700)


def test_a_cache_path_that_is_a_file_costs_time_only(defs: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("not a folder")
    assert load(defs, ParseCache(blocker)) == load(defs, None)


def test_the_cache_keeps_its_newest_entries(
    defs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache_module, "MAX_ENTRIES", 3)
    store = ParseCache(tmp_path / "cache")
    for i in range(6):
        (defs / "contacts.yaml").write_text(VALID.replace("Events", f"Events {i}"), "utf-8")
        load(defs, store)
        newest = max(entries(store.directory), key=lambda p: p.stat().st_mtime_ns)
        os.utime(newest, ns=(i * 10**9, i * 10**9))  # a distinct age per entry
    kept = entries(store.directory)
    assert len(kept) == 3
    assert sorted(p.stat().st_mtime for p in kept) == [3.0, 4.0, 5.0]


def test_the_folder_is_private(defs: Path, tmp_path: Path) -> None:
    store = ParseCache(tmp_path / "cache")
    load(defs, store)
    assert store.directory.stat().st_mode & 0o777 == 0o700


def _validate(folder: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from hubprops.cli import main; main()", "validate", "-d", "d"],
        cwd=folder,
        env={**os.environ, "PYTHONPATH": str(REPO), **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_cli_uses_xdg_cache_home_and_can_be_turned_off(defs: Path, tmp_path: Path) -> None:
    work = tmp_path / "work"
    shutil.copytree(defs, work / "d")
    env = {"HUBPROPS_CACHE_DIR": "", "XDG_CACHE_HOME": str(tmp_path / "xdg")}
    done = _validate(work, env)
    assert done.returncode == 0, done.stderr
    assert len(entries(tmp_path / "xdg" / "hubprops")) == 1
    off = _validate(
        work, {**env, "HUBPROPS_CACHE_DIR": "off", "XDG_CACHE_HOME": str(tmp_path / "x2")}
    )
    assert off.returncode == 0, off.stderr
    assert not (tmp_path / "x2").exists()
    chosen = _validate(work, {"HUBPROPS_CACHE_DIR": str(tmp_path / "mine")})
    assert chosen.returncode == 0, chosen.stderr
    assert len(entries(tmp_path / "mine")) == 1
