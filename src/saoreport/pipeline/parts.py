"""A large strategy document laid out in parts, in parallel, and joined.

WeasyPrint lays a document out in one process, and its time grows with the pages. Here the
front matter (cover to contents), the text (ส่วนที่ ๑–๓ and the head of ส่วนที่ ๔), the forms
ผ.01, ผ.01/1 and ผ.03 whole, pieces of ROWS rows of each programme's table of ผ.02, ผ.02/1 and
ผ.02/2, and the back (ส่วนที่ ๕) are laid out as separate documents, in the book's order, on
every core, with no page numbers; chains.py says which pages of each piece stand, as one
layout would make them. A piece holds LOOKAHEAD rows more than it needs and stops at the
first page end past its ROWS rows, so that no page is laid out only to be dropped. Then the
front is laid out again with the contents' page numbers (known now; the first time only its
pages were counted, not drawn), the pages are joined, the page numbers (and the forms'
labels) are laid over every page from a document of those alone, and the bookmarks of all
parts become one outline, their ids one set of named destinations, and the contents' links
to other parts link annotations. The result is the single document's (same pages, pixels,
text, numbers, contents, links and bookmarks).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from saoreport import workers
from saoreport.output import parse_json, read_regular, write_atomic
from saoreport.pdf import joining
from saoreport.pdf.joining import Part
from saoreport.pipeline import chains, memory
from saoreport.plan import summary

if TYPE_CHECKING:
    from saoreport.fonts.family import FontFamily
    from saoreport.pdf.layout import Layout
    from saoreport.plan.validate import Checked


class Documents(Protocol):
    """What laying out parts needs of the documents of a plan (build.documents.Documents)."""

    checked: Checked
    layout: Layout
    parts: Store
    pool: Executor | None

    def __init__(self, checked: Checked) -> None: ...

    def html(self, template: str, **extra: Any) -> str: ...

    @property
    def family(self) -> FontFamily: ...

    def fix_text(self, pdf: bytes, shared: bool = False) -> bytes: ...


ROWS = chains.ROWS  # rows in a piece of a programme's table


# Rows a piece holds beyond its ROWS, to finish the page its last row is on. Each costs its
# styles and boxes whether it is laid out or not; too few, and the piece's last page is laid
# out to be dropped. In the 1,000-project benchmark plan (about 9 rows a page) 17 of its 17
# pieces that could stop did, with 8 (4: 11 of 17).
LOOKAHEAD = 8

# Progress of a long document, a record per part as it is done (made or found in the store):
# its args are the plan folder, the part's name, the parts done so far and those reused.
# progress.py shows them; nothing else listens.
PROGRESS = logging.getLogger("saoreport.progress")


@dataclass(frozen=True)
class Piece:
    """Rows [first, end) of a programme's ผ.02 table, laid out as one part. *goal*: the piece
    should reach this row, then stop at the first page end (the rows up to *end* finish that
    page); None for the table's last piece, which is laid out to the end."""

    first: int
    goal: int | None
    end: int


@dataclass
class Wanted:
    """A part to lay out (or to find in the store). Its HTML is made when it is first asked
    for, as the part's turn comes: the parts that changed go to the workers while this
    process makes the HTML of the next ones."""

    name: str
    make_html: Callable[[], str]
    piece: Piece | None = None  # a piece of a ผ.02 table
    draw: bool = True  # False: only its pages are wanted, not their drawing (the PDF)

    @cached_property
    def html(self) -> str:
        return self.make_html()


def _rows(box: Any) -> list[int]:
    """The ผ.02 rows (data-at) drawn in *box*, in order (a row cut in two, in both parts)."""
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.TableRowBox) and box.element.get("data-at") is not None:
        return [int(box.element.get("data-at"))]
    return [row for child in getattr(box, "children", []) for row in _rows(child)]


def _enough(piece: Piece) -> Any:
    """Stop laying out a piece (not its table's last) after the first page that ends at or
    after its goal row and before its last row: the next page is not made, and the next
    piece begins with it. A page of two rows or more ends with a whole row (a row is cut only
    when it begins a page: base.css.j2), so the next page begins with the row after. Without
    the stop, the piece's last page (ending with the piece's rows, not where the whole table's
    page ends) would be laid out, then dropped and laid out again (chains.py)."""
    goal = piece.goal
    assert goal is not None

    def enough(page: Any) -> bool:  # a page box, other pages following it
        rows = _rows(page)
        return len(set(rows)) > 1 and goal <= rows[-1] + 1 < piece.end

    return enough


