"""Text lines drawn again without Pango: WeasyPrint's drawing of a line, its shaping kept.

WeasyPrint draws each line of text (``draw_text``) by making a new Pango layout for it
(``Layout.reactivate``: a Pango context, a font description, the text and its attributes), shaping
it again (``get_first_line``), and walking Pango's runs and glyphs (``draw_first_line``): it
writes the glyphs' TJ strings and registers the fonts, the glyphs' widths and their text
(``to_unicode``) with the PDF stream. A document draws the same line text in the same style many
times (a unit, an amount, a table header on every page).

Within a drawing (``remembered``), what Pango gave for a line (its runs: the font, the glyphs, their
geometry and clusters) is kept by everything the layout and the shaping read: the text, the
justification spacing, the style's STYLE_KEYS, the font configuration and the fonts added to it.
A repeat skips the Pango layout and the shaping, and runs WeasyPrint's own walk over the kept
runs (the same code, from ``draw_first_line``), so that every side effect on the stream and its
fonts happens as before: the same bytes. The attributes the drawing leaves on WeasyPrint's
Layout object are set as the first drawing left them. Lines with an ellipsis or a tab, and
styles whose values are not plain data, are drawn as WeasyPrint draws them.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from io import BytesIO
from typing import Any
from xml.etree import ElementTree

from saoreport.pdf import linebreak
from saoreport.pdf.speedups.fontmemory import FontMemory, plain, style_values

NAME = "drawing"
CHECKED = ("70.0",)  # the WeasyPrint versions this was checked against (its tests pass)
STAGE = "drawing"
TESTS = "tests/test_drawing.py"

# Every computed property that WeasyPrint's Layout.reactivate (setup, set_text, and our set_text
# hook) and draw_first_line read, for a line without an ellipsis or a tab (tests/test_drawing.py
# records the properties read while documents are drawn and checks that they are all here).
STYLE_KEYS = linebreak.STYLE_KEYS

# Lines kept while drawings run (``remembered`` blocks), by font configuration and the fonts
# added to it (fontmemory.py), then by their inputs: at most 30,000 for each of the last 2.
_memory = FontMemory(30_000)
_served = [0]  # lines drawn from memory (tests)
_replayed = [0]  # of them, lines whose calls on the stream were made again (tests)
# The Layout attributes that Layout.reactivate (setup, set_text, our set_text hook) and
# get_first_line set: the values a line drawn from memory gets (with any other the first
# drawing of the line changed).
_SET = frozenset(
    (
        "ascent",
        "first_line_direction",
        "strikethrough_position",
        "strikethrough_thickness",
        "text",
        "underline_position",
        "underline_thickness",
        "_sao_base",
    )
)
_state: dict[str, Any] = {"installed": False, "ffi": False, "line": None, "original": None}


class _Run:
    """One of Pango's runs of a line: its font (a reference held), bidi level, item and
    glyphs (id, width, x offset, y offset) with their clusters."""

    __slots__ = ("font", "level", "offset", "length", "glyphs", "clusters")

    def __init__(
        self,
        font: Any,
        level: int,
        offset: int,
        length: int,
        glyphs: tuple[tuple[int, int, int, int], ...],
        clusters: tuple[int, ...],
    ) -> None:
        self.font = font
        self.level = level
        self.offset = offset
        self.length = length
        self.glyphs = glyphs
        self.clusters = clusters


def _runs(first_line: Any) -> list[_Run]:
    """The runs of Pango's *first_line*, copied (each font referenced, released with the run)."""
    from weasyprint.text.ffi import ffi, gobject

    if not _state["ffi"]:
        ffi.cdef("gpointer g_object_ref (gpointer object);")
        _state["ffi"] = True
    runs = []
    fonts: dict[int, Any] = {}
    run = first_line.runs[0]
    while run != ffi.NULL:
        glyph_item = run.data
        run = run.next
        glyph_string = glyph_item.glyphs
        num_glyphs = glyph_string.num_glyphs
        item = glyph_item.item
        pango_font = item.analysis.font
        address = int(ffi.cast("uintptr_t", pango_font))
        font = fonts.get(address)
        if font is None:
            gobject.g_object_ref(pango_font)
            font = fonts[address] = ffi.gc(pango_font, gobject.g_object_unref)
        glyphs = tuple(
            (g.glyph, g.geometry.width, g.geometry.x_offset, g.geometry.y_offset)
            for g in glyph_string.glyphs[0:num_glyphs]
        )
        clusters = tuple(glyph_string.log_clusters[0:num_glyphs])
        runs.append(_Run(font, item.analysis.level, item.offset, item.length, glyphs, clusters))
    return runs


