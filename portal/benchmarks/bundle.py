"""Benchmark: compile and sign a synthetic bundle through the real builder, beside qpdf's bare merge + overlay.

    python -m portal.benchmarks.bundle --exhibits 1000 --pages 5            # text-only exhibits
    python -m portal.benchmarks.bundle --exhibits 200 --pages 5 --jpeg      # JPEG-heavy exhibits

Each measured run is its own process; wall time and peak RSS (qpdf children included) come from wait4.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SEED = 20260301


def _make_exhibits(folder: Path, count: int, pages: int, jpeg: bool) -> list[Path]:
    from PIL import Image
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    rng = random.Random(SEED)  # noqa: S311 - reproducible synthetic data, not security
    photos = []
    if jpeg:
        for n in range(4):
            photo = folder / f"photo-{n}.jpg"
            Image.frombytes("RGB", (1400, 1000), rng.randbytes(1400 * 1000 * 3)).save(photo, "JPEG", quality=85)
            photos.append(photo)
    paths = []
    for n in range(count):
        path = folder / f"exhibit-{n:05d}.pdf"
        c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
        for page in range(pages):
            if jpeg:
                c.drawImage(str(photos[(n + page) % len(photos)]), 50, 150, 495, 385)
            for line in range(40):
                c.drawString(60, 780 - line * 15, f"Exhibit {n} page {page + 1} line {line} {rng.random():.12f}")
            c.showPage()
        c.save()
        paths.append(path)
    return paths


def _inputs(paths: list[Path]):
    from portal.bundle.inputs import BundleInput, FileInput, ListingInput, PurchaseInput

    def file_input(n: int, path: Path) -> FileInput:
        digest = hashlib.sha256()
        with open(path, "rb") as f:
            while chunk := f.read(1 << 20):
                digest.update(chunk)
        return FileInput(
            number=n + 1, section="C", title=path.name, kind_label="Listing capture", original_name=path.name,
            uploaded_by="Bench", uploaded_at=datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC),
            size=path.stat().st_size, sha256=digest.hexdigest(), content_type="application/pdf",
            open=lambda: open(path, "rb"), purchase_order="ORD-1",
        )  # fmt: skip

    listing = ListingInput("https://www.alibaba.com/product-detail/x_1.html", "Bench listing", "Seller", "1", "1")
    purchase = PurchaseInput(
        "ORD-1", datetime.date(2026, 2, 1), "10.00", "USD", "Bench", listing, "Counterfeit", "Inspection",
        "Counterfeit", "Bench", None, tuple(range(1, len(paths) + 1)),
    )  # fmt: skip
    return BundleInput(
        firm_name="Harcourt & Vale LLP", rights_holder_name="Bench Holder", rights_holder_local_name="",
        rights_holder_address="", matter_reference="BEN-2026-001", stamp_prefix="REF", platform="alibaba",
        platform_label="Alibaba.com (IPP)", bundle_id="B-BENCH", version=1, issued_on=datetime.date(2026, 3, 2),
        verify_url="https://portal.example.com/verify/", rights=(), listings=(listing,), purchases=(purchase,),
        files=tuple(file_input(n, p) for n, p in enumerate(paths)),
    )  # fmt: skip


def _compile(folder: Path) -> None:
    """Child process: build and sign through the real builder."""
    import django

    django.setup()
    from ownership.shared.signing import SigningIdentity, sign_pdf_in_place
    from portal.bundle.pdf import build_bundle

    work = folder / "work"
    work.mkdir()
    built = build_bundle(_inputs(sorted(folder.glob("exhibit-*.pdf"))), work)
    sign_pdf_in_place(built.path, SigningIdentity(folder / "key.p12", b""), signer_name="Bench", reason="bench")
    print(built.page_count)


def _measure(args: list[str], env: dict | None = None) -> tuple[float, float, str]:
    start = time.monotonic()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, text=True, env=env)
    out = proc.stdout.read() if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 3):
        raise SystemExit(f"{args[0]} failed with exit code {code}")
    return time.monotonic() - start, usage.ru_maxrss / 1024, out.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--exhibits", type=int, default=20)
    parser.add_argument("--pages", type=int, default=5)
    parser.add_argument("--jpeg", action="store_true")
    parser.add_argument("--compile", help=argparse.SUPPRESS)
    options = parser.parse_args()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings", "DJANGO_DEBUG": "true"}
    if options.compile:
        _compile(Path(options.compile))
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        env["PORTAL_DATA_DIR"] = str(folder / "data")
        paths = _make_exhibits(folder, options.exhibits, options.pages, options.jpeg)
        subprocess.run(
            [sys.executable, "manage.py", "create_signing_certificate", "--out", str(folder / "key.p12")],
            env=env, check=True, stdout=subprocess.DEVNULL, cwd=Path(__file__).resolve().parents[2],
        )  # fmt: skip
        size = sum(p.stat().st_size for p in paths) / 2**20
        stamps = folder / "floor-stamps.pdf"
        _floor_stamps(stamps, options.exhibits * options.pages)
        args_file = folder / "floor-args.txt"
        args_file.write_text(
            "\n".join(["--empty", "--pages", *map(str, paths), "--", "--overlay", str(stamps), "--"])
            + f"\n{folder / 'floor.pdf'}\n"
        )
        floor_s, floor_mb, _ = _measure(["qpdf", f"@{args_file}"])
        bundle_s, bundle_mb, pages = _measure(
            [sys.executable, "-m", "portal.benchmarks.bundle", "--compile", str(folder)], env=env
        )
        kind = "JPEG-heavy" if options.jpeg else "text-only"
        print(f"{options.exhibits} {kind} exhibits x {options.pages} pages, {size:.0f} MiB of exhibits")
        print(f"qpdf floor (merge + overlay): {floor_s:7.1f} s  peak RSS {floor_mb:6.0f} MiB")
        print(f"signed bundle ({pages} pages): {bundle_s:7.1f} s  peak RSS {bundle_mb:6.0f} MiB")
        print(f"ratio: {bundle_s / floor_s:.2f}x the qpdf floor")


def _floor_stamps(path: Path, pages: int) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    for number in range(1, pages + 1):
        c.setFont("Helvetica", 7)
        c.drawRightString(A4[0] - 12, 10, f"REF-{number:06d}")
        c.showPage()
    c.save()


if __name__ == "__main__":
    main()
