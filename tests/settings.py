"""Settings for the test suite: the production-shaped settings with a test key and a throwaway data dir."""

import os
import tempfile

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-" + "x" * 40)
os.environ.setdefault("PORTAL_DATA_DIR", tempfile.mkdtemp(prefix="portal-tests-"))

from portal.settings import *  # noqa: F403

# The firm's letterhead, as production sets it (notices are refused without it).
PORTAL_FIRM_ADDRESS = "20 Test Lane, London EC4A 1AA"
PORTAL_FIRM_TELEPHONE = "+44 20 7946 0999"
PORTAL_FIRM_EMAIL = "notices@firm.example"
PORTAL_FIRM_REGULATOR = "Authorised and regulated by the Solicitors Regulation Authority"
PORTAL_FIRM_REGULATOR_NUMBER = "SRA number 000000"

# Tests talk plain HTTP to the test client and the live server.
SECURE_SSL_REDIRECT = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not shared-cache memory: the live server answers concurrent requests (parallel uploads), and
    # SQLite's busy timeout only applies to a database file.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test-db.sqlite3")}  # noqa: F405
