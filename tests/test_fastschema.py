"""The compiled schema check answers exactly what jsonschema's ``is_valid`` answers: on every
definitions file in the repository, on generated near-valid and arbitrary documents
(hypothesis), and it refuses keywords it does not implement."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from hubprops.definitions.schema import definitions_schema
from hubprops.fastschema import Unsupported, compile_schema

REPO = Path(__file__).resolve().parents[1]
SCHEMA = definitions_schema()
FAST = compile_schema(SCHEMA)
SLOW = Draft202012Validator(SCHEMA)


def _literals(node: Any, keys: set[str], values: list[Any]) -> None:
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "properties" and isinstance(v, dict):
                keys.update(v)
            if k == "enum":
                values.extend(v)
            elif k == "const":
                values.append(v)
            _literals(v, keys, values)
    elif isinstance(node, list):
        for item in node:
            _literals(item, keys, values)


KEYS: set[str] = set()
VALUES: list[Any] = []
_literals(SCHEMA, KEYS, VALUES)
LEAVES = st.one_of(
    st.sampled_from(VALUES),
    st.sampled_from(["", "a", "Ab", "x" * 101, "ok_name", "1bad", "contacts", "p1_x", "0-1"]),
    st.none(),
    st.booleans(),
    st.integers(-2, 3),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([1.0, 2.5, -1.0]),
    st.text(max_size=4),
)
ANY = st.recursive(
    LEAVES,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(sorted(KEYS)) | st.text(max_size=3), inner, max_size=6)
    ),
    max_leaves=25,
)
BASE_PROPERTY = {"name": "a_b", "label": "A", "type": "string", "fieldType": "text"}
OPTION = st.fixed_dictionaries(
    {"label": st.sampled_from(["A", "", 1]), "value": st.sampled_from(["a", "", True])},
    optional={"displayOrder": LEAVES, "hidden": LEAVES, "junk": LEAVES},
)
PROPERTY = st.builds(
    lambda changes, drop: {
        **{k: v for k, v in BASE_PROPERTY.items() if k not in drop},
        **changes,
    },
    st.dictionaries(
        st.sampled_from(sorted(KEYS)),
        st.one_of(LEAVES, st.lists(OPTION, max_size=3)),
        max_size=2,
    ),
    st.sets(st.sampled_from(sorted(BASE_PROPERTY)), max_size=2),
)
DOCUMENT = st.fixed_dictionaries(
    {"objectType": st.sampled_from(["contacts", "leads", "2-123", "Contacts", 5])},
    optional={
        "properties": st.lists(PROPERTY, max_size=4),
        "groups": st.lists(
            st.fixed_dictionaries({"name": LEAVES, "label": LEAVES}, optional={"x": LEAVES}),
            max_size=2,
        ),
        "renames": LEAVES,
    },
)


@settings(max_examples=200, deadline=None)
@given(DOCUMENT)
def test_near_valid_documents(doc: dict[str, Any]) -> None:
    assert FAST(doc) == SLOW.is_valid(doc), json.dumps(doc, default=str)


@settings(max_examples=150, deadline=None)
@given(ANY)
def test_arbitrary_documents(doc: Any) -> None:
    assert FAST(doc) == SLOW.is_valid(doc)


def test_every_definitions_file_in_the_repository() -> None:
    files = [
        p
        for p in [
            *REPO.glob("definitions/*.y*ml"),
            *REPO.glob("examples/**/*.y*ml"),
            *REPO.glob("tests/cases/**/definitions/*.y*ml"),
        ]
        if p.is_file()
    ]
    assert files
    seen = {True: 0, False: 0}
    for path in files:
        try:
            doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError:
            continue
        valid = SLOW.is_valid(doc)
        seen[valid] += 1
        assert FAST(doc) == valid, path
    assert seen[True]


@pytest.mark.parametrize(
    "schema",
    [{"dependentRequired": {}}, {"$ref": "other.json#/x"}, {"prefixItems": [], "items": {}}],
)
def test_unknown_keywords_are_refused(schema: dict[str, Any]) -> None:
    with pytest.raises(Unsupported):
        compile_schema(schema)


def test_recursive_references_and_booleans() -> None:
    schema = {
        "$defs": {"tree": {"type": "array", "items": {"$ref": "#/$defs/tree"}}},
        "$ref": "#/$defs/tree",
    }
    check = compile_schema(schema)
    assert check([[], [[]]]) and not check([[], [1]])
    assert compile_schema({"properties": {"a": False}})({"b": 1})
    assert not compile_schema({"properties": {"a": False}})({"a": 1})


# -- the plan and lock files: a real pair, then every kind of damage --------------------------


@pytest.fixture(scope="module")
def plan_and_lock(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Any]:
    """A plan (creates, an enumeration, groups) and the lock its apply wrote, through the CLI
    on the sandbox."""
    import os

    from click.testing import CliRunner

    from hubprops.cli import main

    work = tmp_path_factory.mktemp("fastschema")
    shutil.copytree(REPO / "examples" / "basic", work / "definitions")
    old = os.getcwd()
    os.chdir(work)
    try:
        runner = CliRunner()
        made = runner.invoke(main, ["plan", "--sandbox", "-o", "plan.json"])
        assert made.exit_code == 0, made.output
        plan = json.loads((work / "plan.json").read_text())
        done = runner.invoke(main, ["apply", "--sandbox", "plan.json"])
        assert done.exit_code == 0, done.output
        lock = json.loads((work / "hubprops.lock.json").read_text())
    finally:
        os.chdir(old)
    return plan, lock


def _damage(data: Any, draw: Callable[[st.SearchStrategy[Any]], Any]) -> Any:
    """``data`` with one random change somewhere: a key dropped or added, a value replaced by
    a leaf of another type, a list emptied or doubled."""
    if isinstance(data, dict) and data and draw(st.booleans()):
        key = draw(st.sampled_from(sorted(data)))
        data = dict(data)
        data[key] = _damage(data[key], draw)
        return data
    if isinstance(data, list) and data and draw(st.booleans()):
        index = draw(st.integers(0, len(data) - 1))
        data = list(data)
        data[index] = _damage(data[index], draw)
        return data
    how = draw(st.sampled_from(["leaf", "drop", "add", "double", "empty"]))
    if how == "drop" and isinstance(data, dict) and data:
        key = draw(st.sampled_from(sorted(data)))
        return {k: v for k, v in data.items() if k != key}
    if how == "add" and isinstance(data, dict):
        return {**data, draw(st.sampled_from(["x", "name", "portal_id", "__proto__"])): 1}
    if how == "double" and isinstance(data, list):
        return data + data
    if how == "empty" and isinstance(data, (list, dict)):
        return type(data)()
    return draw(LEAVES | st.sampled_from(["zz", -1, 0, "0-1", "2026-03", [], {}]))


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_plan_and_lock_files_damaged_anywhere(
    plan_and_lock: tuple[Any, Any], data: st.DataObject
) -> None:
    from hubprops.lock.file import lock_schema
    from hubprops.plan.file import plan_schema

    plan, lock = plan_and_lock
    for document, schema in ((plan, plan_schema()), (lock, lock_schema())):
        fast, slow = compile_schema(schema), Draft202012Validator(schema)
        assert fast(document) and slow.is_valid(document)
        damaged = _damage(document, data.draw)
        assert fast(damaged) == slow.is_valid(damaged), json.dumps(damaged, default=str)[:500]


def test_numbers_property_names_and_unique_items() -> None:
    schema = {
        "type": "object",
        "propertyNames": {"pattern": "^[0-9]+$"},
        "additionalProperties": {
            "type": "array",
            "uniqueItems": True,
            "items": {"type": "number", "minimum": 0, "exclusiveMaximum": 10},
        },
    }
    fast, slow = compile_schema(schema), Draft202012Validator(schema)
    for doc in (
        {"1": [0, 9.5]},
        {"a": []},
        {"1": [1, 1.0]},
        {"1": [True, 1]},
        {"1": [10]},
        {"1": [-0.5]},
        {"1": [[1], [1]]},
        {"1": ["a", "a"]},
        {"1": [True]},
    ):
        assert fast(doc) == slow.is_valid(doc), doc
