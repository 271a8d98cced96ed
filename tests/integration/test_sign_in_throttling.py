"""Sign-in throttling on real SQLite and PostgreSQL: per address and per account, shared by
every process on the database, pruned, and never a long lockout for the real user."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from skillgrid.db.tables import SignInFailureRow, TrustedDeviceRow
from skillgrid.domain.accounts import SignInError
from skillgrid.domain.assessments import OPERATOR
from skillgrid.domain.audit import AuditQuery
from skillgrid.domain.throttle import (
    ACCOUNT_FREE,
    ADDRESS_WINDOW,
    DEVICES_PER_ACCOUNT,
    KEPT,
    MAX_DELAY,
    Throttled,
)
from skillgrid.services import accounts, audit
from skillgrid.services import sign_in as sign_in_service
from skillgrid.services.sign_in import Attempt, NewSession, sign_in

SECRET = "correct horse battery"
WRONG = "not the password"
T0 = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
STRANGER = "203.0.113.66"
HOME = "198.51.100.10"


@pytest.fixture
def ready(uow_factory):  # type: ignore[no-untyped-def]
    for email in ("ana@x.org", "bo@x.org"):
        accounts.add_user(uow_factory(), email, SECRET, actor=OPERATOR)
    return uow_factory


def attempt(  # type: ignore[no-untyped-def]
    ready,
    email: str,
    password: str,
    address: str,
    at: dt.datetime,
    device: str | None = None,
    limit: int = 20,
) -> NewSession:
    return sign_in(ready(), Attempt(email, password, address, device), now=at, address_limit=limit)


def fail(ready, email: str, address: str, at: dt.datetime, **kw: object) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SignInError):
        attempt(ready, email, WRONG, address, at, **kw)  # type: ignore[arg-type]


def count(ready, row: type) -> int:  # type: ignore[no-untyped-def]
    with ready() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(row)))


def test_spraying_many_accounts_from_one_address_is_throttled(ready) -> None:
    at = T0
    for n in range(5):  # one password over five accounts, most of them not real
        fail(ready, f"user{n}@x.org", STRANGER, at, limit=5)
        at += dt.timedelta(seconds=30)
    with pytest.raises(Throttled) as caught:
        attempt(ready, "ana@x.org", SECRET, STRANGER, at, limit=5)  # even the right password
    assert caught.value.scope == "address"
    assert caught.value.wait == ADDRESS_WINDOW - dt.timedelta(seconds=150)
    assert attempt(ready, "ana@x.org", SECRET, HOME, at, limit=5).session.email == "ana@x.org"
    later = T0 + ADDRESS_WINDOW + dt.timedelta(seconds=1)  # the oldest failure left the window
    assert attempt(ready, "ana@x.org", SECRET, STRANGER, later, limit=5)


def test_a_stranger_holds_the_real_user_up_for_at_most_the_cap(ready) -> None:
    device = attempt(ready, "ana@x.org", SECRET, HOME, T0).device  # ana's own laptop
    at, failures, waits = T0 + dt.timedelta(minutes=1), 0, []
    while failures < 12:  # a stranger guessing from many addresses, as fast as allowed
        try:
            fail(ready, "ana@x.org", f"203.0.113.{failures}", at)
            failures += 1
        except Throttled as error:
            waits.append((error.scope, error.wait))
            at += error.wait
    assert {scope for scope, _ in waits} == {"account"}
    assert max(wait for _, wait in waits) == MAX_DELAY
    assert attempt(ready, "ana@x.org", SECRET, HOME, at, device=device)  # her laptop: at once
    with pytest.raises(Throttled) as caught:  # a new browser waits, at most the cap
        attempt(ready, "ana@x.org", SECRET, "192.0.2.7", at)
    assert caught.value.scope == "account" and caught.value.wait <= MAX_DELAY
    assert attempt(ready, "ana@x.org", SECRET, "192.0.2.7", at + caught.value.wait)


def test_a_trusted_browser_s_own_failures_slow_only_it(ready) -> None:
    device = attempt(ready, "ana@x.org", SECRET, HOME, T0).device
    for n in range(ACCOUNT_FREE):
        fail(ready, "ana@x.org", HOME, T0 + dt.timedelta(seconds=n + 1), device=device)
    at = T0 + dt.timedelta(seconds=ACCOUNT_FREE + 1)
    with pytest.raises(Throttled):
        attempt(ready, "ana@x.org", SECRET, HOME, at, device=device)
    assert attempt(ready, "ana@x.org", SECRET, "192.0.2.7", at)  # another browser: no wait


def test_another_account_s_browser_token_is_not_trusted(ready) -> None:
    bo_device = attempt(ready, "bo@x.org", SECRET, HOME, T0).device
    for n in range(ACCOUNT_FREE):
        fail(ready, "ana@x.org", STRANGER, T0 + dt.timedelta(seconds=n + 1))
    with pytest.raises(Throttled):
        attempt(ready, "ana@x.org", SECRET, HOME, T0 + dt.timedelta(seconds=6), device=bo_device)


def test_every_process_counts_the_same_failures(ready, database_url: str) -> None:
    from skillgrid.db.engine import make_engine, make_session_factory
    from skillgrid.db.unit_of_work import SqlAlchemyUnitOfWork

    other = make_engine(database_url)  # a second app process on the same database
    try:
        factory = make_session_factory(other)
        for n in range(3):
            fail(ready, f"user{n}@x.org", STRANGER, T0, limit=3)
        with pytest.raises(Throttled):
            sign_in(
                SqlAlchemyUnitOfWork(factory),
                Attempt("ana@x.org", SECRET, STRANGER),
                now=T0 + dt.timedelta(seconds=1),
                address_limit=3,
            )
    finally:
        other.dispose()


def test_failures_older_than_the_window_are_pruned(ready) -> None:
    for n in range(8):
        fail(ready, f"user{n}@x.org", f"192.0.2.{n}", T0)
    assert count(ready, SignInFailureRow) == 8
    fail(ready, "user0@x.org", STRANGER, T0 + KEPT + dt.timedelta(seconds=1))
    assert count(ready, SignInFailureRow) == 1


def test_a_right_password_forgets_only_the_user_s_own_failures(ready) -> None:
    for n in range(2):  # four in all: not yet slowed
        fail(ready, "ana@x.org", HOME, T0 + dt.timedelta(seconds=n))
        fail(ready, "ana@x.org", STRANGER, T0 + dt.timedelta(seconds=n))
    attempt(ready, "ana@x.org", SECRET, HOME, T0 + dt.timedelta(seconds=5))
    with ready() as uow:
        left = uow.session.scalars(select(SignInFailureRow.address)).all()
    assert left == [STRANGER] * 2


def test_trusted_browsers_are_bounded_per_account_and_forgotten_with_a_new_password(
    ready,
) -> None:
    for n in range(DEVICES_PER_ACCOUNT + 2):
        attempt(ready, "ana@x.org", SECRET, HOME, T0 + dt.timedelta(seconds=n))
    assert count(ready, TrustedDeviceRow) == DEVICES_PER_ACCOUNT
    accounts.add_user(ready(), "ana@x.org", "a brand new password", actor=OPERATOR)
    assert count(ready, TrustedDeviceRow) == 0


def test_sign_ins_and_failures_are_audited_without_secrets(ready) -> None:
    fail(ready, "ana@x.org", STRANGER, T0)
    fail(ready, "nobody@x.org", STRANGER, T0)  # no account: nothing about it is recorded
    attempt(ready, "ana@x.org", SECRET, HOME, T0 + dt.timedelta(seconds=1))
    entries = audit.list_audit(ready(), OPERATOR, AuditQuery(entity="account"))
    signs = [(e.actor, e.action, e.entity_id, e.after) for e in entries if "sign" in e.action]
    assert signs == [
        ("ana@x.org", "sign_in", "ana@x.org", {"address": HOME, "browser": "new"}),
        ("web/anonymous", "sign_in_failed", "ana@x.org", {"address": STRANGER}),
    ]
    text = repr([e.to_dict() for e in entries])
    assert "nobody" not in text and WRONG not in text and SECRET not in text


def test_the_failure_that_slows_an_account_says_so_in_the_trail(ready) -> None:
    for n in range(ACCOUNT_FREE):
        fail(ready, "ana@x.org", STRANGER, T0 + dt.timedelta(seconds=n))
    newest = audit.list_audit(ready(), OPERATOR, AuditQuery(person="ana@x.org", limit=1))[0]
    assert newest.action == "sign_in_failed"
    assert newest.after == {"address": STRANGER, "wait_seconds": 15}


class CountingHasher:
    """The real argon2 hasher, counting every password it checks (``verify``, or ``hash``
    for an unknown account) — the guesses an attacker actually got."""

    def __init__(self) -> None:
        self.checks = 0
        self.lock = threading.Lock()
        self.real = accounts.password_hasher()

    def __call__(self) -> CountingHasher:
        return self

    def verify(self, stored: str, password: str) -> bool:
        with self.lock:
            self.checks += 1
        return bool(self.real.verify(stored, password))

    def hash(self, password: str) -> str:
        with self.lock:
            self.checks += 1
        return str(self.real.hash(password))


def all_at_once(count: int, one: Callable[[int], object]) -> Counter[str]:
    """Run ``one(0)`` … ``one(count - 1)`` in threads released together: what each raised."""
    outcomes: Counter[str] = Counter()
    lock, go = threading.Lock(), threading.Barrier(count)

    def run(n: int) -> None:
        go.wait()
        try:
            one(n)
            outcome = "signed in"
        except Throttled as error:
            outcome = f"throttled ({error.scope})"
        except SignInError:
            outcome = "wrong"
        with lock:
            outcomes[outcome] += 1

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.fixture
def hasher(monkeypatch: pytest.MonkeyPatch) -> CountingHasher:
    counting = CountingHasher()
    monkeypatch.setattr(sign_in_service, "password_hasher", counting)
    return counting


def test_concurrent_guesses_from_one_address_get_no_more_password_checks_than_its_limit(
    ready, hasher: CountingHasher
) -> None:
    outcomes = all_at_once(
        16, lambda n: attempt(ready, f"user{n}@x.org", WRONG, STRANGER, T0, limit=3)
    )
    assert hasher.checks == 3
    assert outcomes == {"wrong": 3, "throttled (address)": 13}


def test_concurrent_guesses_at_one_account_from_many_addresses_get_its_free_checks_only(
    ready, hasher: CountingHasher
) -> None:
    outcomes = all_at_once(16, lambda n: attempt(ready, "ana@x.org", WRONG, f"203.0.113.{n}", T0))
    assert hasher.checks == ACCOUNT_FREE
    assert outcomes == {"wrong": ACCOUNT_FREE, "throttled (account)": 16 - ACCOUNT_FREE}
