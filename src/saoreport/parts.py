"""A large strategy document laid out in parts, in parallel, and joined.

WeasyPrint lays a document out in one process, and its time grows with the pages. Here the
front matter (cover, contents, parts 1 and 2), form ผ.01 and the ผ.02 pages of each strategy
are laid out as separate documents, on every core, with no page numbers. Then the front is laid
out again with the contents' page numbers (known now), the parts are joined, the page numbers
are laid over every page from a document of page numbers alone, and the bookmarks of all parts
become one outline. The result reads like the single document (same pages, text, numbers,
contents and bookmarks); only its internal links from the contents are not carried over.
"""

from __future__ import annotations

import io
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pikepdf

from . import summary

if TYPE_CHECKING:
    from .build import Documents
    from .validate import Checked


@dataclass
class Part:
    name: str
    pdf: bytes
    kinds: list[str]  # per page: "cover", "portrait" or "landscape"
    anchors: dict[str, int]  # id -> page index in the part
    bookmarks: list[tuple[int, str, int]]  # level, label, page index in the part


def _lay_out(checked: Checked, name: str, toc_pages: dict[str, int] | None = None) -> Part:
    from .build import Documents

    documents = Documents(checked)
    html = documents.html("strategy.html.j2", part=name, toc_pages=toc_pages)
    document = documents.layout.render_justified(html)
    kinds, anchors, bookmarks = [], {}, []
    for index, page in enumerate(document.pages):
        width, height = page.width, page.height
        cover = name == "front" and index == 0
        kinds.append("landscape" if width > height else ("cover" if cover else "portrait"))
        anchors.update({anchor: index for anchor in page.anchors})
        bookmarks += [(level, label, index) for level, label, _, _ in page.bookmarks]
    pdf = documents.fix_text(documents.layout.pdf(document))
    return Part(name, pdf, kinds, anchors, bookmarks)


def part_names(checked: Checked) -> list[str]:
    return ["p01", *(f"p02-{b.number}" for b in summary.blocks(checked.plan))]


MIN_PROJECTS = 150  # below this, one layout is as fast


def worth_it(checked: Checked) -> bool:
    """Parts pay off for long plans. The choice does not depend on the machine (its cores),
    so that a plan gives the same bytes everywhere."""
    return len(checked.plan.projects) >= MIN_PROJECTS and len(part_names(checked)) > 1


def strategy(documents: Documents, jobs: int) -> bytes:
    """The strategy document, its parts laid out *jobs* at a time (same bytes for any jobs)."""
    checked = documents.checked
    names = part_names(checked)
    if jobs > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            front_draft = pool.submit(_lay_out, checked, "front", {})
            parts = list(pool.map(_lay_out, [checked] * len(names), names))
            draft = front_draft.result()
    else:
        draft = _lay_out(checked, "front", {})
        parts = [_lay_out(checked, name) for name in names]
    offsets, start = {}, len(draft.kinds)
    for part in parts:
        offsets[part.name] = start
        start += len(part.kinds)
    toc = {anchor: index + 1 for anchor, index in draft.anchors.items()}
    for part in parts:
        toc.update(
            {anchor: offsets[part.name] + index + 1 for anchor, index in part.anchors.items()}
        )
    front = _lay_out(checked, "front", toc)
    if len(front.kinds) != len(draft.kinds):
        raise RuntimeError("the contents changed the front matter's page count")
    kinds = front.kinds + [kind for part in parts for kind in part.kinds]
    stamp = documents.fix_text(
        documents.layout.write_pdf(
            documents.html("strategy.html.j2", part="stamp", page_kinds=kinds)
        )
    )
    return _join(front, parts, stamp)


def _join(front: Part, parts: list[Part], stamp: bytes) -> bytes:
    with pikepdf.open(io.BytesIO(front.pdf)) as pdf:
        opened = [pikepdf.open(io.BytesIO(part.pdf)) for part in parts]
        try:
            for source in opened:
                pdf.pages.extend(source.pages)
            with pikepdf.open(io.BytesIO(stamp)) as numbers:
                for index, page in enumerate(pdf.pages):
                    if index > 0:  # the cover has no number
                        _overlay(pdf, page, numbers.pages[index], index)
            marks, start = list(front.bookmarks), len(front.kinds)
            for part in parts:
                marks += [(level, label, start + index) for level, label, index in part.bookmarks]
                start += len(part.kinds)
            _outline(pdf, marks)
            out = io.BytesIO()
            pdf.save(
                out, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate
            )
            return out.getvalue()
        finally:
            for source in opened:
                source.close()


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
