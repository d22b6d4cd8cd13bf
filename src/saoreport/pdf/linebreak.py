"""Thai line breaking as a Thai typesetter would do it, hooked into WeasyPrint's Pango layouts.

Pango breaks Thai where libthai's dictionary has boundaries, which splits compounds a Thai
reader sees as one word (ผู้|รับผิดชอบ, อาสา|สมัคร, ลำ|ห้วย). Here every string WeasyPrint lays
out is segmented once (PyThaiNLP newmm, which keeps such compounds whole; cached), and each
Pango layout gets ``allow_breaks = false`` attributes (Pango >= 1.44) over:

- every word of the segmentation (compounds included);
- "ฯลฯ", and "ฯ" with the word before it;
- a number with its unit or classifier ("๑ แห่ง", "๒๐ ต่อปี") and a numbering word with its
  number ("ร้อยละ ๒๐", "หมู่ที่ ๕");
- the last two words of a paragraph, so that no line holds one word alone.

Where text is written in phrases (it has spaces), a line that would end inside a phrase ends at
the phrase's space instead if that costs at most PHRASE_SLACK of the line. Paragraphs marked
``balance`` (CSS: ``hyphenate-limit-zone: 1px``, see base.css.j2; hyphenation is off in our
documents, so the property has no other effect) are laid out in as few lines as they need, each
as narrow as still gives that number of lines. A word wider than its line keeps libthai's breaks
inside it (the dictionary's), and is reported (``overlong``) so that the user can shorten it.

Only break opportunities change: the text, and hence the PDF's text layer, is untouched.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from saoreport.pdf.justify import MAX_LETTER
from saoreport.wordbreak import THAI, kept

PHRASE_SLACK = 0.15  # share of the line a break at a phrase's space may leave empty
BALANCE_LINES = 4  # balance paragraphs of at most this many lines
# The computed style property through which a paragraph's CSS asks for balanced lines (1px)
# or says it is distributed-justified (2px): see base.css.j2.
MARKER = "hyphenate_limit_zone"
BALANCE, DISTRIBUTED = 1.0, 2.0

_state: dict[str, Any] = {
    "installed": False,
    "text": None,  # the text box being laid out (by split_text_box), from its start
    "skip": 0,  # characters of it on earlier lines
    "line_start": True,
    "phrases": False,
}
_found: list[set[str]] = []

# Every computed property that WeasyPrint's split_first_line (with its Layout, create_layout,
# first_line_metrics, line_size, fonts.get_font_description) and this module's hooks read:
# a line found is remembered by their values (speedups/lines.py; tests/test_remembered_lines.py
# records the properties read while documents are laid out and checks that they are all here).
STYLE_KEYS = (
    "direction",
    "font_family",
    "font_feature_settings",
    "font_kerning",
    "font_language_override",
    "font_size",
    "font_stretch",
    "font_style",
    "font_variant_alternates",
    "font_variant_caps",
    "font_variant_east_asian",
    "font_variant_ligatures",
    "font_variant_numeric",
    "font_variant_position",
    "font_variation_settings",
    "font_weight",
    "hyphenate_character",
    "hyphenate_limit_chars",
    "hyphenate_limit_zone",
    "hyphens",
    "lang",
    "letter_spacing",
    "overflow_wrap",
    "tab_size",
    "text_decoration_line",
    "white_space",
    "word_break",
    "word_spacing",
)


def _mask(text: str) -> tuple[bytes, bytes, bytes]:
    """The masks of *text*. WeasyPrint lays out a text box's text from where its last line
    ended, and parts of that (a prefix to find the first line, the first line itself): when
    *text* is such a part, its masks are cut out of those of the box's whole text, so that a
    box is segmented once, and the same way however it was reached (same input, same bytes)."""
    full, skip = _state["text"], _state["skip"]
    if isinstance(full, str) and full.startswith(text, skip) and (skip or full != text):
        masks = kept(full)
        end = skip + len(text) + 1
        first, second, third = (b"\0" + mask[skip + 1 : end] for mask in masks)
        return first, second, third
    return kept(text)


def _phrases(mask: bytes, text: str) -> bytes:
    """*mask* with every break kept out but those after a space: lines of whole phrases."""
    return bytes(
        1 if keep or (0 < p < len(text) and text[p - 1] != " ") else 0
        for p, keep in enumerate(mask)
    )


def _runs(mask: bytes, text: str) -> Iterator[tuple[int, int]]:
    """Byte ranges [a, b) of *text* whose inner positions are all kept."""
    n = len(text)
    p = 1
    while p < n:
        if mask[p]:
            q = p
            while q + 1 < n and mask[q + 1]:
                q += 1
            yield len(text[: p - 1].encode()), len(text[: q + 1].encode())
            p = q + 1
        p += 1


_ffi_ready = False


def _pango() -> tuple[Any, Any]:
    global _ffi_ready
    from weasyprint.text.ffi import ffi, pango

    if not _ffi_ready:
        ffi.cdef(
            """
            PangoAttribute * pango_attr_allow_breaks_new (gboolean allow_breaks);
            PangoAttrList * pango_attr_list_copy (PangoAttrList *list);
            PangoAttrList * pango_attr_list_ref (PangoAttrList *list);
            int pango_layout_get_width (PangoLayout *layout);
            int pango_layout_get_line_count (PangoLayout *layout);
            void pango_layout_index_to_pos (PangoLayout *layout, int index_, PangoRectangle *pos);
            """
        )
        _ffi_ready = True
    return ffi, pango


def _apply(layout: Any, base: Any, text: str, mask: bytes, extra: list[tuple[int, int]]) -> None:
    ffi, pango = _pango()
    attrs = pango.pango_attr_list_copy(base) if base != ffi.NULL else ffi.NULL
    if attrs == ffi.NULL:
        attrs = pango.pango_attr_list_new()
    attrs = ffi.gc(attrs, pango.pango_attr_list_unref)
    for a, b in [*_runs(mask, text), *extra]:
        attr = pango.pango_attr_allow_breaks_new(False)
        attr.start_index, attr.end_index = a, b
        pango.pango_attr_list_insert(attrs, attr)
    pango.pango_layout_set_attributes(layout, attrs)


def _first_line(layout: Any) -> tuple[int | None, float]:
    """Byte index where the second line starts (None: one line) and the first line's width."""
    ffi, pango = _pango()
    first = pango.pango_layout_get_line_readonly(layout, 0)
    second = pango.pango_layout_get_line_readonly(layout, 1)
    rect = ffi.new("PangoRectangle *")
    pango.pango_layout_line_get_extents(first, ffi.NULL, rect)
    return (None if second == ffi.NULL else second.start_index), rect.width


