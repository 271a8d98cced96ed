"""Webhook rules: the signature a receiver checks, the retry schedule, what is accepted."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

import pytest

from skillgrid.domain.webhooks import (
    WebhookError,
    check_events,
    check_url,
    retry_delay,
    signature,
)


def test_the_signature_is_the_hmac_of_timestamp_dot_body_with_the_secret() -> None:
    expected = hmac.new(b"s3cret", b"1700000000.{}", hashlib.sha256).hexdigest()
    assert signature("s3cret", 1700000000, b"{}") == f"sha256={expected}"
    assert signature("s3cret", 1700000001, b"{}") != signature("s3cret", 1700000000, b"{}")


def test_retries_wait_twice_as_long_each_time_up_to_an_hour() -> None:
    waits = [retry_delay(n).total_seconds() for n in range(1, 10)]
    assert waits[:5] == [30, 60, 120, 240, 480]
    assert max(waits) == dt.timedelta(hours=1).total_seconds()


@pytest.mark.parametrize("url", ["ftp://x.org/h", "https://", "x.org/h", "http://x.org:99999/h"])
def test_only_an_http_address_with_a_host_and_a_real_port_is_a_webhook(url: str) -> None:
    with pytest.raises(WebhookError, match="not a web address to post to"):
        check_url(url)


def test_events_are_known_names_kept_in_their_order() -> None:
    assert check_events(["cycle.closed", "assessment.submitted", "cycle.closed"]) == (
        "assessment.submitted",
        "cycle.closed",
    )
    with pytest.raises(WebhookError, match="name at least one event"):
        check_events([])
