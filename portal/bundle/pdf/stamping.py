"""Every page on A4, with its stamp, page number and (on exhibits) its exhibit label, in one pikepdf pass.

Exhibit pages are scaled into an A4 page of their own orientation as displayed, leaving a strip at the
bottom for the stamp and a band at the top for the label, so neither ever covers content. The stamp's text
is drawn from small form XObjects that reportlab makes with embedded, subset fonts: every font in the bundle
is embedded and the text stays searchable.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pikepdf
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from portal.bundle.pdf.layout import GREY, NAVY, STRIP, font_for, new_canvas, text_width

LABEL_BAND = 8 * mm
Affine = tuple[float, float, float, float, float, float]  # x' = a x + c y + e, y' = b x + d y + f (PDF's cm)


def compose(first: Affine, then: Affine) -> Affine:
    a1, b1, c1, d1, e1, f1 = first
    a2, b2, c2, d2, e2, f2 = then
    return (a2 * a1 + c2 * b1, b2 * a1 + d2 * b1, a2 * c1 + c2 * d1, b2 * c1 + d2 * d1,
            a2 * e1 + c2 * f1 + e2, b2 * e1 + d2 * f1 + f2)  # fmt: skip


def invert(m: Affine) -> Affine:
    a, b, c, d, e, f = m
    det = a * d - b * c
    ai, bi, ci, di = d / det, -b / det, -c / det, a / det
    return (ai, bi, ci, di, -(ai * e + ci * f), -(bi * e + di * f))


def apply(m: Affine, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


def display_matrix(rotate: int, box: tuple[float, float, float, float]) -> Affine:
    """From coordinates as displayed (origin bottom left of what the reader sees) to the page's own."""
    x0, y0, x1, y1 = box
    return {
        0: (1, 0, 0, 1, x0, y0),
        90: (0, 1, -1, 0, x1, y0),
        180: (-1, 0, 0, -1, x1, y1),
        270: (0, -1, 1, 0, x0, y1),
    }[rotate]


def _cm(m: Affine) -> bytes:
    return " ".join(f"{v:.6g}" for v in m).encode() + b" cm"


# --- text as form XObjects ---------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Style:
    name: str  # keys are "name:text" strings: cheap to hash for the tens of thousands of placements
    size: float
    bold: bool
    colour: object


SMALL = Style("small", 7, False, GREY)
STAMP = Style("stamp", 8, True, NAVY)
LABEL = Style("label", 9, True, NAVY)
STYLES = {style.name: style for style in (SMALL, STAMP, LABEL)}


def _key(text: str, style: Style) -> str:
    return f"{style.name}:{text}"


_DESCENT = 3.0  # the XObject's baseline sits this far above its bottom edge


class TextForms:
    """Strings drawn once by reportlab and placed as XObjects; digits are single forms, so any number composes.

    Every form sits in one shared resource dictionary; each page gets a single stamp form that uses it.
    """

    def __init__(self, pdf: pikepdf.Pdf, workdir: Path, keys: list[str]):
        self.pdf = pdf
        self.keys = keys
        self.names = {key: f"/T{i}" for i, key in enumerate(keys)}
        self.widths = {}
        path = workdir / "stamp-text.pdf"
        c = new_canvas(path, "stamp text")
        for key in keys:
            style_name, text = key.split(":", 1)
            style = STYLES[style_name]
            font = font_for(text, style.bold)
            self.widths[key] = text_width(text, font, style.size)
            c.setPageSize((max(1.0, self.widths[key]), style.size + 2 * _DESCENT))
            c.setFont(font, style.size)
            c.setFillColor(style.colour)
            c.drawString(0, _DESCENT, text)
            c.showPage()
        c.save()
        self._source = pikepdf.open(path)
        forms = {
            self.names[key]: pdf.copy_foreign(pikepdf.Page(page).as_form_xobject())
            for key, page in zip(keys, self._source.pages, strict=True)
        }
        self.shared = pdf.make_indirect(pikepdf.Dictionary(forms))

    def close(self) -> None:
        self._source.close()

    def pieces(self, text: str, style: Style) -> list[str]:
        """The keys that draw ``text``: whole when it was registered whole, else character by character."""
        whole = _key(text, style)
        return [whole] if whole in self.names else [_key(ch, style) for ch in text]

    def width(self, text: str, style: Style) -> float:
        return sum(self.widths[key] for key in self.pieces(text, style))

    def draw(self, text: str, style: Style, x: float, y: float) -> bytes:
        ops = []
        for key in self.pieces(text, style):
            ops.append(b"q 1 0 0 1 %.2f %.2f cm %s Do Q" % (x, y - _DESCENT, self.names[key].encode()))
            x += self.widths[key]
        return b"\n".join(ops)


def stamp_text(prefix: str, page: int) -> str:
    return f"{prefix}-{page:06d}"


