"""A box's used margins, paddings, widths and heights, resolved once per style and containing
block.

WeasyPrint resolves them (``layout.percent.resolve_percentages``) each time a box is laid out:
fifteen lengths, each read from the style and resolved against the containing block (a
percentage, ``calc()``, ``auto``). A table cell is laid out again for every line box and
every page it is tried on, and the cells of a column share one style: 79,000 calls for the
1,000-project book, 8 % of its layout. What they resolve to depends on the style and the
containing block's width and height alone (and whether the box is a page), so it is
resolved once for each, by WeasyPrint's own ``resolve_one_percentage``, kept on the style,
and set on each box. The border widths (a collapsed border's may be the box's own) and the
box-sizing adjustment are done for each box, as WeasyPrint does them. The same bytes
(tests/test_percentages.py).
"""

from __future__ import annotations

from importlib import import_module
from math import inf
from typing import Any

NAME = "percentages"
CHECKED = ("70.0",)  # the WeasyPrint versions this was checked against (its tests pass)
STAGE = "layout"
TESTS = "tests/test_percentages.py"

_state: dict[str, Any] = {"installed": False, "original": None, "ours": None}

# The layout modules that import resolve_percentages by name.
USERS = ("absolute", "block", "column", "flex", "float", "grid", "inline", "page", "table")
BORDERS = ("border_top_width", "border_right_width", "border_bottom_width", "border_left_width")
KEPT = "_saoreport_used"  # on a style: (containing block's width, height, page?) -> lengths


class _Lengths:
    """What WeasyPrint's resolve_one_percentage sets, gathered (it sets attributes)."""

    def __init__(self, style: Any) -> None:
        self.style = style


def _resolve(percent: Any, style: Any, width: Any, height: Any, page: bool) -> dict[str, Any]:
    """The lengths resolve_percentages sets before the borders, in its order."""
    one = percent.resolve_one_percentage
    lengths = _Lengths(style)
    vertical = height if page else width  # margins and paddings refer to the width but on a page
    for name, refer_to in (
        ("margin_left", width),
        ("margin_right", width),
        ("margin_top", vertical),
        ("margin_bottom", vertical),
        ("padding_left", width),
        ("padding_right", width),
        ("padding_top", vertical),
        ("padding_bottom", vertical),
        ("width", width),
        ("min_width", width),
        ("max_width", width),
    ):
        one(lengths, name, refer_to)
    if height == "auto":  # the containing block's height depends on its content
        specified = style["height"]
        if specified == "auto" or percent.check_math(specified) or specified.unit == "%":
            lengths.height = "auto"  # type: ignore[attr-defined]
        else:
            assert specified.unit.lower() == "px"
            lengths.height = specified.value  # type: ignore[attr-defined]
        one(lengths, "min_height", 0)
        one(lengths, "max_height", inf)
    else:
        for name in ("height", "min_height", "max_height"):
            one(lengths, name, height)
    found = dict(vars(lengths))
    del found["style"]
    return found


def _resolve_percentages(percent: Any, box_class: Any, page_class: Any) -> Any:
    adjust = percent.adjust_box_sizing

    def resolve_percentages(box: Any, containing_block: Any) -> None:
        if isinstance(containing_block, box_class):
            width, height = containing_block.width, containing_block.height
        else:
            width, height = containing_block
        style = box.style
        page = isinstance(box, page_class)
        kept = vars(style).setdefault(KEPT, {})
        lengths = kept.get((width, height, page))
        if lengths is None:
            lengths = kept[width, height, page] = _resolve(percent, style, width, height, page)
        vars(box).update(lengths)
        collapse = style["border_collapse"] == "collapse"
        for name in BORDERS:
            # A collapsed border's width was set on the box when the borders were resolved.
            if not (collapse and hasattr(box, name)):
                setattr(box, name, style[name])
        adjust(box, "width")
        adjust(box, "height")

    return resolve_percentages


def install() -> None:
    """Resolve WeasyPrint's boxes' lengths this way (once per process)."""
    if _state["installed"]:
        return
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout import percent

    original = percent.resolve_percentages
    ours = _resolve_percentages(percent, boxes.Box, boxes.PageBox)
    _state["original"] = original
    percent.resolve_percentages = ours
    for name in USERS:
        module = import_module(f"weasyprint.layout.{name}")
        if getattr(module, "resolve_percentages", None) is original:
            vars(module)["resolve_percentages"] = ours
    _state["ours"] = ours
    _state["installed"] = True


def uninstall() -> None:
    """WeasyPrint's resolve_percentages again, everywhere it is used, as before install."""
    if not _state["installed"]:
        return
    from weasyprint.layout import percent

    original, ours = _state["original"], _state["ours"]
    percent.resolve_percentages = original
    for name in USERS:
        module = import_module(f"weasyprint.layout.{name}")
        if getattr(module, "resolve_percentages", None) is ours:
            vars(module)["resolve_percentages"] = original
    _state["installed"] = False
