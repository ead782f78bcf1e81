"""A JSON Schema compiled into plain Python predicates: the fast path of the schema check.

``compile_schema(schema)`` turns a schema into one function ``instance -> bool`` that answers
exactly what ``Draft202012Validator(schema).is_valid(instance)`` answers, for the keywords
hubprops' own schemas use (type, enum, const, pattern, min/maxLength, min/maxItems, minimum
and maximum, properties, propertyNames, required, additionalProperties, items, uniqueItems,
allOf/anyOf/oneOf, if/then/else and local ``$ref``; ``format`` only annotates), in a fraction
of the time: a valid definitions, plan or lock file is never walked by jsonschema. Only an
invalid document goes to jsonschema, which collects every error for the diagnostics.

Any keyword outside that set makes ``compile_schema`` raise ``Unsupported``: the caller then
keeps jsonschema for everything, so the fast path can never accept what jsonschema rejects.
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Callable, Mapping
from typing import Any

Check = Callable[[Any], bool]

#: Keywords that only annotate (no effect on validity).
_ANNOTATIONS = frozenset(
    {
        "$schema",
        "$id",
        "$comment",
        "$defs",
        "title",
        "description",
        "examples",
        "errorMessage",
        "default",
        "deprecated",
        "readOnly",
        "writeOnly",
        "markdownDescription",
        # An annotation in 2020-12 unless a validator is given a format checker, which
        # hubprops never does.
        "format",
    }
)


class Unsupported(Exception):
    """The schema uses a keyword this compiler does not implement."""


def _is_integer(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


_TYPES: dict[str, Check] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "integer": _is_integer,
    "number": lambda v: isinstance(v, numbers.Number) and not isinstance(v, bool),
}


def _equal(a: Any, b: Any) -> bool:
    """JSON equality as jsonschema has it: true is not 1, 1 is 1.0, containers compared deeply."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, str) or isinstance(b, str):
        return isinstance(a, str) and isinstance(b, str) and a == b
    if isinstance(a, list) or isinstance(b, list):
        return (
            isinstance(a, list)
            and isinstance(b, list)
            and len(a) == len(b)
            and all(_equal(x, y) for x, y in zip(a, b, strict=True))
        )
    if isinstance(a, dict) or isinstance(b, dict):
        return (
            isinstance(a, dict)
            and isinstance(b, dict)
            and a.keys() == b.keys()
            and all(_equal(a[k], b[k]) for k in a)
        )
    return bool(a == b)


