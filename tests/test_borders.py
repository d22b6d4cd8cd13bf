"""Rules drawn again from the first of their width and colour (pdf/speedups/borders.py) are WeasyPrint's:
the same PDF bytes as WeasyPrint's own draw_line, for borders of every style, width, colour
space and alpha, collapsed and not, with and without tagged PDF."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest

from conftest import ROOT, speedup
from saoreport.pdf import layout
from saoreport.pdf.speedups import borders
from saoreport.pipeline.documents import Documents
from saoreport.plan.validate import check

pytestmark = speedup("borders")

COLOURS = [
    "black",
    "#c03",
    "rgb(10 120 40 / 50%)",
    "hsl(200 60% 40%)",
    "rgb(0 0 0 / 0.3)",
    "transparent",
]
STYLES = ["solid", "dashed", "dotted", "double", "groove", "ridge", "inset", "outset"]


def _tables() -> str:
    rows = []
    for index, colour in enumerate(COLOURS):
        style = STYLES[index % len(STYLES)]
        width = [0.6, 1, 2.5, 0.75][index % 4]
        cells = "".join(
            f'<td style="border: {width}pt {s} {colour}">ก{i}</td>'
            for i, s in enumerate(["solid", style, "solid"])
        )
        rows.append(f"<tr>{cells}<td>ข</td></tr>")
    body = "".join(rows)
    return f"""<!doctype html><html lang="th"><head><style>
@page {{ size: A5; margin: 1cm }}
table {{ border-collapse: collapse; margin-bottom: 4mm }}
td {{ border: 0.6pt solid black; padding: 2pt }}
.separate {{ border-collapse: separate; border-spacing: 2pt }}
.thick td {{ border-width: 3pt }}
div {{ border: 1pt solid #333; margin: 2mm; padding: 2mm }}
</style></head><body>
<table>{body}</table>
<table class="separate">{body}</table>
<table class="thick">{body}</table>
<div>กล่อง</div><div style="border-style: dashed double">กล่อง</div>
{"".join(f"<table>{body}</table>" for _ in range(6))}
</body></html>"""


@contextlib.contextmanager
def weasyprints_own() -> Iterator[None]:
    import weasyprint.draw as draw

    borders.install()
    ours = draw.draw_line
    draw.draw_line = borders._state["original"]
    try:
        yield
    finally:
        draw.draw_line = ours


def _drawn_both_ways(lay_out: layout.Layout, html: str, least: int) -> None:
    """*html* laid out once, drawn with the kept rules (at least *least* of them drawn again)
    and with WeasyPrint's own draw_line: the same bytes."""
    document = lay_out.render_justified(html)
    borders._replayed[0] = 0
    ours = lay_out.pdf(document)
    assert borders._replayed[0] > least
    with weasyprints_own():
        theirs = lay_out.pdf(document)
    assert ours == theirs


@pytest.mark.parametrize("tags", [False, True])
def test_rules_drawn_again_are_weasyprints(tags: bool) -> None:
    _drawn_both_ways(layout.Layout(ROOT, [ROOT], 1_700_000_000, pdf_tags=tags), _tables(), 50)


def test_the_demo_book_is_weasyprints() -> None:
    demo = Documents(check(ROOT / "plans" / "demo"))
    folder = demo.checked.folder
    lay_out = layout.Layout(folder, [folder, ROOT], 1_700_000_000)
    _drawn_both_ways(lay_out, demo.html("strategy.html.j2"), 500)
