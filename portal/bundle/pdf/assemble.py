"""Assembling the unsigned bundle: its pieces in order, merged by qpdf, then one pikepdf pass for the stamps,
bookmarks, index links and the opening view."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf

from ownership.shared.checksums import sha256_path
from portal.bundle.inputs import BundleInput, FileInput
from portal.bundle.pdf import pages
from portal.bundle.pdf.exhibits import exhibit_label, prepare_exhibit
from portal.bundle.pdf.letter import letter
from portal.bundle.pdf.merge import merge
from portal.bundle.pdf.stamping import TextForms, stamp_page, text_forms_needed
from portal.bundle.pdf.testbuy import test_buy_report

Progress = Callable[[int, str], None]


@dataclass
class Piece:
    """One generated or exhibit PDF in bundle order, with its bookmark and, for exhibits, the page label."""

    path: Path
    title: str
    level: int  # 0 section, 1 item
    label: str | None = None  # printed at the top of every page of an exhibit
    fit: bool = False  # uploaded PDFs are scaled onto A4; pages made here already are A4 with clear margins
    in_index: bool = True
    pages: int = 0
    start: int = 0  # first page, 1-based, in the bundle


@dataclass(frozen=True)
class BuiltPdf:
    path: Path
    page_count: int
    exhibit_count: int
    unsigned_sha256: str
    manifest_sha256: str


@dataclass
class Assembly:
    bundle: BundleInput
    workdir: Path
    progress: Progress
    pieces: list[Piece] = field(default_factory=list)
    files_done: int = 0
    removed: dict[str, tuple[str, ...]] = field(default_factory=dict)  # exhibit label -> active content left out
    optimised: dict[str, int] = field(default_factory=dict)  # exhibit label -> images re-encoded at 300 dpi

    def add(self, path: Path, title: str, level: int, **options) -> None:
        piece = Piece(path=path, title=title, level=level, **options)
        with pikepdf.open(path) as pdf:
            piece.pages = len(pdf.pages)
        self.pieces.append(piece)

    def page(self, make: Callable[..., int], name: str, title: str, level: int, *args) -> None:
        path = self.workdir / f"{name}.pdf"
        make(self.bundle, *args, path) if args else make(self.bundle, path)
        self.add(path, title, level)

    def files(self, items: list[FileInput]) -> None:
        total = max(1, len(self.bundle.all_files))
        for item in items:
            prepared = prepare_exhibit(item, self.workdir)
            if prepared.removed:
                self.removed[item.label] = prepared.removed
            if prepared.optimised:
                self.optimised[item.label] = prepared.optimised
            self.add(prepared.path, f"{item.label}: {item.title}", 1, label=exhibit_label(item), fit=prepared.fit)
            self.files_done += 1
            if self.files_done % 10 == 0 or self.files_done == total:
                self.progress(10 + int(60 * self.files_done / total), f"Prepared {self.files_done} of {total} exhibits")

    def section(self, letter_: str) -> None:
        title = f"{letter_}. {pages.section_titles(self.bundle, letter_)[0]}"
        self.page(lambda bundle, path: pages.divider(bundle, path, letter_), f"divider-{letter_}", title, 0)


def _evidence(a: Assembly, section: str) -> list[FileInput]:
    return [f for f in a.bundle.files if f.section == section]


def _section_a(a: Assembly) -> None:
    a.section("A")
    a.page(pages.holder_page, "holder", f"Rights holder: {a.bundle.rights_holder_name}", 1)
    a.files([*a.bundle.authority, *_evidence(a, "A")])


def _section_b(a: Assembly) -> None:
    a.section("B")
    for number, right in enumerate(a.bundle.rights, start=1):
        a.page(pages.right_page, f"right-{number}", f"{right.kind_label} ({right.jurisdiction}): {right.title}", 1,
               right)  # fmt: skip
        a.files(list(right.documents))
    a.files(_evidence(a, "B"))


def _section_c(a: Assembly) -> None:
    evidence = _evidence(a, "C")
    if not a.bundle.purchases and not evidence:
        return
    a.section("C")
    for number, purchase in enumerate(a.bundle.purchases, start=1):
        a.page(test_buy_report, f"report-{number}", f"Test-buy report: order {purchase.order_number}", 1, purchase)
        a.files([f for f in evidence if f.purchase_order == purchase.order_number])
    a.files([f for f in evidence if not f.purchase_order])


def _section_d(a: Assembly) -> None:
    evidence = _evidence(a, "D")
    if evidence:
        a.section("D")
        a.files(evidence)


def _section_e(a: Assembly, digest: str) -> None:
    a.section("E")
    a.page(lambda bundle, path: pages.manifest(bundle, path, digest, a.removed, a.optimised), "manifest",
           "Exhibit manifest", 1)  # fmt: skip


SECTION_BUILDERS = (_section_a, _section_b, _section_c, _section_d)


def build_bundle(bundle: BundleInput, workdir: Path, progress: Progress = lambda percent, message: None) -> BuiltPdf:
    """Write the unsigned, stamped bundle into ``workdir`` and describe it."""
    digest = pages.manifest_digest(bundle)
    chinese = pages.is_chinese_platform(bundle.platform)
    a = Assembly(bundle, workdir, progress)
    a.page(lambda b, path: pages.cover(b, path, digest), "cover", "Cover", 0)
    a.pieces[0].in_index = False
    a.page(letter, "letter", "Complaint letter" + (" 投诉函" if chinese else ""), 0)
    for build_section in SECTION_BUILDERS:
        build_section(a)
    _section_e(a, digest)

    cover, rest = a.pieces[0], a.pieces[1:]
    index_pages = max(1, -(-len(rest) // pages.INDEX_ROWS_PER_PAGE))
    page = 1 + cover.pages + index_pages  # the index goes second; its length is known before page numbers
    for piece in rest:
        piece.start = page
        page += piece.pages
    page_count = page - 1
    index_path = workdir / "index.pdf"
    entries = [pages.IndexEntry(p.title, p.level, p.start) for p in rest]
    links = pages.index(bundle, index_path, entries, index_pages)
    index_piece = Piece(index_path, "Index", 0, in_index=False, pages=index_pages, start=cover.pages + 1)
    ordered = [cover, index_piece, *rest]

    progress(75, "Merging the bundle")
    merged = workdir / "merged.pdf"
    merge([p.path for p in ordered], merged)

    progress(80, "Putting every page on A4 with its stamp; bookmarks and links")
    stamped = workdir / "bundle.pdf"
    with pikepdf.open(merged) as pdf:
        pages_ = list(pdf.pages)  # pikepdf looks a page up by index in linear time: list them once
        _stamp_all(pdf, pages_, bundle, ordered, workdir)
        _outline_and_links(pdf, pages_, index_piece, rest, links)
        pdf.Root.OpenAction = _destination(pages_[0])  # opens on page 1 at 100% (UK e-bundle guidance)
        pdf.Root.PageLayout = pikepdf.Name.OneColumn
        pdf.docinfo["/Title"] = f"{bundle.matter_reference} complaint bundle for {bundle.platform_label}"
        pdf.docinfo["/Author"] = bundle.firm_name
        pdf.docinfo["/PortalBundleId"] = bundle.bundle_id
        pdf.docinfo["/PortalManifestSHA256"] = digest
        pdf.save(
            stamped, deterministic_id=True, compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.generate
        )
    merged.unlink()
    return BuiltPdf(
        path=stamped,
        page_count=page_count,
        exhibit_count=len(bundle.files),
        unsigned_sha256=sha256_path(stamped),
        manifest_sha256=digest,
    )


def _stamp_all(pdf: pikepdf.Pdf, pages_: list, bundle: BundleInput, ordered: list[Piece], workdir: Path) -> None:
    left = f"{bundle.matter_reference} · {bundle.platform_label}"
    labels = sorted({p.label for p in ordered if p.label})
    forms = TextForms(pdf, workdir, text_forms_needed(left, bundle.stamp_prefix, labels))
    try:
        total = len(pages_)
        number = 0
        for piece in ordered:
            for _ in range(piece.pages):
                number += 1
                stamp_page(pdf, pages_[number - 1], forms, number=number, total=total, left=left,
                           prefix=bundle.stamp_prefix, label=piece.label, fit=piece.fit)  # fmt: skip
    finally:
        forms.close()


def _destination(page: pikepdf.Page) -> pikepdf.Array:
    """The top of the page at 100% (``/XYZ`` with zoom 1), as the e-bundle guidance asks of links and bookmarks."""
    return pikepdf.Array([page.obj, pikepdf.Name.XYZ, 0, float(page.mediabox[3]), 1])


def _outline_and_links(pdf: pikepdf.Pdf, pages_: list, index_piece: Piece, rest: list[Piece], links: list) -> None:
    with pdf.open_outline() as outline:
        outline.root.append(pikepdf.OutlineItem("Index", _destination(pages_[index_piece.start - 1])))
        parent = None
        for piece in rest:
            item = pikepdf.OutlineItem(piece.title, _destination(pages_[piece.start - 1]))
            if piece.level == 0:
                outline.root.append(item)
                parent = item
            else:
                (parent.children if parent is not None else outline.root).append(item)
    for index_page, rect, target in links:
        page_obj = pages_[index_piece.start - 1 + index_page]
        annotation = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Annot,
                Subtype=pikepdf.Name.Link,
                Rect=list(rect),
                Border=[0, 0, 0],
                Dest=_destination(pages_[target - 1]),
            )
        )
        if "/Annots" not in page_obj.obj:
            page_obj.obj.Annots = pdf.make_indirect(pikepdf.Array())
        page_obj.obj.Annots.append(annotation)
