"""The restore drill, as the README gives it: back up the database with its own tool and the files through the
storage API, restore both onto a fresh database and an empty storage, and check the restored portal. Runs on
the database the suite runs on (the embedded SQLite, or PostgreSQL)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection

from evidence.models import Exhibit
from evidence.services import exhibit_upload, listing_record
from portal.models import Bundle
from portal.services import bundle_compile, bundle_request
from tests.conftest import require_service
from tests.evidence.factories import SellerFactory, TestPurchaseFactory
from tests.ownership.factories import make_right
from tests.support import files as samples
from tests.support.bundles import OVERRULED
from tests.support.services import PROJECT_DIR, database_url_for


@pytest.fixture
def issued_bundle(transactional_db, matter_a, staff, signing) -> Bundle:
    make_right(matter_a.rights_holder, "CN", "trademark", title="AURORA")
    listing, _ = listing_record(matter=matter_a, url="https://www.alibaba.com/product-detail/x_1.html",
                                seller=SellerFactory(platform="alibaba"))  # fmt: skip
    purchase = TestPurchaseFactory(matter=matter_a, listing=listing, recorded_by=staff)
    for name, data in (("order.pdf", samples.pdf_bytes("Order 3089981234")), ("photo.png", samples.image_bytes("PNG"))):
        exhibit_upload(matter=matter_a, purchase=purchase, kind="order_confirmation", uploaded_by=staff,
                       upload=ContentFile(data, name=name))  # fmt: skip
    bundle, _ = bundle_request(matter=matter_a, platform="alibaba", requested_by=staff, overrule=OVERRULED)
    bundle_compile(bundle_id=bundle.pk)  # in-process (with no broker it already ran, and this does nothing)
    bundle.refresh_from_db()
    assert bundle.status == Bundle.Status.READY, bundle.error_message
    return bundle


class Target:
    """A fresh portal to restore into: an empty data folder, and a new database of the same kind."""

    def __init__(self, root: Path, signing: Path) -> None:
        self.data_dir = root / f"restored-{uuid.uuid4().hex[:8]}"
        self.data_dir.mkdir()
        self.env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "PORTAL_DATA_DIR": str(self.data_dir),
                    "PORTAL_SIGNING_P12": str(signing), "PORTAL_SIGNING_PASSPHRASE": ""}  # fmt: skip
        self.env.pop("REDIS_URL", None)
        self.database = ""

    def manage(self, *arguments: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "manage.py", *arguments], cwd=PROJECT_DIR, env=self.env,
                              capture_output=True, text=True, timeout=600)  # fmt: skip


def back_up(folder: Path) -> None:
    """The backup: the database with its own tool, then the files."""
    folder.mkdir()
    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        with sqlite3.connect(name) as source, sqlite3.connect(folder / "db.sqlite3") as copy:
            source.backup(copy)
    else:
        require_service(shutil.which("pg_dump") is not None, "pg_dump is not installed")
        subprocess.run(["pg_dump", "--format=custom", f"--file={folder / 'db.dump'}", *_pg_options(), name],
                       check=True)  # fmt: skip
    call_command("storage_export", str(folder / "files"), stdout=open(os.devnull, "w"))  # noqa: SIM115


def restore(backup: Path, target: Target) -> None:
    if connection.vendor == "sqlite":
        shutil.copyfile(backup / "db.sqlite3", target.data_dir / "db.sqlite3")
        target.env.pop("DATABASE_URL", None)
    else:
        target.database = f"portal_restore_{uuid.uuid4().hex[:10]}"
        subprocess.run(["createdb", *_pg_options(), target.database], check=True)
        subprocess.run(["pg_restore", "--no-owner", f"--dbname={target.database}", *_pg_options(),
                        str(backup / "db.dump")], check=True)  # fmt: skip
        target.env["DATABASE_URL"] = database_url_for({"NAME": target.database})
    imported = target.manage("storage_import", str(backup / "files"))
    assert imported.returncode == 0, imported.stderr


def _pg_options() -> list[str]:
    settings = connection.settings_dict
    return [f"--host={settings['HOST'] or '127.0.0.1'}", f"--port={settings['PORT'] or 5432}",
            f"--username={settings['USER'] or 'postgres'}"]  # fmt: skip


@pytest.fixture
def targets(tmp_path, signing):
    made: list[Target] = []

    def make() -> Target:
        made.append(Target(tmp_path, signing))
        return made[-1]

    yield make
    for target in made:
        if target.database:
            subprocess.run(["dropdb", "--if-exists", *_pg_options(), target.database], check=False)


def test_a_portal_restored_from_its_backup_verifies(issued_bundle, tmp_path, targets):
    back_up(tmp_path / "backup")
    target = targets()
    restore(tmp_path / "backup", target)
    checked = target.manage("verify_restore")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "Restore verified" in checked.stdout and "every issued bundle genuine" in checked.stdout
    evidence = target.manage("verify_evidence")
    assert evidence.returncode == 0 and "intact" in evidence.stdout
    audit = target.manage("verify_audit")
    assert audit.returncode == 0 and "Audit log intact" in audit.stdout


def test_a_restore_from_a_backup_missing_a_file_names_that_file(issued_bundle, tmp_path, targets):
    back_up(tmp_path / "backup")
    lost = Exhibit.objects.order_by("pk").first().file.name
    (tmp_path / "backup" / "files" / lost).unlink()
    target = targets()
    restore(tmp_path / "backup", target)
    checked = target.manage("verify_restore")
    assert checked.returncode == 1
    assert f"BROKEN {lost} (exhibit " in checked.stdout and "file missing" in checked.stdout
