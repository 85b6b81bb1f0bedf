"""The layout check (``tests.support.layout``) finds what a reader would see as wrong, and passes a sound page."""

from pathlib import Path

import pikepdf
from reportlab.pdfgen import canvas

from ownership.shared.signing import sign_pdf_in_place, signing_identity
from portal.bundle.pdf.layout import MARGIN, PAGE_H, PAGE_W, Writer, font_for
from tests.support.layout import RIGHT_START, layout_problems


def page_with(path: Path, *strings: tuple[float, str]) -> Path:
    """One A4 page with each (x, text) drawn on one row, in the portal's embedded fonts."""
    c = canvas.Canvas(str(path), pagesize=(PAGE_W, PAGE_H), initialFontName=font_for("x"))
    for x, text in strings:
        c.setFont(font_for(text), 10)
        c.drawString(x, 700, text)
    c.save()
    return path


def test_a_sound_bilingual_page_passes(tmp_path):
    writer = Writer(tmp_path / "sound.pdf", "Sound")
    writer.columns(
        "Our client requires you to remove the listings above.", "删除上述链接及其他所有销售该类商品的链接。"
    )
    writer.finish()
    assert layout_problems(tmp_path / "sound.pdf") == []


def test_a_word_past_the_page_edge_is_found(tmp_path):
    problems = layout_problems(page_with(tmp_path / "edge.pdf", (PAGE_W - 30, "Overflowing")))
    assert problems == ["page 1: “owing” lies outside the page (to 625.4 pt on a 595.3 pt page)"]


def test_english_running_into_the_chinese_column_is_found(tmp_path):
    english = "The rights holder files complaints"
    start = RIGHT_START + 8 - canvas.Canvas(str(tmp_path / "m.pdf")).stringWidth(english, font_for(english), 10)
    path = page_with(tmp_path / "run.pdf", (start, english), (RIGHT_START, "投诉要求"))
    assert any("runs from the English column into the Chinese one" in p for p in layout_problems(path))


def test_chinese_in_the_english_column_is_found(tmp_path):
    path = page_with(tmp_path / "swap.pdf", (MARGIN, "依据英国法律"), (RIGHT_START, "Our client"))
    assert layout_problems(path) == ["page 1: “依据英国法律” is Chinese in the English column"]


def test_a_font_left_unembedded_is_found(tmp_path):
    c = canvas.Canvas(str(tmp_path / "helvetica.pdf"))
    c.setFont("Helvetica", 10)
    c.drawString(MARGIN, 700, "Capture record")
    c.save()
    assert layout_problems(tmp_path / "helvetica.pdf") == ["font Helvetica is not embedded"]


def test_a_signature_box_that_cuts_its_reason_short_is_found(tmp_path, signing):
    path = page_with(tmp_path / "signed.pdf", (MARGIN, "Notice"))
    sign_pdf_in_place(path, signing_identity(), signer_name="Harcourt & Vale LLP", reason="Notice LUM-2026-001/N1")
    assert layout_problems(path) == []
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:  # a reason longer than the box shows
        field = next(f for f in pdf.Root.AcroForm.Fields if f.get("/FT") == "/Sig")
        field.V.Reason = pikepdf.String("Notice LUM-2026-001/N1, signed by Priya Shah, Solicitor, for the firm")
        pdf.save(path)
    assert layout_problems(path)[0].startswith("the signature box does not show its reason in full")


def test_text_under_the_visible_signature_box_is_found(tmp_path, signing):
    path = tmp_path / "covered.pdf"
    c = canvas.Canvas(str(path), pagesize=(PAGE_W, PAGE_H), initialFontName=font_for("x"))
    c.setFont(font_for("x"), 10)
    c.drawString(320, 100, "Takedown rate")  # inside the box at (300, 60)-(560, 150) that signing draws
    c.save()
    sign_pdf_in_place(path, signing_identity(), signer_name="Harcourt & Vale LLP", reason="Monthly report 1")
    assert layout_problems(path) == ["page 1: the signature box covers “Takedown rate”"]
