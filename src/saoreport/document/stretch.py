"""A laid-out one-page document given a shorter page and taller gaps, without laying it out
again (the posters: measured on a tall page, then printed with the spare height shared out).

Only the vertical positions of blocks after each gap change, and the heights of the gaps
and of the blocks that hold them: what a new layout would give, as long as nothing on the
page depends on the page's height or on where a block begins (no page-relative sizes,
fixed or absolute positions, floats or page breaks; the poster template has none).
"""

from __future__ import annotations

from typing import Any


def _px(mm: float) -> float:
    """*mm* in CSS pixels, as WeasyPrint converts a length in mm."""
    from weasyprint.css.units import LENGTHS_TO_PIXELS

    return mm * LENGTHS_TO_PIXELS["mm"] if mm else 0


def _no_image(*args: Any, **kwargs: Any) -> Any:
    raise LookupError("a background or border image")


def stretch(document: Any, sheet_id: str, gap_class: str, gap_mm: float, page_mm: float) -> bool:
    """Make *document*'s single page *page_mm* tall and every block of *gap_class* among
    the children of the block *sheet_id* *gap_mm* tall, moving what follows each gap down.
    False (the document as it was or unusable: lay it out anew) where the page is not
    simple enough to do so."""
    from weasyprint.document import Page
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout.background import layout_backgrounds

    if len(document.pages) != 1:
        return False
    page = document.pages[0]._page_box
    if len(page.children) != 1 or not isinstance(page.children[0], boxes.BlockBox):
        return False  # margin boxes (running heads, page numbers) would have to move too
    chain: list[Any] = []  # the root, ..., the sheet
    box = page.children[0]
    while True:
        chain.append(box)
        if box.element is not None and box.element.get("id") == sheet_id:
            break
        blocks = [c for c in box.children if isinstance(c, boxes.BlockBox)]
        if len(blocks) != len(box.children) or len(blocks) != 1:
            return False
        box = blocks[0]
    sheet = chain[-1]
    new_gap = _px(gap_mm)
    moved = 0.0
    for child in sheet.children:
        if not isinstance(child, boxes.BlockLevelBox) or child.style["position"] != "static":
            return False
        if child.style["float"] != "none":
            return False
        child.translate(dy=moved)
        if child.element is not None and gap_class in child.element.get("class", "").split():
            grown = new_gap - child.height
            child.height = new_gap
            moved += grown
    for box in chain:
        if box.height != "auto":
            box.height += moved
    outside = page.margin_height() - page.height
    page.height = _px(page_mm) - outside
    try:
        layout_backgrounds(page, _no_image)
    except LookupError:
        return False
    document.pages[0] = Page(page)
    return True
