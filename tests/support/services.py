"""Real services started by the tests: an S3-compatible server (moto) and a Celery worker process."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import boto3
import kombu.pools

PROJECT_DIR = Path(__file__).resolve().parents[2]
S3_TEST_BUCKET = "portal-test-evidence"
S3_TEST_CREDENTIALS = {"access_key": "testing-access-key", "secret_key": "testing-secret-key"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing listened on 127.0.0.1:{port} within {timeout} s")


def wait_for(predicate, timeout: float, what: str, *, every: float = 0.25, log=lambda: ""):
    """``predicate()``'s first true value within ``timeout`` seconds; else fails naming ``what`` (and ``log()``)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"timed out waiting for {what}\n{log()}".rstrip())


def kill_worker(process: subprocess.Popen) -> None:
    """SIGKILL the worker and its pool processes, as a crash or an OOM kill would."""
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def stop_process(process: subprocess.Popen, sig: int = signal.SIGTERM, timeout: float = 20) -> None:
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def s3_server() -> Iterator[str]:
    """moto's S3 server on a free loopback port, with the test bucket; yields the endpoint URL."""
    port = free_port()
    process = subprocess.Popen(
        [str(Path(sys.executable).with_name("moto_server")), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port)
        endpoint = f"http://127.0.0.1:{port}"
        boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id=S3_TEST_CREDENTIALS["access_key"],
            aws_secret_access_key=S3_TEST_CREDENTIALS["secret_key"],
        ).create_bucket(Bucket=S3_TEST_BUCKET)
        yield endpoint
    finally:
        stop_process(process)


def s3_storage_setting(endpoint: str) -> dict:
    """The STORAGES["default"] entry production would have, pointed at the test server."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_TEST_BUCKET,
            "endpoint_url": endpoint,
            "region_name": "us-east-1",
            **S3_TEST_CREDENTIALS,
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
            "querystring_expire": 300,
            "signature_version": "s3v4",
        },
    }


def database_url_for(settings_dict: dict) -> str:
    """DATABASE_URL naming the test database pytest-django created, for processes the tests start."""
    url = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(url._replace(path="/" + settings_dict["NAME"]))


@contextmanager
def celery_worker(
    *, database_url: str, redis_url: str, log_path: Path, extra_env: dict | None = None, queues: str = "celery"
) -> Iterator[subprocess.Popen]:
    """A real ``celery -A portal worker -Q queues`` process on the test database and Redis, ready to take tasks."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        **(extra_env or {}),
    }
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool", "prefork", "--concurrency", "1",
             "--loglevel", "INFO", "--without-gossip", "--without-mingle", "--hostname", f"test-{os.getpid()}@%h",
             "--queues", queues],
            cwd=PROJECT_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: a test can kill the worker and its children at once
        )  # fmt: skip
    try:
        wait_for_worker(process, redis_url, log_path)
        yield process
    finally:
        stop_process(process)


def wait_for_worker(process: subprocess.Popen, redis_url: str, log_path: Path, timeout: float = 60) -> None:
    from portal.celery import app

    deadline = time.monotonic() + timeout
    with app.connection_for_write(redis_url) as connection:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"the Celery worker exited:\n{log_path.read_text()[-3000:]}")
            if app.control.ping(timeout=1, connection=connection):
                return
    raise TimeoutError("the Celery worker did not answer within the time limit")


@contextmanager
def redis_server(port: int, workdir: Path) -> Iterator[subprocess.Popen]:
    """A private redis-server on loopback that a test may stop and start again."""
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(workdir)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_for_port(port)
        yield process
    finally:
        stop_process(process)


@contextmanager
def app_broker(url: str) -> Iterator[None]:
    """Point this process's Celery app (which publishes the tasks) at another broker, then back."""
    from portal.celery import app

    def reset_pools() -> None:
        if app._pool is not None:
            app._pool.force_close_all()
        app._pool = None
        app.amqp._producer_pool = None
        # kombu keeps producer pools per connection in a registry of its own; a pool left there would still
        # hold the connection pool just closed ("Acquire on closed pool" on the next publish).
        kombu.pools.reset()

    previous = app.conf.broker_url
    app.conf.broker_url = url
    reset_pools()
    try:
        yield
    finally:
        app.conf.broker_url = previous
        reset_pools()


class SwitchableProxy:
    """A TCP proxy on loopback in front of a real server, which a test can take down and bring back.

    Down means what an outage looks like to a client: the port refuses connections and open ones are cut.
    """

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.port = free_port()
        self._listener: socket.socket | None = None
        self._connections: list[socket.socket] = []
        self._lock = threading.Lock()

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def up(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def down(self) -> None:
        with self._lock:
            if self._listener is not None:
                with contextlib.suppress(OSError):
                    self._listener.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in accept()
                self._listener.close()
                self._listener = None
            for conn in self._connections:
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)
                conn.close()
            self._connections.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # taken down
            try:
                upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
            except OSError:
                client.close()
                continue
            with self._lock:
                self._connections += [client, upstream]
            for source, target in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, target), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, target: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                target.sendall(data)
        with contextlib.suppress(OSError):
            target.shutdown(socket.SHUT_WR)
