"""What every command shares: exit codes, the one error boundary, options that reach HubSpot.

Exit codes are decided here once (DESIGN.md): 0 ok, 1 error, 2 changes/drift (only where a
command says so), 130 interrupted.
"""

from __future__ import annotations

import functools
import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar, overload

import click

from hubprops.config import DEFAULT_API_BASE, DEFAULT_TOKEN_ENV, Config, Settings
from hubprops.errors import ConfigError, DefinitionError, HubpropsError
from hubprops.rules import API_VERSIONS, DEFAULT_API_VERSION

if TYPE_CHECKING:
    from hubprops.definitions.cache import ParseCache
    from hubprops.hubspot import HubSpotClient

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_CHANGES = 2
EXIT_INTERRUPTED = 130

TOKEN_ENV = DEFAULT_TOKEN_ENV
API_BASE_ENV = "HUBPROPS_API_BASE"
API_VERSION_ENV = "HUBPROPS_API_VERSION"
CACHE_ENV = "HUBPROPS_CACHE_DIR"
SANDBOX_STATE = ".hubprops/sandbox.json"
#: Same as hubprops.definitions.loader.DEFAULT_DIRECTORY; kept here so that light commands (status)
#: do not import the definitions loader and jsonschema.
DEFAULT_DEFINITIONS = "definitions"

F = TypeVar("F", bound=Callable[..., Any])


def echo_out(text: str) -> None:
    """Print a command's result (already newline-terminated) on stdout. A reader that left
    early (`hubprops plan --detailed-exitcode | head`) is not an error and must not change the
    command's exit code, so a broken pipe only silences stdout."""
    try:
        click.echo(text, nl=False)
    except BrokenPipeError:
        silence_stdout()


def echo_err(message: str) -> None:
    click.echo(message, err=True)


@overload
def error_boundary(func: F, /) -> F: ...
@overload
def error_boundary(*, json_errors: bool = False) -> Callable[[F], F]: ...
def error_boundary(func: F | None = None, /, *, json_errors: bool = False) -> F | Callable[[F], F]:
    """Run a command body; turn hubprops errors into one clear stderr message and exit 1,
    Ctrl-C into 130, anything else into "unexpected error, please report" (never the token).
    With ``json_errors``, a command run with ``--format json`` (its ``fmt`` parameter) prints
    a hubprops error as JSON on stdout instead (``render_error_json``), still exit 1.

    The command body returns its exit code; this wrapper exits with it.
    """
    if func is None:
        return functools.partial(_boundary, json_errors=json_errors)
    return _boundary(func, json_errors=json_errors)


def _boundary(func: F, *, json_errors: bool) -> F:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        as_json: tuple[type[HubpropsError], ...] = (
            (HubpropsError,) if json_errors and kwargs.get("fmt") == "json" else ()
        )
        try:
            code = func(*args, **kwargs)
        except as_json as exc:
            from hubprops.render.plan import render_error_json

            click.echo(render_error_json(exc), nl=False)
            code = EXIT_ERROR
        except DefinitionError as exc:
            for diag in exc.diagnostics:
                echo_err(str(diag))
            echo_err(f"error: {exc}")
            code = EXIT_ERROR
        except HubpropsError as exc:
            echo_err(f"error: {_scrub(str(exc))}")
            code = EXIT_ERROR
        except KeyboardInterrupt:
            echo_err("interrupted")
            code = EXIT_INTERRUPTED
        except BrokenPipeError:
            # `hubprops plan | head`: the reader left; say nothing more, like other CLI tools.
            silence_stdout()
            code = EXIT_OK
        except (click.exceptions.Exit, click.exceptions.Abort):
            raise
        except click.ClickException:
            raise
        except Exception as exc:  # the last line of defence: no traceback, no token
            echo_err(f"unexpected error, please report: {type(exc).__name__}: {_scrub(str(exc))}")
            code = EXIT_ERROR
        sys.exit(code or EXIT_OK)

    return wrapper  # type: ignore[return-value]


