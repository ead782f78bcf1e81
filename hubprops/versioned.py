"""The one way plan and lock files are decoded: read a JSON object, check its
``format_version``, validate it into a model; each failure a one-line error naming the file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from hubprops.errors import HubpropsError, UnsupportedFormatVersion
from hubprops.fsutil import FileRefused, read_regular

M = TypeVar("M", bound=BaseModel)


def read_json(path: Path, error: type[HubpropsError], unreadable: str, not_json: str) -> Any:
    """The JSON in ``path``; ``error`` with ``<path>: <unreadable>: <why>`` when it cannot be
    read, or ``<path>: <not_json> (not JSON: <why>)``-style text from ``not_json`` (which may
    hold ``{exc}``) when it is not JSON.

    Only a regular file under ``fsutil.MAX_READ_BYTES`` is read (a FIFO or ``/dev/zero`` would
    hang or fill memory); NaN/Infinity, numbers over Python's digit limit and nesting deeper
    than the parser goes are "not JSON", never a crash."""
    try:
        text = read_regular(path).decode("utf-8")
    except FileRefused as exc:
        raise error(f"{path}: {unreadable}: {exc.strerror}") from exc
    except OSError as exc:
        raise error(f"{path}: {unreadable}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise error(f"{path}: {unreadable}: {exc}") from exc
    try:
        return json.loads(text, parse_constant=_no_constant)
    except ValueError as exc:  # JSONDecodeError, NaN, a number of over 4,300 digits
        raise error(f"{path}: {not_json.format(exc=exc)}") from exc
    except RecursionError as exc:
        raise error(f"{path}: {not_json.format(exc='nested too deeply')}") from exc


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def check_version(data: dict[str, Any], supported: int, message: str) -> None:
    """UnsupportedFormatVersion unless ``data["format_version"]`` is ``supported``;
    ``message`` may hold ``{version!r}``."""
    version = data.get("format_version")
    if version != supported:
        raise UnsupportedFormatVersion(message.format(version=version))


def validate(model: type[M], data: Any, error: type[HubpropsError], prefix: str) -> M:
    """``model.model_validate(data)``; the first problem as ``error("<prefix> at <where>:
    <what>")``."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(x) for x in first["loc"])
        raise error(f"{prefix} at {where}: {first['msg']}") from exc
