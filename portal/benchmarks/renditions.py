"""Benchmark: oversized scans put into a bundle (``portal.bundle.pdf.images``) beside Ghostscript's
``pdfwrite -dPDFSETTINGS=/printer`` on the same file, in one run.

    python -m portal.benchmarks.renditions --pages 10 --dpi 600

The exhibit is an A4 scan per page at ``--dpi`` (a page of typed lines, a stamp and a photo, as JPEG). Prints
each tool's time and output size, the ratios (targets: at most 1.2× Ghostscript's size, in at most its time),
and the image sizes each produced. Asserts nothing.
"""

from __future__ import annotations

import argparse
import io
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

A4_INCHES = (8.27, 11.69)


def _scan_page(dpi: int, number: int) -> bytes:
    from PIL import Image, ImageDraw

    width, height = int(A4_INCHES[0] * dpi), int(A4_INCHES[1] * dpi)
    page = Image.new("RGB", (width, height), (250, 248, 240))
    draw = ImageDraw.Draw(page)
    step = dpi // 4
    for line in range(dpi, height - dpi, step):  # typed lines
        draw.rectangle((dpi, line, width - dpi - (line * 7919 % (width // 3)), line + step // 3), fill=(30, 30, 40))
    draw.ellipse((width - 3 * dpi, dpi, width - dpi, 3 * dpi), outline=(180, 20, 20), width=dpi // 20)  # a seal
    photo = Image.linear_gradient("L").resize((3 * dpi, 2 * dpi)).convert("RGB")  # a photo's smooth tones
    page.paste(photo, (dpi, height - 4 * dpi))
    draw.text((dpi, dpi // 2), f"Scan page {number}", fill=(0, 0, 0))
    out = io.BytesIO()
    page.save(out, "JPEG", quality=85)
    return out.getvalue()


def make_scan_pdf(path: Path, pages: int, dpi: int) -> None:
    import pikepdf

    points = (A4_INCHES[0] * 72, A4_INCHES[1] * 72)
    with pikepdf.new() as pdf:
        for number in range(1, pages + 1):
            data = _scan_page(dpi, number)
            pdf.add_blank_page(page_size=points)
            page = pdf.pages[-1]
            image = pikepdf.Stream(pdf, data, Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Image,
                                   Width=int(A4_INCHES[0] * dpi), Height=int(A4_INCHES[1] * dpi),
                                   ColorSpace=pikepdf.Name.DeviceRGB, BitsPerComponent=8,
                                   Filter=pikepdf.Name.DCTDecode)  # fmt: skip
            page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image))
            page.Contents = pdf.make_stream(f"q {points[0]} 0 0 {points[1]} 0 0 cm /Im0 Do Q".encode())
        pdf.save(path)


def _largest_image(path: Path) -> tuple[int, int]:
    import pikepdf

    with pikepdf.open(path) as pdf:
        return max((int(raw.Width), int(raw.Height)) for page in pdf.pages for raw in page.get_images().values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=10)
    parser.add_argument("--dpi", type=int, default=600)
    args = parser.parse_args()
    gs = shutil.which("gs")
    if gs is None:
        raise SystemExit("Ghostscript (gs) is not installed: Debian's ghostscript package.")

    import django

    django.setup()
    from django.utils import timezone

    from portal.bundle.inputs import FileInput
    from portal.bundle.pdf.exhibits import prepare_exhibit

    with tempfile.TemporaryDirectory(prefix="images-bench-") as folder:
        work = Path(folder)
        source = work / "scan.pdf"
        make_scan_pdf(source, args.pages, args.dpi)
        item = FileInput(number=1, section="C", title="Scan", kind_label="Other", original_name="scan.pdf",
                         uploaded_by="benchmark", uploaded_at=timezone.now(), size=source.stat().st_size,
                         sha256="", content_type="application/pdf", open=lambda: open(source, "rb"))  # noqa: SIM115 - the builder closes it  # fmt: skip
        (work / "portal").mkdir()
        start = time.perf_counter()
        ours = prepare_exhibit(item, work / "portal").path
        ours_seconds = time.perf_counter() - start
        theirs = work / "gs.pdf"
        start = time.perf_counter()
        subprocess.run([gs, "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pdfwrite", "-dPDFSETTINGS=/printer",
                        f"-sOutputFile={theirs}", str(source)], check=True)  # fmt: skip
        gs_seconds = time.perf_counter() - start
        source_mb, ours_mb, gs_mb = (p.stat().st_size / 1e6 for p in (source, ours, theirs))
        print(
            f"exhibit: {args.pages} A4 pages scanned at {args.dpi} dpi, {source_mb:.1f} MB, largest image "
            f"{_largest_image(source)}"
        )
        print(f"portal:      {ours_seconds:6.2f} s  {ours_mb:6.2f} MB  largest image {_largest_image(ours)}")
        print(f"ghostscript: {gs_seconds:6.2f} s  {gs_mb:6.2f} MB  largest image {_largest_image(theirs)}")
        print(
            f"ratios to Ghostscript: size {ours_mb / gs_mb:.2f}× (target ≤ 1.2×), "
            f"time {ours_seconds / gs_seconds:.2f}× (target ≤ 1.0×)"
        )


if __name__ == "__main__":
    main()
