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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pikepdf
from fontTools.ttLib import TTFont

from saoreport.fonts.glyphs import GlyphText, glyph_text, name_of
from saoreport.pdf.fontprogram import ADDED, COUNT, FACE, SHOWN, Program, pack_added

NIKHAHIT = "\u0e4d"
SARA_AA = "\u0e32"
SARA_AM = "\u0e33"
_SPLIT_AM = re.compile(f"([\u0e48-\u0e4b]*){NIKHAHIT}([\u0e48-\u0e4b]*){SARA_AA}")


@dataclass
class _Font:
    """A Type0 font of the PDF: its glyph texts and widths, and its program."""

    obj: Any
    text: dict[int, str]
    widths: dict[int, float]
    program: Program | None
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
        self.programs: dict[tuple[int, int], Program] = {}
        # TJ lines already shown: (font, rise in font units, line) -> what _show made of it
        self.shown: dict[tuple[int, int, bytes], Any] = {}

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
                self.programs[stream.objgen] = Program(stream, tt, int(tt["head"].unitsPerEm))
            program = self.programs[stream.objgen]
        name = name_of(program.font) if program else ""
        old = read_tounicode(obj)
        nominal = self.known.get(name)
        text = {gid: nominal.get(gid, t) for gid, t in old.items()} if nominal else old
        return _Font(obj, text, _widths(descendant), program, nominal is not None)

    def _face(self, program: Program) -> str | None:
        """The PostScript name of *program*'s font, if it is one of ours."""
        name = name_of(program.font)
        return name if name in self.known else None

    def _hand_on(self, program: Program) -> None:
        """Leave *program* as it is, and write on its stream what the join needs to make one
        program of its face for every part (fontsharing.share_programs): its face, the glyphs
        its fonts show, how many glyphs it had, and the glyphs added to it, in order."""
        count = program.count if program.count >= 0 else int(program.font["maxp"].numGlyphs)
        shown = 1  # .notdef
        for font in self.fonts.values():
            if font.program is program:
                for gid in font.widths:
                    if gid < count:
                        shown |= 1 << gid
        stream = program.stream
        stream[FACE] = pikepdf.Name("/" + str(self._face(program)))
        stream[SHOWN] = pikepdf.String(shown.to_bytes((count + 7) // 8, "little"))
        stream[COUNT] = count
        stream[ADDED] = pikepdf.String(
            pack_added([added.parts for added in program.added.values()])
        )

    def finish(self, shared: bool = False) -> None:
        for program in self.programs.values():
            if shared and self._face(program) is not None:
                self._hand_on(program)
            else:
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
#
# Most streams are written by WeasyPrint (pydyf) one operator a line, operands separated
# by single spaces, numbers and names only, text shown with TJ arrays of hex strings. For
# such a "plain" stream QPDF's unparse gives back every line unchanged (but "[] 0 d"), so
# its lines are rewritten as bytes, without making pikepdf objects of it. Any other stream
# is parsed with pikepdf; both give the same bytes, those QPDF would write.

# A number QPDF writes back as read: reals (it keeps their text, "359." too), integers
# without a sign, leading zeros or "-0" (it would rewrite those). Possessive and atomic
# groups: no backtracking, as QPDF's tokenizer does not backtrack.
_NUM = rb"(?:-?[0-9]++\.[0-9]*+|-?\.[0-9]++|0|-?[1-9][0-9]*+)"
_OTHER = (  # a line left as it is: numbers and names, then an operator the rewriter ignores
    rb"(?:(?:" + _NUM + rb"|/[A-Za-z0-9_.+-]++) )*+"
    rb"(?!(?:BT|ET|Tf|Ts|TJ|Tj|BDC|EMC)(?:\n|\Z))[A-Za-z]++\*?+"
)
_OWN = (  # a line the rewriter looks at
    rb"BT|ET|EMC|\[\] 0 d"
    rb"|/[A-Za-z0-9_.+-]++ " + _NUM + rb" Tf"
    rb"|" + _NUM + rb" Ts"
    rb"|\[(?:" + _NUM + rb")?+(?:<(?:[0-9a-fA-F]{4})*+>(?:" + _NUM + rb")?+)*+\] TJ"
)
# Lines left as they are (each with its newline), then one the rewriter looks at or the last.
_STEP = re.compile(rb"((?:" + _OTHER + rb"\n)*+)(?:(" + _OWN + rb")(?:\n|\Z)|(" + _OTHER + rb")\Z)")
_FONT_OR_SHOW = re.compile(rb"^(?:/\S+ \S+ Tf|\[.*\] TJ)$", re.M)
_TF = re.compile(rb"^(/\S+) \S+ Tf$", re.M)
_TJ_PART = re.compile(rb"<([0-9a-fA-F]*)>|([-0-9.]+)")
_THAI = re.compile("[\u0e00-\u0e7f]")

Shown = tuple[tuple[Any, ...], tuple[int, ...], tuple[str, ...]]  # elements, codes, texts


def glyph_codes(part: Any) -> tuple[int, ...]:
    """The two-byte codes (glyph ids, Identity-H) of a string shown with a Type0 font."""
    raw = bytes(part)
    return struct.unpack(f">{len(raw) // 2}H", raw[: len(raw) // 2 * 2])


def _hex_codes(hexed: bytes) -> tuple[int, ...]:
    if len(hexed) == 4:
        return (int(hexed, 16),)
    return struct.unpack(f">{len(hexed) // 4}H", bytes.fromhex(hexed.decode()))


def _plain_content(owner: Any) -> bytes | None:
    """The bytes of *owner*'s content stream, if it is one stream."""
    if isinstance(owner, pikepdf.Page):
        contents = owner.obj.get("/Contents")
        if not isinstance(contents, pikepdf.Stream):
            return None
        return bytes(contents.read_bytes())
    return bytes(owner.read_bytes())


Step = tuple[bytes, bytes | None, bytes | None]  # lines left as they are, then see _STEP


def _plain_steps(data: bytes, fonts: _Fonts, resources: Any) -> list[Step] | None:
    """*data* as steps for the rewriter, if it is a plain stream whose every TJ is drawn
    with a font to bake into.

    Its fonts are read here in the order it sets them, as the rewriter would read them.
    """
    if not data or data.endswith(b"\n"):
        return None
    steps: list[Step] = []
    match = _STEP.match
    pos, end = 0, len(data)
    while pos < end:
        step = match(data, pos)
        if step is None:
            return None
        steps.append((step[1], step[2], step[3]))
        pos = step.end()
    first = _FONT_OR_SHOW.search(data)
    if first is None:
        return steps
    if not first.group().endswith(b" Tf"):
        return None
    in_resources = resources.get("/Font", {})
    for name in dict.fromkeys(_TF.findall(data)):
        obj = in_resources.get(name.decode())
        font = fonts.get(obj) if obj is not None else None
        if font is None or not _bakeable(font):
            return None
    return steps


def _bakeable(font: _Font | None) -> bool:
    return font is not None and font.program is not None and font.nominal


def _real(value: float) -> bytes:
    """A float as pikepdf gives it to QPDF (six decimals at most)."""
    return f"{value:.6f}".rstrip("0").rstrip(".").encode()


_HEX = [b"%04x" % code for code in range(0x800)]  # codes whose high byte is a control byte


def _string(codes: list[int]) -> bytes:
    """Glyph codes as QPDF writes a string: in hex when a byte is a control character."""
    try:
        return b"<" + b"".join([_HEX[code] for code in codes]) + b">"
    except IndexError:
        raw = struct.pack(f">{len(codes)}H", *codes)
        return bytes(pikepdf.String(raw).unparse())


def _text_string(text: str) -> bytes:
    """Text as pikepdf writes a str (Thai is not in PDFDocEncoding: UTF-16BE, in hex)."""
    if _THAI.search(text):
        return b"<feff" + text.encode("utf-16-be").hex().encode() + b">"
    return bytes(pikepdf.String(text).unparse())


class _Span:
    """A marked-content span with /ActualText, whose text may still grow."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def line(self) -> bytes:
        return b"/Span << /ActualText " + _text_string(self.text) + b" >> BDC"


class _MarkedContent:
    """A BDC of the stream itself (only in streams parsed by pikepdf)."""

    __slots__ = ("inst",)

    def __init__(self, inst: Any) -> None:
        self.inst = inst

    def line(self) -> bytes:
        return bytes(pikepdf.unparse_content_stream([self.inst]))


class _Rewriter:
    """Re-emit one content stream: marks baked in place, Ts gone, SARA AM spans added."""

    def __init__(self, fonts: _Fonts, resources: Any) -> None:
        self.fonts = fonts
        self.in_resources = resources.get("/Font", {})
        self.out: list[bytes | _Span | _MarkedContent] = []
        self.font: _Font | None = None
        self.size = 1.0
        self.rise = 0.0
        # The glyphs of the current text object, in order: code (None: drawn by another
        # glyph, the ํ of a joined SARA AM), text, and font program.
        self.codes: list[int | None] = []
        self.texts: list[str] = []
        self.programs: list[Program] = []
        # The text object being built: lines, and TJs as (index of their first glyph,
        # elements: shifts (float) and glyphs (int, from the first)).
        self.items: list[bytes | _MarkedContent | tuple[int, tuple[Any, ...]]] = []

    def run_plain(self, steps: list[Step]) -> bytes:
        """Rewrite a plain stream (see _plain_steps)."""
        out = self.out
        in_text = False
        for others, line, last in steps:
            if others:
                (self.items if in_text else out).append(others[:-1])
            if line is None:
                line = last
            elif line == b"BT":
                in_text = True
                self._begin()
            elif line == b"ET":
                self._emit_text_object()
                out.append(line)
                in_text = False
                continue
            elif line.endswith(b"] TJ"):  # _plain_steps: always with a font to bake into
                self._add_shown(line, None)
                continue
            elif line.endswith(b" Tf"):
                name, size, _ = line.split(b" ")
                self._set_font(name.decode(), float(size))
            elif line.endswith(b" Ts"):
                self.rise = float(line[:-3])
                if _bakeable(self.font):
                    continue  # the rise goes into the glyphs themselves
            elif line == b"[] 0 d":
                line = b"[ ] 0 d"
            assert line is not None
            (self.items if in_text else out).append(line)
        return self._result()

    def run(self, instructions: list[Any]) -> bytes:
        """Rewrite a stream parsed by pikepdf."""
        out = self.out
        in_text = False
        for inst in instructions:
            op = str(inst.operator)
            if op == "BT":
                in_text = True
                self._begin()
            elif op == "ET":
                self._emit_text_object()
                in_text = False
            elif op == "Tf":
                self._set_font(str(inst.operands[0]), float(inst.operands[1]))
            elif op == "Ts":
                self.rise = float(inst.operands[0])
                if _bakeable(self.font):
                    continue
            elif op in ("TJ", "Tj") and _bakeable(self.font):
                parts = list(inst.operands[0]) if op == "TJ" else [inst.operands[0]]
                self._add_shown(None, parts)
                continue
            line = (
                _MarkedContent(inst)
                if op == "BDC"
                else bytes(pikepdf.unparse_content_stream([inst]))
            )
            (self.items if in_text and op != "ET" else out).append(line)
        return self._result()

    def _result(self) -> bytes:
        return b"\n".join(x if isinstance(x, bytes) else x.line() for x in self.out)

    def _begin(self) -> None:
        self.codes, self.texts, self.programs, self.items = [], [], [], []

    def _set_font(self, name: str, size: float) -> None:
        obj = self.in_resources.get(name)
        self.font = self.fonts.get(obj) if obj is not None else None
        self.size = size

    def _add_shown(self, line: bytes | None, parts: list[Any] | None) -> None:
        """Add a TJ's glyphs, from its *line* (plain) or its pikepdf *parts*."""
        assert self.font is not None and self.font.program is not None
        program = self.font.program
        dy = round(self.rise * program.upem / self.size)
        if line is None:
            shown = self._show(self._parts(parts or []), dy)
        else:
            # A document repeats its lines; composing a glyph twice gives the same glyph.
            key = (id(self.font), dy, line)
            found = self.fonts.shown.get(key)
            if found is None:
                found = self.fonts.shown[key] = self._show(self._plain_parts(line), dy)
            shown = found
        elements, codes, texts = shown
        self.items.append((len(self.codes), elements))
        self.codes += codes
        self.texts += texts
        self.programs += [program] * len(codes)

    @staticmethod
    def _parts(parts: list[Any]) -> list[tuple[int, ...] | float]:
        return [glyph_codes(p) if isinstance(p, pikepdf.String) else float(p) for p in parts]

    @staticmethod
    def _plain_parts(line: bytes) -> list[tuple[int, ...] | float]:
        return [
            float(number) if number else _hex_codes(hexed)
            for hexed, number in _TJ_PART.findall(line, 1, len(line) - 4)
        ]

    def _show(self, parts: list[tuple[int, ...] | float], dy: int) -> Shown:
        """A TJ's elements (shifts, and glyphs counted from its first), each mark's shift
        baked into it, and its glyphs' codes and texts."""
        assert self.font is not None and self.font.program is not None
        program, font = self.font.program, self.font
        scale = program.upem / 1000
        elements: list[Any] = []
        codes: list[int] = []
        texts: list[str] = []
        pending = 0.0
        widths, known = font.widths, font.text
        for part in parts:
            if isinstance(part, float):
                pending += part
                continue
            for gid in part:
                width = widths.get(gid, 1000.0)
                dx = round(-pending * scale) if width == 0 else 0
                if width != 0 and pending:
                    elements.append(pending)
                texts.append(known.get(gid, ""))
                if dx or dy:
                    gid = program.compose(((gid, dx, dy),))
                elements.append(len(codes))
                codes.append(gid)
                if width != 0:
                    pending = 0.0  # kept before this glyph; a mark's shift moves after it
        if pending:
            elements.append(pending)
        return tuple(elements), tuple(codes), tuple(texts)

    def _emit_text_object(self) -> None:
        codes, texts, programs, out = self.codes, self.texts, self.programs, self.out
        spans = _spans(texts)
        for first, (last, _) in spans.items():
            _join_sara_am(codes, texts, programs, first, last + 1)
        ends: set[int] = set()
        tj: list[Any] = []  # runs of codes (lists) and shifts (floats)
        tj_text: list[str] = []
        closing = False  # a span's last glyph is out; shifts after it stay inside the span

        def flush() -> None:
            nonlocal closing
            if tj:
                show = (
                    b"[ "
                    + b" ".join(_string(e) if isinstance(e, list) else _real(e) for e in tj)
                    + b" ] TJ"
                )
                if (
                    not closing
                    and out
                    and out[-1] == b"EMC"
                    and (text := "".join(tj_text)).isspace()
                ):
                    # Alone, pdfium would skip it (no ink): it joins the span before it.
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
            if not isinstance(item, tuple):
                flush()
                out.append(item)
                continue
            base, elements = item
            for element in elements:
                if isinstance(element, float):
                    if tj and not isinstance(tj[-1], list):
                        tj[-1] = tj[-1] + element  # adjacent shifts add up
                    else:
                        tj.append(element)
                    continue
                element += base
                if closing or element in spans:
                    flush()
                if element in spans:
                    last, actual = spans[element]
                    ends.add(last)
                    out.append(_Span(actual))
                closing = element in ends
                code = codes[element]
                if code is None:
                    continue
                tj_text.append(texts[element])
                if tj and isinstance(tj[-1], list):
                    tj[-1].append(code)
                else:
                    tj.append([code])
        flush()
        self.items = []

    def _into_last_span(self, text: str) -> None:
        """Add *text* to the ActualText of the span that ends the output so far."""
        for item in reversed(self.out):
            if isinstance(item, _Span):
                item.text += text
                return
            if isinstance(item, _MarkedContent):
                props = item.inst.operands[1]
                props.ActualText = pikepdf.String(str(props.ActualText) + text)
                return


def _join_sara_am(
    codes: list[int | None], texts: list[str], programs: list[Program], first: int, end: int
) -> None:
    """Give a split SARA AM (in glyphs first to end) glyphs of its own, so that even
    extractors that ignore /ActualText read it in order: ํ (+ tone marks) then า becomes
    (tone marks) then ำ.

    A ligature of ํ and tone marks becomes a copy that stands for the tone marks; a plain ํ
    is drawn by the new ำ glyph itself (a composite of ํ and า) and leaves the stream.
    """
    k = next((i for i in range(first, end) if NIKHAHIT in texts[i] and codes[i] is not None), None)
    if k is None:
        return
    aa = next((i for i in range(k + 1, end) if texts[i] == SARA_AA and codes[i] is not None), None)
    mark = codes[k]
    if aa is None or mark is None or programs[k] is not programs[aa]:
        return
    aa_code = codes[aa]
    assert aa_code is not None
    program = programs[k]
    tones = texts[k].replace(NIKHAHIT, "")
    if tones:
        codes[k] = program.compose(((mark, 0, 0),), tones)
        codes[aa] = program.compose(((aa_code, 0, 0),), SARA_AM)
    else:
        codes[aa] = program.compose(((mark, 0, 0), (aa_code, 0, 0)), SARA_AM)
        codes[k] = None
    texts[k], texts[aa] = tones, SARA_AM


_MARKS: dict[str, bool] = {}
_ALONE: dict[str, str | None] = {}


def _is_mark(text: str) -> bool:
    found = _MARKS.get(text)
    if found is None:
        found = _MARKS[text] = bool(text) and all(unicodedata.category(c) == "Mn" for c in text)
    return found


def _logical(texts: str) -> str:
    # HarfBuzz shapes text in canonical order; some fonts' GSUB then reorders marks.
    joined = _SPLIT_AM.sub(lambda m: m.group(1) + m.group(2) + SARA_AM, texts)
    return unicodedata.normalize("NFC", joined)


def _spans(texts: list[str]) -> dict[int, tuple[int, str]]:
    """First glyph -> (last glyph, logical text) of each cluster extractors misread.

    A cluster is a base glyph and the marks drawn after it. Two kinds need help: a split
    SARA AM (ํ, tone marks, า: out of logical order), and stacked marks (ั + ่), whose
    second mark poppler takes for a duplicate of the first and moves out of the word.
    """
    spans: dict[int, tuple[int, str]] = {}
    n = len(texts)
    i = 0
    while i < n:
        j = i + 1
        while j < n and (
            _is_mark(texts[j]) or (texts[j] == SARA_AA and any(NIKHAHIT in t for t in texts[i:j]))
        ):
            j += 1
        if j == i + 1:  # one glyph: its span, if any, depends on its text alone
            text = texts[i]
            if text in _ALONE:
                alone = _ALONE[text]
            else:
                logical = _logical(text)
                alone = _ALONE[text] = logical if logical != text else None
            if alone is not None:
                spans[i] = (i, alone)
        else:
            spans[i] = (j - 1, _logical("".join(texts[i:j])))
        i = j
    return _absorb_spaces(spans, texts)


def _absorb_spaces(
    spans: dict[int, tuple[int, str]], texts: list[str]
) -> dict[int, tuple[int, str]]:
    """Spaces between two spans (or after the last) join the span before them.

    Alone in a TJ they would make a text object with no ink, which pdfium skips.
    """
    out: dict[int, tuple[int, str]] = {}
    for first, (last, text) in sorted(spans.items()):
        k = last + 1
        while k < len(texts) and texts[k].isspace() and k not in spans:
            k += 1
        if k > last + 1 and (k == len(texts) or k in spans):
            text += "".join(texts[last + 1 : k])
            last = k - 1
        out[first] = (last, text)
    return out


def _walk(pdf: pikepdf.Pdf, owner: Any, fonts: _Fonts, seen: set[tuple[int, int]]) -> None:
    resources = owner.get("/Resources")
    if resources is None:
        return
    plain = _plain_content(owner)
    steps = _plain_steps(plain, fonts, resources) if plain is not None else None
    rewriter = _Rewriter(fonts, resources)
    if steps is not None:
        data = rewriter.run_plain(steps)
    else:
        data = rewriter.run(list(pikepdf.parse_content_stream(owner)))
    if isinstance(owner, pikepdf.Page):
        owner.obj.Contents = pdf.make_stream(data)
    else:
        owner.write(data)
    for xobject in resources.get("/XObject", {}).values():
        if xobject.get("/Subtype") == "/Form" and xobject.objgen not in seen:
            seen.add(xobject.objgen)
            _walk(pdf, xobject, fonts, seen)


def fix_text_layer(data: bytes, font_files: list[Path], shared: bool = False) -> bytes:
    """Return *data* (a PDF) with an exact text layer for the fonts in *font_files*.

    *shared*: *data* is a part of a longer document, whose parts will be joined with one font
    program per face (fontsharing.share_programs): the glyphs added to a program are written
    on it, not into it, and the join adds them to the face's one program."""
    known = dict(glyph_text(path) for path in font_files)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        fonts = _Fonts(pdf, known)
        seen: set[tuple[int, int]] = set()
        for page in pdf.pages:
            _walk(pdf, page, fonts, seen)
        fonts.finish(shared)
        out = io.BytesIO()
        pdf.save(
            out,
            deterministic_id=True,
            compress_streams=True,
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
        )
        return out.getvalue()
