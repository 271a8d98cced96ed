"""Single sign-on in Chromium against a real OpenID provider (node-oidc-provider on
loopback), with passwords off: open your growth page, click "Sign in with SSO", sign in at
the provider, land on your own growth page, and sign out of both; someone the provider
knows but SkillGrid does not is told why and whom to ask."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.e2e.conftest import free_port, organisation, serving, shot
from tests.oidc_provider import ADMIN_GROUP, SCOPES, running

CONTACT = "the People team (people@x.org)"


@pytest.fixture(scope="module")
def sso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app with single sign-on on a provider that knows its redirect URI."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    url = organisation(tmp_path_factory)
    with (
        running([f"{base}/auth/oidc/callback"], [f"{base}/login"]) as provider,
        serving(
            url,
            port,
            SKILLGRID_BASE_URL=f"{base}/",
            SKILLGRID_OIDC_ISSUER=provider.issuer,
            SKILLGRID_OIDC_CLIENT_ID=provider.client_id,
            SKILLGRID_OIDC_CLIENT_SECRET=provider.client_secret,
            SKILLGRID_OIDC_SCOPES=SCOPES,
            SKILLGRID_OIDC_ADMIN_VALUES=ADMIN_GROUP,
            SKILLGRID_OIDC_CONTACT=CONTACT,
            SKILLGRID_PASSWORD_SIGN_IN="false",
        ) as served,
    ):
        yield served


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def sign_in_with_sso(page, server: str, login: str) -> None:  # type: ignore[no-untyped-def]
    """Open one's own growth page, which asks to sign in first; sign in with SSO."""
    page.goto(f"{server}/me")
    page.wait_for_url(f"{server}/login?next=/me")
    assert page.get_by_label("Password").count() == 0  # passwords are off here
    page.get_by_role("link", name="Sign in with SSO").click()
    page.locator("input[name='login']").fill(login)  # the provider's own sign-in form
    page.locator("input[name='password']").fill("anything")
    shot(page, "sso-provider-login")
    page.get_by_role("button", name="Sign-in").click()


def test_sign_in_with_sso_lands_on_your_own_growth_page(page, sso_server) -> None:
    sign_in_with_sso(page, sso_server, "ana")
    page.wait_for_url(f"{sso_server}/people/ana@x.org/growth")
    assert page.get_by_role("heading", level=1).inner_text() == "Ana Lima"
    assert page.locator(".who").inner_text() == "ana@x.org"
    shot(page, "sso-growth")
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("button", name="Yes, sign me out").click()  # at the provider
    page.wait_for_url(f"{sso_server}/login**")
    assert page.get_by_role("link", name="Sign in with SSO").is_visible()
    page.goto(f"{sso_server}/me")
    page.wait_for_url(f"{sso_server}/login**")  # signed out here too


def test_an_email_skillgrid_does_not_know_is_told_whom_to_ask(page, sso_server) -> None:
    sign_in_with_sso(page, sso_server, "stranger")
    page.wait_for_url(f"{sso_server}/auth/oidc/callback**")
    assert page.get_by_role("heading", level=1).inner_text() == "Not signed in"
    alert = page.get_by_role("alert").inner_text()
    assert "SkillGrid has no one with the email stranger@elsewhere.org yet" in alert
    assert f"Ask {CONTACT} to add you." in page.locator(".ask").inner_text()
    shot(page, "sso-refused")
    page.goto(f"{sso_server}/me")
    page.wait_for_url(f"{sso_server}/login**")  # no session was made