def _page_keys(document: Any, piece: Piece) -> list[int | None]:
    """Per page, the ผ.02 row it begins with: the first row of the piece on its first page;
    None where a page begins inside a row (cut in two) or before the first row. A piece
    stopped early (_enough) has one key more: the row that begins the page not laid out."""
    keys: list[int | None] = []
    last = None
    for index, page in enumerate(document.pages):
        found = _rows(page._page_box)
        if index == 0:
            keys.append(piece.first)
        else:
            begins = found[0] if found else None
            keys.append(begins if begins not in (None, last, 0) else None)
        last = found[-1] if found else last
    if last is not None and last + 1 < piece.end:
        keys.append(last + 1)  # stopped before its rows ran out
    return keys


def _lay_out(
    make: type[Documents],
    checked: Checked,
    name: str,
    html: str,
    piece: Piece | None = None,
    draw: bool = True,
) -> Part:
    """One part, laid out by the documents of *checked* (made here: this may be a worker)."""
    documents = make(checked)
    until = _enough(piece) if piece is not None and piece.goal is not None else None
    document = documents.layout.render_justified(html, until)
    kinds, anchors, bookmarks, spots = [], {}, [], {}
    for index, page in enumerate(document.pages):
        width, height = page.width, page.height
        # The cover and a bound-in announcement carry no page number.
        cover = name == "front" and (index == 0 or "announcement" in page.anchors)
        # The other pages of the front are numbered ก, ข, … (strategy.html.j2)
        kind = "cover" if cover else ("front" if name == "front" else "portrait")
        kinds.append("landscape" if width > height else kind)
        anchors.update({anchor: index for anchor in page.anchors if anchor not in anchors})
        spots.update(
            {a: _point(x, y, height) for a, (x, y, _, _) in page.anchors.items() if a not in spots}
        )
        bookmarks += [(level, label, index) for level, label, _, _ in page.bookmarks]
    links = [
        (index, target, [*_point(x1, y1, page.height), *_point(x2, y2, page.height)])
        for index, page in enumerate(document.pages)
        for kind, target, (x1, y1, x2, y2), _ in page.links
        if kind == "internal" and target not in anchors
    ]
    keys = _page_keys(document, piece) if piece is not None else []
    if until is not None and len(keys) == len(document.pages) > 1:
        # Not stopped (the rows ran out first): the last page, which ends with the piece's
        # rows, will be dropped (chains.py), so it is not drawn; unless no other page begins
        # with a row (then the chain lays out more rows at once, and no page is used).
        kept = max(i for i, key in enumerate(keys) if key is not None)
        document = document.copy(document.pages[: max(kept, 1)])
    if not draw:
        return Part(name, b"", kinds, anchors, bookmarks, keys, spots, links)
    with _quiet_links():  # WeasyPrint would log each link to another part as an error
        pdf = documents.fix_text(documents.layout.pdf(document), shared=True)
    return Part(name, pdf, kinds, anchors, bookmarks, keys, spots, links)


def _point(x: float, y: float, height: float) -> list[float]:
    """CSS pixels from a page's top left -> PDF points from its bottom left, to the 6 decimals
    WeasyPrint writes (4 could round a link's edge across a hundredth)."""
    return [round(x * 0.75, 6), round((height - y) * 0.75, 6)]


@contextmanager
def _quiet_links() -> Iterator[None]:
    class Drop(logging.Filter):
        def filter(self, record: logging.LogRecord) -> bool:
            return not record.getMessage().startswith("No anchor #")

    drop = Drop()
    logging.getLogger("weasyprint").addFilter(drop)
    try:
        yield
    finally:
        logging.getLogger("weasyprint").removeFilter(drop)


