"""OCR benchmark: pages per minute of one OCR worker, on scanned pages of mixed English and Chinese text.

    python -m portal.benchmarks.ocr --pages 20 [--workers 1]

It makes a scanned PDF of ``--pages`` A4 pages at 150 dpi (pictures of certificate-like text, no text layer)
and reads it the way the OCR task does (``ownership.shared.ocr``: OCRmyPDF with Tesseract, the languages of
PORTAL_OCR_LANGUAGES) in ``--workers`` processes at once, each on its own copy. It prints pages per minute per
worker and in all, and whether the text came back (the registration number of every page).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DJANGO_DEBUG", "true")


def _scan(pages: int, path: Path) -> None:
    from django.conf import settings
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(settings.PORTAL_CJK_FONT, 32)
    images = []
    for number in range(pages):
        page = Image.new("L", (1240, 1754), 255)
        draw = ImageDraw.Draw(page)
        lines = [
            "商标注册证", f"第 {41234500 + number} 号", "注册人 深圳明峰音频有限公司",
            f"Registration No. {41234500 + number}", "Class 9: earphones; headphones; wireless speakers",
            "核定使用商品 第9类 耳机 头戴式耳机 无线音箱", "Valid from 14 November 2019 to 13 November 2029",
        ]  # fmt: skip
        for row, line in enumerate(lines * 3):
            draw.text((100, 120 + row * 70), line, font=font, fill=0)
        images.append(page)
    images[0].save(path, "PDF", resolution=150, save_all=True, append_images=images[1:])


def _read(source: str) -> tuple[float, str]:
    django.setup()
    from ownership.shared.ocr import _ocr

    out, sidecar = Path(source).with_suffix(".ocr.pdf"), Path(source).with_suffix(".txt")
    started = time.perf_counter()
    _ocr(Path(source), out, sidecar, image=False)
    return time.perf_counter() - started, sidecar.read_text(errors="replace")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    django.setup()
    with tempfile.TemporaryDirectory(prefix="bench-ocr-") as folder:
        scan = Path(folder) / "scan.pdf"
        _scan(args.pages, scan)
        copies = []
        for worker in range(args.workers):
            copy = Path(folder) / f"scan-{worker}.pdf"
            copy.write_bytes(scan.read_bytes())
            copies.append(str(copy))
        started = time.perf_counter()
        with ProcessPoolExecutor(max_workers=args.workers) as pool:
            results = list(pool.map(_read, copies))
        wall = time.perf_counter() - started
    found = sum(f"{41234500 + n}" in "".join(text.split()) for _, text in results for n in range(args.pages))
    for worker, (seconds, _) in enumerate(results):
        print(f"worker {worker}: {args.pages} pages in {seconds:.1f} s = {args.pages * 60 / seconds:.1f} pages/min")
    total = args.pages * args.workers
    print(f"all: {total} pages in {wall:.1f} s = {total * 60 / wall:.1f} pages/min with {args.workers} worker(s)")
    print(f"registration numbers read back: {found} of {total}")


if __name__ == "__main__":
    main()
