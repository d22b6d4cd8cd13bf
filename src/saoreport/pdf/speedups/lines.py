"""Lines found once per layout: WeasyPrint's (and our line breaking's) ``split_first_line``, its
result kept.

WeasyPrint finds each line of a text box anew (a Pango layout per line, and more for Step 3
and for our rules in linebreak.py), and it lays out the same text at the same width many times
in one document (a table's rows tried on a page and laid out again on the next, the same cell
text in many rows): two calls in three repeat one before them. Within one layout
(``remembered``), each line found is kept by everything it depends on, and a repeat gets the
same line without Pango: the same boxes, the same bytes (tests/test_remembered_lines.py).
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any

from saoreport.pdf import linebreak
from saoreport.pdf.speedups.fontmemory import FontMemory, plain, style_values

NAME = "lines"
CHECKED = ("70.0",)  # the WeasyPrint versions this was checked against (its tests pass)
STAGE = "layout"
TESTS = "tests/test_remembered_lines.py"

STYLE_KEYS = linebreak.STYLE_KEYS
state = linebreak._state  # the text box being laid out, and the line breaking's flags
found_words = linebreak._found  # the sets collecting the words wider than their line

# Lines kept while layouts run (``remembered`` blocks), by font configuration and the fonts
# added to it (fontmemory.py), then by their inputs: at most 40,000 (about 1 kB a line) for
# each of the last 2 configurations.
_memory = FontMemory(40_000)
_names: dict[tuple[str, ...], tuple[str, ...]] = {}  # one tuple of a Layout's attribute names
_served = [0]  # lines served from memory (tests)
_state: dict[str, Any] = {"installed": False, "original": None}


def _remembering(split: Any, kind: str) -> Any:
    """*split* (a split_first_line: ours, or WeasyPrint's as its preferred widths call it,
    named by *kind*), its lines kept within a ``remembered`` block.

    A line depends on the arguments, the style's STYLE_KEYS, the font configuration and the
    fonts added to it (fontmemory.py), and the box being laid out (linebreak's ``_state``:
    its text and how much of it earlier lines took, from which the masks are cut). A repeat
    gets a copy of the Layout object WeasyPrint returned (deactivated: its text, widths and
    direction; drawing makes a new Pango layout from them), and the words found wider than
    their line are reported again. Where a value is not plain data, or outside a
    ``remembered`` block, the line is found as WeasyPrint finds it."""

    def split_first_line(
        text: str, style: Any, context: Any, max_width: Any, spacing: Any, *args: Any, **kw: Any
    ) -> Any:
        if not _memory.active:
            return split(text, style, context, max_width, spacing, *args, **kw)
        values = style_values(style, STYLE_KEYS)
        if values is None or not plain((max_width, spacing, args, tuple(kw.values()))):
            return split(text, style, context, max_width, spacing, *args, **kw)
        full = state["text"]
        key = (
            kind,
            state["line_start"],  # (set by our split_first_line, read by set_text)
            state["phrases"],
            text,
            type(max_width),
            max_width,
            type(spacing),
            spacing,
            args,
            tuple(kw.items()),
            True if full == text else full,  # (the box's whole text: not kept twice)
            state["skip"],
            values,
        )
        memo = _memory.memo(style.font_config)
        kept = memo.get(key)
        if kept is None:
            words: set[str] = set()
            found_words.append(words)
            try:
                result = split(text, style, context, max_width, spacing, *args, **kw)
            finally:
                del found_words[next(i for i, f in enumerate(found_words) if f is words)]
            layout = result[0]
            # The Pango layout our set_text kept to restore its attributes on the next
            # set_text of the same layout: this one is deactivated (drawing makes a new one).
            layout._sao_base = None
            if layout.text == text:
                layout.text = text  # the same string as the key's, kept once
            names = tuple(layout.__dict__)
            names = _names.setdefault(names, names)
            # One flat tuple: the words reported, the Layout's class and attributes, the rest
            # of what split_first_line returns (length, resume index, width, height, baseline).
            _memory.keep(
                memo,
                key,
                (frozenset(words) or None, type(layout), names, *layout.__dict__.values())
                + tuple(result[1:]),
            )
            return result
        _served[0] += 1
        words, cls, names = kept[:3]
        layout = cls.__new__(cls)
        end = 3 + len(names)
        layout.__dict__.update(zip(names, kept[3:end], strict=True))
        if words:
            for found in found_words:
                found |= words
        return (layout, *kept[end:])

    return split_first_line


def remembered() -> AbstractContextManager[None]:
    """Serve repeated lines while the block (a WeasyPrint layout) runs."""
    return _memory.remembered()


def install() -> None:
    """Keep the lines WeasyPrint finds (once per process; after linebreak.install, whose rules
    are part of each line)."""
    if _state["installed"]:
        return
    from weasyprint.layout import inline, preferred

    linebreak.install()
    _state["original"] = (inline.split_first_line, preferred.split_first_line)
    inline.split_first_line = _remembering(inline.split_first_line, "line")
    preferred.split_first_line = _remembering(preferred.split_first_line, "preferred")
    _state["installed"] = True


def uninstall() -> None:
    """Find every line anew, as before install."""
    if not _state["installed"]:
        return
    from weasyprint.layout import inline, preferred

    inline.split_first_line, preferred.split_first_line = _state["original"]
    _state["installed"] = False
