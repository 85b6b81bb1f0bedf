"""A capture's time limit holds against a server that drips its answer (a real server on loopback)."""

import socket
import threading
import time

import pytest

from evidence.capture.fetching import Budget, fetch, tls_context
from evidence.capture.safety import Refused, Target


class DripServer:
    """Answers every connection a byte at a time, ``every`` seconds apart: the headers or the body."""

    def __init__(self, *, drip_headers: bool, every: float = 0.5) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.drip_headers, self.every = drip_headers, every
        self.stopped = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while not self.stopped.is_set():
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 10000\r\n\r\n"
        with conn:
            conn.recv(65536)
            if not self.drip_headers:
                conn.sendall(head)
            for byte in head if self.drip_headers else b"x" * 10000:
                if self.stopped.wait(self.every):
                    return
                try:
                    conn.sendall(bytes([byte]))
                except OSError:
                    return

    def stop(self) -> None:
        self.stopped.set()
        self.listener.close()


@pytest.mark.parametrize("drip_headers", [False, True], ids=["body", "headers"])
def test_a_dripping_server_is_stopped_at_the_capture_deadline_with_the_time_it_took(drip_headers):
    server = DripServer(drip_headers=drip_headers)
    budget = Budget(seconds=2, max_bytes=10_000_000, max_requests=10)
    target = Target(scheme="http", host="127.0.0.1", port=server.port, address="127.0.0.1")
    started = time.monotonic()
    try:
        with pytest.raises(Refused, match=r"time limit of 2 s and was stopped after 2\.\d s"):
            fetch(method="GET", url=f"http://127.0.0.1:{server.port}/item", headers={}, body=None, target=target,
                  budget=budget, tls=tls_context())  # fmt: skip
    finally:
        server.stop()
    assert time.monotonic() - started < 3  # the limit, ± 1 s
