"""Table rules drawn again from the first one: WeasyPrint's ``draw_line``, its output kept.

A ผ.02 page of collapsed table borders is some 300 straight rules, each drawn by WeasyPrint's
``draw_line`` (border.py): a saved graphics state, the stroke colour (converted from its colour
space each time, with its alpha state), the line width, a move, a line, a stroke, the state
restored. Every rule of one width and colour writes the same operators but for its two points.

Here, on each page's stream, the first solid rule of a width and colour is drawn by WeasyPrint,
and the operators it wrote are kept; a later one writes the same operators with its own two
points (formatted by pydyf, as WeasyPrint's ``move_to`` and ``line_to`` format them) and leaves
the stream's state as the restore left it. Its side effects (the alpha state in the page's
resources) happened at the first. Other styles (dashed, double, …) are drawn by WeasyPrint.
The same bytes (tests/test_borders.py).
"""

from __future__ import annotations

from typing import Any

NAME = "borders"
CHECKED = ("70.0",)  # the WeasyPrint versions this was checked against (its tests pass)
STAGE = "drawing"
TESTS = "tests/test_borders.py"

_state: dict[str, Any] = {"installed": False, "original": None}
_replayed = [0]  # rules written from a kept one (tests)


def _point(x: float, y: float, operator: bytes) -> bytes:
    from pydyf import _to_bytes

    return b" ".join((_to_bytes(x), _to_bytes(y), operator))


def _draw_line(original: Any) -> Any:
    def draw_line(
        stream: Any,
        x1: float,
        y1: float,
        x2: float,
        y2: float,
        thickness: float,
        style: str,
        color: Any,
        offset: float = 0,
    ) -> None:
        if style != "solid":
            original(stream, x1, y1, x2, y2, thickness, style, color, offset)
            return
        kept: dict[Any, tuple[list[Any], int, int]] = stream.__dict__.setdefault("_sao_rules", {})
        key = (thickness, color.space, *color)
        found = kept.get(key)
        written = stream.stream
        if found is None:
            start = len(written)
            original(stream, x1, y1, x2, y2, thickness, style, color, offset)
            ops = written[start:]
            move, line = _point(x1, y1, b"m"), _point(x2, y2, b"l")
            if ops.count(move) == 1 and ops.count(line) == 1 and move != line:
                kept[key] = (ops, ops.index(move), ops.index(line))
            return
        ops, at_move, at_line = found
        again = list(ops)
        again[at_move], again[at_line] = _point(x1, y1, b"m"), _point(x2, y2, b"l")
        written.extend(again)
        # As the restore (WeasyPrint's Stream.pop_state) leaves them.
        stream._current_color = stream._current_color_stroke = None
        stream._current_alpha = stream._current_alpha_stroke = None
        stream._current_font = None
        _replayed[0] += 1

    return draw_line


def install() -> None:
    """Draw WeasyPrint's straight rules this way (once per process)."""
    if _state["installed"]:
        return
    import weasyprint.draw as draw

    _state["original"] = draw.draw_line  # (tests)
    draw.draw_line = _draw_line(draw.draw_line)
    _state["installed"] = True


def uninstall() -> None:
    """WeasyPrint's draw_line again, as before install."""
    if not _state["installed"]:
        return
    import weasyprint.draw as draw

    draw.draw_line = _state["original"]
    _state["installed"] = False
