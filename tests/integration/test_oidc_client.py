"""The provider client (skillgrid/oidc.py) on real ID tokens from node-oidc-provider: the
audience, the times with their clock skew, the nonce and the signature are each checked;
nothing is fetched until first use."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest

from skillgrid.oidc import OidcClient
from skillgrid.services.sso import IdToken, ProviderError
from tests.oidc_provider import CLIENT_SECRET, SCOPES, Provider, running, sign_in_at

APP = "http://testserver"
REDIRECT = f"{APP}/auth/oidc/callback"
VERIFIER = "v" * 43 + "-a-pkce-verifier-long-enough"
NONCE = "a-nonce-of-this-sign-in"


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    other = {"client_id": "intruder", "client_secret": CLIENT_SECRET, "redirect_uris": [REDIRECT]}
    with running([REDIRECT], extra_clients=[other]) as found:
        yield found


def client_of(provider: Provider, client_id: str = "skillgrid") -> OidcClient:
    return OidcClient(provider.issuer, client_id, provider.client_secret, scopes=SCOPES, leeway=60)


def token_for(client: OidcClient, provider: Provider, login: str = "bo") -> IdToken:
    """A real sign-in of ``login`` through ``client``: its checked ID token."""
    url = client.authorization_url(
        redirect_uri=REDIRECT, state="s", nonce=NONCE, code_verifier=VERIFIER
    )
    back = parse_qs(urlsplit(sign_in_at(provider, url, login, APP)).query)
    return client.id_token(
        redirect_uri=REDIRECT, code=back["code"][0], code_verifier=VERIFIER, nonce=NONCE
    )


@pytest.fixture(scope="module")
def token(provider: Provider) -> IdToken:
    return token_for(client_of(provider), provider)


def refused(call) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(ProviderError) as caught:
        call()
    return str(caught.value)


def test_a_real_id_token_passes_every_check(token: IdToken, provider: Provider) -> None:
    claims = token.claims
    assert claims["iss"] == provider.issuer and claims["aud"] == "skillgrid"
    assert claims["email"] == "bo@x.org" and claims["email_verified"] is True
    assert claims["nonce"] == NONCE


def test_a_token_for_another_client_is_refused(provider: Provider) -> None:
    theirs = token_for(client_of(provider, "intruder"), provider)
    ours = client_of(provider)
    assert "aud" in refused(lambda: ours.checked(theirs.raw, nonce=NONCE))


def test_expiry_and_issue_time_allow_the_clock_skew_and_no_more(
    token: IdToken, provider: Provider
) -> None:
    client = client_of(provider)
    exp, iat = token.claims["exp"], token.claims["iat"]
    client.checked(token.raw, nonce=NONCE, now=exp + 30)  # our clock 30 s ahead
    assert "expired" in refused(lambda: client.checked(token.raw, nonce=NONCE, now=exp + 61))
    client.checked(token.raw, nonce=NONCE, now=iat - 30)  # the provider's clock ahead
    assert "iat" in refused(lambda: client.checked(token.raw, nonce=NONCE, now=iat - 61))


def test_another_nonce_is_refused(token: IdToken, provider: Provider) -> None:
    said = refused(lambda: client_of(provider).checked(token.raw, nonce="another"))
    assert "nonce" in said


def test_a_changed_token_fails_its_signature(token: IdToken, provider: Provider) -> None:
    header, payload, signature = token.raw.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["email"] = "root@x.org"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    said = refused(
        lambda: client_of(provider).checked(f"{header}.{forged}.{signature}", nonce=NONCE)
    )
    assert "signature" in said


def test_an_unsigned_token_is_refused(token: IdToken, provider: Provider) -> None:
    _, payload, _ = token.raw.split(".")
    none = base64.urlsafe_b64encode(b'{"alg":"none","typ":"JWT"}').rstrip(b"=").decode()
    assert refused(lambda: client_of(provider).checked(f"{none}.{payload}.", nonce=NONCE))


def test_nothing_is_fetched_until_first_use() -> None:
    client = OidcClient("http://127.0.0.1:9", "skillgrid", None)  # nobody listens there
    said = refused(
        lambda: client.authorization_url(
            redirect_uri=REDIRECT, state="s", nonce=NONCE, code_verifier=VERIFIER
        )
    )
    assert "discovery document could not be read" in said


def test_the_end_session_url_carries_the_hint_and_where_to_come_back(
    token: IdToken, provider: Provider
) -> None:
    url = client_of(provider).end_session_url(
        id_token=token.raw, post_logout_redirect_uri=f"{APP}/login"
    )
    assert url is not None and url.startswith(f"{provider.issuer}/session/end?")
    query = parse_qs(urlsplit(url).query)
    assert query["id_token_hint"] == [token.raw] and query["client_id"] == ["skillgrid"]
