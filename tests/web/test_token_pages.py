"""Personal API tokens in the browser: made from the account page (the value shown once),
listed without their values, revoked; each works on the API until it is revoked."""

from __future__ import annotations

import re

from tests.web.conftest import as_

PAGE = "/account/tokens"


def _csrf(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_a_token_made_on_the_page_is_shown_once_works_and_stops_when_revoked(
    app_client,
) -> None:
    client = as_(app_client, "ana@x.org")
    page = client.get(PAGE)
    assert page.status_code == 200 and "You have no token that works." in page.text
    assert 'href="/account/tokens"' in page.text  # in the navigation
    made = client.post(PAGE, data={"csrf_token": _csrf(page.text), "name": "nightly export"})
    assert made.status_code == 200 and made.headers["cache-control"] == "no-store"
    token = re.search(r'id="new-token" readonly value="([^"]+)"', made.text).group(1)
    again = client.get(PAGE)
    assert "nightly export" in again.text and token not in again.text  # never shown again

    client.cookies.clear()  # a script: no session, only the token
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/me", headers=bearer).status_code == 200

    client = as_(app_client, "ana@x.org")
    page = client.get(PAGE).text
    revoke = re.search(r'action="(/account/tokens/\d+/revoke)"', page).group(1)
    gone = client.post(revoke, data={"csrf_token": _csrf(page)})
    assert gone.status_code == 303 and gone.headers["location"] == PAGE
    after = client.get(PAGE).text
    assert "You have no token that works." in after and "1 revoked token not shown." in after
    client.cookies.clear()
    assert client.get("/api/v1/me", headers=bearer).status_code == 401


def test_bad_requests_change_nothing_and_say_why(app_client) -> None:
    client = as_(app_client, "ana@x.org")
    page = client.get(PAGE).text
    forged = client.post(PAGE, data={"csrf_token": "forged", "name": "x"})
    assert forged.status_code == 403
    blank = client.post(PAGE, data={"csrf_token": _csrf(page), "name": "   "})
    assert blank.status_code == 422 and "give the token a name" in blank.text
    unknown = client.post(f"{PAGE}/999/revoke", data={"csrf_token": _csrf(page)})
    assert unknown.status_code == 404 and "no live token #999" in unknown.text
    too_big = client.post(f"{PAGE}/99999999999/revoke", data={"csrf_token": _csrf(page)})
    assert too_big.status_code == 422
    assert "You have no token that works." in client.get(PAGE).text


def test_one_account_cannot_revoke_another_s_token(app_client) -> None:
    ana = as_(app_client, "ana@x.org")
    page = ana.get(PAGE).text
    ana.post(PAGE, data={"csrf_token": _csrf(page), "name": "ana's script"})
    revoke = re.search(r'action="(/account/tokens/\d+/revoke)"', ana.get(PAGE).text).group(1)
    root = as_(app_client, "root@x.org")
    refused = root.post(revoke, data={"csrf_token": _csrf(root.get(PAGE).text)})
    assert refused.status_code == 404
    assert "ana&#39;s script" in as_(app_client, "ana@x.org").get(PAGE).text
