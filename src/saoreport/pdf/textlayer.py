"""Make the PDF text layer say exactly what was typeset.

WeasyPrint maps each glyph to text on first use, so a glyph drawn for ำ in one word and
for า in another extracts wrongly in one of them; and it positions Thai marks with text
rise and large shifts, which makes poppler split words and misplace marks. This stage:

1. rewrites each embedded font's ToUnicode map with each glyph's nominal text, derived
   from the original font's cmap and GSUB (see glyphtext): independent of drawing order;
2. bakes every mark's offset (and any text rise) into a positioned copy of the glyph,
   added to the embedded font with fontTools, so every glyph sits on its line at its pen
   position, as extractors expect of combining marks;
3. wraps each split SARA AM (HarfBuzz draws ำ as ํ, tone marks, then า) in a
   marked-content span whose /ActualText is the text in logical order.
"""

from __future__ import annotations

import io
import re
import struct
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pikepdf
from fontTools.ttLib import TTFont
from fontTools.ttLib.tables._g_l_y_f import Glyph, GlyphComponent

from saoreport.fonts.glyphs import GlyphText, glyph_text

NIKHAHIT = "\u0e4d"
SARA_AA = "\u0e32"
SARA_AM = "\u0e33"
_SPLIT_AM = re.compile(f"([\u0e48-\u0e4b]*){NIKHAHIT}([\u0e48-\u0e4b]*){SARA_AA}")
ARGS_ARE_XY_VALUES = 0x0002


Part = tuple[int, int, int]  # glyph id, x and y offset in font units


@dataclass
class _Added:
    gid: int  # the new glyph
    base: int  # the glyph whose advance width (and, by default, text) it has
    text: str | None  # its own text, where it is not the base's


@dataclass
class _Program:
    """An embedded TrueType font program, to which composite glyphs are added."""

    stream: Any
    font: TTFont
    upem: int
    added: dict[tuple[tuple[Part, ...], str | None], _Added] = field(default_factory=dict)

    def compose(self, parts: tuple[Part, ...], text: str | None = None) -> int:
        """A glyph drawing *parts* (the last gives the advance width), standing for *text*."""
        key = (parts, text)
        if key not in self.added:
            order = self.font.getGlyphOrder()
            name = f"saoreport{len(self.added)}"
            glyph = Glyph()
            glyph.numberOfContours = -1
            glyph.components = []
            for gid, dx, dy in parts:
                component = GlyphComponent()
                component.glyphName = order[gid]
                component.x, component.y = dx, dy
                component.flags = ARGS_ARE_XY_VALUES
                glyph.components.append(component)
            self.font.setGlyphOrder([*order, name])
            glyf = self.font["glyf"]
            glyf.glyphOrder = self.font.getGlyphOrder()
            glyf[name] = glyph
            glyph.recalcBounds(glyf)
            # FreeType places a TrueType outline by its left side bearing: it must be xMin.
            advance = self.font["hmtx"][order[parts[-1][0]]][0]
            self.font["hmtx"][name] = (advance, getattr(glyph, "xMin", 0))
            self.added[key] = _Added(len(order), parts[-1][0], text)
        return self.added[key].gid

    def save(self) -> None:
        if self.added:
            self.font["maxp"].numGlyphs = len(self.font.getGlyphOrder())
            _recalc(self.font)
            out = io.BytesIO()
            self.font.save(out)
            self.stream.write(out.getvalue())
            self.stream.Length1 = len(out.getvalue())


# A simple glyph's data -> its data as fontTools compiles it (bounds recalculated), its
# bounds, and its number of points and contours. Subsets of one font share most glyphs.
_Compiled = tuple[bytes, tuple[int, int, int, int], int, int]
_COMPILED: dict[bytes, _Compiled] = {}


def _compile_simple(data: bytes, glyf: Any) -> _Compiled:
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
    for name in order:
        glyph = glyf.glyphs[name]
        data = getattr(glyph, "data", None)
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


