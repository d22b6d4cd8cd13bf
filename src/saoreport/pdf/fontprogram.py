"""An embedded TrueType font program, to which composite glyphs are added (the text layer's
marks baked in place, SARA AM's glyphs), saved as fontTools would save it; and the notes a part
of a long document writes on its programs for the join (fontsharing.py)."""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass, field
from typing import Any

from fontTools.ttLib import TTFont
from fontTools.ttLib.tables._g_l_y_f import Glyph, GlyphComponent

ARGS_ARE_XY_VALUES = 0x0002


Part = tuple[int, int, int]  # glyph id, x and y offset in font units

# What a part's font program tells the join (fix_text_layer(shared=True), share_programs);
# no reader looks at these keys, and the join drops them with the part's program.
FACE, SHOWN = "/SaoreportFace", "/SaoreportShown"
COUNT, ADDED = "/SaoreportCount", "/SaoreportAdded"


def pack_added(composites: list[tuple[Part, ...]]) -> bytes:
    """Composite glyphs' parts as bytes: per glyph its number of parts, then each part."""
    out = bytearray()
    for parts in composites:
        out += struct.pack(">H", len(parts))
        for gid, dx, dy in parts:
            out += struct.pack(">Iii", gid, dx, dy)
    return bytes(out)


def unpack_added(data: bytes) -> list[tuple[Part, ...]]:
    """What pack_added wrote."""
    found: list[tuple[Part, ...]] = []
    at = 0
    while at < len(data):
        (n,) = struct.unpack_from(">H", data, at)
        at += 2
        found.append(tuple(struct.unpack_from(">Iii", data, at + 12 * k) for k in range(n)))
        at += 12 * n
    return found


@dataclass
class _Added:
    gid: int  # the new glyph
    base: int  # the glyph whose advance width (and, by default, text) it has
    text: str | None  # its own text, where it is not the base's
    parts: tuple[Part, ...]  # what it draws


@dataclass
class Program:
    """An embedded TrueType font program, to which composite glyphs are added.

    New glyphs get their ids at once and go into the font, in that order, when it is saved.
    """

    stream: Any
    font: TTFont
    upem: int
    added: dict[tuple[tuple[Part, ...], str | None], _Added] = field(default_factory=dict)
    count: int = -1  # glyphs in the font before any was added

    def compose(self, parts: tuple[Part, ...], text: str | None = None) -> int:
        """A glyph drawing *parts* (the last gives the advance width), standing for *text*."""
        key = (parts, text)
        found = self.added.get(key)
        if found is None:
            if self.count < 0:
                self.count = len(self.font.getGlyphOrder())
            gid = self.count + len(self.added)
            found = self.added[key] = _Added(gid, parts[-1][0], text, parts)
        return found.gid

    def _add_glyphs(self) -> None:
        order = list(self.font.getGlyphOrder())
        order += [f"saoreport{i}" for i in range(len(self.added))]
        self.font.setGlyphOrder(order)
        glyf, hmtx = self.font["glyf"], self.font["hmtx"]
        glyf.glyphOrder = order
        for added in self.added.values():
            name = order[added.gid]
            glyph = Glyph()
            glyph.numberOfContours = -1
            glyph.components = []
            for gid, dx, dy in added.parts:
                component = GlyphComponent()
                component.glyphName = order[gid]
                component.x, component.y = dx, dy
                component.flags = ARGS_ARE_XY_VALUES
                glyph.components.append(component)
            glyf.glyphs[name] = glyph
            glyph.recalcBounds(glyf)
            # FreeType places a TrueType outline by its left side bearing: it must be xMin.
            advance = hmtx[order[added.base]][0]
            hmtx[name] = (advance, getattr(glyph, "xMin", 0))

    def add(self) -> None:
        """Put the added glyphs into the font (to be saved)."""
        self._add_glyphs()
        self.font["maxp"].numGlyphs = len(self.font.getGlyphOrder())
        _recalc(self.font)

    def save(self) -> None:
        if self.added:
            self.add()
            out = io.BytesIO()
            self.font.save(out)
            self.stream.write(out.getvalue())
            self.stream.Length1 = len(out.getvalue())


# A simple glyph's data -> its data as fontTools compiles it (bounds recalculated), its
# bounds, and its number of points and contours. Subsets of one font share most glyphs.
_Compiled = tuple[bytes, tuple[int, int, int, int], int, int]
_COMPILED: dict[bytes, _Compiled] = {}