def _replay(stream: Any, drawn: Any, matrix: Any) -> bool:
    """The calls on *stream* a walk made (*drawn*: see ``_walk``), made again if the walk would
    make them again: each font the same size, every glyph's width and text already registered
    in it, with the same widths (the strings hold the widths; nothing is registered anew)."""
    groups, calls = drawn
    fonts = []
    for pango_font, size, bitmap, needs in groups:
        font, font_size = stream.add_font(pango_font)
        if font_size != size or font.bitmap != bitmap:
            return False
        widths, to_unicode = font.widths, font.to_unicode
        for glyph_id, width in needs:
            if widths.get(glyph_id) != width or glyph_id not in to_unicode:
                return False
        fonts.append(font)
    stream.set_text_matrix(*matrix.values)
    for kind, value, size in calls:
        if kind == 0:
            stream.show_text(value)
        elif kind == 1:
            stream.set_font_size(fonts[value].hash, size)
        else:
            stream.set_text_rise(value)
    _replayed[0] += 1
    return True


def _walk(stream: Any, textbox: Any, runs: list[_Run], matrix: Any, entry: list[Any]) -> list[Any]:
    """WeasyPrint's draw_first_line (70.x) from ``stream.set_text_matrix`` on, reading the kept
    *runs* where it reads Pango's: the same calls on the stream and its fonts. The calls it
    made are kept in *entry* with what they depend on (``_replay``), for a line without
    missing glyphs or colour fonts."""
    from PIL import Image
    from weasyprint.draw.text import LOGGER
    from weasyprint.images import RasterImage, SVGImage
    from weasyprint.text.ffi import FROM_UNITS, pango
    from weasyprint.text.fonts import get_hb_object_data

    stream.set_text_matrix(*matrix.values)
    previous_pango_font = None
    string = ""
    x_advance = 0
    emojis: list[Any] = []
    calls: list[tuple[int, Any, Any]] = []  # (0, string, None), (1, group, size), (2, rise, None)
    groups: list[list[Any]] = []  # [Pango font, size, bitmap, Font, glyph ids]
    simple = True
    for kept in runs:
        glyphs_info = kept.glyphs
        num_glyphs = len(glyphs_info)
        clusters = kept.clusters
        utf8_text = None

        pango_font = kept.font
        if pango_font != previous_pango_font:
            previous_pango_font = pango_font
            font, font_size = stream.add_font(pango_font)
            added = font_size
            if pango.pango_version() < 14802 or font.png:
                font_size = textbox.style["font_size"]
            if string:
                stream.show_text(string)
                calls.append((0, string, None))
            string = ""
            stream.set_font_size(font.hash, 1 if font.bitmap else font_size)
            calls.append((1, len(groups), 1 if font.bitmap else font_size))
            groups.append([pango_font, added, font.bitmap, font, []])
            simple = simple and not (font.svg or font.png or font.colr)
        used = groups[-1][4]
        string += "<"
        for i, (glyph_id, width, x_offset, y_offset) in enumerate(glyphs_info):
            if glyph_id == pango.PANGO_GLYPH_EMPTY:
                string += f">{-width / font_size}<"
                continue

            used.append(glyph_id)
            if glyph_id & pango.PANGO_GLYPH_UNKNOWN_FLAG:
                simple = False
                codepoint = glyph_id - pango.PANGO_GLYPH_UNKNOWN_FLAG
                LOGGER.warning(
                    '.notdef glyph rendered for Unicode string unsupported by fonts: "%s" (U+%04X)',
                    chr(codepoint),
                    codepoint,
                )
                glyph_id = font.get_unused_glyph_id(codepoint)
                font.widths[glyph_id] = round(width * 1000 * FROM_UNITS / font_size)
                if 0 not in font.widths:
                    font.widths[0] = font.widths[glyph_id]

            if glyph_id not in font.to_unicode:
                offset = kept.offset
                t1 = clusters[i]
                if kept.level % 2:  # rtl
                    t2 = kept.length if i == 0 else clusters[i - 1]
                else:
                    t2 = kept.length if i == num_glyphs - 1 else clusters[i + 1]
                utf8_text = utf8_text or textbox.pango_layout.text.encode()
                font.to_unicode[glyph_id] = utf8_text[offset + t1 : offset + t2].decode()

            offset = x_offset / font_size
            rise = y_offset / 1000
            if rise:
                if string[-1] == "<":
                    string = string[:-1]
                else:
                    string += ">"
                if string:
                    stream.show_text(string)
                    calls.append((0, string, None))
                stream.set_text_rise(-rise)
                calls.append((2, -rise, None))
                string = ""
                if offset:
                    string = f"{-offset}"
                string += f"<{glyph_id:02x}>" if font.bitmap else f"<{glyph_id:04x}>"
                stream.show_text(string)
                stream.set_text_rise(0)
                calls.append((0, string, None))
                calls.append((2, 0, None))
                string = "<"
            else:
                if offset:
                    string += f">{-offset}<"
                string += f"{glyph_id:02x}" if font.bitmap else f"{glyph_id:04x}"

            if glyph_id in font.widths:
                logical_width = font.widths[glyph_id]
            else:
                pango.pango_font_get_glyph_extents(
                    pango_font, glyph_id, stream.ink_rect, stream.logical_rect
                )
                logical_width = font.widths[glyph_id] = round(
                    stream.logical_rect.width * 1000 * FROM_UNITS / font_size
                )

            kerning = logical_width + offset - width * 1000 * FROM_UNITS / font_size
            if kerning:
                string += f">{int(kerning)}<"

            if font.svg:
                svg_data = get_hb_object_data(font.hb_face, "svg", glyph_id)
                if svg_data:
                    tree = ElementTree.fromstring(svg_data)
                    if tree.get("id") != f"glyph{glyph_id}":
                        defs = ElementTree.Element("defs")
                        for child in list(tree):
                            defs.append(child)
                            tree.remove(child)
                        tree.append(defs)
                        ElementTree.SubElement(tree, "use", attrib={"href": f"#glyph{glyph_id}"})
                    if "viewBox" not in tree.attrib:
                        tree.attrib["viewBox"] = f"0 0 {font.upem} {font.upem}"
                    image = SVGImage(tree, None, None, None)
                    a = d = 1
                    emojis.append([image, font, a, d, x_advance, 0])
            elif font.png:
                png_data = get_hb_object_data(font.hb_font, "png", glyph_id)
                if png_data:
                    pillow_image = Image.open(BytesIO(png_data))
                    image_id = f"{font.hash}{glyph_id}"
                    raster = RasterImage(pillow_image, image_id, png_data)
                    d = logical_width / 1000
                    a = pillow_image.width / pillow_image.height * d
                    pango.pango_font_get_glyph_extents(
                        pango_font, glyph_id, stream.ink_rect, stream.logical_rect
                    )
                    f = -stream.logical_rect.y
                    f = f * FROM_UNITS / font_size - font_size
                    emojis.append([raster, font, a, d, x_advance, f])
            elif font.colr:
                svg_data = get_hb_object_data(font.hb_font, "colr", glyph_id)
                if svg_data:
                    tree = ElementTree.fromstring(svg_data)
                    image = SVGImage(tree, None, None, None)
                    a = d = 1
                    e = x_advance - kerning
                    emojis.append([image, font, a, d, e, -textbox.baseline])

            x_advance += (logical_width + offset - kerning) / 1000

        if string[-1] == "<":
            string = string[:-1]
        else:
            string += ">"

    stream.show_text(string)
    calls.append((0, string, None))
    if simple:
        entry[2] = (
            tuple(
                (pango_font, size, bitmap, tuple({g: font.widths[g] for g in used}.items()))
                for pango_font, size, bitmap, font, used in groups
            ),
            tuple(calls),
        )
    return emojis


