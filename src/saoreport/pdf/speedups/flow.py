"""Two box predicates WeasyPrint asks millions of times, answered with fewer look-ups.

Block layout asks each child of each block, twice per pass, whether it is in normal flow
(``Box.is_in_normal_flow``: five methods, each reading ``float`` or ``position`` from the
style again), and each block whether it makes a formatting context. Together some 9 % of a
long document's CPU (py-spy). Here each reads ``float`` and ``position`` once and tests them
as the five methods do; ``is_floated`` is still asked of a box whose float is a side, as a
flex item answers it itself (WeasyPrint sets a method of its own on the box). Nothing else
changes (the same bytes: tests/test_flow.py compares every box of documents with WeasyPrint's
own answers, and the PDFs).
"""

from __future__ import annotations

from typing import Any

NAME = "flow"
CHECKED = ("70.0",)  # the WeasyPrint versions this was checked against (its tests pass)
STAGE = "layout"
TESTS = "tests/test_flow.py"

_state: dict[str, Any] = {"installed": False, "original": None}

FLOATS = frozenset(("left", "right", "inline-start", "inline-end"))  # Box.is_floated
OUT_OF_FLOW = frozenset(("absolute", "fixed"))  # Box.is_absolutely_positioned


def is_in_normal_flow(box: Any) -> bool:
    """Neither floated, absolutely positioned, running, a footnote nor a note."""
    style = box.style
    floating = style["float"]
    if (floating in FLOATS and box.is_floated()) or floating == "footnote":
        return False
    position = style["position"]  # a keyword, or a (function, name) pair
    return position not in OUT_OF_FLOW and position[0] not in ("running()", "note()")


def _establishes_formatting_context(block_container: type, block: type) -> Any:
    def establishes_formatting_context(box: Any) -> bool:
        style = box.style
        return (
            (style["float"] in FLOATS and box.is_floated())
            or style["position"] in OUT_OF_FLOW
            or box.is_column
            or (isinstance(box, block_container) and not isinstance(box, block))
            or (isinstance(box, block) and style["overflow"] != "visible")
            or "flow-root" in style["display"]
        )

    return establishes_formatting_context


def install() -> None:
    """Answer WeasyPrint's boxes this way (once per process)."""
    if _state["installed"]:
        return
    from weasyprint.formatting_structure import boxes

    box = boxes.Box
    _state["original"] = (box.is_in_normal_flow, box.establishes_formatting_context)
    box.is_in_normal_flow = is_in_normal_flow
    box.establishes_formatting_context = _establishes_formatting_context(
        boxes.BlockContainerBox, boxes.BlockBox
    )
    _state["installed"] = True


def uninstall() -> None:
    """WeasyPrint's own predicates again, as before install."""
    if not _state["installed"]:
        return
    from weasyprint.formatting_structure import boxes

    boxes.Box.is_in_normal_flow, boxes.Box.establishes_formatting_context = _state["original"]
    _state["installed"] = False