def _compile_simple(data: bytes, glyf: Any) -> _Compiled:
    data = bytes(data)  # fontTools' subsetter leaves a bytearray
    found = _COMPILED.get(data)
    if found is None:
        glyph = Glyph(data)
        compiled = glyph.compile(glyf, True)
        bounds = (glyph.xMin, glyph.yMin, glyph.xMax, glyph.yMax)
        found = (compiled, bounds, len(glyph.coordinates), len(glyph.endPtsOfContours))
        if len(_COMPILED) > 100_000:
            _COMPILED.clear()
        _COMPILED[data] = found
    return found


def _recalc(font: TTFont) -> None:
    """Do what fontTools' save does with recalcBBoxes (glyph bounds, and the glyf, maxp,
    head and hhea values derived from them), reusing the glyphs compiled for other
    subsets of the same font; then let the save write the glyphs as they are.

    The same bytes as a plain ``font.save`` (tests/test_textlayer.py checks it), without
    decompiling and recompiling every glyph of every subset.
    """
    glyf, hmtx = font["glyf"], font["hmtx"]
    metrics = hmtx.metrics
    order = font.getGlyphOrder()
    done: set[str] = set()
    maxp_cache: dict[str, Any] = {}
    compiled: dict[str, bytes] = {}
    inf = 100000
    x_min, y_min, x_max, y_max = inf, inf, -inf, -inf
    max_points = max_contours = 0
    max_composite_points = max_composite_contours = max_elements = max_depth = 0
    all_x_min_is_lsb = True
    lsb_min, rsb_min, extent_max = inf, inf, -inf
    any_outline = False
    glyphs = glyf.glyphs
    for name in order:
        glyph = glyphs[name]
        data = getattr(glyph, "data", None)
        if data is None and not glyph.numberOfContours and not hasattr(glyph, "components"):
            continue  # empty (a subset keeps the ids of the glyphs it drops): compiles to b""
        if data is not None and len(data) >= 2 and data[0] < 0x80 and (data[0] or data[1]):
            compiled[name], bounds, points, contours = _compile_simple(data, glyf)
            max_points, max_contours = max(max_points, points), max(max_contours, contours)
        else:
            compiled[name] = glyph.compile(glyf, True, boundsDone=done)
            if not glyph.numberOfContours:
                continue
            bounds = (glyph.xMin, glyph.yMin, glyph.xMax, glyph.yMax)
            if glyph.numberOfContours > 0:
                points, contours = glyph.getMaxpValues()
                max_points, max_contours = max(max_points, points), max(max_contours, contours)
            else:
                points, contours, depth = glyph.getCompositeMaxpValues(
                    glyf, maxpValuesCache=maxp_cache
                )
                max_composite_points = max(max_composite_points, points)
                max_composite_contours = max(max_composite_contours, contours)
                max_elements = max(max_elements, len(glyph.components))
                max_depth = max(max_depth, depth)
        any_outline = True
        advance, lsb = metrics[name]
        if lsb != bounds[0]:
            all_x_min_is_lsb = False
        x_min, y_min = min(x_min, bounds[0]), min(y_min, bounds[1])
        x_max, y_max = max(x_max, bounds[2]), max(y_max, bounds[3])
        width = bounds[2] - bounds[0]
        lsb_min = min(lsb_min, lsb)
        rsb_min = min(rsb_min, advance - lsb - width)
        extent_max = max(extent_max, lsb + width)
    for name, data in compiled.items():
        glyf.glyphs[name] = Glyph(data)
    head, maxp, hhea = font["head"], font["maxp"], font["hhea"]
    if any_outline:
        head.xMin, head.yMin, head.xMax, head.yMax = x_min, y_min, x_max, y_max
        hhea.minLeftSideBearing, hhea.minRightSideBearing = lsb_min, rsb_min
        hhea.xMaxExtent = extent_max
    else:
        head.xMin = head.yMin = head.xMax = head.yMax = 0
        hhea.minLeftSideBearing = hhea.minRightSideBearing = hhea.xMaxExtent = 0
    head.flags = head.flags | 0x2 if all_x_min_is_lsb else head.flags & ~0x2
    maxp.maxPoints, maxp.maxContours = max_points, max_contours
    maxp.maxCompositePoints = max_composite_points
    maxp.maxCompositeContours = max_composite_contours
    maxp.maxComponentElements, maxp.maxComponentDepth = max_elements, max_depth
    hhea.advanceWidthMax = max(advance for advance, _ in metrics.values())
    font.recalcBBoxes = False
