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
            out = io.BytesIO()
            self.font.save(out)
            self.stream.write(out.getvalue())
            self.stream.Length1 = len(out.getvalue())


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


def _walk(pdf: pikepdf.Pdf, owner: Any, fonts: _Fonts, seen: set[tuple[int, int]]) -> None:
    resources = owner.get("/Resources")
    if resources is None:
        return
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
