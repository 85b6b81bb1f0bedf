"""PostgreSQL restarts while the portal runs: the next requests succeed.

The test starts a private PostgreSQL cluster (never the machine's shared one), runs the portal under gunicorn
against it with persistent connections, restarts the cluster, and asks again.
"""

import glob
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import requests

from tests.conftest import require_service
from tests.support.services import PROJECT_DIR, free_port, stop_process, wait_for_port


def postgres_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    require_service(bool(found), "PostgreSQL's server binaries (pg_ctl, initdb) are not installed")
    return Path(found[-1]).parent


def as_postgres(*command: str) -> list[str]:
    """Run a server command as the postgres user when the tests run as root (initdb refuses root)."""
    if os.geteuid() != 0:
        return list(command)
    require_service(shutil.which("runuser") is not None, "runuser is needed to start PostgreSQL as postgres")
    return ["runuser", "-u", "postgres", "--", *command]


@pytest.fixture
def private_cluster():
    bin_dir = postgres_bin()
    # Not under pytest's tmp_path: the postgres user must be able to reach the directory.
    data = Path(tempfile.mkdtemp(prefix="portal-test-pg-"))
    if os.geteuid() == 0:
        shutil.chown(data, "postgres")
    subprocess.run(as_postgres(str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"),
                   check=True, capture_output=True)  # fmt: skip
    port = free_port()
    options = f"-p {port} -k {data} -c listen_addresses=127.0.0.1"

    def pg_ctl(*args: str) -> None:
        # No pipes: the server pg_ctl leaves running would hold them open and the call would never return.
        subprocess.run(as_postgres(str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-w", *args),
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)  # fmt: skip

    pg_ctl("start", "-l", str(data / "server.log"))
    subprocess.run(
        [str(bin_dir / "psql") if (bin_dir / "psql").exists() else "psql", "-h", "127.0.0.1", "-p", str(port),
         "-U", "postgres", "-c", "CREATE DATABASE portal"],
        check=True, capture_output=True,
    )  # fmt: skip
    try:
        yield port, pg_ctl
    finally:
        pg_ctl("stop", "-m", "immediate")
        shutil.rmtree(data, ignore_errors=True)


def get(url: str) -> int:
    return requests.get(url, timeout=30).status_code


def test_requests_succeed_after_postgresql_restarts(private_cluster, tmp_path):
    port, pg_ctl = private_cluster
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DJANGO_DEBUG": "true",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{port}/portal",
        "DATABASE_CONN_MAX_AGE": "600",  # persistent connections: the case a restart breaks
        "PORTAL_DATA_DIR": str(tmp_path / "data"),
    }
    env.pop("REDIS_URL", None)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=PROJECT_DIR, env=env, check=True)
    web_port = free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "portal.wsgi", "--bind", f"127.0.0.1:{web_port}",
         "--workers", "1", "--threads", "2", "--worker-class", "gthread"],
        cwd=PROJECT_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_for_port(web_port)
        health = f"http://127.0.0.1:{web_port}/healthz"
        assert [get(health) for _ in range(3)] == [200, 200, 200]  # connections are open and kept
        pg_ctl("restart", "-m", "fast")
        time.sleep(0.5)
        assert [get(health) for _ in range(3)] == [200, 200, 200]
        assert get(f"http://127.0.0.1:{web_port}/accounts/login/") == 200
    finally:
        stop_process(server)
