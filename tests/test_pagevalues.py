"""Start and end page values from the first and last in-flow child (pdf/speedups/pagevalues.py)
are WeasyPrint's own: for every box of a document of named pages (on first, last, only,
floated, absolutely placed and running children, empty boxes, tables, flex, inline) and of the
demo book, before and after layout; and the PDFs are the same bytes either way."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from conftest import ROOT, speedup
from saoreport.pdf import layout
from saoreport.pdf.speedups import pagevalues
from saoreport.pipeline.documents import Documents
from saoreport.plan.validate import check

pytestmark = speedup("pagevalues")

NAMED_PAGES = """<!doctype html><html lang="th"><head><style>
@page { size: A5; margin: 2cm 1cm; @top-center { content: element(head) } }
@page wide { size: A5 landscape } @page tall { size: A4 } @page plain { margin: 1cm }
.wide { page: wide } .tall { page: tall } .plain { page: plain }
.head { position: running(head) } .left { float: left; width: 3cm }
.abs { position: absolute; top: 1cm } .flex { display: flex } .inline { display: inline-block }
table { border-collapse: collapse } td { border: 0.5pt solid }
</style></head><body>
<div class="head wide">หัวกระดาษ</div>
<section><p class="wide">แรก</p><p>กลาง</p><p class="tall">ท้าย</p></section>
<section class="plain"><div class="abs wide">วางตรึง</div><p>ข้อความ</p></section>
<section><div class="left tall">ลอย</div><p>ต่อ</p><div class="abs wide">ตรึงท้าย</div></section>
<section class="wide"><div><div><p class="tall">ลึก</p></div></div></section>
<section class="tall"></section><div class="wide"><span>ในบรรทัด</span></div>
<div class="flex"><div class="plain">ยืดหยุ่น</div><div class="wide">สอง</div></div>
<p>ข้อความ <b class="inline wide">บล็อกในบรรทัด</b></p>
<table class="wide"><tr class="tall"><td>ช่อง</td></tr></table>
<div><table><tr><td class="plain">ช่อง</td></tr></table><p class="tall">หลังตาราง</p></div>
<ul class="plain"><li class="wide">รายการ</li><li>สอง</li></ul>
<section><p>ก่อน</p><p class="wide">กว้าง</p><p class="wide">กว้างอีก</p><p>หลัง</p></section>
</body></html>"""


@contextlib.contextmanager
def weasyprints_own() -> Iterator[None]:
    from weasyprint.formatting_structure import boxes

    pagevalues.install()
    ours = boxes.ParentBox.page_values
    boxes.ParentBox.page_values = pagevalues._state["original"]
    try:
        yield
    finally:
        boxes.ParentBox.page_values = ours


def _boxes(box: Any) -> Iterator[Any]:
    yield box
    for child in getattr(box, "children", []):
        yield from _boxes(child)


def _same_values(lay_out: layout.Layout, html: str) -> set[tuple[Any, Any]]:
    """Every box WeasyPrint asks while it lays the document out, and every box of the laid-out
    pages, gets WeasyPrint's page values."""
    from weasyprint.formatting_structure import boxes

    pagevalues.install()
    theirs_of = pagevalues._state["original"]
    values: list[tuple[Any, Any]] = []

    def checked(box: Any) -> tuple[Any, Any]:
        theirs = theirs_of(box)
        ours = pagevalues.page_values(box)
        assert ours == theirs, box
        values.append(theirs)
        return ours

    asked = boxes.ParentBox.page_values
    boxes.ParentBox.page_values = checked
    try:
        document = lay_out.render_justified(html)
        assert len(values) > 50  # asked during layout
        for page in document.pages:
            for box in _boxes(page._page_box):
                if isinstance(box, boxes.ParentBox):
                    box.page_values()
    finally:
        boxes.ParentBox.page_values = asked
    return set(values)


def _same_bytes(lay_out: layout.Layout, html: str) -> None:
    ours = lay_out.write_pdf(html)
    with weasyprints_own():
        theirs = lay_out.write_pdf(html)
    assert ours == theirs


def test_named_pages_are_weasyprints() -> None:
    lay_out = layout.Layout(ROOT, [ROOT], 1_700_000_000)
    values = _same_values(lay_out, NAMED_PAGES)
    names = {v for pair in values for v in pair}
    assert {"wide", "tall", "plain"} <= names  # the pages named were met
    assert any(start != end for start, end in values)  # and boxes that start and end apart
    _same_bytes(lay_out, NAMED_PAGES)


def test_the_demo_book_is_weasyprints() -> None:
    demo = Documents(check(ROOT / "plans" / "demo"))
    folder = demo.checked.folder
    lay_out = layout.Layout(folder, [folder, ROOT], 1_700_000_000)
    html = demo.html("strategy.html.j2")
    _same_values(lay_out, html)
    _same_bytes(lay_out, html)
