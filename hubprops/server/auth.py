"""JWT verification: HS256 secret, RS256/ES256 public key, or a JWKS URL (keys by ``kid``,
refetched when an unknown ``kid`` shows up, so an IdP can rotate keys).

Every failure to authenticate (no token, ``alg: none``, a bad signature, an algorithm the key
does not allow, expired, not yet valid, wrong issuer or audience, no ``sub``) is an
``AuthFailure`` (401); a valid token without the role or scope a route needs is a
``Forbidden`` (403). Messages name the problem, never the token.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from hubprops.server.settings import AuthSettings

ADMIN_ROLE = "admin"
SYNC_SCOPE = "properties:sync"
READ_SCOPE = "properties:read"
COOKIE = "access_token"
#: Asymmetric algorithms accepted from a JWKS (each key still has its own type).
JWKS_ALGORITHMS = ["RS256", "ES256"]
LEEWAY_S = 5


class AuthFailure(Exception):
    """401: the request does not carry a valid token."""


class Forbidden(Exception):
    """403: the token is valid but does not allow this."""


@dataclass(frozen=True)
class Principal:
    """Who called: ``sub`` and what the token grants."""

    sub: str
    roles: frozenset[str]
    scopes: frozenset[str]

    def may_sync(self) -> bool:
        return ADMIN_ROLE in self.roles or SYNC_SCOPE in self.scopes

    def may_read(self) -> bool:
        return self.may_sync() or READ_SCOPE in self.scopes


def _public_key_algorithm(pem: str) -> tuple[Any, str]:
    try:
        key = load_pem_public_key(pem.encode("utf-8"))
    except ValueError as exc:
        raise ValueError("the public key is not a PEM public key (RSA or EC)") from exc
    if isinstance(key, rsa.RSAPublicKey):
        return key, "RS256"
    if isinstance(key, ec.EllipticCurvePublicKey):
        return key, "ES256"
    raise ValueError("the public key must be RSA (RS256) or EC P-256 (ES256)")


class Verifier:
    """Verifies bearer tokens with the configured key; refuses to exist without one."""

    def __init__(self, settings: AuthSettings) -> None:
        if not settings.configured:
            raise ValueError(
                "no JWT key configured: set HUBPROPS_JWT_SECRET (HS256), HUBPROPS_JWT_PUBLIC_KEY "
                "(RS256/ES256, PEM or a file) or HUBPROPS_JWT_JWKS_URL"
            )
        self.settings = settings
        self._jwks: jwt.PyJWKClient | None = None
        self._key: Any = None
        self._algorithms: list[str] = []
        if settings.jwks_url:
            self._jwks = jwt.PyJWKClient(
                settings.jwks_url, timeout=5, cooldown_duration=settings.jwks_cooldown_s
            )
            self._algorithms = JWKS_ALGORITHMS
        elif settings.public_key:
            self._key, alg = _public_key_algorithm(settings.public_key)
            self._algorithms = [alg]
        else:
            self._key, self._algorithms = settings.secret, ["HS256"]

    def _signing_key(self, token: str) -> Any:
        if self._jwks is None:
            return self._key
        try:
            return self._jwks.get_signing_key_from_jwt(token).key
        except jwt.PyJWKClientConnectionError as exc:
            raise AuthFailure("cannot fetch the signing keys (JWKS) to verify the token") from exc
        except (jwt.PyJWKClientError, jwt.InvalidTokenError) as exc:
            raise AuthFailure(f"no signing key for this token: {exc}") from exc

    def verify(self, token: str) -> Principal:
        """The token's principal, or AuthFailure saying what is wrong with it."""
        try:
            header = jwt.get_unverified_header(token)
        except jwt.InvalidTokenError as exc:
            raise AuthFailure("malformed token") from exc
        if str(header.get("alg", "")).lower() == "none":
            raise AuthFailure("unsigned tokens (alg none) are refused")
        if header.get("alg") not in self._algorithms:
            raise AuthFailure(f"token algorithm {header.get('alg')!r} is not accepted here")
        key = self._signing_key(token)
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=self._algorithms,
                issuer=self.settings.issuer,
                audience=self.settings.audience,
                leeway=LEEWAY_S,
                options={
                    "require": ["exp", "sub"],
                    "verify_aud": self.settings.audience is not None,
                },
            )
        except jwt.ExpiredSignatureError as exc:
            raise AuthFailure("token expired") from exc
        except jwt.ImmatureSignatureError as exc:
            raise AuthFailure("token not yet valid") from exc
        except jwt.InvalidIssuerError as exc:
            raise AuthFailure("wrong token issuer") from exc
        except jwt.InvalidAudienceError as exc:
            raise AuthFailure("wrong token audience") from exc
        except jwt.MissingRequiredClaimError as exc:
            raise AuthFailure(f"token lacks the {exc.claim!r} claim") from exc
        except jwt.InvalidSignatureError as exc:
            raise AuthFailure("bad token signature") from exc
        except (jwt.PyJWTError, ValueError, TypeError) as exc:
            raise AuthFailure(f"invalid token: {type(exc).__name__}") from exc
        sub = claims.get("sub")
        if not isinstance(sub, str) or not sub:
            raise AuthFailure("token lacks the 'sub' claim")
        return Principal(sub=sub, roles=_roles(claims), scopes=_scopes(claims))


def _strings(value: Any) -> set[str]:
    if isinstance(value, str):
        return set(value.split())
    if isinstance(value, (list, tuple)):
        return {v for v in value if isinstance(v, str)}
    return set()


def _roles(claims: dict[str, Any]) -> frozenset[str]:
    return frozenset(_strings(claims.get("role")) | _strings(claims.get("roles")))


def _scopes(claims: dict[str, Any]) -> frozenset[str]:
    return frozenset(_strings(claims.get("scope")) | _strings(claims.get("scp")))


def token_from(authorization: str | None, cookie: str | None) -> str:
    """The token from ``Authorization: Bearer`` (preferred) or the ``access_token`` cookie."""
    if authorization:
        scheme, _, value = authorization.partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            raise AuthFailure("the Authorization header must be 'Bearer <token>'")
        return value.strip()
    if cookie:
        return cookie.strip()
    raise AuthFailure("no token: send Authorization: Bearer <jwt> or the access_token cookie")
