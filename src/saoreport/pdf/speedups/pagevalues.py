"""A box's start and end page names found from its first and last in-flow child alone.

Block layout asks each child it lays out, and each pair of siblings it may break between, for
their start and end page values (``ParentBox.page_values``, the ``page`` property propagated
from the first and the last in-flow or floated child: css-break-4). WeasyPrint 70 builds, at
each call, the list of every child in flow to take its first and last: a table's row group
of 48 rows, or a row of 12 cells, asked again and again as the table is laid out page by
page (about 3 % of a long book's CPU, cProfile). Here the first such child is found from the
start and the last from the end, and asked in WeasyPrint's order: the same values (the
children's predicates have no side effects), the same bytes (tests/test_pagevalues.py).
"""

from __future__ import annotations

from typing import Any

NAME = "pagevalues"
CHECKED = ("70.0",)  # the WeasyPrint versions this was checked against (its tests pass)
STAGE = "layout"
TESTS = "tests/test_pagevalues.py"

_state: dict[str, Any] = {"installed": False, "original": None}


def _flows(child: Any) -> bool:
    return bool(child.is_in_normal_flow() or child.is_floated())


def page_values(box: Any) -> tuple[Any, Any]:
    """WeasyPrint's ParentBox.page_values, without the list of every child in flow."""
    page = box.style["page"]
    start_value, end_value = page, page
    children = box.children
    first = next((child for child in children if _flows(child)), None)
    if first is None:
        return start_value, end_value
    last = next(child for child in reversed(children) if _flows(child))
    if first is last:
        values = first.page_values()
        return values[0] or start_value, values[1] or end_value
    start_value = first.page_values()[0] or start_value
    end_value = last.page_values()[1] or end_value
    return start_value, end_value


def install() -> None:
    """Answer WeasyPrint's parent boxes this way (once per process)."""
    if _state["installed"]:
        return
    from weasyprint.formatting_structure import boxes

    _state["original"] = vars(boxes.ParentBox)["page_values"]
    boxes.ParentBox.page_values = page_values
    _state["installed"] = True


def uninstall() -> None:
    """WeasyPrint's own page_values again, as before install."""
    if not _state["installed"]:
        return
    from weasyprint.formatting_structure import boxes

    boxes.ParentBox.page_values = _state["original"]
    _state["installed"] = False
