"""Which URLs the capture browser may fetch: a server that fetches URLs given by users must not be turned
against its own network (server-side request forgery).

Only http and https; the host is resolved here, and every address it resolves to must be public: private,
loopback, link-local (169.254.0.0/16, where cloud metadata endpoints live), multicast, reserved and
unspecified addresses are refused, as are IPv6 forms that wrap them. The request is then pinned to the
address checked (``Target.address``), so a second lookup cannot answer differently (DNS rebinding).
``PORTAL_CAPTURE_ALLOWED_HOSTS`` lists host:port pairs exempt from the address check (a port, so that
allowing a demo server never opens the portal's own port beside it); it is empty by default and is only for the
tests and the demo marketplace on loopback.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

SCHEMES = {"http": 80, "https": 443}


class Refused(Exception):
    """A URL the capture will not fetch; the message says why."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    address: str  # the checked address the connection goes to


def refusal_for_address(address: str) -> str | None:
    """Why an address may not be fetched, or None for a public one."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and (ip.ipv4_mapped or ip.sixtofour):
        return refusal_for_address(str(ip.ipv4_mapped or ip.sixtofour))
    if ip.is_loopback:
        return "a loopback address"
    if ip.is_link_local:
        return "a link-local address (where cloud metadata services answer)"
    if ip.is_multicast:
        return "a multicast address"
    if ip.is_unspecified or ip.is_reserved:
        return "a reserved address"
    if ip.is_private or not ip.is_global:
        return "a private address"
    return None


def check_url(url: str) -> Target:
    """The address to fetch ``url`` from, or Refused with the reason."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise Refused(f"Only http and https pages are captured, not {scheme or 'this'}: URLs.")
    host = (parts.hostname or "").rstrip(".").lower()
    if not host:
        raise Refused("The URL has no host.")
    try:
        port = parts.port or SCHEMES[scheme]
    except ValueError:
        raise Refused("The URL's port is not a number.") from None
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise Refused(f"The host {host} could not be found.") from None
    addresses = list(dict.fromkeys(str(info[4][0]) for info in found))
    named = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    if named not in settings.PORTAL_CAPTURE_ALLOWED_HOSTS:
        for address in addresses:
            reason = refusal_for_address(address)
            if reason:
                raise Refused(f"{host} resolves to {address}, {reason}: the capture does not fetch it.")
    return Target(scheme=scheme, host=host, port=port, address=addresses[0])