def _hooked_set_text(original: Any) -> Any:
    def set_text(self: Any, text: str, justify: bool = False) -> None:
        ffi, pango = _pango()
        saved = getattr(self, "_sao_base", None)
        if saved is not None and saved[0] == self.layout:
            pango.pango_layout_set_attributes(self.layout, saved[1])
        self._sao_base = None
        original(self, text, justify)
        text = self.text
        width = pango.pango_layout_get_width(self.layout)
        if width < 0 or not THAI.search(text):
            return
        base = pango.pango_layout_get_attributes(self.layout)
        if base != ffi.NULL:
            base = ffi.gc(pango.pango_attr_list_ref(base), pango.pango_attr_list_unref)
        self._sao_base = (self.layout, base)
        full, no_end, words = _mask(text)
        if _state["phrases"]:
            full = _phrases(full, text)
        _apply(self.layout, base, text, full, [])
        second, line_width = _first_line(self.layout)
        if line_width > width and _state["line_start"]:
            # A unit wider than the line: first without the last-two-words rule, then with
            # words alone (a number may leave its unit), then with libthai's breaks alone
            # (and say so). A mask equal to the one laid out gives the same lines: not again.
            if no_end != full:
                _apply(self.layout, base, text, no_end, [])
                second, line_width = _first_line(self.layout)
            if line_width > width:
                if words != no_end:
                    _apply(self.layout, base, text, words, [])
                    second, line_width = _first_line(self.layout)
                if line_width <= width:
                    full = no_end = words
            if line_width > width:
                cut = len(text.encode()[:second].decode()) if second else len(text)
                word = text[:cut].strip()
                pango.pango_layout_set_attributes(self.layout, base)
                second, new_width = _first_line(self.layout)
                if new_width <= width and self.style["font_size"] * 3 < width / 1024:
                    for found in _found:
                        found.add(word)
                return
            full = no_end
        distributed = _marked(self.style) == DISTRIBUTED
        # A line of a distributed paragraph is filled by letter spacing, at most MAX_LETTER
        # a character: keep the last two words together only if the line they leave can
        # still be filled (a full line matters more there).
        if (
            distributed
            and second is not None
            and full != no_end
            and width - line_width > _room(text, second, self.style)
        ):
            _apply(self.layout, base, text, no_end, [])
            second, line_width = _first_line(self.layout)
            full = no_end
        if second is None or " " not in text:
            return
        # Prefer ending the line at a phrase's space.
        cut = len(text.encode()[:second].decode())
        if text[cut - 1] == " " or cut >= len(text):
            return
        space = text.rfind(" ", 0, cut - 1)
        while space > 0 and full[space + 1]:
            space = text.rfind(" ", 0, space)
        if space <= 0:
            return
        rect = ffi.new("PangoRectangle *")
        pango.pango_layout_index_to_pos(self.layout, len(text[:space].encode()), rect)
        if rect.x >= (1 - PHRASE_SLACK) * width and (
            not distributed or width - rect.x <= _room(text, second, self.style)
        ):
            extra = [(len(text[: space + 1].encode()), len(text[: cut + 1].encode()))]
            _apply(self.layout, base, text, full, extra)

    return set_text