def silence_stdout() -> None:
    """Point stdout at devnull so the interpreter's final flush does not raise again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def _scrub(text: str) -> str:
    """Remove the token from a message, should any foreign error have echoed it."""
    from hubprops.hubspot.endpoint import scrub

    return scrub(text, os.environ.get(TOKEN_ENV))


@dataclass(frozen=True)
class RemoteOptions:
    """How to reach HubSpot: --api-base, --api-version, --portal, --env and --sandbox after
    precedence (flag, environment variable, the --env table of hubprops.toml, its top level,
    the default)."""

    api_base: str
    portal: int | None
    sandbox: bool
    sandbox_state: str = SANDBOX_STATE
    api_version: str = DEFAULT_API_VERSION
    token_env: str = TOKEN_ENV
    environment: str | None = None
    #: Allow plain http to a host other than loopback (a proxy in a lab): sends the token in clear.
    insecure_http: bool = False
    #: True when --api-version (or its environment variable) named the version; False when it
    #: came from hubprops.toml or the default (a saved plan's version then wins).
    api_version_given: bool = False


def project_config() -> Config:
    """hubprops.toml of the working directory (the empty configuration when there is none)."""
    from hubprops.config import load_config

    return load_config()


def _guarded(func: F) -> F:
    """Report a configuration error met while resolving options like any command error."""
    return error_boundary(func)


def remote_options(func: F) -> F:
    """Add --api-base, --api-version, --portal, --env and --sandbox; pass them on, resolved
    against hubprops.toml, as ``remote: RemoteOptions``."""

    @click.option(
        "--api-base",
        envvar=API_BASE_ENV,
        default=None,
        help=f"HubSpot API base URL (env {API_BASE_ENV}; default {DEFAULT_API_BASE}).",
    )
    @click.option(
        "--api-version",
        envvar=API_VERSION_ENV,
        type=click.Choice(API_VERSIONS),
        default=None,
        help=f"HubSpot API version (env {API_VERSION_ENV}; default {DEFAULT_API_VERSION}).",
    )
    @click.option(
        "--portal",
        type=int,
        default=None,
        help="Portal id, for tokens that may not read account details.",
    )
    @click.option(
        "--env",
        "env_name",
        default=None,
        metavar="NAME",
        help="Environment (portal) from hubprops.toml [environments.NAME].",
    )
    @click.option(
        "--sandbox",
        is_flag=True,
        help=f"Use the built-in HubSpot emulator (state in {SANDBOX_STATE}); no account needed.",
    )
    @click.option(
        "--insecure-http",
        is_flag=True,
        help="Allow a plain http --api-base other than loopback (sends the token in clear).",
    )
    @functools.wraps(func)
    @_guarded
    def wrapper(
        *args: Any,
        api_base: str | None,
        api_version: str | None,
        portal: int | None,
        env_name: str | None,
        sandbox: bool,
        insecure_http: bool,
        **kw: Any,
    ) -> Any:
        if api_base is not None and not api_base.strip():
            from hubprops.hubspot.endpoint import check_api_base

            check_api_base(api_base)  # empty: refused now, not defaulted nor retried
        settings = _settings(
            env_name=env_name, api_base=api_base, api_version=api_version, portal_id=portal
        )
        remote = RemoteOptions(
            api_base=settings.api_base,
            portal=settings.portal_id,
            sandbox=sandbox,
            api_version=settings.api_version,
            token_env=settings.token_env,
            environment=settings.environment,
            insecure_http=insecure_http,
            api_version_given=api_version is not None,
        )
        return func(*args, remote=remote, **kw)

    return wrapper  # type: ignore[return-value]


def configured_definitions() -> str:
    """The definitions folder when -d is not given: ``definitions`` of hubprops.toml, else
    ``definitions``."""
    return _settings(definitions=None).definitions


def _settings(**given: Any) -> Settings:
    from hubprops.config import resolve
    from hubprops.lock.file import DEFAULT_LOCK_PATH

    return resolve(
        project_config(),
        default_api_version=DEFAULT_API_VERSION,
        default_definitions=DEFAULT_DEFINITIONS,
        default_lock=DEFAULT_LOCK_PATH,
        **given,
    )


def lock_option(help_text: str) -> Callable[[F], F]:
    """``--lock FILE`` (default ``lock`` of hubprops.toml, else hubprops.lock.json), passed on
    as ``lock_path``."""
    from hubprops.lock.file import DEFAULT_LOCK_PATH

    def decorate(func: F) -> F:
        @click.option(
            "--lock",
            "lock_path",
            default=None,
            type=click.Path(dir_okay=False),
            help=f"{help_text} [default: {DEFAULT_LOCK_PATH}, or lock in hubprops.toml]",
        )
        @functools.wraps(func)
        @_guarded
        def wrapper(*args: Any, lock_path: str | None, **kw: Any) -> Any:
            return func(*args, lock_path=_settings(lock=lock_path).lock, **kw)

        return wrapper  # type: ignore[return-value]

    return decorate


def definitions_option(
    *, default: str | None = DEFAULT_DEFINITIONS, note: str = ""
) -> Callable[[F], F]:
    """``-d/--dir DIR``: the definitions folder (or one file), passed on as ``directory``; when
    not given, ``definitions`` of hubprops.toml, else ``default``."""

    def decorate(func: F) -> F:
        @click.option(
            "-d",
            "--dir",
            "directory",
            default=None,
            help="Definitions folder (every *.yaml, *.yml, *.json under it) or a single file"
            + (f" ({note})" if note else "")
            + (
                f". [default: {DEFAULT_DEFINITIONS}, or definitions in hubprops.toml]"
                if default is not None
                else "."
            ),
        )
        @functools.wraps(func)
        @_guarded
        def wrapper(*args: Any, directory: str | None, **kw: Any) -> Any:
            if directory is None and default is not None:
                directory = configured_definitions()
            return func(*args, directory=directory, **kw)

        return wrapper  # type: ignore[return-value]

    return decorate


def parse_cache() -> ParseCache | None:
    """The cache of parsed definitions files: ``$HUBPROPS_CACHE_DIR`` (``off`` turns it off),
    else ``$XDG_CACHE_HOME/hubprops``, else ``~/.cache/hubprops``."""
    from hubprops.definitions.cache import ParseCache

    chosen = os.environ.get(CACHE_ENV, "").strip()
    if chosen.lower() in ("off", "0", "false", "no"):
        return None
    if not chosen:
        base = os.environ.get("XDG_CACHE_HOME", "").strip() or os.path.join(
            os.path.expanduser("~"), ".cache"
        )
        chosen = os.path.join(base, "hubprops")
    return ParseCache(chosen)


@contextmanager
def open_client(
    remote: RemoteOptions, *, cancel: threading.Event | None = None
) -> Iterator[HubSpotClient]:
    """A HubSpotClient for these options: the in-process sandbox with ``--sandbox``, else the
    real API with the token from the environment. Without a token and without --sandbox this
    stops with a clear message; it never falls back silently. ``cancel`` is the event the
    command sets on Ctrl-C (``_applyui.sigint_sets``): the client then starts no new request."""
    from hubprops.hubspot import HubSpotClient

    if remote.sandbox:
        from hubprops.sandbox import SANDBOX_BASE_URL, Sandbox

        sandbox = Sandbox(state_file=remote.sandbox_state)
        token = os.environ.get(TOKEN_ENV) or "sandbox-token"
        with HubSpotClient(
            SANDBOX_BASE_URL,
            token,
            transport=sandbox.transport(),
            cancel=cancel,
            api_version=remote.api_version,
        ) as client:
            yield client
        return
    real_token = os.environ.get(remote.token_env)
    if not real_token:
        for_env = (
            f" (the token of environment {remote.environment!r})" if remote.environment else ""
        )
        raise ConfigError(
            f"no HubSpot token: set {remote.token_env}{for_env} to a private app access token, "
            "or use --sandbox to try hubprops against the built-in emulator"
        )
    from hubprops.hubspot.endpoint import check_api_base, check_token

    api_base = check_api_base(remote.api_base, insecure_http=remote.insecure_http)
    with HubSpotClient(
        api_base, check_token(real_token), cancel=cancel, api_version=remote.api_version
    ) as client:
        yield client
