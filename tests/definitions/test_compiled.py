"""The compiled schema check answers exactly what jsonschema's ``is_valid`` answers: on every
definitions file in the repository, on generated near-valid and arbitrary documents
(hypothesis), and it refuses keywords it does not implement."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from hubprops.definitions.compiled import Unsupported, compile_schema
from hubprops.definitions.schema import definitions_schema

REPO = Path(__file__).resolve().parents[2]
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
    [{"uniqueItems": True}, {"$ref": "other.json#/x"}, {"prefixItems": [], "items": {}}],
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