def _key(textbox: Any) -> Any:
    """What drawing *textbox*'s line reads (None: not kept)."""
    layout = textbox.pango_layout
    style = textbox.style
    text = layout.text
    if "\t" in text:
        return None
    values = style_values(style, STYLE_KEYS)
    spacing = layout.justification_spacing
    if values is None or not plain(spacing):
        return None
    return (text, bool(textbox.text.strip()), type(spacing), spacing, values)


def _first_line(original: Any) -> Any:
    """WeasyPrint's draw_first_line, the line's runs kept or served in a ``remembered`` block."""

    def draw_first_line(
        stream: Any, textbox: Any, text_overflow: Any, block_ellipsis: Any, matrix: Any
    ) -> Any:
        line = _state["line"]
        if line is None or line[0] is not textbox:
            return original(stream, textbox, text_overflow, block_ellipsis, matrix)
        _state["line"] = None
        entry = line[1]
        if entry[0] is None:  # kept: shaped by Pango now
            if not textbox.text.strip() or textbox.style["font_size"] < 1e-6:
                entry[0] = ()
                return []
            from weasyprint.text.ffi import pango

            pango.pango_layout_set_single_paragraph_mode(textbox.pango_layout.layout, True)
            first_line, _ = textbox.pango_layout.get_first_line()
            entry[0] = _runs(first_line)
        if not entry[0]:
            return []
        if entry[2] is not None and _replay(stream, entry[2], matrix):
            return []
        return _walk(stream, textbox, entry[0], matrix, entry)

    return draw_first_line


