"""The client address sign-in throttling counts by.

It is the peer of the connection (the ASGI scope's ``client``), unless that peer is a
trusted proxy (``SKILLGRID_TRUSTED_PROXIES``; none by default): then X-Forwarded-For is
read from the right, skipping trusted proxies, and the first address that is not one is
the client. A client can put anything at the left of that header, so nothing left of the
first untrusted address is believed. IPv6 clients count by their /64 network (one
subscriber's allocation), so rotating addresses inside it does not escape the count.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

from starlette.types import Scope

from skillgrid.config import Network

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def client_address(scope: Scope, trusted: Sequence[Network]) -> str:
    """The address (IPv4) or network (IPv6 /64) of the client, as a string of at most 64
    characters; a peer that is no IP address (a test client) counts by its name."""
    peer = scope.get("client")
    host = str(peer[0]) if peer else ""
    found = _ip(host)
    if found is not None and _trusted(found, trusted):
        for hop in reversed(_forwarded_for(scope)):
            hop_ip = _ip(hop)
            if hop_ip is None:
                break  # a garbled entry: keep the last trusted proxy, never a made-up client
            found = hop_ip
            if not _trusted(hop_ip, trusted):
                break
    return counted(found) if found is not None else (host or "unknown")[:64]


def counted(address: IpAddress) -> str:
    """What a client address counts as: IPv4 itself, IPv6 its /64."""
    if isinstance(address, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


def _forwarded_for(scope: Scope) -> list[str]:
    hops: list[str] = []
    for name, value in scope.get("headers", []):
        if name == b"x-forwarded-for":
            hops += [part.strip() for part in value.decode("latin-1").split(",")]
    return hops


def _ip(text: str) -> IpAddress | None:
    """An address, also written ``1.2.3.4:port`` or ``[::1]:port``; None if it is none."""
    text = text.strip()
    if text.startswith("[") and "]" in text:
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]
    try:
        found = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(found, ipaddress.IPv6Address) and found.ipv4_mapped is not None:
        return found.ipv4_mapped  # ::ffff:10.0.0.1 is 10.0.0.1 (a dual-stack listener)
    return found


def _trusted(address: IpAddress, trusted: Sequence[Network]) -> bool:
    return any(address in network for network in trusted)
