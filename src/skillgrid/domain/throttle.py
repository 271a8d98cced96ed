"""Sign-in throttling: how long a client waits after failed sign-ins (no storage here).

Two counts, each over a sliding window:

- **Per client address** (an IPv6 client counts by its /64 network): after
  ``address_limit`` failures (20 by default) in :data:`ADDRESS_WINDOW` (15 minutes) the
  address waits until the oldest of them leaves the window. This is what stops password
  spraying (one password tried on many accounts) and brute force from one place.
- **Per account**, over :data:`ACCOUNT_WINDOW` (an hour): the first :data:`ACCOUNT_FREE`
  failures cost nothing; each later one makes the account wait before the next attempt,
  doubling from :data:`FIRST_DELAY` up to :data:`MAX_DELAY`, counted from the newest
  failure. So guessing one account's password from many addresses gets about one try per
  five minutes, while a stranger can hold a real user up for at most :data:`MAX_DELAY`
  after their latest failure — never a long lockout. Failures are counted apart for a
  **trusted browser** (one that signed in to the account before and holds its device
  cookie): a stranger's failures never hold it up, only its own.

An account is counted by its name whether or not it exists, so a wait says nothing about
which emails have accounts.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from typing import Literal

from skillgrid.domain.errors import SkillGridError

ADDRESS_WINDOW = dt.timedelta(minutes=15)
ADDRESS_LIMIT = 20
ACCOUNT_WINDOW = dt.timedelta(hours=1)
KEPT = max(ADDRESS_WINDOW, ACCOUNT_WINDOW)  # older failures count nowhere: pruned
ACCOUNT_FREE = 5
FIRST_DELAY = dt.timedelta(seconds=15)
MAX_DELAY = dt.timedelta(minutes=5)
DEVICE_LIFETIME = dt.timedelta(days=90)  # a trusted browser unused this long is forgotten
DEVICES_PER_ACCOUNT = 10  # beyond this, the least recently used ones are forgotten

Scope = Literal["address", "account"]


class Throttled(SkillGridError):
    """Too many failed sign-ins: wait ``wait`` before the next attempt."""

    def __init__(self, scope: Scope, wait: dt.timedelta) -> None:
        self.scope = scope
        self.wait = wait
        whose = "from your network address" if scope == "address" else "for this account"
        super().__init__(
            f"too many failed sign-ins {whose}: wait {wait_text(wait)} before trying again"
        )

    @property
    def retry_after(self) -> int:
        """Whole seconds to wait (at least 1), as the Retry-After header says it."""
        return max(1, math.ceil(self.wait.total_seconds()))


def address_wait(
    failures: Sequence[dt.datetime], now: dt.datetime, limit: int = ADDRESS_LIMIT
) -> dt.timedelta | None:
    """How long an address with these failures (any order) waits, or None: until fewer than
    ``limit`` of them are inside the window."""
    recent = sorted(t for t in failures if t > now - ADDRESS_WINDOW)
    if len(recent) < limit:
        return None
    frees_at = recent[len(recent) - limit] + ADDRESS_WINDOW  # then only limit - 1 remain
    return frees_at - now


def account_delay(count: int) -> dt.timedelta:
    """The wait after the newest of ``count`` failures in the window."""
    if count < ACCOUNT_FREE:
        return dt.timedelta(0)
    doublings = min(count - ACCOUNT_FREE, 16)  # 2**16 × 15 s is far past the cap
    delay: dt.timedelta = FIRST_DELAY * (1 << doublings)
    return min(delay, MAX_DELAY)


def account_wait(failures: Sequence[dt.datetime], now: dt.datetime) -> dt.timedelta | None:
    """How long an account (or one trusted browser of it) with these failures waits, or
    None."""
    recent = [t for t in failures if t > now - ACCOUNT_WINDOW]
    if not recent:
        return None
    wait = max(recent) + account_delay(len(recent)) - now
    return wait if wait > dt.timedelta(0) else None


def wait_text(wait: dt.timedelta) -> str:
    """``40 seconds``, ``1 minute``, ``5 minutes`` (rounded up)."""
    seconds = max(1, math.ceil(wait.total_seconds()))
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"
