"""Lengths resolved once per style and containing block (pdf/speedups/percentages.py) are WeasyPrint's:
every laid-out box has the same used lengths and position, and the PDFs are the same bytes,
for a document of percentages, calc(), min/max sizes, box-sizing, page margins, collapsed
table borders, floats, absolute boxes, flex and columns, and for the demo book."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from importlib import import_module
from typing import Any

from conftest import ROOT, speedup
from saoreport.pdf import layout
from saoreport.pdf.speedups import percentages
from saoreport.pipeline.documents import Documents
from saoreport.plan.validate import check

pytestmark = speedup("percentages")

LENGTHS = """<!doctype html><html lang="th"><head><style>
@page { size: A5; margin: 5% 8% 10%; @top-center { content: "หัว"; width: 40% } }
body { margin: 2%; padding: 1% 3% }
.w { width: 60%; margin: 0 auto; padding: 2% 5%; border: 2pt solid }
.calc { width: calc(50% - 1cm); margin-left: calc(10% + 2pt); min-width: 20% }
.max { max-width: 30%; min-height: 10%; max-height: 50% }
.border { box-sizing: border-box; width: 40%; padding: 5%; border: 3pt solid; height: 2cm }
.pad { box-sizing: padding-box; width: 35%; padding: 4%; height: 20% }
.tall { height: 30% } .auto { height: auto }
.left { float: left; width: 25%; margin-right: 2% } .right { float: right; width: 15% }
.abs { position: absolute; top: 10%; left: 20%; width: 10%; height: 5% }
.flex { display: flex; height: 3cm } .flex > div { flex: 1; padding: 3%; margin: 1% }
.flex > .tall { height: 40%; max-height: 80% }
.cols { column-count: 2; column-gap: 5% }
table { border-collapse: collapse; width: 90% } td { border: 1pt solid; padding: 2% 1%; width: 30% }
table.apart { border-collapse: separate; border-spacing: 2pt } .apart td { border: 2pt solid }
</style></head><body>
<div class="w">กว้างร้อยละหกสิบ <span class="calc">คำนวณ</span></div>
<div class="calc">คำนวณ</div><div class="max">สูงสุด <div class="tall">สูง</div></div>
<div class="border">กล่องขอบ</div><div class="pad">กล่องช่องว่าง</div>
<div class="auto"><div class="tall">สูงในกล่องอัตโนมัติ</div></div>
<div style="height: 2cm"><div class="tall max">สูง ๒</div></div>
<div style="height: 4cm"><div class="tall max">สูง ๔</div></div>
<p><span class="left">ลอยซ้าย ข้อความยาวพอสมควร</span><span class="right">ขวา</span>ข้อความหลัก
ที่ไหลรอบกล่องลอยทั้งสองข้าง ข้อความหลักที่ไหลรอบกล่องลอยทั้งสองข้าง</p>
<div class="abs">วาง</div>
<div class="flex"><div>หนึ่ง</div><div class="w">สอง</div><div class="tall">สาม</div></div>
<div class="cols"><p class="w">คอลัมน์หนึ่ง</p><p class="calc">คอลัมน์สอง</p></div>
<table><tr><td>ช่อง</td><td class="w">ช่องกว้าง</td><td>ช่อง</td></tr>
<tr><td colspan="2">สองช่อง</td><td class="max">ช่องสูงสุด</td></tr></table>
<table class="apart"><tr><td>แยก</td><td class="border">แยกขอบ</td></tr></table>
</body></html>"""

USED = (
    "position_x",
    "position_y",
    "width",
    "height",
    "min_width",
    "max_width",
    "min_height",
    "max_height",
    "margin_top",
    "margin_right",
    "margin_bottom",
    "margin_left",
    "padding_top",
    "padding_right",
    "padding_bottom",
    "padding_left",
    "border_top_width",
    "border_right_width",
    "border_bottom_width",
    "border_left_width",
)


@contextlib.contextmanager
def weasyprints_own() -> Iterator[None]:
    from weasyprint.layout import percent

    percentages.install()
    ours = percent.resolve_percentages
    theirs = percentages._state["original"]
    modules = [percent] + [import_module(f"weasyprint.layout.{n}") for n in percentages.USERS]
    for module in modules:
        if getattr(module, "resolve_percentages", None) is ours:
            vars(module)["resolve_percentages"] = theirs
    try:
        yield
    finally:
        for module in modules:
            if getattr(module, "resolve_percentages", None) is theirs:
                vars(module)["resolve_percentages"] = ours


def _used(box: Any) -> Iterator[tuple[str, tuple[Any, ...]]]:
    yield type(box).__name__, tuple(getattr(box, name, None) for name in USED)
    for child in getattr(box, "children", []):
        yield from _used(child)


def _same_layouts(lay_out: layout.Layout, html: str) -> int:
    """*html* laid out both ways: the same used lengths of every box, the same bytes; the
    number of boxes compared."""
    ours = lay_out.render_justified(html)
    with weasyprints_own():
        theirs = lay_out.render_justified(html)
    mine = [list(_used(page._page_box)) for page in ours.pages]
    assert mine == [list(_used(page._page_box)) for page in theirs.pages]
    pdf = lay_out.pdf(ours)
    with weasyprints_own():
        assert lay_out.write_pdf(html) == pdf
    return sum(map(len, mine))


def test_lengths_of_every_kind_are_weasyprints() -> None:
    lay_out = layout.Layout(ROOT, [ROOT], 1_700_000_000)
    assert _same_layouts(lay_out, LENGTHS) > 100
    from weasyprint.layout import percent

    assert percent.resolve_percentages is not percentages._state["original"]  # ours was used


def test_the_demo_book_is_weasyprints() -> None:
    demo = Documents(check(ROOT / "plans" / "demo"))
    folder = demo.checked.folder
    lay_out = layout.Layout(folder, [folder, ROOT], 1_700_000_000)
    assert _same_layouts(lay_out, demo.html("strategy.html.j2")) > 5_000


def test_each_containing_block_gets_its_own_lengths() -> None:
    """Every box of the document resolved against containing blocks of other widths and
    heights (and an 'auto' height), in turn, the styles' kept lengths reused: the lengths of
    WeasyPrint's resolve_percentages each time."""
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout import percent

    lay_out = layout.Layout(ROOT, [ROOT], 1_700_000_000)
    document = lay_out.render_justified(LENGTHS)
    percentages.install()
    ours, theirs = percent.resolve_percentages, percentages._state["original"]
    every = [box for page in document.pages for box in _boxes(page._page_box)]
    blocks = [(300.0, "auto"), (300.0, 200.0), (520.0, 200.0), (300.0, 410.0), (300.0, "auto")]
    compared = 0
    for width, height in blocks + blocks[::-1]:
        for box in every:
            if height == "auto" and isinstance(box, boxes.PageBox):
                continue  # a page's block is the page: never of an 'auto' height
            mine, other = box.copy(), box.copy()
            ours(mine, (width, height))
            theirs(other, (width, height))
            assert [getattr(mine, n, None) for n in USED] == [getattr(other, n, None) for n in USED]
            compared += 1
    heights = {b.style["height"].unit for b in every if b.style["height"] != "auto"}
    assert "%" in heights and any(isinstance(b, boxes.PageBox) for b in every)
    assert compared > 1000


def _boxes(box: Any) -> Iterator[Any]:
    yield box
    for child in getattr(box, "children", []):
        yield from _boxes(child)