def _draw_text(original: Any) -> Any:
    """WeasyPrint's draw_text; in a ``remembered`` block, a line drawn before is not laid out
    by Pango again."""

    def draw_text(
        stream: Any, textbox: Any, offset_x: Any, text_overflow: Any, block_ellipsis: Any = "none"
    ) -> Any:
        if (
            not _memory.active
            or text_overflow == "ellipsis"
            or block_ellipsis != "none"
            or textbox.style["visibility"] != "visible"
        ):
            return original(stream, textbox, offset_x, text_overflow, block_ellipsis)
        key = _key(textbox)
        if key is None:
            return original(stream, textbox, offset_x, text_overflow, block_ellipsis)
        memo = _memory.memo(textbox.style.font_config)
        layout = textbox.pango_layout
        entry = memo.get(key)
        if entry is None:
            before = dict(layout.__dict__)
            new: list[Any] = [None, None, None]  # runs, Layout attributes, calls
            _state["line"] = (textbox, new)
            try:
                result = original(stream, textbox, offset_x, text_overflow, block_ellipsis)
            finally:
                _state["line"] = None
            after = layout.__dict__
            if new[0] is not None and "reactivate" not in after:
                # What the drawing set on the Layout, and what it took away.
                new[1] = (
                    {
                        k: v
                        for k, v in after.items()
                        if k in _SET or k not in before or before[k] is not v
                    },
                    tuple(k for k in before if k not in after),
                )
                _memory.keep(memo, key, new)
            return result
        _served[0] += 1
        changed, gone = entry[1]

        def reactivate(style: Any) -> None:
            # In place of Layout.reactivate: the attributes it (and the drawing) set; the
            # Pango layout is not made (deactivate takes these away again).
            del layout.reactivate
            layout.__dict__.update(changed)
            layout.layout = layout.language = None
            layout.style = style

        layout.reactivate = reactivate
        _state["line"] = (textbox, entry)
        try:
            result = original(stream, textbox, offset_x, text_overflow, block_ellipsis)
        finally:
            _state["line"] = None
            layout.__dict__.pop("reactivate", None)
        for name in gone:
            layout.__dict__.pop(name, None)
        return result

    return draw_text


def remembered() -> AbstractContextManager[None]:
    """Draw repeated lines from memory while the block (a WeasyPrint write_pdf) runs."""
    return _memory.remembered()


def install() -> None:
    """Hook into WeasyPrint's drawing (once per process)."""
    if _state["installed"]:
        return
    from weasyprint import draw
    from weasyprint.draw import text

    _state["original"] = (text.draw_first_line, text.draw_text, draw.draw_text)
    text.draw_first_line = _first_line(text.draw_first_line)
    hooked = _draw_text(text.draw_text)
    text.draw_text = hooked
    draw.draw_text = hooked
    _state["installed"] = True


def uninstall() -> None:
    """WeasyPrint's drawing of lines again, as before install."""
    if not _state["installed"]:
        return
    from weasyprint import draw
    from weasyprint.draw import text

    text.draw_first_line, text.draw_text, draw.draw_text = _state["original"]
    _state["installed"] = False
