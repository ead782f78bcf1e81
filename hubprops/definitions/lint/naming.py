"""Checks on what a property is called: name-pattern, label-style, description-required,
type-by-name."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from hubprops.definitions.lint.base import Context, Hit, is_custom
from hubprops.models import ObjectDefinitions

#: Words Title Case leaves in lower case unless they open the label (Chicago style, short).
_SMALL = "a an and as at but by for from in into nor of off on or per so the to up via vs with yet"
SMALL_WORDS = frozenset(_SMALL.split())
_WORD = re.compile(r"\S+")
_LETTERS = re.compile(r"[^\W\d_]")


def name_pattern(
    objects: ObjectDefinitions, params: Mapping[str, Any], _: Context
) -> Iterator[Hit]:
    pattern: re.Pattern[str] = params["pattern"]
    for prop in objects.properties:
        if is_custom(prop) and pattern.fullmatch(prop.name) is None:
            yield Hit(prop, f"name {prop.name!r} does not match {pattern.pattern!r}", "name")


def description_required(
    objects: ObjectDefinitions, params: Mapping[str, Any], _: Context
) -> Iterator[Hit]:
    least: int = params["min_length"]
    for prop in objects.properties:
        if not is_custom(prop):
            continue
        text = (prop.description or "").strip()
        if not text:
            yield Hit(prop, f"property {prop.name!r} has no description", "description")
        elif len(text) < least:
            yield Hit(
                prop,
                f"description of {prop.name!r} has {len(text)} characters, fewer than {least}",
                "description",
            )


def type_by_name(
    objects: ObjectDefinitions, params: Mapping[str, Any], _: Context
) -> Iterator[Hit]:
    date: re.Pattern[str] = params["date_pattern"]
    number: re.Pattern[str] = params["number_pattern"]
    for prop in objects.properties:
        if prop.type != "string":
            continue
        if date.search(prop.name):
            yield Hit(
                prop, f"{prop.name!r} sounds like a date but is a string (type: date)", "type"
            )
        elif number.search(prop.name):
            yield Hit(
                prop, f"{prop.name!r} sounds like a number but is a string (type: number)", "type"
            )


def label_style(objects: ObjectDefinitions, params: Mapping[str, Any], _: Context) -> Iterator[Hit]:
    style: str = params["style"]
    kept = {w.casefold(): w for w in params["words"]}
    for prop in objects.properties:
        if not prop.label:
            continue
        fixed = restyle(prop.label, style, kept)
        if fixed != prop.label:
            name = "Title Case" if style == "title" else "Sentence case"
            yield Hit(prop, f"label {prop.label!r} is not {name}: {fixed!r}", "label")


def restyle(label: str, style: str, kept: Mapping[str, str]) -> str:
    """``label`` in ``style`` (``title`` or ``sentence``); words in ``kept`` (by casefold) as
    written there, acronyms (all capitals) and words without letters untouched."""
    words = _WORD.findall(label)
    out: list[str] = []
    for index, word in enumerate(words):
        out.append(_restyle_word(word, index == 0, index == len(words) - 1, style, kept))
    pieces = iter(out)
    return _WORD.sub(lambda _: next(pieces), label)


def _restyle_word(word: str, first: bool, last: bool, style: str, kept: Mapping[str, str]) -> str:
    letter = _LETTERS.search(word)
    if letter is None:
        return word
    core = word.strip("()[]{}\"'?!.,:;")
    if core.casefold() in kept:
        return word.replace(core, kept[core.casefold()])
    if core.isupper() and (len(core) > 1 or core == "I"):  # an acronym (ADA, URL, AI) or I
        return word
    at = letter.start()
    head, rest = word[at], word[at + 1 :]
    if first:
        return word[:at] + head.upper() + rest
    if style == "title":
        small = core.casefold() in SMALL_WORDS and not last
        return word[:at] + (head.lower() if small else head.upper()) + rest
    return word[:at] + head.lower() + rest