def _check(meta: dict[str, Any], pdf: bytes) -> str:
    """sha256 of a kept part's record and PDF together."""
    record = json.dumps(meta, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(record + b"\0" + pdf).hexdigest()


class Measured(dict[str, Any]):
    """The forms' column widths (render.form_widths' memo), and the keys a build asked for."""

    def __init__(self, kept: dict[str, Any]) -> None:
        super().__init__(kept)
        self.asked: set[str] = set()

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str):
            self.asked.add(key)
        return super().__contains__(key)


WIDTHS = "widths"  # the store's file of column widths (widths.json)
MAX_PART = 512 * 1024 * 1024  # a kept part or font program: far more than any


class Store:
    """Laid-out parts kept by the sha256 of their HTML and of the tools that lay them out:
    a rebuild lays out again only the parts whose HTML changed (None: keep nothing). The
    forms' column widths are kept too, by what they were measured from: a rebuild measures
    only the tables that changed (measuring is a fifth of making a part's HTML)."""

    def __init__(self, folder: Path | None, tools: str = "") -> None:
        self.folder = folder
        self.tools = tools
        self.used: set[str] = set()
        self._measured: Measured | None = None
        self._before: dict[str, Any] = {}

    @property
    def measured(self) -> Measured:
        """The column widths kept by the last build with the same tools (read once)."""
        if self._measured is None:
            self._before = self._read_widths()
            self._measured = Measured(self._before)
        return self._measured

    def _read_widths(self) -> dict[str, Any]:
        if self.folder is None:
            return {}
        try:
            found = parse_json(read_regular(self.folder / f"{WIDTHS}.json"))
            if found["tools"] != self.tools:
                return {}
            kept = {}
            for key, (widths, factor) in found["widths"].items():
                numbers = [float(w) for w in widths if isinstance(w, float | int)]
                if len(numbers) != len(widths) or not isinstance(factor, float | int):
                    return {}
                kept[key] = (numbers, float(factor))
            return kept
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return {}  # none, damaged, or kept by another version: measured again

    def key(self, html: str) -> str:
        return hashlib.sha256((self.tools + html).encode()).hexdigest()

    def get(self, html: str) -> Part | None:
        """The part kept for *html*, if its files are whole: the record's own hash and the PDF's
        sha256 must match what was written (a damaged part is laid out again)."""
        key = self.key(html)
        self.used.add(key)
        if self.folder is None or not (self.folder / f"{key}.json").is_file():
            return None
        try:
            meta = parse_json(read_regular(self.folder / f"{key}.json"))
            check = meta.pop("check")
            pdf = read_regular(self.folder / f"{key}.pdf", MAX_PART)
            if check != _check(meta, pdf):
                return None
            marks = [(level, label, page) for level, label, page in meta["bookmarks"]]
            links = [(page, target, rect) for page, target, rect in meta["links"]]
            keys, spots = meta["keys"], meta["spots"]
            kinds, anchors = meta["kinds"], meta["anchors"]
            return Part(meta["name"], pdf, kinds, anchors, marks, keys, spots, links)
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None  # damaged, or kept by another version: lay it out again

    def put(self, html: str, part: Part) -> Part:
        if self.folder is not None:
            key = self.key(html)
            meta: dict[str, Any] = {"name": part.name, "kinds": part.kinds, "keys": part.keys}
            meta.update(anchors=part.anchors, bookmarks=part.bookmarks)
            meta.update(spots=part.spots, links=part.links)
            meta["check"] = _check(json.loads(json.dumps(meta)), part.pdf)
            write_atomic(self.folder / f"{key}.pdf", part.pdf)
            write_atomic(self.folder / f"{key}.json", json.dumps(meta, ensure_ascii=False).encode())
        return part

    @property
    def programs(self) -> KeptPrograms:
        """The font programs the join made (fontsharing.share_programs), kept here too."""
        return KeptPrograms(self)

    def prune(self) -> None:
        """Forget the parts (and column widths) this build did not use."""
        if self.folder is not None and self._measured is not None:
            asked = self._measured.asked
            kept = {k: v for k, v in self._measured.items() if k in asked}
            if kept != self._before:
                data = json.dumps({"tools": self.tools, "widths": kept}, sort_keys=True)
                write_atomic(self.folder / f"{WIDTHS}.json", data.encode())
            self.used.add(WIDTHS)
        if self.folder is not None and self.folder.is_dir():
            for path in self.folder.iterdir():
                if path.stem not in self.used:
                    path.unlink()


