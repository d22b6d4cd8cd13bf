"""The files of a plan's ภาคผนวก (plan.yaml `appendices`), checked before the build: a PDF, or a
JPEG or PNG image, inside the plan folder, within the size bounds, wholly readable, and a PDF
whose pages can go into an archival PDF/A-3u book as they are (fonts embedded, text mapped to
Unicode), so that `archive` and `archive verify` pass with it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from saoreport.messages import _

PDF_SUFFIXES = {".pdf"}
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png"}
MIME_TYPES = {".pdf": "application/pdf", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}
MIME_TYPES[".png"] = "image/png"
MAX_PDF_BYTES = 30_000_000  # a scanned set of minutes is a few MB
MAX_PDF_PAGES = 200
MAX_PAGE_SIDE = 14_400  # points: PDF's own limit of a page's side (200 inches)


def is_pdf(name: str) -> bool:
    return Path(name).suffix.lower() in PDF_SUFFIXES


def _fonts(resources: Any, seen: set[tuple[int, int]], depth: int = 0) -> list[Any]:
    """The fonts a page's resources use, with those of its form XObjects (a few levels)."""
    if depth > 8 or not hasattr(resources, "get"):
        return []
    found = list(resources.get("/Font", {}).values())
    for xobject in resources.get("/XObject", {}).values():
        if xobject.get("/Subtype") == "/Form" and xobject.objgen not in seen:
            seen.add(xobject.objgen)
            found += _fonts(xobject.get("/Resources", {}), seen, depth + 1)
    return found


def _font_problem(font: Any) -> str | None:
    name = str(font.get("/BaseFont", "?")).lstrip("/")
    if font.get("/Subtype") == "/Type3":
        return None  # drawn by the PDF itself: nothing to embed
    descendant = font.DescendantFonts[0] if font.get("/Subtype") == "/Type0" else font
    descriptor = descendant.get("/FontDescriptor", {})
    if not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
        return _(
            "the font {font} is not embedded in it: save the PDF again with its fonts embedded"
            " (Word: Save As, PDF, Options, PDF/A), or scan the printed pages",
            font=name,
        )
    if font.get("/Subtype") == "/Type0" and "/ToUnicode" not in font:
        return _(
            "the text of font {font} cannot be read as letters: save the PDF again as PDF/A"
            " (Word: Save As, PDF, Options, PDF/A), or scan the printed pages",
            font=name,
        )
    return None


def pdf_problem(path: Path) -> str | None:
    """Why the PDF at *path* cannot be appended as it is, or None."""
    import pikepdf

    size = path.stat().st_size
    if size > MAX_PDF_BYTES:
        return _(
            "{size} bytes, where an appended PDF may have at most {limit}: scan it at a lower"
            " resolution, or split it",
            size=f"{size:,}",
            limit=f"{MAX_PDF_BYTES:,}",
        )
    try:
        with pikepdf.open(path) as pdf:
            count = len(pdf.pages)
            if count == 0 or count > MAX_PDF_PAGES:
                return _(
                    "{count} pages, where an appended PDF may have 1 to {limit}: split it",
                    count=count,
                    limit=MAX_PDF_PAGES,
                )
            seen: set[tuple[int, int]] = set()
            for page in pdf.pages:
                box = [float(v) for v in page.mediabox]
                width, height = abs(box[2] - box[0]), abs(box[3] - box[1])
                if not (1 <= width <= MAX_PAGE_SIDE and 1 <= height <= MAX_PAGE_SIDE):
                    return _("a page has no usable size: save the PDF again")
                for font in _fonts(page.obj.get("/Resources", {}), seen):
                    problem = _font_problem(font)
                    if problem:
                        return problem
    except pikepdf.PasswordError:
        return _("the PDF is protected by a password: save a copy without one")
    except (pikepdf.PdfError, OSError, ValueError, KeyError, IndexError, AttributeError):
        return _("not a PDF that can be read (damaged, or cut off): save or scan it again")
    return None


def pdf_pages(path: Path) -> int:
    """The pages of a (checked) appended PDF."""
    import pikepdf

    with pikepdf.open(path) as pdf:
        return len(pdf.pages)