def text_forms_needed(left: str, prefix: str, labels: list[str]) -> list[str]:
    keys = [_key(text, SMALL) for text in [left, "Page ", " of ", *"0123456789"]]
    keys += [_key(text, STAMP) for text in [f"{prefix}-", *"0123456789"]]
    keys += [_key(label, LABEL) for label in labels]
    return list(dict.fromkeys(keys))


# --- pages -------------------------------------------------------------------------------------------


def _box(page: pikepdf.Page) -> tuple[float, float, float, float]:
    box = page.cropbox if "/CropBox" in page.obj else page.mediabox
    x0, y0, x1, y1 = (float(v) for v in box)
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def fit_to_a4(page: pikepdf.Page, *, labelled: bool) -> tuple[Affine, Affine, float, float]:
    """Scale and centre the page's content into A4 (same orientation as displayed) above the strip.

    Returns the transformation of the old content, the new page's display matrix and its displayed size.
    """
    rotate = int(page.obj.get("/Rotate", 0)) % 360
    box = _box(page)
    width, height = box[2] - box[0], box[3] - box[1]
    shown_w, shown_h = (width, height) if rotate in (0, 180) else (height, width)
    target = (0.0, 0.0, *(A4 if height >= width else (A4[1], A4[0])))
    new_w, new_h = target[2], target[3]
    disp_w, disp_h = (new_w, new_h) if rotate in (0, 180) else (new_h, new_w)
    room_h = disp_h - STRIP - (LABEL_BAND if labelled else 0)
    scale = min(1.0, disp_w / shown_w, room_h / shown_h)
    offset = ((disp_w - scale * shown_w) / 2, STRIP + (room_h - scale * shown_h) / 2)
    place: Affine = (scale, 0, 0, scale, *offset)
    new_display = display_matrix(rotate, target)
    transform = compose(compose(invert(display_matrix(rotate, box)), place), new_display)
    page.mediabox = pikepdf.Array(list(target))
    for name in ("/CropBox", "/TrimBox", "/BleedBox", "/ArtBox"):
        if name in page.obj:
            del page.obj[name]
    for annotation in page.obj.get("/Annots", []):
        if "/Rect" in annotation:
            x0, y0, x1, y1 = (float(v) for v in annotation.Rect)
            corners = [apply(transform, x, y) for x in (x0, x1) for y in (y0, y1)]
            xs, ys = [p[0] for p in corners], [p[1] for p in corners]
            annotation.Rect = [min(xs), min(ys), max(xs), max(ys)]
    return transform, new_display, disp_w, disp_h


def stamp_page(pdf: pikepdf.Pdf, page: pikepdf.Page, forms: TextForms, *, number: int, total: int, left: str,
               prefix: str, label: str | None, fit: bool) -> None:  # fmt: skip
    """Put the page on A4 (exhibits), then its label, the matter line, 'Page N of M' and the stamp."""
    rotate = int(page.obj.get("/Rotate", 0)) % 360
    if fit:
        transform, display, width, height = fit_to_a4(page, labelled=label is not None)
        head = b"q " + _cm(transform) + b"\n"
    else:
        display = display_matrix(rotate, _box(page))
        x0, y0, x1, y1 = _box(page)
        width, height = (x1 - x0, y1 - y0) if rotate in (0, 180) else (y1 - y0, x1 - x0)
        head = b"q\n"
    baseline = STRIP / 2 - 2
    stamp = stamp_text(prefix, number)
    parts = ["Page ", str(number), " of ", str(total)]  # "Page 7 of 120", drawn from single digits
    x = width / 2 - sum(forms.width(part, SMALL) for part in parts) / 2
    ops = [_cm(display), forms.draw(left, SMALL, 12, baseline)]
    for part in parts:
        ops.append(forms.draw(part, SMALL, x, baseline))
        x += forms.width(part, SMALL)
    head_part, digits = f"{prefix}-", stamp[len(prefix) + 1 :]
    stamp_x = width - 12 - forms.width(head_part, STAMP) - forms.width(digits, STAMP)
    ops.append(forms.draw(head_part, STAMP, stamp_x, baseline))
    ops.append(forms.draw(digits, STAMP, stamp_x + forms.width(head_part, STAMP), baseline))
    if label is not None:
        ops.append(forms.draw(label, LABEL, 12, height - LABEL_BAND + 6))
    overlay = pikepdf.Stream(pdf, b"\n".join(ops))
    overlay.Type, overlay.Subtype = pikepdf.Name.XObject, pikepdf.Name.Form
    overlay.BBox = [float(v) for v in page.mediabox]
    overlay.Resources = pikepdf.Dictionary(XObject=forms.shared)
    existing: Any = page.resources.get("/XObject", {})
    name = next(f"/PortalStamp{n}" for n in range(len(existing) + 1) if f"/PortalStamp{n}" not in existing)
    page.add_resource(pdf.make_indirect(overlay), pikepdf.Name.XObject, pikepdf.Name(name))
    page.contents_add(pikepdf.Stream(pdf, head), prepend=True)
    page.contents_add(pikepdf.Stream(pdf, b"Q q " + name.encode() + b" Do Q"))