def _lines(layout: Any) -> list[float]:
    """The widths (Pango units) of a layout's lines."""
    ffi, pango = _pango()
    rect = ffi.new("PangoRectangle *")
    widths = []
    for i in range(pango.pango_layout_get_line_count(layout)):
        line = pango.pango_layout_get_line_readonly(layout, i)
        pango.pango_layout_line_get_extents(line, ffi.NULL, rect)
        widths.append(rect.width)
    return widths


def _marked(style: Any) -> float:
    """What the paragraph's style asks of the line breaking: BALANCE, DISTRIBUTED or 0."""
    zone = style[MARKER]
    return float(getattr(zone, "value", 0) or 0)


def _room(text: str, second: int, style: Any) -> float:
    """How much (Pango units) distributed justification can widen the first line, which
    ends at byte *second* of *text*: MAX_LETTER a character (justify.py)."""
    line = text.encode()[:second].decode()
    clusters = sum(1 for c in line.rstrip() if unicodedata.category(c) not in ("Mn", "Me", "Cf"))
    return float(clusters * MAX_LETTER * style["font_size"] * 1024)


def _balanced(
    text: str, style: Any, context: Any, max_width: float, spacing: float
) -> tuple[float, bool]:
    """The narrowest width (px) at which *text* takes as few lines as at *max_width*, and
    whether its lines end at its spaces only (text in phrases whose phrases fit the line)."""
    from weasyprint.text.ffi import TO_UNITS
    from weasyprint.text.line_break import create_layout

    _, pango = _pango()
    phrases = " " in text.strip()
    if phrases:
        _state["phrases"] = True
        layout = create_layout(text, style, context, max_width, spacing)
        widths = _lines(layout.layout)
        if len(widths) > BALANCE_LINES or max(widths) > max_width * TO_UNITS:
            phrases = _state["phrases"] = False
    if not phrases:
        layout = create_layout(text, style, context, max_width, spacing)
    lines = pango.pango_layout_get_line_count(layout.layout)
    if not 2 <= lines <= BALANCE_LINES:
        return max_width, phrases
    low, high = max_width / lines, max_width
    for _ in range(10):
        middle = (low + high) / 2
        pango.pango_layout_set_width(layout.layout, int(middle * TO_UNITS))
        widths = _lines(layout.layout)  # more lines, or a line wider than the width (no break)
        if len(widths) > lines or max(widths) > middle * TO_UNITS:
            low = middle
        else:
            high = middle
    return min(high + 0.5, max_width), phrases


def _hooked_split(original: Any) -> Any:
    def split_first_line(
        text: str, style: Any, context: Any, max_width: Any, spacing: Any, *args: Any, **kw: Any
    ) -> Any:
        previous = _state["line_start"], _state["phrases"]
        is_line_start = args[0] if args else kw.get("is_line_start", True)
        minimum = args[1] if len(args) > 1 else kw.get("minimum", False)
        _state["line_start"], _state["phrases"] = is_line_start, False
        try:
            if (
                _marked(style) == BALANCE
                and max_width is not None
                and max_width != float("inf")
                and not minimum
                and THAI.search(text)
            ):
                max_width, _state["phrases"] = _balanced(text, style, context, max_width, spacing)
            return original(text, style, context, max_width, spacing, *args, **kw)
        finally:
            _state["line_start"], _state["phrases"] = previous

    return split_first_line


def _hooked_split_box(original: Any) -> Any:
    def split_text_box(
        context: Any, box: Any, available_width: Any, skip: Any, *args: Any, **kw: Any
    ) -> Any:
        previous = _state["text"], _state["skip"]
        text = box.text
        _state["text"] = text
        _state["skip"] = len(text.encode()[: skip or 0].decode(errors="ignore"))
        try:
            return original(context, box, available_width, skip, *args, **kw)
        finally:
            _state["text"], _state["skip"] = previous

    return split_text_box


def install() -> None:
    """Hook the rules into WeasyPrint (once per process)."""
    if _state["installed"]:
        return
    from weasyprint.layout import inline
    from weasyprint.text import line_break

    line_break.Layout.set_text = _hooked_set_text(line_break.Layout.set_text)
    inline.split_first_line = _hooked_split(inline.split_first_line)
    inline.split_text_box = _hooked_split_box(inline.split_text_box)
    _state["installed"] = True


@contextmanager
def overlong() -> Iterator[set[str]]:
    """Collect the words found wider than their line while the block runs."""
    found: set[str] = set()
    _found.append(found)
    try:
        yield found
    finally:
        _found.remove(found)
        # What is left of a word once its first line is taken is reported again: keep the word.
        found -= {w for w in found if any(o != w and o.endswith(w) for o in found)}
