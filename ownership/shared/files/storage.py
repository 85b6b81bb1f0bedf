"""Hashed storage for every uploaded file, through Django's storage API (local disk or S3).

Ownership documents and evidence exhibits both come in through ``store_upload``, which applies the file
policy (``policy``) first. The SHA-256 is computed from the very bytes the storage backend reads while it
writes the file (one pass), and the file is stored under a generated key, never under the client's name.
A rejected file leaves nothing behind; ``recorded_or_removed`` removes a stored file whose recording rolled
back, and never one whose row was committed; ``stored_file_problem`` re-hashes a stored file against its
recorded SHA-256.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO, cast

from botocore.exceptions import BotoCoreError, ClientError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from ownership.shared.checksums import sha256_stream
from ownership.shared.files import checks as file_checks
from ownership.shared.files.pdf_safety import describe
from ownership.shared.files.policy import check_file, clean_original_name

# What a storage backend raises when it cannot be reached or refuses the write: local disk errors, and
# boto3's connection and service errors on S3.
STORAGE_ERRORS = (OSError, BotoCoreError, ClientError)


class StorageUnavailable(Exception):
    """The file store could not take the file. Nothing was stored; the user may simply try again."""

    def __init__(self) -> None:
        super().__init__(
            "The evidence store could not be reached, so the file was not stored. Try again in a few minutes; "
            "if it keeps happening, tell the firm."
        )


@dataclass(frozen=True)
class StoredFile:
    name: str
    sha256: str
    size: int
    content_type: str
    original_name: str
    active_content: tuple[
        str, ...
    ] = ()  # what a PDF carries that bundles leave out (``ownership.shared.files.pdf_safety``)

    @property
    def warning(self) -> str:
        if not self.active_content:
            return ""
        return (
            f"This PDF contains {describe(list(self.active_content))}. It is stored exactly as received; "
            "complaint bundles will include a copy without it."
        )


def store_upload(upload: File, *, folder: str) -> StoredFile:
    """Check ``upload`` against the policy and store it under a generated key in ``folder``.

    Raises FileRejected, with nothing stored, when the policy refuses the file, and StorageUnavailable,
    with nothing stored, when the storage backend fails.
    """
    original_name = clean_original_name(getattr(upload, "name", "") or "")
    allowed = check_file(upload, original_name)
    active = tuple(file_checks.pdf_active_content(upload)) if allowed.content_type == "application/pdf" else ()
    now = timezone.now()
    key = f"{folder}/{now:%Y/%m}/{uuid.uuid4().hex}{allowed.extensions[0]}"
    reader = _HashingFile(upload)
    try:
        name = default_storage.save(key, reader)
    except STORAGE_ERRORS as exc:
        with contextlib.suppress(*STORAGE_ERRORS):
            default_storage.delete(key)  # a write cut off halfway leaves no object behind
        raise StorageUnavailable() from exc
    try:
        sha256 = reader.hexdigest()
    except Exception:
        default_storage.delete(name)
        raise
    return StoredFile(
        name=name, sha256=sha256, size=reader.size, content_type=allowed.content_type, original_name=original_name,
        active_content=active,
    )  # fmt: skip


@contextlib.contextmanager
def recorded_or_removed(*names: str) -> Iterator[list[str]]:
    """The transaction that records the stored files ``names`` (and those added to the list it yields). If it
    rolls back, the files are removed, so none is orphaned; once it has committed, never: what fails after the
    commit (work started on commit, a broker that is down) cannot cost a committed row its file."""
    stored = list(names)
    committed = False

    def mark_committed() -> None:
        nonlocal committed
        committed = True

    try:
        with transaction.atomic():
            transaction.on_commit(mark_committed)  # registered first, so it runs before any other hook
            yield stored
    except BaseException:
        if not committed:
            for name in stored:
                with contextlib.suppress(*STORAGE_ERRORS):
                    default_storage.delete(name)
        raise


def stored_file_problem(name: str, recorded_sha256: str) -> str | None:
    """Why a stored file no longer matches the SHA-256 recorded when it was stored, or None when it does.

    A file that is gone is a problem to report; storage that cannot be reached is not, and its error is raised
    for the caller to retry.
    """
    try:
        found = sha256_of_stored(name)
    except FileNotFoundError as exc:
        return f"file missing ({type(exc).__name__})"
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") not in ("NoSuchKey", "404"):
            raise
        return f"file missing ({type(exc).__name__})"
    return None if found == recorded_sha256 else f"expected SHA-256 {recorded_sha256}, found {found}"


def sha256_of_stored(name: str) -> str:
    """Read a stored file back from storage, in chunks, and hash it."""
    with default_storage.open(name, "rb") as stored:
        return sha256_stream(cast(BinaryIO, stored))


class _HashingFile(File):
    """Hands the upload's bytes to the storage backend and hashes exactly the bytes it reads, in order.

    Backends read sequentially after seeking to the start (FileSystemStorage through ``chunks()``, S3
    through ``read(n)``); a seek back to the start restarts the hash. Any other access pattern makes the
    hash unusable, and ``hexdigest()`` refuses rather than return a wrong value.
    """

    def __init__(self, upload: File):
        source = upload.file if hasattr(upload, "file") else upload
        super().__init__(source, name=getattr(upload, "name", None))
        self._source = cast(BinaryIO, source)
        self._size = upload.size
        self._digest = hashlib.sha256()
        self._hashed = 0
        self._sequential = True

    @property
    def size(self) -> int:
        return self._size

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        position = self._source.seek(offset, whence)
        if position == 0:
            self._digest, self._hashed, self._sequential = hashlib.sha256(), 0, True
        elif position != self._hashed:
            self._sequential = False
        return position

    def read(self, size: int = -1) -> bytes:
        data = self._source.read(size)
        self._digest.update(data)
        self._hashed += len(data)
        return data

    def chunks(self, chunk_size: int | None = None):
        self.seek(0)
        while data := self.read(chunk_size or self.DEFAULT_CHUNK_SIZE):
            yield data

    def hexdigest(self) -> str:
        if not self._sequential or self._hashed != self._size:
            raise RuntimeError("The storage backend did not read the upload once from start to end.")
        return self._digest.hexdigest()
