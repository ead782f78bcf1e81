"""hubprops/cli/serve.py: what stops the server before it starts (the running server is tested
in tests/server/test_serve_process.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from hubprops.cli import main
from hubprops.cli import serve as serve_module

JWT_VARS = ("HUBPROPS_JWT_SECRET", "HUBPROPS_JWT_PUBLIC_KEY", "HUBPROPS_JWT_JWKS_URL")


def run(tmp_path: Path, *args: str) -> tuple[int, str]:
    db = str(tmp_path / "server.db")
    result = CliRunner().invoke(main, ["serve", "--database", db, "-d", str(tmp_path), *args])
    return result.exit_code, result.output


@pytest.fixture(autouse=True)
def _no_jwt_key(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in JWT_VARS:
        monkeypatch.delenv(name, raising=False)


def test_refuses_to_start_without_a_jwt_key(tmp_path: Path) -> None:
    code, out = run(tmp_path, "--sandbox")
    assert code == 1
    assert "refusing to start: no JWT key configured" in out
    assert "HUBPROPS_JWT_SECRET" in out


def test_refuses_without_hubspot_token_or_sandbox(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HUBPROPS_JWT_SECRET", "x" * 40)
    code, out = run(tmp_path)
    assert code == 1 and "--sandbox" in out


def test_bad_schedule_and_unreadable_public_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HUBPROPS_JWT_SECRET", "x" * 40)
    code, out = run(tmp_path, "--sandbox", "--schedule-every", "often")
    assert code == 1 and "24h, 30m or 90s" in out
    monkeypatch.delenv("HUBPROPS_JWT_SECRET")
    monkeypatch.setenv("HUBPROPS_JWT_PUBLIC_KEY", str(tmp_path / "missing.pem"))
    code, out = run(tmp_path, "--sandbox")
    assert code == 1 and "cannot read" in out


def test_missing_extra_names_the_install_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(serve_module, "_has_extra", lambda: False)
    code, out = run(tmp_path, "--sandbox")
    assert code == 1
    assert "pip install 'hubprops[server]'" in out


@pytest.mark.parametrize("version", ["2026-09", "v3"])
def test_api_version_reaches_the_service(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, version: str
) -> None:
    """The service speaks the --api-version it was started with (run() is the one piece not
    started here: it would serve until stopped)."""
    monkeypatch.setenv("HUBPROPS_JWT_SECRET", "x" * 32)
    started: list[object] = []
    monkeypatch.setattr(serve_module, "_run", lambda app, host, port: started.append(app))
    code, out = run(tmp_path, "--sandbox", "--api-version", version)
    assert code == 0, out
    assert started[0].state.service.settings.api_version == version  # type: ignore[attr-defined]
