"""Concatenating the bundle's pieces with qpdf, which streams them and never holds them all in memory."""

from __future__ import annotations

import resource
import shutil
import subprocess
from pathlib import Path

from portal.bundle.errors import BundleError


def merge(paths: list[Path], out: Path) -> None:
    """qpdf reopens its inputs for every page unless it may keep them open; keeping them open makes a
    1,000-exhibit merge about three times faster, so the worker's open-file limit is raised when it allows."""
    argfile = out.with_suffix(".args")
    argfile.write_text("\n".join(str(p) for p in paths) + "\n")
    keep_open = _allow_open_files(len(paths) + 64)
    _qpdf(f"--keep-files-open={'y' if keep_open else 'n'}", "--deterministic-id", "--empty", "--pages",
          f"@{argfile}", "--", str(out))  # fmt: skip
    argfile.unlink()


def _allow_open_files(needed: int) -> bool:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < needed:
        if hard != resource.RLIM_INFINITY and hard < needed:
            return False
        resource.setrlimit(resource.RLIMIT_NOFILE, (needed, hard))
    return True


def _qpdf(*args: str) -> None:
    qpdf = shutil.which("qpdf")
    if not qpdf:
        raise BundleError("The qpdf program is missing on the worker (install Debian's qpdf package).")
    result = subprocess.run([qpdf, *args], capture_output=True, text=True)
    # Exit code 3 means success with warnings (qpdf repaired something in an uploaded PDF).
    if result.returncode not in (0, 3):
        raise BundleError(f"Merging the bundle failed: {result.stderr.strip()[:500]}")