@dataclass
class _Font:
    """A Type0 font of the PDF: its glyph texts and widths, and its program."""

    obj: Any
    text: dict[int, str]
    widths: dict[int, float]
    program: _Program | None
    nominal: bool


def _widths(descendant: Any) -> dict[int, float]:
    found: dict[int, float] = {}
    items = list(descendant.get("/W", []))
    i = 0
    while i < len(items):
        start = int(items[i])
        if isinstance(items[i + 1], pikepdf.Array):
            for k, w in enumerate(items[i + 1]):
                found[start + k] = float(w)
            i += 2
        else:
            for gid in range(start, int(items[i + 1]) + 1):
                found[gid] = float(items[i + 2])
            i += 3
    return found


def read_tounicode(font: Any) -> dict[int, str]:
    """A Type0 font's ToUnicode map (two-byte code -> text); {} when it has none."""
    found: dict[int, str] = {}
    if "/ToUnicode" in font:
        data = font.ToUnicode.read_bytes().decode("latin-1")
        for gid, hexed in re.findall(r"<([0-9a-fA-F]{4})>\s*<([0-9a-fA-F]*)>", data):
            found[int(gid, 16)] = bytes.fromhex(hexed).decode("utf-16-be")
    return found


def _tounicode(mapping: Mapping[int, str]) -> bytes:
    lines = [
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        b"/CMapName /Adobe-Identity-UCS def /CMapType 2 def",
        b"1 begincodespacerange <0000> <ffff> endcodespacerange",
    ]
    items = sorted((g, t) for g, t in mapping.items() if t)
    for start in range(0, len(items), 100):
        batch = items[start : start + 100]
        lines.append(f"{len(batch)} beginbfchar".encode())
        lines += [f"<{g:04x}> <{t.encode('utf-16-be').hex()}>".encode() for g, t in batch]
        lines.append(b"endbfchar")
    lines.append(b"endcmap CMapName currentdict /CMap defineresource pop end end")
    return b"\n".join(lines)


class _Fonts:
    """Every Type0 font met in the document, read once and written back once."""

    def __init__(self, pdf: pikepdf.Pdf, known: Mapping[str, GlyphText]) -> None:
        self.pdf = pdf
        self.known = known
        self.fonts: dict[tuple[int, int], _Font] = {}
        self.programs: dict[tuple[int, int], _Program] = {}

    def get(self, obj: Any) -> _Font | None:
        if obj.get("/Subtype") != "/Type0":
            return None
        if obj.objgen not in self.fonts:
            self.fonts[obj.objgen] = self._read(obj)
        return self.fonts[obj.objgen]

    def _read(self, obj: Any) -> _Font:
        descendant = obj.DescendantFonts[0]
        stream = descendant.FontDescriptor.get("/FontFile2")
        program = None
        if stream is not None:
            if stream.objgen not in self.programs:
                tt = TTFont(io.BytesIO(stream.read_bytes()), recalcTimestamp=False)
                self.programs[stream.objgen] = _Program(stream, tt, int(tt["head"].unitsPerEm))
            program = self.programs[stream.objgen]
        name = str(program.font["name"].getDebugName(6) or "") if program else ""
        old = read_tounicode(obj)
        nominal = self.known.get(name)
        text = {gid: nominal.get(gid, t) for gid, t in old.items()} if nominal else old
        return _Font(obj, text, _widths(descendant), program, nominal is not None)

    def finish(self) -> None:
        for program in self.programs.values():
            program.save()
        for font in self.fonts.values():
            added = list(font.program.added.values()) if font.program else []
            for glyph in added:
                default = font.text.get(glyph.base, "")
                font.text[glyph.gid] = default if glyph.text is None else glyph.text
                font.widths[glyph.gid] = font.widths.get(glyph.base, 0.0)
            if font.nominal or added:
                font.obj.ToUnicode = self.pdf.make_stream(_tounicode(font.text))
            if added:
                _extend_cidset(self.pdf, font.obj, [g.gid for g in added])
                w: list[Any] = []
                for gid in sorted(font.widths):
                    w += [gid, pikepdf.Array([font.widths[gid]])]
                font.obj.DescendantFonts[0].W = pikepdf.Array(w)


