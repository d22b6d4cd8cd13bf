"""The ภาคผนวก: files the office supplies (minutes, orders, maps), put into a finished book.

The book is laid out with one empty page for each page of its appendices (after the divider
page "ภาคผนวก"), so that the contents, the bookmarks and the page numbers count them as any
other page; here each empty page becomes its appendix's page:

- a page of a PDF: the empty page takes the foreign page's content, resources and size (its
  media box, crop box and rotation) as they are, byte for byte, and the book's page number
  (the empty page's own drawing, "- ๒ -") is laid over it as a form XObject, at the top centre
  of the page as it is shown (rotated pages too). Its links and form fields are left out (an
  archival book may not carry them);
- a JPEG or PNG image: drawn on the empty page (which keeps its number), as large as the
  margins allow and centred; a JPEG goes in as its own bytes, a PNG without loss.

The page objects stay those of the book, so its bookmarks, named destinations and the
contents' links still point at them. `attach` is a function of the book's bytes and the list
of files, for any book (the plan's strategy document, an amendment's book).
"""

from __future__ import annotations

import io
import zlib
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pikepdf

A4 = (595.28, 841.89)
CM = 72 / 2.54
MARGINS = (2.5 * CM, 2 * CM, 2 * CM, 3 * CM)  # top, right, bottom, left: the book's pages


def _inherited(page: Any, key: str) -> Any:
    """A page attribute, from the page or the page tree above it."""
    node, depth = page, 0
    while node is not None and depth < 64:
        if key in node:
            return node[key]
        node, depth = node.get("/Parent"), depth + 1
    return None


def _shown(box: list[float], rotate: int) -> tuple[str, float, float]:
    """The matrix (as a `cm` operand string) from the page as shown (rotated clockwise by
    *rotate*) to its user space, and the shown width and height."""
    x0, y0, x1, y1 = box
    width, height = x1 - x0, y1 - y0
    matrices = {
        0: ((1, 0, 0, 1, x0, y0), width, height),
        90: ((0, 1, -1, 0, x1, y0), height, width),
        180: ((-1, 0, 0, -1, x1, y1), width, height),
        270: ((0, -1, 1, 0, x0, y1), height, width),
    }
    matrix, shown_w, shown_h = matrices[rotate % 360]
    return " ".join(_number(v) for v in matrix), shown_w, shown_h


def _number(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".") or "0"


def _own_resources(pdf: pikepdf.Pdf, resources: Any) -> pikepdf.Dictionary:
    """A resource dictionary of the page's own (a shallow copy), with its own /XObject."""
    own = pikepdf.Dictionary({str(k): v for k, v in resources.items()}) if resources else None
    own = own if own is not None else pikepdf.Dictionary()
    xobjects = own.get("/XObject")
    own["/XObject"] = pikepdf.Dictionary(
        {str(k): v for k, v in xobjects.items()} if xobjects is not None else {}
    )
    return own


def _free_name(resources: pikepdf.Dictionary, stem: str) -> pikepdf.Name:
    taken = {str(k) for k in resources["/XObject"].keys()}  # noqa: SIM118 (pikepdf keys)
    n = 0
    while f"/{stem}{n}" in taken:
        n += 1
    return pikepdf.Name(f"/{stem}{n}")


def _as_form(pdf: pikepdf.Pdf, page: pikepdf.Page) -> pikepdf.Stream:
    """*page*'s drawing (the book's page number) as a form XObject of its own bytes (qpdf's
    own form of a page reads the page's contents when it is written: after they are
    replaced)."""
    contents = page.obj.get("/Contents")
    parts = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
    data = b"\n".join(c.read_bytes() for c in parts if c is not None)
    form = pikepdf.Stream(pdf, data)
    form.Type = pikepdf.Name("/XObject")
    form.Subtype = pikepdf.Name("/Form")
    form.BBox = pikepdf.Array([float(v) for v in page.mediabox])
    resources = page.obj.get("/Resources")
    if resources is not None:
        form.Resources = resources
    return form


def _put_pdf_page(pdf: pikepdf.Pdf, page: pikepdf.Page, foreign: pikepdf.Page) -> None:
    """*page* (an empty page of the book, with its number) becomes *foreign*, its number laid
    over at the top centre as shown."""
    stamp = _as_form(pdf, page)
    source = foreign.obj
    box = [float(v) for v in _inherited(source, "/MediaBox")]
    box = [min(box[0], box[2]), min(box[1], box[3]), max(box[0], box[2]), max(box[1], box[3])]
    rotate = int(_inherited(source, "/Rotate") or 0) % 360
    resources = _inherited(source, "/Resources")
    own = _own_resources(pdf, pdf.copy_foreign(resources) if resources is not None else None)
    name = _free_name(own, "SaoPageNumber")
    own["/XObject"][name] = stamp
    matrix, shown_w, shown_h = _shown(box, rotate)
    # The stamp is the book's A4 page: its top centre on the shown page's top centre.
    dx, dy = shown_w / 2 - A4[0] / 2, shown_h - A4[1]
    over = f"Q q {matrix} cm 1 0 0 1 {_number(dx)} {_number(dy)} cm {name} Do Q\n"
    contents = source.get("/Contents")
    streams: list[Any] = []
    if isinstance(contents, pikepdf.Array):
        streams = [pdf.copy_foreign(c) for c in contents]
    elif contents is not None:
        streams = [pdf.copy_foreign(contents)]
    target = page.obj
    for key in ("/CropBox", "/TrimBox", "/BleedBox", "/ArtBox", "/Annots", "/Group", "/Rotate"):
        if key in target:
            del target[key]
    target.MediaBox = pikepdf.Array(box)
    crop = _inherited(source, "/CropBox")
    if crop is not None:
        target.CropBox = pikepdf.Array([float(v) for v in crop])
    if rotate:
        target.Rotate = rotate
    if "/Group" in source:
        target.Group = pdf.copy_foreign(source.Group)
    target.Resources = own
    # The foreign content in a saved graphics state of its own (q … Q), then the number.
    target.Contents = pikepdf.Array(
        [pikepdf.Stream(pdf, b"q\n"), *streams, pikepdf.Stream(pdf, over.encode())]
    )


