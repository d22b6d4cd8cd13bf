"""The box predicates of pdf/speedups/flow.py answer as WeasyPrint's own: for every box of documents
with floats (left, right, inline-start and -end), absolute, fixed, relative and running elements, footnotes, columns, flow roots, flex and
tables, and the demo book; and the PDFs are the same bytes either way."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from conftest import ROOT, speedup
from saoreport.pdf import layout
from saoreport.pdf.speedups import flow
from saoreport.pipeline.documents import Documents
from saoreport.plan.validate import check

pytestmark = speedup("flow")

EVERY_FLOW = """<!doctype html><html lang="th"><head><style>
@page { size: A5; margin: 2cm 1cm; @top-center { content: element(head) }
        @footnote { border-top: 0.5pt solid } }
.head { position: running(head) }
.left { float: left; width: 3cm } .right { float: right; width: 2cm }
.start { float: inline-start; width: 2cm } .end { float: inline-end; width: 2cm }
.note { float: footnote }
.abs { position: absolute; top: 1cm; left: 1cm } .fixed { position: fixed; bottom: 0 }
.rel { position: relative; top: 2pt }
.cols { column-count: 2 } .root { display: flow-root } .hidden { overflow: hidden }
.flex { display: flex } .inline { display: inline-block; width: 2cm }
table { border-collapse: collapse } td { border: 0.5pt solid }
</style></head><body>
<div class="head">หัวกระดาษ</div>
<p><span class="left">ลอยซ้าย</span><span class="right">ลอยขวา</span>ข้อความหลัก
<span class="note">เชิงอรรถ</span> ต่อ</p>
<div class="start">ต้น</div><div class="end">ท้าย</div>
<div class="abs">วางตรึง</div><div class="fixed">คงที่</div>
<div class="rel">สัมพัทธ์ <b class="inline">บล็อกในบรรทัด</b></div>
<div class="cols"><p>คอลัมน์หนึ่ง</p><p>คอลัมน์สอง</p></div>
<div class="root">รากการไหล</div><div class="hidden" style="height: 1cm">ซ่อน</div>
<div class="flex"><div>ยืดหยุ่น</div><div class="left">ลอยในกล่อง</div></div>
<ul><li>รายการ</li></ul>
<table><tr><td>ช่อง</td><td class="hidden">ช่องซ่อน</td></tr></table>
</body></html>"""


@contextlib.contextmanager
def weasyprints_own() -> Iterator[None]:
    from weasyprint.formatting_structure import boxes

    flow.install()
    ours = (boxes.Box.is_in_normal_flow, boxes.Box.establishes_formatting_context)
    theirs = flow._state["original"]
    boxes.Box.is_in_normal_flow, boxes.Box.establishes_formatting_context = theirs
    try:
        yield
    finally:
        boxes.Box.is_in_normal_flow, boxes.Box.establishes_formatting_context = ours


def _boxes(box: Any) -> Iterator[Any]:
    yield box
    for child in getattr(box, "children", []):
        yield from _boxes(child)
    footnotes = getattr(box, "footnote_area", None)
    if footnotes is not None:
        yield from _boxes(footnotes)


def _same_answers(lay_out: layout.Layout, html: str) -> set[tuple[bool, bool]]:
    """Every laid-out box answers both predicates as WeasyPrint's methods do; the answers."""
    from weasyprint.formatting_structure import boxes

    document = lay_out.render_justified(html)
    context = flow._establishes_formatting_context(boxes.BlockContainerBox, boxes.BlockBox)
    answers = []
    with weasyprints_own():
        for page in document.pages:
            for box in _boxes(page._page_box):
                theirs = (box.is_in_normal_flow(), box.establishes_formatting_context())
                assert (flow.is_in_normal_flow(box), context(box)) == theirs, box
                answers.append(theirs)
    assert len(answers) > 50
    return set(answers)


def _same_bytes(lay_out: layout.Layout, html: str) -> None:
    ours = lay_out.write_pdf(html)
    with weasyprints_own():
        theirs = lay_out.write_pdf(html)
    assert ours == theirs


def test_every_kind_of_flow_answers_as_weasyprint() -> None:
    lay_out = layout.Layout(ROOT, [ROOT], 1_700_000_000)
    answers = _same_answers(lay_out, EVERY_FLOW)
    # Boxes in and out of normal flow, making a formatting context and not, were met.
    assert {in_flow for in_flow, _ in answers} == {True, False}
    assert {context for _, context in answers} == {True, False}
    _same_bytes(lay_out, EVERY_FLOW)


def test_the_demo_book_is_weasyprints() -> None:
    demo = Documents(check(ROOT / "plans" / "demo"))
    folder = demo.checked.folder
    lay_out = layout.Layout(folder, [folder, ROOT], 1_700_000_000)
    html = demo.html("strategy.html.j2")
    _same_answers(lay_out, html)
    _same_bytes(lay_out, html)
