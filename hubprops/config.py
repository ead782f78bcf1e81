"""``hubprops.toml``: the project's settings, read once, checked against its JSON Schema.

The file is optional and lives in the working directory. Top level: ``definitions``, ``lock``,
``api_version``; ``[environments.NAME]`` tables (``portal_id``, ``token_env``, optionally
``api_base`` and ``api_version``); ``[lint]`` rules (checked by the lint rules themselves, which
use :meth:`Config.line_of` to locate their errors).

Every problem is a :class:`~hubprops.errors.ConfigError` that names ``hubprops.toml:LINE``; a
half-read configuration is never used. Precedence for each setting (flag, then environment
variable, then the selected environment, then the top level, then the default) is applied by
:func:`resolve`; the caller passes the flag and environment values in, since the core never
reads ``os.environ``.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hubprops.errors import ConfigError

if TYPE_CHECKING:
    from types import ModuleType

CONFIG_FILE = "hubprops.toml"
DEFAULT_TOKEN_ENV = "HUBSPOT_ACCESS_TOKEN"
DEFAULT_API_BASE = "https://api.hubapi.com"
#: The most a configuration file may be: it is a handful of settings.
MAX_CONFIG_BYTES = 1_000_000

KeyPath = tuple[str, ...]


@dataclass(frozen=True)
class Environment:
    """One portal of ``[environments.NAME]``."""

    name: str
    portal_id: int
    token_env: str | None = None
    api_base: str | None = None
    api_version: str | None = None


@dataclass(frozen=True)
class Config:
    """A parsed ``hubprops.toml`` (or the empty configuration when there is none).

    ``lines`` maps a key path (``("lint", "name-pattern")``) to the 1-based line that sets it,
    so a later check can say where a value came from.
    """

    path: str | None = None
    definitions: str | None = None
    lock: str | None = None
    api_version: str | None = None
    environments: Mapping[str, Environment] = field(default_factory=dict)
    lint: Mapping[str, Any] = field(default_factory=dict)
    lines: Mapping[KeyPath, int] = field(default_factory=dict)

    def line_of(self, *keys: str) -> int:
        """The line of the deepest key of ``keys`` that the file sets (0 when unknown)."""
        for end in range(len(keys), 0, -1):
            line = self.lines.get(tuple(keys[:end]))
            if line:
                return line
        return 0

    def where(self, *keys: str) -> str:
        """``hubprops.toml:LINE`` for these keys, for error messages."""
        line = self.line_of(*keys)
        return f"{self.path}:{line}" if line else str(self.path or CONFIG_FILE)

    def environment(self, name: str) -> Environment:
        """The environment called ``name``, or a ConfigError listing the defined ones."""
        try:
            return self.environments[name]
        except KeyError:
            known = ", ".join(sorted(self.environments)) or "none"
            source = self.path or f"{CONFIG_FILE} (not found)"
            raise ConfigError(
                f"unknown environment {name!r}: {source} defines {known} "
                "(add an [environments.NAME] table with portal_id and token_env)"
            ) from None


def load_config(path: str | Path | None = None) -> Config:
    """Read ``path`` (default ``hubprops.toml`` in the working directory, optional).

    An explicitly named file must exist; the default one may be absent (empty configuration).
    """
    explicit = path is not None
    target = Path(path) if path is not None else Path(CONFIG_FILE)
    if not target.exists() and not target.is_symlink():
        if explicit:
            raise ConfigError(f"{target}: no such configuration file")
        return Config()
    text = _read_text(target)
    return parse_config(text, str(target))


def _read_text(target: Path) -> str:
    if not target.is_file():
        raise ConfigError(f"{target}: not a regular file")
    try:
        with target.open("rb") as fh:
            raw = fh.read(MAX_CONFIG_BYTES + 1)
    except OSError as exc:
        raise ConfigError(f"{target}: cannot read: {exc.strerror or exc}") from exc
    if len(raw) > MAX_CONFIG_BYTES:
        raise ConfigError(
            f"{target}: larger than {MAX_CONFIG_BYTES:,} bytes; is this the right file?"
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ConfigError(f"{target}:{line}: not UTF-8 text ({exc.reason})") from exc


def parse_config(text: str, source: str = CONFIG_FILE) -> Config:
    """Parse and check the text of a configuration file named ``source``."""
    tomllib = _toml()
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source}:{_toml_error_line(exc)}: {_toml_error_text(exc)}") from exc
    except RecursionError:  # tomllib recurses per nested array or inline table
        raise ConfigError(
            f"{source}: arrays or tables nested too deeply; is this the right file?"
        ) from None
    lines = key_lines(text)
    problems = _schema_problems(data, lines, source)
    if problems:
        raise ConfigError("; ".join(problems) if len(problems) == 1 else _listed(problems))
    environments = {
        name: Environment(name=name, **table)
        for name, table in data.get("environments", {}).items()
    }
    return Config(
        path=source,
        definitions=data.get("definitions"),
        lock=data.get("lock"),
        api_version=data.get("api_version"),
        environments=environments,
        lint=data.get("lint", {}),
        lines=lines,
    )


def _toml() -> ModuleType:
    """The TOML parser, imported when there is a file to read (most runs have none)."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    return tomllib


