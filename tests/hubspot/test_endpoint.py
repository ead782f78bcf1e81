"""hubprops/hubspot/endpoint.py: configuration refused before any request (issue 17, items 8
(token, --api-base), 11, 12, 13)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from hubprops.cli import main
from hubprops.errors import ConfigError
from hubprops.hubspot.endpoint import check_api_base, check_segment, check_token, scrub
from hubprops.sandbox import Sandbox
from tests.helpers.apply import prop, write_definitions

GOOD_TOKEN = "pat-na1-0123456789abcdef"


@pytest.mark.parametrize("url", ["not a url", "ftp://api.hubapi.com", "", "https://", "http:/x"])
def test_malformed_api_base_is_a_configuration_error(url: str) -> None:
    with pytest.raises(ConfigError, match="not an http"):
        check_api_base(url)


def test_plain_http_only_to_loopback_unless_insecure() -> None:
    assert check_api_base("https://api.hubapi.com/") == "https://api.hubapi.com"
    for url in ("http://127.0.0.1:8765", "http://localhost:1", "http://[::1]:9"):
        assert check_api_base(url) == url
    with pytest.raises(ConfigError, match="in clear"):
        check_api_base("http://proxy.example.com:8080")
    assert check_api_base("http://proxy.example.com", insecure_http=True)


@pytest.mark.parametrize(
    "token", ["e", "short", "pat-na1-abc\n", "pat-na1-äbcdefgh", "a b c d e f"]
)
def test_implausible_tokens_are_refused_without_showing_them(token: str) -> None:
    with pytest.raises(ConfigError) as info:
        check_token(token)
    if len(token.strip()) >= 8:
        assert token.strip() not in str(info.value)
    assert check_token(GOOD_TOKEN) == GOOD_TOKEN


def test_scrub_replaces_only_a_plausible_token() -> None:
    assert scrub("the error here", "e") == "the error here"
    assert scrub(f"Bearer {GOOD_TOKEN} leaked", GOOD_TOKEN) == "Bearer *** leaked"


@pytest.mark.parametrize("value", ["..", ".", "a/b", "contacts?x=1", "", "contacts\n"])
def test_object_types_that_are_not_one_path_segment_are_refused(value: str) -> None:
    with pytest.raises(ConfigError, match="not a valid object type"):
        check_segment(value)


def _run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, list(args), env=env)


@pytest.mark.parametrize(
    ("args", "token", "needle"),
    [
        (["--api-base", "not a url"], GOOD_TOKEN, "not an http"),
        (["--api-base", "ftp://api.hubapi.com"], GOOD_TOKEN, "not an http"),
        (["--api-base", ""], GOOD_TOKEN, "not an http"),
        (["--api-base", "http://203.0.113.9"], GOOD_TOKEN, "in clear"),
        ([], "e", "shorter than"),
        ([], GOOD_TOKEN + "\n", "line break"),
        ([], "pat-na1-ünïcode-token", "non-ASCII"),
    ],
)
def test_cli_refuses_at_once_with_exit_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], token: str, needle: str
) -> None:
    monkeypatch.chdir(tmp_path)
    write_definitions(tmp_path / "definitions", "contacts", [prop("alpha", "ops")])
    started = time.monotonic()
    result = _run("plan", *args, env={"HUBSPOT_ACCESS_TOKEN": token})
    assert time.monotonic() - started < 5  # not retried as a network error
    assert result.exit_code == 1
    assert needle in result.output
    assert "unexpected error" not in result.output


def test_object_dotdot_is_refused_before_any_request(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_definitions(tmp_path / "definitions", "contacts", [prop("alpha", "ops")])
    result = _run("plan", "--sandbox", "--object", "..")
    assert result.exit_code == 1
    assert "not a valid object type" in result.output
    lock = {"format_version": 1, "portals": {"12345678": {"objects": {"..": {}}}}}
    (tmp_path / "hubprops.lock.json").write_text(json.dumps(lock))
    entry = {"id": "0-1/x", "sha256": "a" * 64}
    lock["portals"]["12345678"]["objects"][".."] = {"properties": {"x": entry}}  # type: ignore[index]
    (tmp_path / "hubprops.lock.json").write_text(json.dumps(lock))
    result = _run("plan", "--sandbox")
    assert result.exit_code == 1
    assert "not a valid object type" in result.output


def test_client_never_sends_dotdot_as_a_path() -> None:
    from hubprops.hubspot import HubSpotClient
    from hubprops.sandbox import SANDBOX_BASE_URL

    sb = Sandbox()
    with HubSpotClient(SANDBOX_BASE_URL, GOOD_TOKEN, transport=sb.transport()) as client:
        with pytest.raises(ConfigError, match="not a valid object type"):
            client.list_properties("..")
        with pytest.raises(ConfigError, match="not a valid property or group name"):
            client.get_property("contacts", "..")
    assert sb.requests == []
