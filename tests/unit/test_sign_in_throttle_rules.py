"""The throttling rules (domain/throttle.py) and the client address they count by."""

from __future__ import annotations

import datetime as dt
import ipaddress

import pytest

from skillgrid.domain.throttle import (
    ACCOUNT_FREE,
    ADDRESS_WINDOW,
    MAX_DELAY,
    Throttled,
    account_delay,
    account_wait,
    address_wait,
    wait_text,
)
from skillgrid.web.client import client_address

NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)


def minutes_ago(*minutes: float) -> list[dt.datetime]:
    return [NOW - dt.timedelta(minutes=m) for m in minutes]


def test_an_address_under_its_limit_does_not_wait() -> None:
    assert address_wait(minutes_ago(1, 2, 3), NOW, limit=4) is None


def test_an_address_at_its_limit_waits_until_the_oldest_failure_leaves_the_window() -> None:
    wait = address_wait(minutes_ago(10, 1, 2, 3), NOW, limit=4)
    assert wait == ADDRESS_WINDOW - dt.timedelta(minutes=10)


def test_failures_older_than_the_window_do_not_count() -> None:
    assert address_wait(minutes_ago(16, 20, 30, 1), NOW, limit=2) is None
    assert account_wait(minutes_ago(61, 62, 63, 64, 65, 66), NOW) is None


def test_a_slowed_account_does_not_earn_free_failures_back_while_it_is_hammered() -> None:
    at, failures = NOW, []
    for _ in range(40):  # a stranger guessing as fast as the account allows
        failures.append(at)
        at += account_wait(failures, at) or dt.timedelta(0)
    hour = [t for t in failures if t > at - dt.timedelta(hours=1)]
    assert len(hour) <= 15  # the five free ones, a few short waits, then one per 5 minutes
    assert at - failures[-1] == MAX_DELAY


def test_the_first_account_failures_are_free_then_the_delay_doubles_up_to_the_cap() -> None:
    assert account_delay(ACCOUNT_FREE - 1) == dt.timedelta(0)
    delays = [account_delay(n).total_seconds() for n in range(ACCOUNT_FREE, ACCOUNT_FREE + 8)]
    assert delays == [15, 30, 60, 120, 240, 300, 300, 300]
    assert account_delay(10_000) == MAX_DELAY


def test_an_account_waits_from_its_newest_failure() -> None:
    failures = minutes_ago(5, 4, 3, 2, 0.1)  # five: the next waits 15 s after the newest
    assert account_wait(failures, NOW) == dt.timedelta(seconds=15) - dt.timedelta(minutes=0.1)
    assert account_wait(minutes_ago(5, 4, 3, 2, 1), NOW) is None  # 15 s have passed


def test_a_stranger_holds_an_account_up_for_at_most_the_cap() -> None:
    hammered = [NOW - dt.timedelta(seconds=s) for s in range(200)]
    wait = account_wait(hammered, NOW)
    assert wait is not None and wait <= MAX_DELAY


def test_throttled_says_how_long_in_words_and_in_whole_seconds() -> None:
    error = Throttled("address", dt.timedelta(seconds=90.2))
    assert error.retry_after == 91
    assert "network address" in str(error) and "2 minutes" in str(error)
    assert Throttled("account", dt.timedelta(milliseconds=10)).retry_after == 1
    assert wait_text(dt.timedelta(seconds=1)) == "1 second"
    assert wait_text(dt.timedelta(seconds=60)) == "1 minute"


def scope(peer: str, *forwarded: str) -> dict[str, object]:
    headers = [(b"x-forwarded-for", value.encode()) for value in forwarded]
    return {"type": "http", "client": (peer, 5000), "headers": headers}


PROXY = [ipaddress.ip_network("10.0.0.0/8")]


def test_the_peer_is_the_client_when_no_proxy_is_trusted() -> None:
    assert client_address(scope("203.0.113.9", "198.51.100.1"), []) == "203.0.113.9"


def test_forwarded_for_from_an_untrusted_peer_is_ignored() -> None:
    assert client_address(scope("203.0.113.9", "198.51.100.1"), PROXY) == "203.0.113.9"


def test_a_trusted_proxy_s_forwarded_for_is_read_from_the_right() -> None:
    # the client made up the leftmost entry; the proxies appended the rest
    spoofed = scope("10.0.0.2", "1.2.3.4, 198.51.100.7, 10.0.0.1")
    assert client_address(spoofed, PROXY) == "198.51.100.7"
    assert client_address(scope("10.0.0.2", "1.2.3.4", "198.51.100.7"), PROXY) == "198.51.100.7"


def test_a_garbled_hop_stops_at_the_last_trusted_proxy() -> None:
    assert client_address(scope("10.0.0.2", "198.51.100.7, junk"), PROXY) == "10.0.0.2"
    assert client_address(scope("10.0.0.2", "198.51.100.7:4321"), PROXY) == "198.51.100.7"


def test_ipv6_clients_count_by_their_64_network() -> None:
    one = client_address(scope("2001:db8:1:2::1"), [])
    other = client_address(scope("2001:db8:1:2:ffff::9"), [])
    assert one == other == "2001:db8:1:2::/64"
    assert client_address(scope("::ffff:192.0.2.1"), []) == "192.0.2.1"


@pytest.mark.parametrize("peer", ["testclient", ""])
def test_a_peer_that_is_no_address_counts_by_its_name(peer: str) -> None:
    assert client_address(scope(peer), PROXY) == (peer or "unknown")
