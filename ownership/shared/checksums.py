"""The one place SHA-256 is computed: of canonical JSON, of a stream, of a file.

Evidence files, bundle manifests, request digests and the hash-chained logs all use these, so a value
computed in one place can be recomputed in another and compared.
"""

from __future__ import annotations

import datetime
import decimal
import hashlib
import json
from pathlib import Path
from typing import Any, BinaryIO

CHUNK_BYTES = 1024 * 1024


def _default(value: Any) -> str:
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} cannot be written as canonical JSON")


def canonical_json(value: Any) -> bytes:
    """JSON with sorted keys, no spaces and UTF-8 text: the same value always gives the same bytes."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_default).encode()


def sha256_json(value: Any) -> str:
    return hashlib.sha256(canonical_json(value)).hexdigest()


def sha256_stream(stream: BinaryIO) -> str:
    """Read from where the stream is to its end, a chunk at a time."""
    digest = hashlib.sha256()
    while chunk := stream.read(CHUNK_BYTES):
        digest.update(chunk)
    return digest.hexdigest()


def sha256_path(path: Path) -> str:
    with open(path, "rb") as stream:
        return sha256_stream(stream)
