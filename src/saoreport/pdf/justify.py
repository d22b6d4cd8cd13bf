"""Thai distributed justification: share a line's spare width out between its characters.

WeasyPrint justifies by stretching spaces only, so a Thai line with one space gapes.
Thai offices justify "distributed": the spare width goes between the characters. Blocks
marked ``data-dist`` in the HTML are laid out once, each line measured, then laid out again
with every line but the last fixed (no wrapping) and given letter spacing that fills it.
Letter spacing is capped (MAX_LETTER) so extractors never read a gap as a space. Spaces are
not stretched beyond that (MAX_SPACE = 0): a gap wider than a space plus the cap reads as a
gaping hole, and as two spaces to pdftotext. A line needing more stays a little short.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from markupsafe import escape

MAX_LETTER = 0.06  # em, between two characters
MAX_SPACE = 0.0  # em, added to one space beyond the letter spacing it has already
SAFETY = 0.3  # px left over, so that rounding never pushes a line past its edge
_BLOCK = re.compile(r'(<(\w+)\b[^>]*\bdata-dist="(\d+)"[^>]*>)(.*?)(</\2>)', re.S)
# Sections the template marks as holding no such block are left out of the measuring layout.
_SKIP = re.compile(r'<section\b[^>]*\bdata-measure="skip"[^>]*>.*?</section>', re.S)


Run = tuple[str, int, str]  # a piece of a line in one style: text, font weight, font style


@dataclass
class Line:
    text: str
    spare: float  # px between the line's end and its block's right edge
    size: float  # font size, px
    runs: tuple[Run, ...] = ()  # the line's text by style (bold, italic), where it has any

    def html(self) -> str:
        """The line's text, its bold and italic runs kept."""
        if not self.runs:
            return str(escape(self.text))
        out = []
        for text, weight, style in self.runs:
            if (weight, style) == (400, "normal"):
                out.append(str(escape(text)))
            else:
                out.append(f'<span style="font-weight:{weight};font-style:{style}">')
                out.append(f"{escape(text)}</span>")
        return "".join(out)


def _runs(texts: list[Any]) -> tuple[Run, ...]:
    """The text boxes' texts by style, stripped as the line's text is; () if all is plain."""
    runs: list[Run] = []
    for t in texts:
        key = (int(t.style["font_weight"]), str(t.style["font_style"]))
        if runs and runs[-1][1:] == key:
            runs[-1] = (runs[-1][0] + t.text, *key)
        else:
            runs.append((t.text, *key))
    if all(r[1:] == (400, "normal") for r in runs):
        return ()
    runs[0] = (runs[0][0].lstrip(), *runs[0][1:])
    runs[-1] = (runs[-1][0].rstrip(), *runs[-1][1:])
    return tuple(r for r in runs if r[0])


def _boxes() -> Any:
    from weasyprint.formatting_structure import boxes

    return boxes


def _text_boxes(box: Any) -> Iterator[Any]:
    boxes = _boxes()
    for child in getattr(box, "children", []):
        if isinstance(child, boxes.TextBox):
            yield child
        elif not isinstance(child, boxes.InlineBlockBox):  # e.g. the list number
            yield from _text_boxes(child)


def measure(document: Any) -> dict[str, list[Line]]:
    """The lines of every data-dist block, in order, across pages."""
    boxes = _boxes()
    found: dict[str, list[Line]] = {}

    def walk(box: Any) -> None:
        element: Any = getattr(box, "element", None)
        key = element.get("data-dist") if element is not None else None
        if key is not None and box.element_tag == element.tag:
            right = box.content_box_x() + box.width
            for line in box.children:
                if isinstance(line, boxes.LineBox):
                    texts = list(_text_boxes(line))
                    if texts:
                        end = max(t.position_x + t.width for t in texts)
                        text = "".join(t.text for t in texts).strip()
                        size = texts[0].style["font_size"]
                        line_ = Line(text, right - end, size, _runs(texts))
                        found.setdefault(key, []).append(line_)
            return
        for child in getattr(box, "children", []):
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    return found


def _clusters(text: str) -> int:
    return sum(1 for c in text if unicodedata.category(c) not in ("Mn", "Me", "Cf"))


def spacing(line: Line) -> tuple[float, float]:
    """Letter and word spacing (px) that fill *line*, within the caps."""
    gaps = max(_clusters(line.text), 1)  # Pango spaces every grapheme, the last one too
    spare = max(line.spare - SAFETY, 0.0)
    letter = min(spare / gaps, MAX_LETTER * line.size)
    spaces = line.text.count(" ")
    rest = spare - letter * gaps
    word = min(rest / spaces, MAX_SPACE * line.size) if spaces and rest > 0 else 0.0
    return letter, word


def rewrite(html: str, lines: dict[str, list[Line]]) -> str:
    """*html* with each measured block's lines fixed and spaced out."""

    def block(match: re.Match[str]) -> str:
        measured = lines.get(match.group(3))
        if not measured or len(measured) < 2:
            return match.group(0)
        parts = []
        for line in measured[:-1]:
            letter, word = spacing(line)
            style = f"letter-spacing:{letter:.3f}px;word-spacing:{word:.3f}px"
            parts.append(f'<span class="dl" style="{style}">{line.html()}</span><br>')
        parts.append(measured[-1].html())
        # The lines are fixed now: the block may break only at the <br>s.
        opening = match.group(1)[:-1] + ' style="white-space: nowrap">'
        return opening + "".join(parts) + match.group(5)

    return _BLOCK.sub(block, html)


def distribute(html: str, lay_out: Callable[[str], Any]) -> Any:
    """Lay *html* out with its data-dist blocks justified the Thai way.

    The lines are measured on a layout of only the sections that hold such blocks (the
    template marks the others data-measure="skip"): a long document is laid out in full once.
    """
    if "data-dist=" not in html:
        return lay_out(html)
    lines = measure(lay_out(_SKIP.sub("", html)))
    return lay_out(rewrite(html, lines) if lines else html)
