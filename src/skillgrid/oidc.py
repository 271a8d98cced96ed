"""The identity provider over HTTP: OpenID Connect discovery, the authorization URL with
PKCE, the code exchange and the ID token's checks, with Authlib (its httpx client) and
joserfc (signatures, keys from the provider's JWKS). The rules of who signs in as whom
are in :mod:`skillgrid.services.sso`; this is the adapter the composition root hands it.

Nothing is fetched when the client is made: the discovery document is read on first use
and kept for an hour (the provider's keys with it, read again at once for a key id they
do not hold, as happens when the provider rotates its keys). Each process keeps its own
copy; nothing here is state another process would need."""

from __future__ import annotations

import threading
import time
from typing import Any

from skillgrid.services.sso import IdToken, ProviderError

METADATA_LIFETIME = 3600.0  # seconds a discovery document and its keys are kept
TIMEOUT = 10.0  # seconds for each call to the provider
ASYMMETRIC = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512")


class OidcClient:
    """One OpenID provider, as a confidential client (``client_secret_basic``, or
    ``client_secret_post`` when the provider supports only that) or, with no secret, a
    public one; always authorization code with PKCE (S256)."""

    def __init__(
        self,
        issuer: str,
        client_id: str,
        client_secret: str | None,
        *,
        scopes: str = "openid email profile",
        leeway: int = 60,
        timeout: float = TIMEOUT,
    ) -> None:
        self.issuer = issuer
        self.client_id, self.client_secret = client_id, client_secret
        self.scopes, self.leeway, self.timeout = scopes, leeway, timeout
        self._lock = threading.Lock()
        self._metadata: dict[str, Any] | None = None
        self._keys: dict[str, Any] | None = None
        self._loaded_at = 0.0

    def authorization_url(
        self, *, redirect_uri: str, state: str, nonce: str, code_verifier: str
    ) -> str:
        """Where to send the browser: the provider's authorization endpoint with the code
        flow, the scopes, ``state``, ``nonce`` and the S256 challenge of ``code_verifier``."""
        endpoint = self._endpoint("authorization_endpoint")
        with self._client(redirect_uri) as client:
            url, _ = client.create_authorization_url(
                endpoint, state=state, code_verifier=code_verifier, nonce=nonce
            )
        return str(url)

    def id_token(
        self,
        *,
        redirect_uri: str,
        code: str,
        code_verifier: str,
        nonce: str,
        now: float | None = None,
    ) -> IdToken:
        """Exchange ``code`` (with its PKCE verifier) at the token endpoint and check the ID
        token that comes back: see :meth:`checked`. Raises :class:`ProviderError`."""
        from authlib.integrations.base_client.errors import OAuthError

        endpoint = self._endpoint("token_endpoint")
        try:
            with self._client(redirect_uri) as client:
                token = client.fetch_token(
                    endpoint, code=code, code_verifier=code_verifier, redirect_uri=redirect_uri
                )
        except OAuthError as error:
            raise ProviderError(
                "token_refused",
                f"the identity provider refused the sign-in code ({error.error}"
                + (f": {error.description}" if error.description else "")
                + ")",
            ) from None
        except Exception as error:  # the network, or an answer that is not a token
            raise _unreachable("token endpoint", error) from None
        raw = token.get("id_token")
        if not isinstance(raw, str):
            raise ProviderError("no_id_token", "the identity provider sent no ID token")
        return self.checked(raw, nonce=nonce, access_token=token.get("access_token"), now=now)

    def checked(
        self,
        raw: str,
        *,
        nonce: str,
        access_token: str | None = None,
        now: float | None = None,
    ) -> IdToken:
        """The ID token's claims once its signature (a key of the provider's JWKS, an
        algorithm the provider names, never ``none`` or a shared secret), issuer, audience
        (this client), expiry and issue time (``leeway`` seconds of clock skew either way),
        nonce and access-token hash hold. Raises :class:`ProviderError` naming the check."""
        from authlib.oidc.core import CodeIDToken
        from joserfc import jwt
        from joserfc.errors import InvalidKeyIdError, JoseError
        from joserfc.jwk import KeySet
        from joserfc.jws import JWSRegistry

        metadata = self._loaded()
        offered = metadata.get("id_token_signing_alg_values_supported") or ["RS256"]
        registry = JWSRegistry(algorithms=[a for a in offered if a in ASYMMETRIC] or ["RS256"])
        try:
            try:
                keys = KeySet.import_key_set(self._jwks())  # type: ignore[arg-type]
                decoded = jwt.decode(raw, keys, registry=registry)
            except InvalidKeyIdError:  # keys rotated since they were read
                keys = KeySet.import_key_set(self._jwks(force=True))  # type: ignore[arg-type]
                decoded = jwt.decode(raw, keys, registry=registry)
            options = {
                "iss": {"essential": True, "value": self.issuer},
                "aud": {"essential": True, "values": [self.client_id]},
                "exp": {"essential": True},
                "iat": {"essential": True},
                "nonce": {"essential": True, "value": nonce},
            }
            params = {"nonce": nonce, "client_id": self.client_id}
            if access_token:
                params["access_token"] = access_token
            claims = CodeIDToken(decoded.claims, decoded.header, options, params)
            claims.validate(now=int(now if now is not None else time.time()), leeway=self.leeway)
        except JoseError as error:
            raise ProviderError("id_token_invalid", _jose_message(error)) from None
        return IdToken(dict(claims), raw)

    def end_session_url(self, *, id_token: str, post_logout_redirect_uri: str) -> str | None:
        """The provider's end-session endpoint (RP-initiated logout) with the ID token as
        hint and where to come back to, or None when the provider has none (or cannot be
        reached: signing out here must not wait on it)."""
        from authlib.common.urls import add_params_to_uri

        try:
            endpoint = self._loaded().get("end_session_endpoint")
        except ProviderError:
            return None
        if not isinstance(endpoint, str):
            return None
        params = {
            "id_token_hint": id_token,
            "post_logout_redirect_uri": post_logout_redirect_uri,
            "client_id": self.client_id,
        }
        return str(add_params_to_uri(endpoint, params))

    def _client(self, redirect_uri: str) -> Any:
        from authlib.integrations.httpx_client import OAuth2Client

        methods = self._loaded().get("token_endpoint_auth_methods_supported") or []
        method = "client_secret_basic"
        if self.client_secret is None:
            method = "none"
        elif methods and "client_secret_basic" not in methods and "client_secret_post" in methods:
            method = "client_secret_post"
        return OAuth2Client(
            client_id=self.client_id,
            client_secret=self.client_secret,
            token_endpoint_auth_method=method,
            scope=self.scopes,
            redirect_uri=redirect_uri,
            code_challenge_method="S256",
            timeout=self.timeout,
        )

    def _endpoint(self, name: str) -> str:
        found = self._loaded().get(name)
        if not isinstance(found, str):
            raise ProviderError("discovery", f"the provider's discovery document has no {name}")
        return found

    def _loaded(self) -> dict[str, Any]:
        """The discovery document, read on first use and again once it is an hour old; its
        ``issuer`` must be the configured issuer exactly (OpenID Connect Discovery §4.3)."""
        with self._lock:
            fresh = time.monotonic() - self._loaded_at < METADATA_LIFETIME
            if self._metadata is not None and fresh:
                return self._metadata
        url = self.issuer.rstrip("/") + "/.well-known/openid-configuration"
        metadata = _get_json(url, self.timeout, "discovery document")
        if metadata.get("issuer") != self.issuer:
            raise ProviderError(
                "issuer",
                f"the discovery document at {url} names the issuer "
                f"{metadata.get('issuer')!r}, not {self.issuer!r}: set SKILLGRID_OIDC_ISSUER "
                "to exactly what the provider calls itself",
            )
        with self._lock:
            self._metadata, self._keys, self._loaded_at = metadata, None, time.monotonic()
        return metadata

    def _jwks(self, *, force: bool = False) -> dict[str, Any]:
        metadata = self._loaded()
        with self._lock:
            if self._keys is not None and not force:
                return self._keys
        uri = metadata.get("jwks_uri")
        if not isinstance(uri, str):
            raise ProviderError("discovery", "the provider's discovery document has no jwks_uri")
        keys = _get_json(uri, self.timeout, "keys (JWKS)")
        with self._lock:
            self._keys = keys
        return keys