class KeptPrograms:
    """A store's font programs, each by what it was made from and the tools, its bytes
    followed by their sha256 (a damaged one is made again)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def _path(self, key: str) -> Path | None:
        if self.store.folder is None:
            return None
        name = "font-" + hashlib.sha256((self.store.tools + key).encode()).hexdigest()
        self.store.used.add(name)
        return self.store.folder / f"{name}.ttf"

    def get(self, key: str) -> bytes | None:
        path = self._path(key)
        try:
            found = read_regular(path, MAX_PART) if path is not None else b""
        except OSError:
            return None
        data, check = found[:-32], found[-32:]
        return data if len(found) > 32 and hashlib.sha256(data).digest() == check else None

    def put(self, key: str, data: bytes) -> None:
        path = self._path(key)
        if path is not None:
            write_atomic(path, data + hashlib.sha256(data).digest())


MIN_PROJECTS = 150  # below this, one layout is as fast


def worth_it(checked: Checked) -> bool:
    """Parts pay off for long plans. The choice does not depend on the machine (its cores),
    so that a plan gives the same bytes everywhere."""
    return len(checked.plan.projects) >= MIN_PROJECTS


Key = str  # a detail form's table: its programme's part name, e.g. "p02/1.1.2"


class _Maker:
    """Lays out parts (those not in the store) on every core, and keeps them."""

    def __init__(self, documents: Documents, pool: Executor | None) -> None:
        self.documents, self.pool = documents, pool
        self.count = {"done": 0, "reused": 0}  # parts, for the progress shown

    def html(self, part: str, **extra: Any) -> str:
        return self.documents.html("strategy.html.j2", part=part, **extra)

    def piece(self, key: Key, rows: tuple[int, int], total: int) -> Wanted:
        """The part for rows [rows[0], rows[1]) of a table of *total* rows, and the rows
        that finish the page the last of them is on (unless they are the table's last)."""
        start, goal = rows
        if goal < total:
            piece = Piece(start, goal, min(total, goal + LOOKAHEAD))
        else:
            piece = Piece(start, None, goal)
        html = partial(self.html, key, rows=[start, piece.end])
        return Wanted(f"{key}:{start}-{piece.end}", html, piece)

    def _args(self, w: Wanted) -> tuple[type[Documents], Checked, str, str, Piece | None, bool]:
        return type(self.documents), self.documents.checked, w.name, w.html, w.piece, w.draw

    def _keep(self, wanted: Wanted, part: Part) -> Part:
        return self.documents.parts.put(wanted.html, part)

    def lay_out(self, singles: list[Wanted], tables: dict[Key, chains.Chain[Part]]) -> list[Part]:
        """Lay out *singles* and the pieces of the *tables*' chains, each piece as soon as
        the one before it is done. The result does not depend on the order they finish in."""
        made: dict[str, Part] = {}
        ready: deque[tuple[Key | None, Wanted, tuple[int, int]]] = deque()
        ready += [(None, w, (0, 0)) for w in singles]
        ready += [(k, self.piece(k, c.first(), c.rows), c.first()) for k, c in tables.items()]
        running: dict[Future[Part], tuple[Key | None, Wanted, tuple[int, int]]] = {}
        count, folder = self.count, self.documents.checked.folder

        def done(key: Key | None, wanted: Wanted, rows: tuple[int, int], part: Part) -> None:
            workers.check_interrupt()
            count["done"] += 1
            PROGRESS.info(
                "%s: strategy.pdf: %d parts laid out (%d reused), last %s",
                folder,
                count["done"],
                count["reused"],
                wanted.name,
            )
            if key is None:
                made[wanted.name] = part
                return
            after = tables[key].follow(*rows, part)
            if after is not None:
                ready.append((key, self.piece(key, after, tables[key].rows), after))

        while ready or running:
            while ready:
                key, wanted, rows = ready.popleft()
                found = self.documents.parts.get(wanted.html)
                if found is not None:
                    count["reused"] += 1
                    done(key, wanted, rows, found)
                elif self.pool is None:
                    done(key, wanted, rows, self._keep(wanted, _lay_out(*self._args(wanted))))
                else:
                    running[self.pool.submit(_lay_out, *self._args(wanted))] = (key, wanted, rows)
            if running:
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in sorted(finished, key=lambda f: running[f][1].name):
                    key, wanted, rows = running.pop(future)
                    done(key, wanted, rows, self._keep(wanted, future.result()))
        return [made[w.name] for w in singles]


def strategy(documents: Documents, jobs: int) -> bytes:
    """The strategy document, its parts laid out *jobs* at a time (same bytes for any jobs)."""
    if documents.pool is not None:  # the build's own workers
        return _strategy(_Maker(documents, documents.pool))
    if jobs <= 1:
        return _strategy(_Maker(documents, None))
    with memory.pool(jobs) as pool:  # stopped at once if the build is
        return _strategy(_Maker(documents, pool))


def printed_numbers(pages: dict[str, int], front: list[str]) -> dict[str, int | str]:
    """The page number each anchor's page prints, from its place in the book (*pages*, from
    1): in the *front* matter (its pages' kinds) ก, ข, … counting its "front" pages only;
    after it, the body's from 1."""
    from saoreport.document.render import front_number

    out: dict[str, int | str] = {}
    for anchor, page in pages.items():
        if page > len(front):
            out[anchor] = page - len(front)
        else:
            out[anchor] = (
                front_number(front[:page].count("front")) if front[page - 1] == "front" else ""
            )
    return out


def _strategy(maker: _Maker) -> bytes:
    checked, store = maker.documents.checked, maker.documents.parts
    forms = summary.forms(checked.plan)
    # A detail form's tables are chained pieces; the other forms are laid out whole.
    tables: dict[Key, chains.Chain[Part]] = {
        table.part: chains.Chain(len(table.entries) + 1, ROWS)
        for form in forms
        for table in form.tables
    }
    # The front (cover to contents) is laid out twice (first for its pages alone, not drawn),
    # the text (ส่วนที่ ๑ to ส่วนที่ ๔'s table) once.
    singles = [
        Wanted("front", partial(maker.html, "front", toc_pages={}), draw=False),
        Wanted("text", partial(maker.html, "text")),
    ]
    singles += [Wanted(f.code, partial(maker.html, f.code)) for f in forms if f.kind != "details"]
    if "monitoring" in checked.narrative.sources or checked.plan.appendices:  # ส่วนที่ ๕, ภาคผนวก
        singles.append(Wanted("back", partial(maker.html, "back")))
    draft, text, *whole = maker.lay_out(singles, tables)
    made = {w.name: part for w, part in zip(singles[2:], whole, strict=True)}
    body: list[tuple[Part, int]] = [(text, i) for i in range(len(text.kinds))]
    labels: list[str | None] = [None] * (len(draft.kinds) + len(text.kinds))  # its form's label
    for form in forms:
        if form.kind != "details":
            body += [(made[form.code], i) for i in range(len(made[form.code].kinds))]
        for table in form.tables:
            body += tables[table.part].pages
        labels += [form.label] * (len(body) + len(draft.kinds) - len(labels))
    if "back" in made:
        body += [(made["back"], i) for i in range(len(made["back"].kinds))]
        labels += [None] * len(made["back"].kinds)
    found, _ = joining.anchors([(draft, i) for i in range(len(draft.kinds))] + body)
    toc = printed_numbers(found, draft.kinds)
    kinds = draft.kinds + [part.kinds[i] for part, i in body]
    # The front again, with the contents' page numbers, and the numbers of every page.
    final = Wanted("front", partial(maker.html, "front", toc_pages=toc))
    # The page numbers and the forms' labels, drawn last as one layout draws them.
    numbers = Wanted("stamp", partial(maker.html, "stamp", page_kinds=kinds, page_labels=labels))
    front, stamp = maker.lay_out([final, numbers], {})
    if front.kinds != draft.kinds:
        raise RuntimeError("the contents changed the front matter's pages")
    _, marks = joining.anchors([(front, i) for i in range(len(front.kinds))] + body)
    files = maker.documents.family.files
    joined = joining.join(front, body, stamp.pdf, marks, files, store.programs)
    store.prune()  # after the join, which asks for its font programs
    return joined
