"""hubprops/server/auth.py: every way a token can be wrong is 401, a token without the role or
scope is 403, and every key kind (HS256 secret, RS256/ES256 public key, JWKS with rotation)
verifies tokens minted here."""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from hubprops.server import AuthSettings, create_app
from hubprops.server.auth import AuthFailure, Verifier
from tests.server.helpers import BASE, SECRET, auth, served, settings_for, token

RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
RSA_OTHER = rsa.generate_private_key(public_exponent=65537, key_size=2048)
EC_KEY = ec.generate_private_key(ec.SECP256R1())


def pem(key: Any) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def unsigned(claims: dict[str, Any]) -> str:
    def part(obj: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."


def refused(verifier: Verifier, tok: str) -> str:
    with pytest.raises(AuthFailure) as caught:
        verifier.verify(tok)
    return str(caught.value)


HS = Verifier(AuthSettings(secret=SECRET, issuer="https://idp.test", audience="hubprops"))
GOOD = {"iss": "https://idp.test", "aud": "hubprops"}


def test_hs256_valid_token_gives_sub_roles_and_scopes() -> None:
    who = HS.verify(token({**GOOD, "scope": "properties:read other"}))
    assert who.sub == "alice"
    assert who.may_sync() and who.may_read()
    reader = HS.verify(token({**GOOD, "role": "viewer", "scope": "properties:read"}))
    assert not reader.may_sync() and reader.may_read()
    syncer = HS.verify(token({**GOOD, "role": None, "roles": ["ops", "admin"]}))
    assert syncer.may_sync()
    scoped = HS.verify(token({**GOOD, "role": None, "scp": ["properties:sync"]}))
    assert scoped.may_sync()


@pytest.mark.parametrize(
    ("tok", "says"),
    [
        (unsigned({"sub": "alice", "exp": int(time.time()) + 600, **GOOD}), "none"),
        (token(GOOD, key="a-completely-different-secret-of-enough-length"), "signature"),
        (token({**GOOD, "exp": int(time.time()) - 60}), "expired"),
        (token({**GOOD, "nbf": int(time.time()) + 600}), "not yet valid"),
        (token({**GOOD, "iss": "https://evil.test"}), "issuer"),
        (token({**GOOD, "aud": "someone-else"}), "audience"),
        (token(GOOD, drop=("sub",)), "'sub'"),
        (token(GOOD, drop=("exp",)), "'exp'"),
        (token(GOOD, key=RSA_KEY, algorithm="RS256"), "algorithm"),
        ("not.a.jwt", "malformed"),
        ("", "malformed"),
    ],
    ids=[
        "alg-none",
        "wrong-key",
        "expired",
        "not-yet-valid",
        "wrong-issuer",
        "wrong-audience",
        "missing-sub",
        "missing-exp",
        "rs256-to-hs256-server",
        "garbage",
        "empty",
    ],
)
def test_hs256_refusals(tok: str, says: str) -> None:
    assert says in refused(HS, tok)


def test_rs256_public_key() -> None:
    verifier = Verifier(AuthSettings(public_key=pem(RSA_KEY)))
    assert verifier.verify(token(key=RSA_KEY, algorithm="RS256")).sub == "alice"
    assert "signature" in refused(verifier, token(key=RSA_OTHER, algorithm="RS256"))
    # An HS256 token "signed" with the public key text: the classic algorithm confusion.
    assert "algorithm" in refused(verifier, token(key=SECRET, algorithm="HS256"))
    assert "none" in refused(verifier, unsigned({"sub": "a", "exp": int(time.time()) + 60}))


def test_es256_public_key() -> None:
    verifier = Verifier(AuthSettings(public_key=pem(EC_KEY)))
    assert verifier.verify(token(key=EC_KEY, algorithm="ES256")).sub == "alice"
    assert "algorithm" in refused(verifier, token(key=RSA_KEY, algorithm="RS256"))


def test_no_key_refuses_to_start(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no JWT key configured"):
        create_app(settings_for(tmp_path, auth=AuthSettings()))
    with pytest.raises(ValueError, match="PEM"):
        Verifier(AuthSettings(public_key="not a key"))


class _Jwks:
    """A JWKS endpoint on loopback whose keys the test can rotate."""

    def __init__(self) -> None:
        self.keys: list[dict[str, Any]] = []
        self.fetches = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                outer.fetches += 1
                body = json.dumps({"keys": outer.keys}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/.well-known/jwks.json"

    def publish(self, key: Any, kid: str) -> None:
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
        self.keys = [{**jwk, "kid": kid, "alg": "RS256", "use": "sig"}]


@pytest.fixture
def jwks() -> Iterator[_Jwks]:
    endpoint = _Jwks()
    thread = threading.Thread(target=endpoint.server.serve_forever, daemon=True)
    thread.start()
    yield endpoint
    endpoint.server.shutdown()
    endpoint.server.server_close()


def test_jwks_with_key_rotation(jwks: _Jwks) -> None:
    jwks.publish(RSA_KEY, "k1")
    verifier = Verifier(AuthSettings(jwks_url=jwks.url, jwks_cooldown_s=0))
    first = token(key=RSA_KEY, algorithm="RS256", headers={"kid": "k1"})
    assert verifier.verify(first).sub == "alice"
    jwks.publish(RSA_OTHER, "k2")  # the IdP rotates: k1 is gone, k2 signs
    second = token(key=RSA_OTHER, algorithm="RS256", headers={"kid": "k2"})
    assert verifier.verify(second).sub == "alice"
    assert jwks.fetches == 2
    assert "signing key" in refused(verifier, first)
    wrong = token(key=RSA_KEY, algorithm="RS256", headers={"kid": "k2"})
    assert "signature" in refused(verifier, wrong)
    assert "algorithm" in refused(verifier, token(headers={"kid": "k2"}))


def test_jwks_unreachable_is_401_not_500(tmp_path: Path) -> None:
    settings = {"auth": AuthSettings(jwks_url="http://127.0.0.1:9/jwks.json")}
    with served(tmp_path, **settings) as client:
        tok = token(key=RSA_KEY, algorithm="RS256", headers={"kid": "k1"})
        answer = client.get(f"{BASE}/status/all", headers=auth(tok))
    assert answer.status_code == 401
    assert answer.json()["status_code"] == 401


def test_http_401_403_header_and_cookie(tmp_path: Path) -> None:
    with served(tmp_path) as client:
        url = f"{BASE}/status/all"
        for headers in (
            {},
            {"Authorization": "Basic YWxpY2U6cHc="},
            {"Authorization": "Bearer"},
            auth(unsigned({"sub": "x", "exp": int(time.time()) + 60})),
            auth(token({"exp": int(time.time()) - 60})),
        ):
            answer = client.get(url, headers=headers)
            assert answer.status_code == 401, headers
            body = answer.json()
            assert body["success"] is False and body["status_code"] == 401
            assert set(body) == {"success", "error", "details", "status_code"}
            assert "Traceback" not in answer.text
        reader = token({"role": "viewer", "scope": "properties:read"})
        cookie = {"Cookie": f"access_token={reader}"}
        assert client.get(url, headers=cookie).status_code == 200
        assert client.get(url, headers=auth(reader)).status_code == 200
        refused_sync = client.post(f"{BASE}/contacts", headers=auth(reader))
        assert refused_sync.status_code == 403
        assert refused_sync.json()["status_code"] == 403
        nobody = token({"role": "viewer"})
        assert client.get(url, headers=auth(nobody)).status_code == 403
        assert client.get(f"{BASE}/history", headers=auth(nobody)).status_code == 403