def _get_json(url: str, timeout: float, what: str) -> dict[str, Any]:
    import httpx2

    try:
        answer = httpx2.get(url, timeout=timeout, follow_redirects=False)
        answer.raise_for_status()
        found = answer.json()
    except Exception as error:
        raise _unreachable(what, error) from None
    if not isinstance(found, dict):
        raise ProviderError("discovery", f"the provider's {what} at {url} is not a JSON object")
    return found


def _unreachable(what: str, error: Exception) -> ProviderError:
    return ProviderError(
        "provider_unreachable",
        f"the identity provider's {what} could not be read ({type(error).__name__}: {error})",
    )


def _jose_message(error: Exception) -> str:
    """What failed in the ID token, for the refusal page and the audit trail."""
    from joserfc.errors import (
        BadSignatureError,
        ExpiredTokenError,
        InvalidClaimError,
        MissingClaimError,
    )

    if isinstance(error, ExpiredTokenError):
        return "the ID token has expired"
    if isinstance(error, InvalidClaimError | MissingClaimError):
        claim = getattr(error, "claim", None) or str(error)
        return f"the ID token's {claim} claim is wrong or missing ({error})"
    if isinstance(error, BadSignatureError):
        return "the ID token's signature does not verify"
    return f"the ID token is not valid ({type(error).__name__}: {error})"
