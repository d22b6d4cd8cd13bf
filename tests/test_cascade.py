"""The cascade without its unused work (pdf/speedups/cascade.py) gives WeasyPrint's styles: every
property of every element and pseudo-element, the anchors registered and their order, and
the bytes of whole documents."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import PLANS, ROOT, speedup
from saoreport.pdf import layout
from saoreport.pdf.speedups import cascade
from saoreport.pipeline.documents import Documents
from saoreport.plan import summary
from saoreport.plan.validate import check

pytestmark = speedup("cascade")

PSEUDO = (
    None,
    "before",
    "after",
    "marker",
    "first-letter",
    "first-line",
    "footnote-call",
    "footnote-marker",
    "note-call",
    "note-marker",
    "note-callback",
)

# What the cascade meets: rules in layers, !important, style attributes, pseudo-elements with
# content and anchors (one set by a pseudo-element's own rule), lists, footnotes, ids, tables
# whose rows share styles, and inline styles that break the sharing.
ODD = """<!doctype html><html lang="th"><head><style>
@layer base, top;
@layer top { p { color: rgb(200, 0, 0) } }
@layer base { p { color: blue; margin: 2pt } }
body { font-family: serif; font-size: 11pt }
h2::before { content: "ส่วน " counter(h); counter-increment: h }
#two::before { anchor: "mark-two" }
#one::before { anchor: "mark-one" }
h2::after { content: target-counter(attr(data-to), page) }
li::marker { color: green }
.note { float: footnote }
::footnote-call { color: purple }
td { padding: 1pt !important }
tr:nth-child(2n) td { background: #eee }
td.x { padding: 3pt }
p:first-letter { font-weight: bold }
a[href]::after { content: " (" attr(href) ")" }
</style></head><body>
<h2 id="one" data-to="#two">หนึ่ง</h2><p>ข้อความ<span class="note">หมายเหตุ</span> ต่อ</p>
<h2 id="two" data-to="#one">สอง</h2>
<ol><li>ก</li><li style="color: red">ข</li><li>ค</li></ol>
<table><tr><td>1</td><td class="x">2</td></tr><tr><td>3</td><td style="padding: 5pt">4</td></tr>
<tr><td>5</td><td class="x">6</td></tr></table>
<p style="margin: 0 !important">จบ <a href="#one">ไป</a></p>
</body></html>"""


@contextlib.contextmanager
def weasyprints_own() -> Iterator[None]:
    """WeasyPrint's own cascade, while the block runs."""
    import weasyprint.layout.page as page
    from weasyprint.css import StyleFor

    cascade.install()
    ours = StyleFor.__init__, StyleFor.__call__
    our_pages = page.set_page_type_computed_styles
    StyleFor.__init__, StyleFor.__call__ = cascade._state["original"]  # type: ignore[misc]
    page.set_page_type_computed_styles = cascade._state["original_pages"]
    try:
        yield
    finally:
        StyleFor.__init__, StyleFor.__call__ = ours  # type: ignore[method-assign]
        page.set_page_type_computed_styles = our_pages


def _styles(html: str, base: Path) -> tuple[list[Any], list[str]]:
    """Every property of every element and pseudo-element, and the anchors registered."""
    from weasyprint import HTML
    from weasyprint.css import get_all_computed_styles
    from weasyprint.css.properties import INITIAL_VALUES
    from weasyprint.css.targets import TargetCollector

    document = HTML(string=html, base_url=str(base) + "/")
    targets = TargetCollector()
    style_for = get_all_computed_styles(  # as WeasyPrint's Document.render calls it
        document,
        font_config=layout.font_config(),
        color_profiles={},
        page_rules=[],
        layers=[],
        target_collector=targets,
    )
    anchors = list(targets.target_lookup_items)
    found: list[Any] = []
    for element in document.etree_element.iter():
        for pseudo in PSEUDO:
            style = style_for(element, pseudo)
            found.append(
                None if style is None else [(k, repr(style[k])) for k in sorted(INITIAL_VALUES)]
            )
    return found, anchors


def _documents() -> list[tuple[str, str, Path]]:
    """Documents of every kind: the odd one above, the shipped plans' strategy documents,
    a piece of a long ผ.02 table, a poster."""
    made = [("odd", ODD, ROOT)]
    for folder in PLANS:
        documents = Documents(check(folder))
        made.append((folder.name, documents.html("strategy.html.j2"), folder))
    demo = Documents(check(ROOT / "plans" / "demo"))
    table = next(t for f in summary.forms(demo.checked.plan) for t in f.tables)
    made.append(
        ("piece", demo.html("strategy.html.j2", part=table.part, rows=[0, 3]), demo.checked.folder)
    )
    made.append(("poster", demo.poster_html("a4")(14.0, 6.0, 2, False), demo.checked.folder))
    return made


@pytest.mark.parametrize("name", ["odd", *(p.name for p in PLANS), "piece", "poster"])
def test_every_style_is_weasyprints(name: str) -> None:
    _, html, base = next(d for d in _documents() if d[0] == name)
    cascade.install()
    ours = _styles(html, base)
    with weasyprints_own():
        theirs = _styles(html, base)
    assert ours[1] == theirs[1]  # the same anchors, in the same order
    assert len(ours[0]) == len(theirs[0])
    for index, (a, b) in enumerate(zip(ours[0], theirs[0], strict=True)):
        assert a == b, (index // len(PSEUDO), PSEUDO[index % len(PSEUDO)])
    if name == "odd":
        assert any(style is not None for style in ours[0][1 :: len(PSEUDO)])  # ::before
        assert {"one", "two", "mark-one", "mark-two"} <= set(ours[1])  # mark-*: ::before's


def test_the_same_bytes_as_weasyprints_cascade() -> None:
    """The demo's strategy document and the odd document, laid out and written with either
    cascade: the same PDF bytes."""
    demo = Documents(check(ROOT / "plans" / "demo"))
    for html, base in ((demo.html("strategy.html.j2"), demo.checked.folder), (ODD, ROOT)):
        lay_out = layout.Layout(base, [base, ROOT], 1_700_000_000)
        ours = lay_out.write_pdf(html)
        with weasyprints_own():
            theirs = lay_out.write_pdf(html)
        assert ours == theirs


def test_pseudo_elements_nobody_asks_for_are_not_made(monkeypatch: pytest.MonkeyPatch) -> None:
    """A piece of a table: WeasyPrint makes six pseudo-element styles for every element; the
    cascade here makes only those the layout asks for (none of a cell's)."""
    from weasyprint.css import StyleFor

    demo = Documents(check(ROOT / "plans" / "demo"))
    table = next(t for f in summary.forms(demo.checked.plan) for t in f.tables)
    html = demo.html("strategy.html.j2", part=table.part, rows=[0, 3])
    made: list[Any] = []
    real = StyleFor.set_computed_styles

    def counted(self: Any, element: Any, parent: Any, *args: Any, **kwargs: Any) -> Any:
        made.append((getattr(element, "tag", element), kwargs.get("pseudo_type")))
        return real(self, element, parent, *args, **kwargs)

    monkeypatch.setattr(StyleFor, "set_computed_styles", counted)
    lay_out = layout.Layout(demo.checked.folder, [demo.checked.folder, ROOT], 0)
    lay_out.render(html)
    ours = list(made)
    made.clear()
    with weasyprints_own():
        lay_out.render(html)
    theirs = list(made)
    cells = [pseudo for tag, pseudo in theirs if tag == "td" and pseudo is not None]
    six = {
        "marker",
        "footnote-call",
        "footnote-marker",
        "note-call",
        "note-marker",
        "note-callback",
    }
    assert set(cells) == six and len(cells) > 100  # six for every cell
    assert not any(tag == "td" and pseudo is not None for tag, pseudo in ours)
    assert len(ours) < len(theirs) / 3


# Pages of every type: first, left and right, blank, named, :nth() of the document and of a
# page group, margin boxes with counters, strings and viewport units, a page's own margins.
PAGES = """<!doctype html><html lang="th"><head><style>
@page { size: A5; margin: 2cm 2cm 2cm 3cm;
  @top-center { content: "- " counter(page) " -"; font-size: 9pt }
  @top-left { content: "ก"; width: 20vw } }
@page :first { margin-top: 4cm; @top-center { content: none } }
@page :left { @bottom-left { content: counter(page) " / " counter(pages) } }
@page :right { @bottom-right { content: string(title) } }
@page :blank { @top-center { content: "ว่าง"; color: gray } }
@page :nth(3) { @top-right { content: "สาม"; color: red } }
@page wide { size: A5 landscape; margin: 1cm; @top-center { content: "กว้าง " counter(page) } }
@page wide:nth(2 of wide) { @bottom-center { content: "ที่สองของกลุ่ม" } }
@page :nth(2n+7) { margin-bottom: 3cm }
h1 { string-set: title content(); break-before: right }
.wide { page: wide }
</style></head><body>
<p>หน้าแรก</p>
<h1>บทที่ ๑</h1><p>ข้อความ</p><p style="break-before: page">ต่อ</p>
<div class="wide"><p>ตาราง ๑</p><p style="break-before: page">ตาราง ๒</p>
<p style="break-before: page">ตาราง ๓</p></div>
<h1>บทที่ ๒</h1><p>ข้อความ</p><p style="break-before: page">ต่อ</p><p style="break-before: page">จบ</p>
<div class="wide"><p>ตาราง ๔</p><p style="break-before: page">ตาราง ๕</p></div>
</body></html>"""

# No :first rule: the first page matches what later pages match, but its margins (in viewport
# units) are computed before the first page's size is known (WeasyPrint then takes A4's).
VIEWPORT = """<!doctype html><html><head><style>
@page { size: A5; margin: 5vh 10vw; @top-center { content: counter(page); width: 30vw } }
</style></head><body><p>1</p><p style="break-before: page">2</p>
<p style="break-before: page">3</p></body></html>"""


def _page_styles(html: str, base: Path) -> tuple[list[Any], bytes]:
    """Every property of every page's style and of its margin boxes' styles, and the PDF."""
    from weasyprint.css.properties import INITIAL_VALUES

    lay_out = layout.Layout(base, [base, ROOT], 1_700_000_000)
    document = lay_out.render(html)
    found: list[Any] = []
    for page in document.pages:
        box = page._page_box
        found.append([(k, repr(box.style[k])) for k in sorted(INITIAL_VALUES)])
        for margin in box.children:
            keyword = getattr(margin, "at_keyword", None)
            found.append((keyword, [(k, repr(margin.style[k])) for k in sorted(INITIAL_VALUES)]))
    return found, lay_out.pdf(document)


@pytest.mark.parametrize("name", ["pages", "viewport", "demo"])
def test_page_styles_are_weasyprints(name: str) -> None:
    """Pages that match the same @page selectors share their styles: every property of every
    page and margin box is WeasyPrint's, on pages of every type, and so are the bytes."""
    if name in ("pages", "viewport"):
        html, base = (PAGES if name == "pages" else VIEWPORT), ROOT
    else:
        demo = Documents(check(ROOT / "plans" / "demo"))
        html, base = demo.html("strategy.html.j2"), demo.checked.folder
    cascade.install()
    ours = _page_styles(html, base)
    with weasyprints_own():
        theirs = _page_styles(html, base)
    assert len(ours[0]) == len(theirs[0]) > 3
    for index, (a, b) in enumerate(zip(ours[0], theirs[0], strict=True)):
        assert a == b, index
    assert ours[1] == theirs[1]


def test_pages_share_their_styles() -> None:
    """The page styles of a long document are made once per kind of page, not per page."""
    from weasyprint.css import ComputedStyle

    demo = Documents(check(ROOT / "plans" / "demo"))
    html = demo.html("strategy.html.j2")
    cascade.install()
    document = layout.Layout(demo.checked.folder, [demo.checked.folder, ROOT], 0).render(html)
    styles = {id(page._page_box.style) for page in document.pages}
    assert all(isinstance(page._page_box.style, ComputedStyle) for page in document.pages)
    assert len(document.pages) > 20
    # cover, the announcement, front matter (ก, ข), contents, the body's first page, portrait,
    # landscape, a form's: a kind of page each, however many pages of it
    assert len(styles) <= 8