def _image(pdf: pikepdf.Pdf, path: Path) -> tuple[pikepdf.Stream, int, int]:
    """The image at *path* as an image XObject: a JPEG as its own bytes, else its pixels
    without loss (transparency laid on white)."""
    from PIL import Image, ImageOps

    data = path.read_bytes()
    with Image.open(io.BytesIO(data)) as image:
        turned = image.getexif().get(0x0112, 1) not in (0, 1)  # EXIF orientation
        if image.format == "JPEG" and image.mode in ("L", "RGB") and not turned:
            space = "/DeviceGray" if image.mode == "L" else "/DeviceRGB"
            width, height = image.size
            stream = pikepdf.Stream(pdf, data)
            stream.Filter = pikepdf.Name("/DCTDecode")
        else:
            picture = ImageOps.exif_transpose(image)
            if picture.mode in ("RGBA", "LA", "PA") or "transparency" in picture.info:
                picture = picture.convert("RGBA")
                flat = Image.new("RGB", picture.size, "white")
                flat.paste(picture, mask=picture.getchannel("A"))
                picture = flat
            picture = picture.convert("L" if picture.mode in ("1", "L", "I;16") else "RGB")
            space = "/DeviceGray" if picture.mode == "L" else "/DeviceRGB"
            width, height = picture.size
            stream = pikepdf.Stream(pdf, zlib.compress(picture.tobytes(), 9))
            stream.Filter = pikepdf.Name("/FlateDecode")
    stream.Type = pikepdf.Name("/XObject")
    stream.Subtype = pikepdf.Name("/Image")
    stream.Width, stream.Height = width, height
    stream.ColorSpace = pikepdf.Name(space)
    stream.BitsPerComponent = 8
    return stream, width, height


def _put_image(pdf: pikepdf.Pdf, page: pikepdf.Page, path: Path) -> None:
    """The image at *path* on *page* (an empty A4 page of the book), as large as the margins
    allow, centred, under the page's number."""
    stream, width, height = _image(pdf, path)
    own = _own_resources(pdf, page.obj.get("/Resources"))
    name = _free_name(own, "SaoAppendix")
    own["/XObject"][name] = stream
    top, right, bottom, left = MARGINS
    box_w, box_h = A4[0] - left - right, A4[1] - top - bottom
    scale = min(box_w / width, box_h / height)
    w, h = width * scale, height * scale
    x, y = left + (box_w - w) / 2, bottom + (box_h - h) / 2
    draw = f"q {_number(w)} 0 0 {_number(h)} {_number(x)} {_number(y)} cm {name} Do Q\n"
    contents = page.obj.get("/Contents")
    before = [pikepdf.Stream(pdf, draw.encode())]
    if isinstance(contents, pikepdf.Array):
        after = list(contents)
    else:
        after = [contents] if contents is not None else []
    page.obj.Resources = own
    page.obj.Contents = pikepdf.Array([*before, *after])


def pages(path: Path) -> int:
    """How many pages the appendix file at *path* takes in the book."""
    if path.suffix.lower() != ".pdf":
        return 1
    with pikepdf.open(path) as pdf:
        return len(pdf.pages)


def attach(book: bytes, files: list[Path]) -> bytes:
    """*book* with its last pages (empty, numbered: one per page of *files*, in order) made
    the pages of *files* (PDFs, JPEG or PNG images)."""
    if not files:
        return book
    with ExitStack() as stack:
        pdf = stack.enter_context(pikepdf.open(io.BytesIO(book)))
        foreign = [
            stack.enter_context(pikepdf.open(path)) if path.suffix.lower() == ".pdf" else None
            for path in files
        ]
        wanted = sum(len(f.pages) if f is not None else 1 for f in foreign)
        at = len(pdf.pages) - wanted
        if at < 0:
            raise ValueError("the book has fewer pages than its appendices")
        for path, source in zip(files, foreign, strict=True):
            if source is None:
                _put_image(pdf, pdf.pages[at], path)
                at += 1
                continue
            for foreign_page in source.pages:
                _put_pdf_page(pdf, pdf.pages[at], foreign_page)
                at += 1
        out = io.BytesIO()
        pdf.save(
            out,
            deterministic_id=True,
            compress_streams=True,
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
        )
        return out.getvalue()