class _Compiler:
    def __init__(self, root: Mapping[str, Any]) -> None:
        self.root = root
        self.refs: dict[str, Check] = {}

    def ref(self, pointer: str) -> Check:
        if pointer in self.refs:
            return self.refs[pointer]
        if not pointer.startswith("#/"):
            raise Unsupported(f"$ref {pointer!r}")
        slot: list[Check] = []
        self.refs[pointer] = lambda v: slot[0](v)  # recursive references resolve lazily
        target: Any = self.root
        for part in pointer[2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        slot.append(self.compile(target))
        return self.refs[pointer]

    def compile(self, schema: Any) -> Check:
        if schema is True:
            return lambda v: True
        if schema is False:
            return lambda v: False
        if not isinstance(schema, dict):
            raise Unsupported(f"schema {schema!r}")
        checks: list[Check] = []
        for key, value in schema.items():
            if key in _ANNOTATIONS or key in ("then", "else"):
                continue
            checks.append(self.keyword(key, value, schema))
        return _all_of(checks)

    def keyword(self, key: str, value: Any, schema: Mapping[str, Any]) -> Check:
        simple = _SIMPLE.get(key)
        if simple is not None:
            return simple(value)
        if key == "$ref":
            return self.ref(value)
        if key == "properties":
            subs = {name: self.compile(sub) for name, sub in value.items()}
            return lambda v: (
                not isinstance(v, dict)
                or all(check(v[name]) for name, check in subs.items() if name in v)
            )
        if key == "additionalProperties":
            known = frozenset(schema.get("properties", {}))
            if "patternProperties" in schema:
                raise Unsupported("patternProperties")
            if value is False:
                return lambda v: not isinstance(v, dict) or known.issuperset(v)
            extra = self.compile(value)
            return lambda v: (
                not isinstance(v, dict)
                or all(extra(item) for name, item in v.items() if name not in known)
            )
        if key == "items":
            if "prefixItems" in schema:
                raise Unsupported("prefixItems")
            each = self.compile(value)

            def items(v: Any) -> bool:
                if isinstance(v, list):
                    for item in v:
                        if not each(item):
                            return False
                return True

            return items
        if key in ("allOf", "anyOf", "oneOf"):
            branches = [self.compile(sub) for sub in value]
            if key == "allOf":
                return _all_of(branches)
            if key == "anyOf":
                return lambda v: any(check(v) for check in branches)
            return lambda v: sum(1 for check in branches if check(v)) == 1
        if key == "propertyNames":
            name_check = self.compile(value)
            return lambda v: not isinstance(v, dict) or all(name_check(k) for k in v)
        if key == "uniqueItems":
            return _unique if value is True else (lambda v: True)
        if key == "not":
            sub = self.compile(value)
            return lambda v: not sub(v)
        if key == "if":
            test = self.compile(value)
            then = self.compile(schema.get("then", True))
            other = self.compile(schema.get("else", True))
            return lambda v: then(v) if test(v) else other(v)
        raise Unsupported(key)


def _all_of(checks: list[Check]) -> Check:
    if not checks:
        return lambda v: True
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda v: first(v) and second(v)

    def every(v: Any) -> bool:  # a loop: faster than all() over a generator
        for check in checks:  # noqa: SIM110
            if not check(v):
                return False
        return True

    return every


def _type(value: Any) -> Check:
    names = [value] if isinstance(value, str) else list(value)
    tests = [_TYPES[n] for n in names]
    if len(tests) == 1:
        return tests[0]
    return lambda v: any(test(v) for test in tests)


def _enum(value: Any) -> Check:
    if all(isinstance(option, str) for option in value):  # the usual case: a set lookup
        strings = frozenset(value)
        return lambda v: isinstance(v, str) and v in strings
    return lambda v: any(_equal(v, option) for option in value)


def _const(value: Any) -> Check:
    if isinstance(value, str):
        return lambda v: isinstance(v, str) and v == value
    if isinstance(value, bool):
        return lambda v: v is value
    return lambda v: _equal(v, value)


def _pattern(value: Any) -> Check:
    search = re.compile(value).search
    return lambda v: not isinstance(v, str) or search(v) is not None


def _required(value: Any) -> Check:
    names = list(value)
    return lambda v: not isinstance(v, dict) or all(n in v for n in names)


def _bound(kind: type, size: Callable[[int, Any], bool]) -> Callable[[Any], Check]:
    return lambda limit: lambda v: not isinstance(v, kind) or size(limit, v)


def _number(test: Callable[[Any, Any], bool]) -> Callable[[Any], Check]:
    def make(limit: Any) -> Check:
        def check(v: Any) -> bool:
            if isinstance(v, bool) or not isinstance(v, numbers.Number):
                return True
            return test(v, limit)

        return check

    return make


def _unique(v: Any) -> bool:
    """jsonschema's uniqueItems: no two items equal as JSON (1 equals 1.0, true is not 1)."""
    if not isinstance(v, list):
        return True
    if all(isinstance(item, str) for item in v):
        return len(set(v)) == len(v)
    return not any(_equal(v[i], v[j]) for i in range(len(v)) for j in range(i + 1, len(v)))


_SIMPLE: dict[str, Callable[[Any], Check]] = {
    "minimum": _number(lambda v, n: v >= n),
    "maximum": _number(lambda v, n: v <= n),
    "exclusiveMinimum": _number(lambda v, n: v > n),
    "exclusiveMaximum": _number(lambda v, n: v < n),
    "type": _type,
    "enum": _enum,
    "const": _const,
    "pattern": _pattern,
    "required": _required,
    "minLength": _bound(str, lambda n, v: len(v) >= n),
    "maxLength": _bound(str, lambda n, v: len(v) <= n),
    "minItems": _bound(list, lambda n, v: len(v) >= n),
    "maxItems": _bound(list, lambda n, v: len(v) <= n),
    "minProperties": _bound(dict, lambda n, v: len(v) >= n),
    "maxProperties": _bound(dict, lambda n, v: len(v) <= n),
}


def compile_schema(schema: Mapping[str, Any]) -> Check:
    """One predicate equal to jsonschema's ``is_valid`` for ``schema``; raises ``Unsupported``
    for a keyword it does not implement (then keep jsonschema)."""
    return _Compiler(schema).compile(schema)


def compiled_or_none(schema: Mapping[str, Any]) -> Check | None:
    """``compile_schema(schema)``, or None when it uses a keyword this compiler lacks (the
    caller then validates with jsonschema alone)."""
    try:
        return compile_schema(schema)
    except Unsupported:
        return None
