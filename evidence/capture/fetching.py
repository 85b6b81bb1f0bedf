"""One HTTP request of a capture, made by the portal itself on a connection pinned to the checked address.

The browser's requests come here (``browser`` routes them), so the portal sees every byte it archives, chooses
the address each host is reached at (``safety``), and keeps the TLS chain the origin presented. Bodies are
read within the capture's ``Budget`` of time, bytes and requests. Responses are asked for without content
encoding and are kept de-chunked, so the archive holds each body as one plain payload.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import ssl
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings

from evidence.capture.safety import Refused, Target

# Hop-by-hop headers (RFC 9110 section 7.6.1) and those the connection sets itself are not passed on.
NOT_FORWARDED = {"connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade",
                 "host", "accept-encoding", "content-length"}  # fmt: skip
CHUNK = 64 * 1024


@dataclass
class Budget:
    """What one capture may still spend: time, bytes received and requests."""

    seconds: float
    max_bytes: int
    max_requests: int
    started: float = field(default_factory=time.monotonic)
    bytes_received: int = 0
    requests_made: int = 0

    @classmethod
    def from_settings(cls) -> Budget:
        return cls(
            seconds=settings.PORTAL_CAPTURE_TIMEOUT_SECONDS,
            max_bytes=settings.PORTAL_CAPTURE_MAX_BYTES,
            max_requests=settings.PORTAL_CAPTURE_MAX_REQUESTS,
        )

    @property
    def seconds_left(self) -> float:
        return self.seconds - (time.monotonic() - self.started)

    def time_up(self) -> Refused:
        elapsed = time.monotonic() - self.started
        return Refused(f"The capture reached its time limit of {self.seconds:.0f} s and was stopped after "
                       f"{elapsed:.1f} s.")  # fmt: skip

    def take_request(self) -> None:
        if self.requests_made >= self.max_requests:
            raise Refused(f"The capture reached its limit of {self.max_requests} requests.")
        if self.seconds_left <= 0:
            raise self.time_up()
        self.requests_made += 1

    def take_bytes(self, count: int) -> None:
        self.bytes_received += count
        if self.bytes_received > self.max_bytes:
            raise Refused(f"The capture reached its limit of {self.max_bytes:,} bytes received.")


@dataclass(frozen=True)
class Fetched:
    url: str
    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: bytes
    address: str
    certificates: list[bytes]  # DER, leaf first; empty over plain HTTP


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, target: Target, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout)
        self.pinned_address = target.address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.pinned_address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, target: Target, timeout: float, tls: ssl.SSLContext):
        super().__init__(target.host, target.port, timeout=timeout, context=tls)
        self.pinned_address = target.address
        self.tls = tls

    def connect(self) -> None:
        raw = socket.create_connection((self.pinned_address, self.port), self.timeout)
        self.sock = self.tls.wrap_socket(raw, server_hostname=self.host)
        self.chain = _chain(self.sock)  # read now: the socket is gone once a closing response has been read


def tls_context() -> ssl.SSLContext:
    context = ssl.create_default_context()
    if settings.PORTAL_CAPTURE_CA_FILE:
        context.load_verify_locations(cafile=settings.PORTAL_CAPTURE_CA_FILE)
    return context


def fetch(
    *, method: str, url: str, headers: dict[str, str], body: bytes | None, target: Target, budget: Budget,
    tls: ssl.SSLContext,
) -> Fetched:  # fmt: skip
    """Make one request to ``target`` (never following redirects: the browser does, through the check again)."""
    budget.take_request()
    timeout = max(min(budget.seconds_left, 30.0), 1.0)
    connection: http.client.HTTPConnection
    if target.scheme == "https":
        connection = _PinnedHTTPSConnection(target, timeout, tls)
    else:
        connection = _PinnedHTTPConnection(target, timeout)
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    forwarded = {name: value for name, value in headers.items() if name.lower() not in NOT_FORWARDED}
    # The deadline holds however slowly the server sends (a byte every few seconds never trips a per-read
    # timeout): at the deadline the socket is shut, and whatever was being read is refused, never kept short.
    watchdog = threading.Timer(max(budget.seconds_left, 0.0), _cut, args=(connection,))
    watchdog.daemon = True
    watchdog.start()
    try:
        connection.request(method, path, body=body, headers=forwarded)
        response = connection.getresponse()
        certificates = getattr(connection, "chain", [])
        chunks = []
        while chunk := response.read1(CHUNK):
            budget.take_bytes(len(chunk))
            chunks.append(chunk)
            if budget.seconds_left <= 0:
                raise budget.time_up()
    except ssl.SSLCertVerificationError as exc:
        raise Refused(f"{target.host} did not present a trusted certificate: {exc.verify_message}.") from None
    except (OSError, http.client.HTTPException) as exc:
        if budget.seconds_left <= 0:
            raise budget.time_up() from None
        raise Refused(f"{target.host} could not be reached: {type(exc).__name__}: {exc}".rstrip(": ")) from None
    finally:
        watchdog.cancel()
        connection.close()
    if budget.seconds_left <= 0:
        raise budget.time_up()  # the body may have been cut short at the deadline
    kept = [(name, value) for name, value in response.getheaders() if name.lower() != "transfer-encoding"]
    return Fetched(
        url=url, status=response.status, reason=response.reason, headers=kept, body=b"".join(chunks),
        address=target.address, certificates=certificates,
    )  # fmt: skip


def _cut(connection: http.client.HTTPConnection) -> None:
    """Shut the connection's socket from the watchdog's thread, so a read blocked on it returns at once."""
    sock = connection.sock
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


def _chain(sock) -> list[bytes]:
    """The certificates the origin presented, as verified, leaf first.

    Python 3.11 exposes the verified chain only on the socket's internal object (public from 3.13 as
    ``SSLSocket.get_verified_chain``); where neither exists, the leaf alone is recorded.
    """
    internal = getattr(sock, "_sslobj", None)
    getter = getattr(sock, "get_verified_chain", None) or getattr(internal, "get_verified_chain", None)
    if getter is not None:
        return [cert.public_bytes(ssl._ssl.ENCODING_DER) for cert in getter()]  # type: ignore[attr-defined]
    leaf = sock.getpeercert(binary_form=True)
    return [leaf] if leaf else []
