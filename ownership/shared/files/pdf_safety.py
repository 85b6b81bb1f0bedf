"""Active content in PDFs: what counts, how to find it, and how to make a copy without it.

Evidence comes from counterfeiters. A PDF may carry JavaScript, actions that launch programs, submit forms
or open other files, embedded files, rich media, 3D or XFA forms. The stored file is evidence and stays
exactly as received; the upload check names what it found, and bundles use a neutralised copy. One walker
serves both, so what the uploader is warned about is exactly what bundles leave out. pikepdf (qpdf) parses;
nothing here reads PDF syntax by hand.
"""

from __future__ import annotations

from collections.abc import Iterator

import pikepdf
from pikepdf import Array, Dictionary, Name

# What is removed, in words a client understands, by category.
JAVASCRIPT = "JavaScript"
LAUNCH = "an action that starts a program"
SUBMIT = "an action that sends form data"
IMPORT = "an action that imports data"
OTHER_FILE = "a link that opens another file"
BAD_URI = "a link to a non-web address"
EMBEDDED_FILE = "an embedded file"
RICH_MEDIA = "rich media or 3D content"
XFA = "an XFA form"
FORM_FIELDS = "form fields (kept as they look, no longer fillable)"

ACTION_CATEGORIES = {
    "/JavaScript": JAVASCRIPT,
    "/Launch": LAUNCH,
    "/SubmitForm": SUBMIT,
    "/ImportData": IMPORT,
    "/GoToR": OTHER_FILE,
    "/GoToE": OTHER_FILE,
    "/Rendition": RICH_MEDIA,
    "/RichMediaExecute": RICH_MEDIA,
}
MEDIA_ANNOTATIONS = {"/RichMedia": RICH_MEDIA, "/3D": RICH_MEDIA, "/Screen": RICH_MEDIA, "/Movie": RICH_MEDIA,
                     "/Sound": RICH_MEDIA, "/FileAttachment": EMBEDDED_FILE}  # fmt: skip
ACTION_KEYS = ("/A", "/OpenAction", "/Next")  # keys whose value is an action (or a chain of them)
WEB_SCHEMES = ("http://", "https://")


def _action_category(action) -> str | None:
    """Why an action is dangerous, or None for a harmless one (a page destination, an http(s) link)."""
    if not isinstance(action, Dictionary):
        return None
    kind = str(action.get("/S", ""))
    if kind in ACTION_CATEGORIES:
        return ACTION_CATEGORIES[kind]
    if "/JS" in action:
        return JAVASCRIPT
    if kind == "/URI":
        target = bytes(action.get("/URI", b"")).decode("latin-1").strip().lower()
        return None if target.startswith(WEB_SCHEMES) else BAD_URI
    return None


def _dictionaries(pdf: pikepdf.Pdf) -> Iterator[Dictionary]:
    """Every dictionary in the file, indirect or nested, each once."""
    seen: set[tuple[int, int]] = set()
    stack: list = [pdf.trailer]
    while stack:
        item = stack.pop()
        if isinstance(item, pikepdf.Stream):
            item = item.stream_dict
        if item.is_indirect:
            if item.objgen in seen:
                continue
            seen.add(item.objgen)
        if isinstance(item, Dictionary):
            yield item
            stack.extend(value for value in item.values() if isinstance(value, Dictionary | Array | pikepdf.Stream))
        elif isinstance(item, Array):
            stack.extend(value for value in item if isinstance(value, Dictionary | Array | pikepdf.Stream))


def _findings(pdf: pikepdf.Pdf, remove: bool) -> list[str]:
    found: list[str] = []
    root = pdf.Root
    names = root.get("/Names")
    if isinstance(names, Dictionary):
        for key, category in (("/JavaScript", JAVASCRIPT), ("/EmbeddedFiles", EMBEDDED_FILE)):
            if key in names:
                found.append(category)
                if remove:
                    del names[key]
    form = root.get("/AcroForm")
    if isinstance(form, Dictionary):
        if "/XFA" in form:
            found.append(XFA)
        if form.get("/Fields"):
            found.append(FORM_FIELDS)
        if remove:
            pdf.generate_appearance_streams()
            pdf.flatten_annotations("all")  # qpdf drops the form once no field is left
            if "/AcroForm" in root:
                del root["/AcroForm"]
    for dictionary in list(_dictionaries(pdf)):
        if "/AA" in dictionary:  # additional actions: run on open, close, page view, mouse events
            found.extend([c for c in map(_action_category, dictionary.AA.values()) if c] or [JAVASCRIPT])
            if remove:
                del dictionary["/AA"]
        for key in ACTION_KEYS:
            action = _action_category(dictionary.get(key))
            if action:
                found.append(action)
                if remove:
                    del dictionary[key]
        if dictionary.get("/Type") == Name.EmbeddedFile or "/EF" in dictionary:
            found.append(EMBEDDED_FILE)
            if remove and "/EF" in dictionary:
                del dictionary["/EF"]
    for page in pdf.pages:
        annotations = page.obj.get("/Annots")
        if not isinstance(annotations, Array):
            continue
        kept = []
        for annotation in annotations:
            media = MEDIA_ANNOTATIONS.get(str(annotation.get("/Subtype", "")))
            if media:
                found.append(media)
            else:
                kept.append(annotation)
        if remove and len(kept) != len(annotations):
            page.obj.Annots = pdf.make_indirect(Array(kept))
    return list(dict.fromkeys(found))  # each category once, in the order found


def active_content(pdf: pikepdf.Pdf) -> list[str]:
    """What active content the PDF carries, by category; empty for a plain document."""
    return _findings(pdf, remove=False)


def neutralise(pdf: pikepdf.Pdf) -> list[str]:
    """Remove the active content in place (the caller saves a new copy); return what was removed."""
    return _findings(pdf, remove=True)


def describe(categories: list[str]) -> str:
    """'JavaScript and an embedded file'."""
    if len(categories) <= 1:
        return "".join(categories)
    return ", ".join(categories[:-1]) + " and " + categories[-1]
