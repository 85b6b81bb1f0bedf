"""The development scripts: a command in a second terminal runs with scripts/serve's own environment."""

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_manage(tmp_path, *args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PORTAL_", "PORT"))}
    clean.pop("DATABASE_URL", None)
    return subprocess.run(
        [str(ROOT / "scripts" / "manage"), *args], cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**clean, "PORTAL_DATA_DIR": str(tmp_path), **env},
    )  # fmt: skip


def test_a_command_in_a_second_terminal_needs_no_secret_key(tmp_path):
    done = run_manage(tmp_path, "check")
    assert done.returncode == 0, done.stderr
    assert "DJANGO_SECRET_KEY" not in done.stderr


def test_the_base_url_follows_the_port_in_development(tmp_path):
    code = "from django.conf import settings; print(settings.PORTAL_BASE_URL, settings.PORTAL_CAPTURE_ALLOWED_HOSTS)"
    done = run_manage(tmp_path, "shell", "-c", code, PORT="8123")
    assert done.stdout.strip().splitlines()[-1].split() == ["http://127.0.0.1:8123", "['127.0.0.1:8765']"], done.stderr
