"""The parts of a long document joined into one PDF: pages, page numbers, outline, links."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pikepdf

from saoreport.pdf.fontsharing import Programs, share_programs


@dataclass
class Part:
    """A laid-out piece of a document, with what joining it to the others needs."""

    name: str
    pdf: bytes
    kinds: list[str]  # per page: "cover", "front" (numbered ก, ข), "portrait" or "landscape"
    anchors: dict[str, int]  # id -> page index in the part
    bookmarks: list[tuple[int, str, int]]  # level, label, page index in the part
    keys: list[int | None] = field(default_factory=list)  # ผ.02: the row each page begins with
    spots: dict[str, list[float]] = field(default_factory=dict)  # id -> x, y (PDF points)
    # Links to ids laid out in other parts: page index, id, rectangle (PDF points).
    links: list[tuple[int, str, list[float]]] = field(default_factory=list)


def first_pages(pages: list[tuple[Part, int]]) -> dict[str, tuple[int, Part]]:
    """Each id's page (position in *pages*) and part: the first of a name counts, as in one
    layout."""
    where: dict[str, tuple[int, Part]] = {}
    for position, (part, index) in enumerate(pages):
        for anchor, page in part.anchors.items():
            if page == index and anchor not in where:
                where[anchor] = (position, part)
    return where


def anchors(
    pages: list[tuple[Part, int]],
) -> tuple[dict[str, int], list[tuple[int, str, int]]]:
    """The page number of every id, and the bookmarks (level, label, page index)."""
    toc = {anchor: position + 1 for anchor, (position, _) in first_pages(pages).items()}
    marks: list[tuple[int, str, int]] = []
    for position, (part, index) in enumerate(pages):
        marks += [(level, label, position) for level, label, i in part.bookmarks if i == index]
    return toc, marks


def join(
    front: Part,
    body: list[tuple[Part, int]],
    stamp: bytes,
    marks: list[tuple[int, str, int]],
    font_files: list[Path],
    programs: Programs | None = None,
) -> bytes:
    """The front (its metadata and pages), then the *body* pages, numbered and bookmarked,
    with one font program per face of *font_files* (the parts' text fixed with shared=True;
    *programs*: those made before)."""
    opened: dict[int, pikepdf.Pdf] = {}
    try:
        for part, _ in body:
            if id(part) not in opened:
                opened[id(part)] = pikepdf.open(io.BytesIO(part.pdf))
        with pikepdf.open(io.BytesIO(front.pdf)) as pdf:
            for part, index in body:
                pdf.pages.append(opened[id(part)].pages[index])
            with pikepdf.open(io.BytesIO(stamp)) as numbers:
                for index, page in enumerate(pdf.pages):
                    if index > 0:  # the cover has no number
                        _overlay(pdf, page, numbers.pages[index], index)
            _outline(pdf, marks)
            _link(pdf, [(front, i) for i in range(len(front.kinds))] + body)
            share_programs(pdf, font_files, programs)
            out = io.BytesIO()
            pdf.save(
                out, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate
            )
            return out.getvalue()
    finally:
        for source in opened.values():
            source.close()


def _link(pdf: pikepdf.Pdf, pages: list[tuple[Part, int]]) -> None:
    """Every id a named destination, and the links of each page to ids in other parts
    annotations, as WeasyPrint makes them."""
    where = first_pages(pages)
    names: list[Any] = []
    for anchor in sorted(where):
        position, part = where[anchor]
        x, y = part.spots[anchor]
        target = pikepdf.Array([pdf.pages[position].obj, pikepdf.Name.XYZ, x, y, 0])
        names += [pikepdf.String(anchor), target]
    if "/Names" not in pdf.Root:
        pdf.Root.Names = pikepdf.Dictionary()
    pdf.Root.Names.Dests = pdf.make_indirect(pikepdf.Dictionary(Names=pikepdf.Array(names)))
    for position, (part, index) in enumerate(pages):
        for page, name, rect in part.links:
            if page == index and name in where:
                link = pikepdf.Dictionary(
                    Type=pikepdf.Name.Annot,
                    Subtype=pikepdf.Name.Link,
                    Rect=pikepdf.Array(rect),
                    BS=pikepdf.Dictionary(W=0),
                    Dest=pikepdf.String(name),
                )
                annots = pdf.pages[position].obj.get("/Annots", pikepdf.Array())
                annots.append(pdf.make_indirect(link))
                pdf.pages[position].obj.Annots = annots


def _overlay(pdf: pikepdf.Pdf, page: pikepdf.Page, over: pikepdf.Page, index: int) -> None:
    """Draw *over* on *page*, under a name of its own: pikepdf's add_overlay picks a random
    one (the same input must give the same bytes), and WeasyPrint's pages share resources."""
    form = pdf.copy_foreign(over.as_form_xobject())
    name = pikepdf.Name(f"/SaoreportPage{index}")
    page.add_resource(form, pikepdf.Name.XObject, name=name)
    # The page's own content leaves its coordinates flipped: fence it in q ... Q first.
    page.contents_add(pdf.make_stream(b"q\n"), prepend=True)
    page.contents_add(pdf.make_stream(f"\nQ q {name} Do Q".encode()), prepend=False)


def _outline(pdf: pikepdf.Pdf, marks: list[tuple[int, str, int]]) -> None:
    """One outline from (level, label, page) in document order, nested by level."""
    with pdf.open_outline() as outline:
        outline.root.clear()
        stack: list[tuple[int, Any]] = []
        for level, label, page in marks:
            item = pikepdf.OutlineItem(label, page)
            while stack and stack[-1][0] >= level:
                stack.pop()
            (stack[-1][1].children if stack else outline.root).append(item)
            stack.append((level, item))
