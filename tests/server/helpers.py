"""Shared pieces of the server tests: tokens minted here, the app served by uvicorn on
127.0.0.1 in a thread (real HTTP, no test client), and a definitions folder."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import jwt
import uvicorn
from fastapi import FastAPI

from hubprops.server import AuthSettings, ServerSettings, create_app

REPO = Path(__file__).resolve().parents[2]
SECRET = "test-secret-that-is-long-enough-for-hs256!"
BASE = "/api/v1/hubspot/properties/sync"


def token(
    claims: dict[str, Any] | None = None,
    *,
    key: Any = SECRET,
    algorithm: str = "HS256",
    headers: dict[str, Any] | None = None,
    drop: tuple[str, ...] = (),
) -> str:
    """A JWT: sub alice, role admin, valid for 10 minutes, unless ``claims`` say otherwise."""
    body: dict[str, Any] = {"sub": "alice", "role": "admin", "exp": int(time.time()) + 600}
    body.update(claims or {})
    for name in drop:
        body.pop(name, None)
    return jwt.encode(body, key, algorithm=algorithm, headers=headers)


def auth(tok: str | None = None) -> dict[str, str]:
    return {"Authorization": f"Bearer {tok or token()}"}


def copy_definitions(dest: Path) -> Path:
    target = dest / "definitions"
    shutil.copytree(REPO / "definitions", target)
    return target


def settings_for(tmp: Path, **kw: Any) -> ServerSettings:
    """Settings on ``tmp``: the repo's definitions, an HS256 secret, a fresh sandbox."""
    from hubprops.sandbox import Sandbox

    defaults: dict[str, Any] = {
        "auth": AuthSettings(secret=SECRET),
        "definitions": str(copy_definitions(tmp)),
        "lock_path": str(tmp / "hubprops.lock.json"),
        "database": str(tmp / "server.db"),
        "sandbox_instance": Sandbox(),
    }
    defaults.update(kw)
    return ServerSettings(**defaults)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(app: FastAPI) -> Iterator[httpx.Client]:
    """Serve ``app`` with uvicorn on a free loopback port; yield a client bound to it."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.01)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            yield client
    finally:
        server.should_exit = True
        thread.join(30)


@contextmanager
def served(tmp: Path, **kw: Any) -> Iterator[httpx.Client]:
    """``serving(create_app(settings_for(tmp, **kw)))``."""
    app = create_app(settings_for(tmp, **kw))
    with serving(app) as client:
        client.app = app  # type: ignore[attr-defined]
        yield client
