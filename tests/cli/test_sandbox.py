"""``hubprops sandbox``: a real process serving HTTP on loopback, and its refusals."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import httpx
import pytest
from click.testing import CliRunner

from hubprops.cli import main

AUTH = {"Authorization": "Bearer anything"}
_CLI = [sys.executable, "-c", "from hubprops.cli import main; main()"]


@pytest.fixture
def running(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """``hubprops sandbox --port 0`` in a child process, and the URL it printed."""
    state = tmp_path / "state.json"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from hubprops.cli import main; main()",
            "sandbox",
            "--port",
            "0",
            "--state",
            str(state),
            "--portal-id",
            "777",
            "--rate-limit",
            "50/5",
            "--token",
            "sekret-token",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert "listening on http://127.0.0.1:" in line, proc.stderr.read() if proc.stderr else ""
        url = line.split(" on ", 1)[1].split(" ", 1)[0]
        yield proc, url
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()


def test_serves_seeded_properties_and_stops_cleanly_on_ctrl_c(
    running: tuple[subprocess.Popen[str], str], tmp_path: Path
) -> None:
    proc, url = running
    headers = {"Authorization": "Bearer sekret-token"}
    response = httpx.get(f"{url}/crm/v3/properties/contacts", headers=headers)
    assert response.status_code == 200
    assert "email" in {p["name"] for p in response.json()["results"]}
    assert response.headers["X-HubSpot-RateLimit-Max"] == "50"
    assert response.headers["X-HubSpot-RateLimit-Interval-Milliseconds"] == "5000"
    details = httpx.get(f"{url}/account-info/v3/details", headers=headers).json()
    assert details["portalId"] == 777
    assert httpx.get(f"{url}/crm/v3/properties/contacts", headers=AUTH).status_code == 401
    body = {
        "name": "from_cli",
        "label": "From CLI",
        "type": "string",
        "fieldType": "text",
        "groupName": "contactinformation",
    }
    assert (
        httpx.post(f"{url}/crm/v3/properties/contacts", json=body, headers=headers).status_code
        == 201
    )
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=10) == 0
    assert proc.stderr is not None and "stopped" in proc.stderr.read()
    assert "from_cli" in (tmp_path / "state.json").read_text()


def test_token_is_never_printed(running: tuple[subprocess.Popen[str], str]) -> None:
    proc, url = running
    httpx.get(f"{url}/crm/v3/properties/contacts", headers={"Authorization": "Bearer wrong"})
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=10)
    assert "sekret-token" not in out + err


@pytest.mark.parametrize("value", ["100", "abc/10", "0/10", "10/0", "10/-1"])
def test_bad_rate_limit_is_a_usage_error(value: str) -> None:
    result = CliRunner().invoke(main, ["sandbox", "--rate-limit", value])
    assert result.exit_code == 1  # not 2: that means "changes" for plan --detailed-exitcode
    assert "N/SECONDS" in result.output


def test_port_in_use_is_a_clear_error() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["sandbox", "--port", str(port)])
    assert result.exit_code == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.output
    assert "--port" in result.output


def test_corrupt_state_file_is_a_clear_error(tmp_path: Path) -> None:
    state = tmp_path / "broken.json"
    state.write_text("{oops")
    result = CliRunner().invoke(main, ["sandbox", "--port", "0", "--state", str(state)])
    assert result.exit_code == 1
    assert "broken.json" in result.output and "Traceback" not in result.output


def test_listed_in_help() -> None:
    result = CliRunner().invoke(main, ["sandbox", "--help"])
    assert result.exit_code == 0
    for option in ("--rate-limit", "--fault-rate", "--lost-rate", "--state", "--latency"):
        assert option in result.output


def _start(*args: str) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", "from hubprops.cli import main; main()", "sandbox", "--port", "0",
         *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert "listening on http://127.0.0.1:" in line, proc.stderr.read() if proc.stderr else ""
    return proc, line.split(" on ", 1)[1].split(" ", 1)[0]


def _stop(proc: subprocess.Popen[str]) -> None:
    proc.send_signal(signal.SIGINT)
    proc.communicate(timeout=10)


def test_tier_custom_objects_records_and_display_order_options(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    proc, url = _start("--state", str(state), "--portal-id", "55", "--tier", "professional",
                       "--custom-object", "widgets", "--custom-object", "boats",
                       "--records", "30", "--custom-property-limit", "3",
                       "--keep-display-order-minus-one")  # fmt: skip
    try:
        limits = httpx.get(f"{url}/crm/limits/2026-03/custom-properties", headers=AUTH)
        assert limits.headers["X-HubSpot-RateLimit-Max"] == "190"
        assert limits.headers["X-HubSpot-RateLimit-Daily"] == "625000"
        rows = {r["objectTypeId"]: r for r in limits.json()["byObjectType"]}
        assert rows["2-1"]["limit"] == 3 and "2-2" in rows
        body = {"name": "size", "label": "Size", "type": "string", "fieldType": "text",
                "groupName": "widgets_information"}  # fmt: skip
        made = httpx.post(f"{url}/crm/properties/2026-09/p55_widgets", json=body, headers=AUTH)
        assert made.status_code == 201 and made.json()["displayOrder"] == -1
        found = httpx.post(f"{url}/crm/v3/objects/contacts/search", json={"limit": 1},
                           headers=AUTH)  # fmt: skip
        assert found.json()["total"] == 30
    finally:
        _stop(proc)
    assert '"customObjects"' in state.read_text()


def test_scopes_option_answers_403(tmp_path: Path) -> None:
    proc, url = _start("--scopes", "crm.schemas.contacts.read, crm.objects.contacts.read")
    try:
        assert httpx.get(f"{url}/crm/v3/properties/contacts", headers=AUTH).status_code == 200
        refused = httpx.get(f"{url}/crm/v3/properties/deals", headers=AUTH)
        assert refused.status_code == 403 and refused.json()["category"] == "MISSING_SCOPES"
    finally:
        _stop(proc)


def test_bad_tier_is_refused() -> None:
    result = CliRunner().invoke(main, ["sandbox", "--tier", "platinum"])
    assert result.exit_code == 1 and "platinum" in result.output


def test_bad_custom_object_name_is_a_clear_error() -> None:
    result = CliRunner().invoke(main, ["sandbox", "--port", "0", "--custom-object", "Bad Name"])
    assert result.exit_code == 1
    assert "Bad Name" in result.output and "Traceback" not in result.output


class _NoBind:
    """Stands in for SandboxHTTPServer: records what it was asked, binds nothing."""

    made: ClassVar[list[tuple[object, str, int]]] = []

    def __init__(self, sandbox: object, host: str, port: int) -> None:
        _NoBind.made.append((sandbox, host, port))
        self.url = f"http://{host}:{port}"

    def __enter__(self) -> _NoBind:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def serve_forever(self) -> None:
        raise KeyboardInterrupt


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.5"])
def test_public_host_without_token_is_refused_before_binding(
    host: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("hubprops.sandbox.SandboxHTTPServer", _NoBind)
    _NoBind.made.clear()
    for extra in ([], ["--token", ""]):
        result = CliRunner().invoke(main, ["sandbox", "--host", host, "--port", "0", *extra])
        assert result.exit_code == 1, result.output
        assert "--token" in result.output and "Traceback" not in result.output
    assert _NoBind.made == []


def test_public_host_with_token_warns_and_checks_the_token(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("hubprops.sandbox.SandboxHTTPServer", _NoBind)
    _NoBind.made.clear()
    result = CliRunner().invoke(
        main, ["sandbox", "--host", "0.0.0.0", "--port", "0", "--token", "s3cret-t0ken"]
    )
    assert result.exit_code == 0, result.output
    assert "warning" in result.output and "not loopback" in result.output
    assert "s3cret-t0ken" not in result.output
    [(emulator, host, _)] = _NoBind.made
    assert host == "0.0.0.0"
    path = "/crm/v3/properties/contacts/email"
    wrong = emulator.handle("GET", path, {}, {"Authorization": "Bearer other"}, b"")  # type: ignore[attr-defined]
    right = emulator.handle("GET", path, {}, {"Authorization": "Bearer s3cret-t0ken"}, b"")  # type: ignore[attr-defined]
    assert (wrong.status, right.status) == (401, 200)


def test_loopback_hosts_need_no_token_and_do_not_warn(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("hubprops.sandbox.SandboxHTTPServer", _NoBind)
    for host in ("127.0.0.1", "::1", "localhost"):
        result = CliRunner().invoke(main, ["sandbox", "--host", host, "--port", "0"])
        assert result.exit_code == 0 and "warning" not in result.output


def test_ipv6_loopback_listens() -> None:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError:
        pytest.skip("no IPv6 loopback here")
    proc = subprocess.Popen(
        [*_CLI, "sandbox", "--host", "::1", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert "listening on http://[::1]:" in line
        url = line.split(" on ", 1)[1].split(" ", 1)[0]
        response = httpx.get(url + "/crm/v3/properties/contacts/email", headers=AUTH, timeout=5)
        assert response.status_code == 200
    finally:
        proc.kill()
        proc.communicate(timeout=10)


def test_an_address_not_on_this_machine_is_an_accurate_error() -> None:
    # 192.0.2.1 is TEST-NET-1: never local, and binding to it sends nothing anywhere.
    result = CliRunner().invoke(
        main, ["sandbox", "--host", "192.0.2.1", "--port", "0", "--token", "t"]
    )
    assert result.exit_code == 1
    assert "cannot listen on 192.0.2.1:0" in result.output
    assert "address of this machine" in result.output and "--port" not in result.output