def _listed(problems: list[str]) -> str:
    return f"{len(problems)} problems in the configuration:\n" + "\n".join(problems)


def _toml_error_line(exc: Exception) -> int:
    lineno = getattr(exc, "lineno", None)
    if isinstance(lineno, int):
        return lineno
    found = re.search(r"line (\d+)", str(exc))
    return int(found.group(1)) if found else 0


def _toml_error_text(exc: Exception) -> str:
    msg = getattr(exc, "msg", None) or str(exc)
    return re.sub(r"\s*\(at line \d+, column \d+\)$", "", str(msg)) + " (TOML syntax)"


@cache
def _validator() -> Any:
    from importlib import resources

    from jsonschema import Draft202012Validator  # type: ignore[import-untyped]

    text = resources.files("hubprops.schemas").joinpath("config.schema.json").read_text("utf-8")
    return Draft202012Validator(json.loads(text))


def _schema_problems(data: dict[str, Any], lines: Mapping[KeyPath, int], source: str) -> list[str]:
    problems = []
    for error in sorted(_validator().iter_errors(data), key=lambda e: list(e.absolute_path)):
        keys = tuple(str(k) for k in error.absolute_path)
        if error.validator == "additionalProperties":
            extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
            keys = (*keys, extra[0]) if extra else keys
            where = ".".join(keys) or "top level"
            known = ", ".join(sorted(error.schema.get("properties", {})))
            message = f"unknown key {where!r} (known here: {known})"
        else:
            where = ".".join(keys) or "top level"
            message = f"{where}: {error.message}"
        line = 0
        for end in range(len(keys), 0, -1):
            line = lines.get(keys[:end], 0)
            if line:
                break
        problems.append(f"{source}:{line}: {message}" if line else f"{source}: {message}")
    return problems


_TABLE = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_PART = r"(?:\"[^\"]*\"|'[^']*'|[A-Za-z0-9_-]+)"
_KEY = re.compile(rf"^\s*({_PART}(?:\s*\.\s*{_PART})*)\s*=")


def _split_key(dotted: str) -> KeyPath:
    parts = re.findall(r"\"([^\"]*)\"|'([^']*)'|([A-Za-z0-9_-]+)", dotted)
    return tuple(a or b or c for a, b, c in parts)


def key_lines(text: str) -> dict[KeyPath, int]:
    """The line of each table header and key assignment, by key path.

    A light scan (TOML's grammar for headers and bare/quoted keys), enough to locate errors;
    values are not parsed here. Multi-line strings may hide a ``key =`` line: a located error in
    such a file may then name a nearby line, never a wrong file.
    """
    lines: dict[KeyPath, int] = {}
    table: KeyPath = ()
    for number, line in enumerate(text.splitlines(), start=1):
        header = _TABLE.match(line)
        if header:
            table = _split_key(header.group(1))
            lines.setdefault(table, number)
            continue
        key = _KEY.match(line)
        if key:
            lines.setdefault((*table, *_split_key(key.group(1))), number)
    return lines


@dataclass(frozen=True)
class Settings:
    """The settings in force for one command, after precedence."""

    api_base: str
    api_version: str
    token_env: str
    portal_id: int | None
    environment: str | None
    definitions: str
    lock: str


def resolve(
    config: Config,
    *,
    env_name: str | None = None,
    api_base: str | None = None,
    api_version: str | None = None,
    portal_id: int | None = None,
    definitions: str | None = None,
    lock: str | None = None,
    default_api_version: str,
    default_definitions: str,
    default_lock: str,
) -> Settings:
    """Apply precedence: the given values (flag or environment variable, resolved by the caller),
    then the selected environment's table, then the file's top level, then the defaults."""
    env = config.environment(env_name) if env_name else None
    if env is not None and portal_id is not None and portal_id != env.portal_id:
        raise ConfigError(
            f"--portal {portal_id} contradicts environment {env.name!r}, which is portal "
            f"{env.portal_id} ({config.where('environments', env.name, 'portal_id')})"
        )
    return Settings(
        api_base=api_base or (env.api_base if env else None) or DEFAULT_API_BASE,
        api_version=(
            api_version
            or (env.api_version if env else None)
            or config.api_version
            or default_api_version
        ),
        token_env=(env.token_env if env else None) or DEFAULT_TOKEN_ENV,
        portal_id=portal_id if portal_id is not None else (env.portal_id if env else None),
        environment=env.name if env else None,
        definitions=definitions or config.definitions or default_definitions,
        lock=lock or config.lock or default_lock,
    )
