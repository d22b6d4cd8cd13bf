"""A large strategy document laid out in parts, in parallel, and joined.

WeasyPrint lays a document out in one process, and its time grows with the pages. Here the
front matter (cover, contents, parts 1 and 2), form ผ.01 and the ผ.02 pages of each programme
are laid out as separate documents, on every core, with no page numbers. Then the front is laid
out again with the contents' page numbers (known now), the parts are joined, the page numbers
are laid over every page from a document of page numbers alone, and the bookmarks of all parts
become one outline. The result reads like the single document (same pages, text, numbers,
contents and bookmarks); only its internal links from the contents are not carried over.
"""

from __future__ import annotations

import hashlib
import io
import json
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pikepdf

from . import summary
from .output import write_atomic

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


def _lay_out(checked: Checked, name: str, html: str) -> Part:
    from .build import Documents

    documents = Documents(checked)
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


class Store:
    """Laid-out parts kept by the sha256 of their HTML and of the tools that lay them out:
    a rebuild lays out again only the parts whose HTML changed (None: keep nothing)."""

    def __init__(self, folder: Path | None, tools: str = "") -> None:
        self.folder = folder
        self.tools = tools
        self.used: set[str] = set()

    def key(self, html: str) -> str:
        return hashlib.sha256((self.tools + html).encode()).hexdigest()

    def get(self, html: str) -> Part | None:
        key = self.key(html)
        self.used.add(key)
        if self.folder is None or not (self.folder / f"{key}.json").is_file():
            return None
        meta = json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8"))
        marks = [(level, label, page) for level, label, page in meta["bookmarks"]]
        pdf = (self.folder / f"{key}.pdf").read_bytes()
        return Part(meta["name"], pdf, meta["kinds"], meta["anchors"], marks)

    def put(self, html: str, part: Part) -> Part:
        if self.folder is not None:
            key = self.key(html)
            meta: dict[str, Any] = {"name": part.name, "kinds": part.kinds}
            meta.update(anchors=part.anchors, bookmarks=part.bookmarks)
            write_atomic(self.folder / f"{key}.pdf", part.pdf)
            write_atomic(self.folder / f"{key}.json", json.dumps(meta, ensure_ascii=False).encode())
        return part

    def prune(self) -> None:
        """Forget the parts this build did not use."""
        if self.folder is not None and self.folder.is_dir():
            for path in self.folder.iterdir():
                if path.stem not in self.used:
                    path.unlink()


def part_names(checked: Checked) -> list[str]:
    """ผ.01, then the ผ.02 pages of each programme (each begins a page)."""
    blocks = summary.blocks(checked.plan)
    programmes = [f"p02-{b.number}-{j}" for b in blocks for j in range(1, len(b.programmes) + 1)]
    return ["p01", *programmes]


MIN_PROJECTS = 150  # below this, one layout is as fast


def worth_it(checked: Checked) -> bool:
    """Parts pay off for long plans. The choice does not depend on the machine (its cores),
    so that a plan gives the same bytes everywhere."""
    return len(checked.plan.projects) >= MIN_PROJECTS and len(part_names(checked)) > 1


def strategy(documents: Documents, jobs: int) -> bytes:
    """The strategy document, its parts laid out *jobs* at a time (same bytes for any jobs)."""
    checked, store = documents.checked, documents.parts
    wanted = [("front", documents.html("strategy.html.j2", part="front", toc_pages={}))]
    wanted += [(n, documents.html("strategy.html.j2", part=n)) for n in part_names(checked)]
    found = {name: store.get(html) for name, html in wanted}
    todo = [(name, html) for name, html in wanted if found[name] is None]
    if jobs > 1 and len(todo) > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            futures = {name: pool.submit(_lay_out, checked, name, html) for name, html in todo}
            made = {name: store.put(html, futures[name].result()) for name, html in todo}
    else:
        made = {name: store.put(html, _lay_out(checked, name, html)) for name, html in todo}
    laid = {name: found[name] or made[name] for name, _ in wanted}
    draft, parts = laid["front"], [laid[name] for name, _ in wanted[1:]]
    offsets, start = {}, len(draft.kinds)
    for part in parts:
        offsets[part.name] = start
        start += len(part.kinds)
    toc = {anchor: index + 1 for anchor, index in draft.anchors.items()}
    for part in parts:
        toc.update(
            {anchor: offsets[part.name] + index + 1 for anchor, index in part.anchors.items()}
        )
    html = documents.html("strategy.html.j2", part="front", toc_pages=toc)
    front = store.get(html) or store.put(html, _lay_out(checked, "front", html))
    if len(front.kinds) != len(draft.kinds):
        raise RuntimeError("the contents changed the front matter's page count")
    kinds = front.kinds + [kind for part in parts for kind in part.kinds]
    html = documents.html("strategy.html.j2", part="stamp", page_kinds=kinds)
    stamp = store.get(html) or store.put(html, _lay_out(checked, "stamp", html))
    store.prune()
    return _join(front, parts, stamp.pdf)


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
