"""Checks of the PDF/A-3u rules saoreport's archival PDFs could break.

No full PDF/A validator installs here (veraPDF is a Java program outside the package
registries this project may use), so this module checks the rules that matter for our
documents, on the finished file: qpdf's syntax check, the XMP identification (part 3,
conformance U), the output intent, no encryption or JavaScript, fonts embedded, every
glyph drawn mapped to Unicode (the "u"), embedded files as PDF/A-3 wants them
(AFRelationship, listed in the catalog's /AF, MIME subtype, modification date), document
ID, and title and author the same in the Info dictionary and the XMP.
"""

from __future__ import annotations

import io
from typing import Any

import pikepdf

from saoreport.messages import _
from saoreport.pdf.textlayer import glyph_codes, read_tounicode


def _fonts(pdf: pikepdf.Pdf) -> dict[tuple[int, int], Any]:
    found = {}
    for page in pdf.pages:
        for font in page.Resources.get("/Font", {}).values():
            found[font.objgen] = font
    return found


def _drawn_codes(pdf: pikepdf.Pdf) -> dict[tuple[int, int], set[int]]:
    """Per Type0 font, the two-byte codes the pages draw with it."""
    used: dict[tuple[int, int], set[int]] = {}
    for page in pdf.pages:
        fonts: Any = page.Resources.get("/Font", {})
        current = None
        for inst in pikepdf.parse_content_stream(page):
            operands, op = inst.operands, str(inst.operator)
            if op == "Tf":
                font = fonts.get(str(operands[0]))
                current = font.objgen if font is not None and font.Subtype == "/Type0" else None
            elif op in ("TJ", "Tj") and current is not None:
                parts = list(operands[0]) if op == "TJ" else [operands[0]]
                for part in parts:
                    if isinstance(part, pikepdf.String):
                        used.setdefault(current, set()).update(glyph_codes(part))
    return used


def problems(data: bytes) -> list[str]:
    """What keeps *data* from being PDF/A-3u, by the checks above; [] when none."""
    found: list[str] = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        found += [_("syntax: {problem}", problem=p) for p in pdf.check_pdf_syntax()]
        meta = pdf.open_metadata()
        if meta.get("pdfaid:part") != "3" or meta.get("pdfaid:conformance") != "U":
            found.append(_("XMP does not identify the file as PDF/A-3u"))
        intents: Any = pdf.Root.get("/OutputIntents", [])
        if not any(i.get("/S") == "/GTS_PDFA1" and "/DestOutputProfile" in i for i in intents):
            found.append(_("no PDF/A output intent with an ICC profile"))
        if pdf.is_encrypted:
            found.append(_("the file is encrypted"))
        if "/ID" not in pdf.trailer:
            found.append(_("no document ID"))
        names: Any = pdf.Root.get("/Names", {})
        if "/JavaScript" in names or "/OpenAction" in pdf.Root:
            found.append(_("JavaScript or an open action"))
        info_title = str(pdf.docinfo.get("/Title", ""))
        if info_title and meta.get("dc:title") != info_title:
            found.append(_("Info /Title and XMP dc:title differ"))
        drawn = _drawn_codes(pdf)
        for key, font in _fonts(pdf).items():
            name = str(font.get("/BaseFont"))
            descendant = font.DescendantFonts[0] if font.Subtype == "/Type0" else font
            descriptor = descendant.get("/FontDescriptor", {})
            if not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                found.append(_("font {font} is not embedded", font=name))
            unicode = read_tounicode(font)
            unmapped = sorted(c for c in drawn.get(key, set()) if not unicode.get(c))
            if unmapped:
                found.append(
                    _(
                        "font {font}: glyphs {glyphs} have no Unicode text",
                        font=name,
                        glyphs=unmapped[:8],
                    )
                )
        listed = {f.objgen for f in pdf.Root.get("/AF", [])}
        for name, spec in pdf.attachments.items():
            obj = spec.obj
            if "/AFRelationship" not in obj:
                found.append(_("attachment {name}: no AFRelationship", name=name))
            if obj.objgen not in listed:
                found.append(_("attachment {name}: not listed in the catalog's /AF", name=name))
            stream = obj.EF.F
            if "/Subtype" not in stream or "/ModDate" not in stream.get("/Params", {}):
                found.append(_("attachment {name}: no MIME type or modification date", name=name))
    return found