def _extend_cidset(pdf: pikepdf.Pdf, font: Any, gids: list[int]) -> None:
    """PDF/A-1 lists the glyphs a subset font holds (CIDSet): add the new ones."""
    descriptor = font.DescendantFonts[0].FontDescriptor
    if "/CIDSet" not in descriptor:
        return
    bits = bytearray(descriptor.CIDSet.read_bytes())
    for gid in gids:
        if gid // 8 >= len(bits):
            bits.extend(b"\0" * (gid // 8 - len(bits) + 1))
        bits[gid // 8] |= 0x80 >> (gid % 8)
    descriptor.CIDSet = pdf.make_stream(bytes(bits))


# -- content streams ------------------------------------------------------------------


@dataclass
class _Glyph:
    code: int | None  # None: drawn by another glyph (the ํ of a joined SARA AM)
    text: str
    program: _Program | None = None


def glyph_codes(part: Any) -> tuple[int, ...]:
    """The two-byte codes (glyph ids, Identity-H) of a string shown with a Type0 font."""
    raw = bytes(part)
    return struct.unpack(f">{len(raw) // 2}H", raw[: len(raw) // 2 * 2])


def _op(operator: str, *operands: Any) -> Any:
    return pikepdf.ContentStreamInstruction(list(operands), pikepdf.Operator(operator))


class _Rewriter:
    """Re-emit one content stream: marks baked in place, Ts gone, SARA AM spans added."""

    def __init__(self, fonts: _Fonts, resources: Any) -> None:
        self.fonts = fonts
        self.resources = resources
        self.out: list[Any] = []
        self.font: _Font | None = None
        self.size = 1.0
        self.rise = 0.0
        self.glyphs: list[_Glyph] = []  # glyphs of the current text object, in order
        self.items: list[Any] = []  # the text object being built: ops, and TJ lists

    def run(self, instructions: list[Any]) -> list[Any]:
        in_text = False
        for inst in instructions:
            op = str(inst.operator)
            if op == "BT":
                in_text, self.glyphs, self.items = True, [], []
            elif op == "ET":
                self._emit_text_object()
                in_text = False
            elif op == "Tf":
                font_obj = self.resources.get("/Font", {}).get(str(inst.operands[0]))
                self.font = self.fonts.get(font_obj) if font_obj is not None else None
                self.size = float(inst.operands[1])
            elif op == "Ts":
                self.rise = float(inst.operands[0])
                if self._bakeable():
                    continue  # the rise goes into the glyphs themselves
            elif op in ("TJ", "Tj") and self._bakeable():
                parts = list(inst.operands[0]) if op == "TJ" else [inst.operands[0]]
                self.items.append(self._show(parts))
                continue
            (self.items if in_text and op != "ET" else self.out).append(inst)
        return self.out

    def _bakeable(self) -> bool:
        return self.font is not None and self.font.program is not None and self.font.nominal

    def _show(self, parts: list[Any]) -> list[Any]:
        """A TJ's elements as [number | _Glyph index], each mark's shift baked into it."""
        assert self.font is not None and self.font.program is not None
        program, font = self.font.program, self.font
        scale = program.upem / 1000
        elements: list[Any] = []
        pending = 0.0
        dy = round(self.rise * program.upem / self.size)
        widths, texts, glyphs = font.widths, font.text, self.glyphs
        for part in parts:
            if not isinstance(part, pikepdf.String):
                pending += float(part)
                continue
            for gid in glyph_codes(part):
                width = widths.get(gid, 1000.0)
                dx = round(-pending * scale) if width == 0 else 0
                if width != 0 and pending:
                    elements.append(pending)
                text = texts.get(gid, "")
                if dx or dy:
                    gid = program.compose(((gid, dx, dy),))
                glyphs.append(_Glyph(gid, text, program))
                elements.append(len(glyphs) - 1)
                if width != 0:
                    pending = 0.0  # kept before this glyph; a mark's shift moves after it
        if pending:
            elements.append(pending)
        return elements

    def _emit_text_object(self) -> None:
        spans = _spans(self.glyphs)
        for first, (last, _) in spans.items():
            _join_sara_am(self.glyphs[first : last + 1])
        ends: set[int] = set()
        tj: list[Any] = []
        tj_text: list[str] = []
        closing = False  # a span's last glyph is out; shifts after it stay inside the span

        def flush() -> None:
            nonlocal closing
            if tj:
                shown = [pikepdf.String(bytes(e)) if isinstance(e, bytearray) else e for e in tj]
                text, show = "".join(tj_text), _op("TJ", pikepdf.Array(shown))
                if text.isspace() and not closing and _is_op(self.out, -1, "EMC"):
                    # Alone, pdfium would skip it (no ink): it joins the span before it.
                    self._into_last_span(text)
                    self.out.insert(len(self.out) - 1, show)
                else:
                    self.out.append(show)
                tj.clear()
                tj_text.clear()
            if closing:
                self.out.append(_op("EMC"))
                closing = False

        for item in self.items:
            if not isinstance(item, list):
                flush()
                self.out.append(item)
                continue
            for element in item:
                if not isinstance(element, int):
                    if tj and not isinstance(tj[-1], bytearray):
                        tj[-1] = tj[-1] + element  # adjacent shifts add up
                    else:
                        tj.append(element)
                    continue
                if closing or element in spans:
                    flush()
                if element in spans:
                    last, actual = spans[element]
                    ends.add(last)
                    props = pikepdf.Dictionary(ActualText=pikepdf.String(actual))
                    self.out.append(_op("BDC", pikepdf.Name("/Span"), props))
                glyph = self.glyphs[element]
                closing = element in ends
                if glyph.code is None:
                    continue
                code = glyph.code.to_bytes(2, "big")
                tj_text.append(glyph.text)
                if tj and isinstance(tj[-1], bytearray):
                    tj[-1] += code
                else:
                    tj.append(bytearray(code))
        flush()
        self.items = []

    def _into_last_span(self, text: str) -> None:
        """Add *text* to the ActualText of the span that ends the output so far."""
        for inst in reversed(self.out):
            if str(inst.operator) == "BDC":
                props = inst.operands[1]
                props.ActualText = pikepdf.String(str(props.ActualText) + text)
                return


def _is_op(out: list[Any], index: int, operator: str) -> bool:
    return len(out) >= abs(index) and str(out[index].operator) == operator


def _join_sara_am(cluster: list[_Glyph]) -> None:
    """Give a split SARA AM glyphs of its own, so that even extractors that ignore
    /ActualText read it in order: ํ (+ tone marks) then า becomes (tone marks) then ำ.

    A ligature of ํ and tone marks becomes a copy that stands for the tone marks; a plain ํ
    is drawn by the new ำ glyph itself (a composite of ํ and า) and leaves the stream.
    """
    k = next((i for i, g in enumerate(cluster) if NIKHAHIT in g.text and g.code is not None), None)
    if k is None:
        return
    glyph = cluster[k]
    aa = next((g for g in cluster[k + 1 :] if g.text == SARA_AA and g.code is not None), None)
    program, mark = glyph.program, glyph.code
    if (
        aa is None
        or aa.code is None
        or mark is None
        or program is None
        or program is not aa.program
    ):
        return
    tones = glyph.text.replace(NIKHAHIT, "")
    if tones:
        glyph.code = program.compose(((mark, 0, 0),), tones)
        aa.code = program.compose(((aa.code, 0, 0),), SARA_AM)
    else:
        aa.code = program.compose(((mark, 0, 0), (aa.code, 0, 0)), SARA_AM)
        glyph.code = None
    glyph.text, aa.text = tones, SARA_AM


@lru_cache(maxsize=4096)
def _is_mark(text: str) -> bool:
    return bool(text) and all(unicodedata.category(c) == "Mn" for c in text)


def _spans(glyphs: list[_Glyph]) -> dict[int, tuple[int, str]]:
    """First glyph -> (last glyph, logical text) of each cluster extractors misread.

    A cluster is a base glyph and the marks drawn after it. Two kinds need help: a split
    SARA AM (ํ, tone marks, า: out of logical order), and stacked marks (ั + ่), whose
    second mark poppler takes for a duplicate of the first and moves out of the word.
    """
    spans: dict[int, tuple[int, str]] = {}
    i = 0
    while i < len(glyphs):
        j = i + 1
        while j < len(glyphs) and (
            _is_mark(glyphs[j].text)
            or (glyphs[j].text == SARA_AA and any(NIKHAHIT in g.text for g in glyphs[i:j]))
        ):
            j += 1
        texts = "".join(g.text for g in glyphs[i:j])
        # HarfBuzz shapes text in canonical order; some fonts' GSUB then reorders marks.
        joined = _SPLIT_AM.sub(lambda m: m.group(1) + m.group(2) + SARA_AM, texts)
        logical = unicodedata.normalize("NFC", joined)
        if logical != texts or j - i > 1:
            spans[i] = (j - 1, logical)
        i = j
    return _absorb_spaces(spans, glyphs)


def _absorb_spaces(
    spans: dict[int, tuple[int, str]], glyphs: list[_Glyph]
) -> dict[int, tuple[int, str]]:
    """Spaces between two spans (or after the last) join the span before them.

    Alone in a TJ they would make a text object with no ink, which pdfium skips.
    """
    out: dict[int, tuple[int, str]] = {}
    for first, (last, text) in sorted(spans.items()):
        k = last + 1
        while k < len(glyphs) and glyphs[k].text.isspace() and k not in spans:
            k += 1
        if k > last + 1 and (k == len(glyphs) or k in spans):
            text += "".join(g.text for g in glyphs[last + 1 : k])
            last = k - 1
        out[first] = (last, text)
    return out



# -- the fast path: content streams as WeasyPrint (pydyf) writes them ---------------------
#
# One operator a line, operands separated by single spaces, numbers and names only, text
# shown with TJ arrays of hex strings: for such a stream, QPDF's unparse (which the path
# above ends with) gives back every line it does not rewrite unchanged (apart from "[] 0 d"),
# so the lines can be rewritten as bytes, without parsing the stream into objects and
# unparsing it again. Any other stream takes the path above; both give the same bytes.

_NUM = rb"(?:0|-?[1-9][0-9]*|-?[0-9]+\.[0-9]+)"  # as QPDF unparses them
_LINE = (
    rb"(?:(?:" + _NUM + rb"|/[A-Za-z0-9_.+-]+) )*[A-Za-z]+\*?"
    rb"|\[(?:" + _NUM + rb")?(?:<(?:[0-9a-fA-F]{4})*>(?:" + _NUM + rb")?)*\] TJ"
    rb"|\[\] 0 d"
)
_PLAIN = re.compile(rb"(?:" + _LINE + rb")(?:\n(?:" + _LINE + rb"))*")
_BDC = re.compile(rb"BDC$", re.M)
_FONT_OR_SHOW = re.compile(rb"^(?:/\S+ \S+ Tf|\[.*\] TJ)$", re.M)
_TF = re.compile(rb"^(/\S+) \S+ Tf$", re.M)
_TJ_PART = re.compile(rb"<([0-9a-fA-F]*)>|([-0-9.]+)")
_THAI = re.compile("[\u0e00-\u0e7f]")


def _plain_content(owner: Any) -> bytes | None:
    """The content stream's bytes, if it is one stream."""
    if isinstance(owner, pikepdf.Page):
        contents = owner.obj.get("/Contents")
        if not isinstance(contents, pikepdf.Stream):
            return None
        return contents.read_bytes()
    return bytes(owner.read_bytes())


def _fast_ok(data: bytes, fonts: _Fonts, resources: Any) -> bool:
    """Whether *data* is a plain stream whose every TJ is drawn with a font to bake into.

    Fonts are read here in the order the stream sets them, as the path above reads them.
    """
    if not _PLAIN.fullmatch(data) or _BDC.search(data):
        return False
    first = _FONT_OR_SHOW.search(data)
    if first is None:
        return True
    if not first.group().endswith(b" Tf"):
        return False
    in_resources = resources.get("/Font", {})
    for name in dict.fromkeys(_TF.findall(data)):
        obj = in_resources.get(name.decode())
        font = fonts.get(obj) if obj is not None else None
        if font is None or font.program is None or not font.nominal:
            return False
    return True


def _real(value: float) -> bytes:
    """A number as QPDF writes a Python float given to pikepdf (six decimals at most)."""
    return f"{value:.6f}".rstrip("0").rstrip(".").encode()


def _string(codes: bytes) -> bytes:
    """Glyph codes as QPDF writes a string: in hex when a byte is a control character."""
    if max(codes[0::2]) < 8:
        return b"<" + codes.hex().encode() + b">"
    return bytes(pikepdf.String(codes).unparse())


def _text_string(text: str) -> bytes:
    """Text as pikepdf writes a str (Thai is not in PDFDocEncoding: UTF-16BE, in hex)."""
    if _THAI.search(text):
        return b"<feff" + text.encode("utf-16-be").hex().encode() + b">"
    return bytes(pikepdf.String(text).unparse())


class _Span:
    """A BDC opening a /Span with /ActualText, still open to more text."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def line(self) -> bytes:
        return b"/Span << /ActualText " + _text_string(self.text) + b" >> BDC"


class _FastRewriter:
    """_Rewriter's work on a plain stream's lines: the same bytes, without pikepdf objects."""

    def __init__(self, fonts: _Fonts, resources: Any) -> None:
        self.fonts = fonts
        self.in_resources = resources.get("/Font", {})
        self.out: list[bytes | _Span] = []
        self.font: _Font | None = None
        self.size = 1.0
        self.rise = 0.0
        self.glyphs: list[_Glyph] = []
        self.items: list[bytes | list[Any]] = []

    def run(self, data: bytes) -> bytes:
        out = self.out
        in_text = False
        for line in data.split(b"\n"):
            if line == b"BT":
                in_text, self.glyphs, self.items = True, [], []
            elif line == b"ET":
                self._emit_text_object()
                in_text = False
            elif line.endswith(b" Tf"):
                name, size, _ = line.split(b" ")
                obj = self.in_resources.get(name.decode())
                self.font = self.fonts.get(obj) if obj is not None else None
                self.size = float(size)
            elif line.endswith(b" Ts"):
                self.rise = float(line[:-3])
                if self._bakeable():
                    continue
            elif line.endswith(b"] TJ"):
                # _fast_ok saw to it that every TJ comes after a font to bake into.
                self.items.append(self._show(line))
                continue
            elif line == b"[] 0 d":
                line = b"[ ] 0 d"
            (self.items if in_text and line != b"ET" else out).append(line)
        return b"\n".join(x if isinstance(x, bytes) else x.line() for x in out)

    def _bakeable(self) -> bool:
        return self.font is not None and self.font.program is not None and self.font.nominal

    def _show(self, line: bytes) -> list[Any]:
        """_Rewriter._show, on a TJ line."""
        assert self.font is not None and self.font.program is not None
        program, font = self.font.program, self.font
        scale = program.upem / 1000
        elements: list[Any] = []
        pending = 0.0
        dy = round(self.rise * program.upem / self.size)
        widths, texts, glyphs = font.widths, font.text, self.glyphs
        for hexed, number in _TJ_PART.findall(line, 1, len(line) - 4):
            if number:
                pending += float(number)
                continue
            for k in range(0, len(hexed), 4):
                gid = int(hexed[k : k + 4], 16)
                width = widths.get(gid, 1000.0)
                dx = round(-pending * scale) if width == 0 else 0
                if width != 0 and pending:
                    elements.append(pending)
                text = texts.get(gid, "")
                if dx or dy:
                    gid = program.compose(((gid, dx, dy),))
                glyphs.append(_Glyph(gid, text, program))
                elements.append(len(glyphs) - 1)
                if width != 0:
                    pending = 0.0
        if pending:
            elements.append(pending)
        return elements

    def _emit_text_object(self) -> None:
        """_Rewriter._emit_text_object, writing lines."""
        spans = _spans(self.glyphs)
        for first, (last, _) in spans.items():
            _join_sara_am(self.glyphs[first : last + 1])
        out = self.out
        ends: set[int] = set()
        tj: list[Any] = []
        tj_text: list[str] = []
        closing = False

        def flush() -> None:
            nonlocal closing
            if tj:
                show = b"[ " + b" ".join(
                    _string(e) if isinstance(e, bytearray) else _real(e) for e in tj
                ) + b" ] TJ"
                text = "".join(tj_text)
                if text.isspace() and not closing and out and out[-1] == b"EMC":
                    self._into_last_span(text)
                    out.insert(len(out) - 1, show)
                else:
                    out.append(show)
                tj.clear()
                tj_text.clear()
            if closing:
                out.append(b"EMC")
                closing = False

        for item in self.items:
            if not isinstance(item, list):
                flush()
                out.append(item)
                continue
            for element in item:
                if not isinstance(element, int):
                    if tj and not isinstance(tj[-1], bytearray):
                        tj[-1] = tj[-1] + element
                    else:
                        tj.append(element)
                    continue
                if closing or element in spans:
                    flush()
                if element in spans:
                    last, actual = spans[element]
                    ends.add(last)
                    out.append(_Span(actual))
                glyph = self.glyphs[element]
                closing = element in ends
                if glyph.code is None:
                    continue
                code = glyph.code.to_bytes(2, "big")
                tj_text.append(glyph.text)
                if tj and isinstance(tj[-1], bytearray):
                    tj[-1] += code
                else:
                    tj.append(bytearray(code))
        flush()
        self.items = []

    def _into_last_span(self, text: str) -> None:
        for item in reversed(self.out):
            if isinstance(item, _Span):
                item.text += text
                return


def _walk(pdf: pikepdf.Pdf, owner: Any, fonts: _Fonts, seen: set[tuple[int, int]]) -> None:
    resources = owner.get("/Resources")
    if resources is None:
        return
    plain = _plain_content(owner)
    if plain is not None and _fast_ok(plain, fonts, resources):
        data = _FastRewriter(fonts, resources).run(plain)
    else:
        instructions = list(pikepdf.parse_content_stream(owner))
        data = pikepdf.unparse_content_stream(_Rewriter(fonts, resources).run(instructions))
    if isinstance(owner, pikepdf.Page):
        owner.obj.Contents = pdf.make_stream(data)
    else:
        owner.write(data)
    for xobject in resources.get("/XObject", {}).values():
        if xobject.get("/Subtype") == "/Form" and xobject.objgen not in seen:
            seen.add(xobject.objgen)
            _walk(pdf, xobject, fonts, seen)


def fix_text_layer(data: bytes, font_files: list[Path]) -> bytes:
    """Return *data* (a PDF) with an exact text layer for the fonts in *font_files*."""
    known = dict(glyph_text(path) for path in font_files)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        fonts = _Fonts(pdf, known)
        seen: set[tuple[int, int]] = set()
        for page in pdf.pages:
            _walk(pdf, page, fonts, seen)
        fonts.finish()
        out = io.BytesIO()
        pdf.save(
            out,
            deterministic_id=True,
            compress_streams=True,
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
        )
        return out.getvalue()
