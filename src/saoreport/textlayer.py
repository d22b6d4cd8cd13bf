"""Make the PDF text layer say exactly what was typeset.

WeasyPrint maps each glyph to text on first use, so a glyph drawn for ำ in one word
and for า in another extracts wrongly in one of them. This stage rewrites, for every
embedded font we know, the ToUnicode map with each glyph's nominal text (see
glyphtext), and wraps the glyphs of every split SARA AM (ํ + tone marks + า, as
HarfBuzz reorders them) in a marked-content span whose /ActualText is the logical text.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pikepdf
from fontTools.ttLib import TTFont

from .glyphtext import GlyphText, glyph_text

NIKHAHIT = "\u0e4d"
SARA_AA = "\u0e32"
SARA_AM = "\u0e33"
TONES = re.compile("[\u0e48-\u0e4b]")


@dataclass
class _Font:
    text: GlyphText  # gid -> nominal text
    two_byte: bool


def _embedded_name(font: pikepdf.Dictionary) -> str | None:
    try:
        descriptor = font.DescendantFonts[0].FontDescriptor
        data = descriptor.FontFile2.read_bytes()
    except (AttributeError, KeyError, IndexError, TypeError):
        return None
    names = TTFont(io.BytesIO(data), lazy=True)["name"]
    return str(names.getDebugName(6) or "") or None


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
        for gid, text in batch:
            lines.append(f"<{gid:04x}> <{text.encode('utf-16-be').hex()}>".encode())
        lines.append(b"endbfchar")
    lines.append(b"endcmap CMapName currentdict /CMap defineresource pop end end")
    return b"\n".join(lines)


def _old_map(font: pikepdf.Dictionary) -> dict[int, str]:
    found: dict[int, str] = {}
    if "/ToUnicode" not in font:
        return found
    data = font.ToUnicode.read_bytes().decode("latin-1")
    for gid, hexed in re.findall(r"<([0-9a-fA-F]{4})>\s*<([0-9a-fA-F]*)>", data):
        found[int(gid, 16)] = bytes.fromhex(hexed).decode("utf-16-be")
    return found


def _fix_font(pdf: pikepdf.Pdf, font: pikepdf.Dictionary, known: Mapping[str, GlyphText]) -> _Font | None:
    if font.get("/Subtype") != "/Type0":
        return None
    name = _embedded_name(font)
    nominal = known.get(name or "")
    old = _old_map(font)
    if nominal is None:
        return _Font(old, True)
    new = {gid: nominal.get(gid, text) for gid, text in old.items()}
    font.ToUnicode = pdf.make_stream(_tounicode(new))
    return _Font(nominal, True)


# -- content streams ------------------------------------------------------------------

@dataclass
class _Glyph:
    code: bytes
    text: str
    moved: bool  # drawn raised, or shifted by more than a twentieth of an em


_Item = Any  # a pikepdf operand/operator tuple, or a _Glyph / number inside a TJ


def _explode(instructions: list[Any], fonts: Mapping[str, _Font]) -> Iterator[tuple[str, Any]]:
    """Yield ('op', instruction), ('tj', None) starts, ('g', _Glyph), ('n', number), ('end', None)."""
    current: _Font | None = None
    rise = 0.0
    for inst in instructions:
        operands, op = inst.operands, str(inst.operator)
        if op == "Tf":
            current = fonts.get(str(operands[0]))
        elif op == "Ts":
            rise = float(operands[0])
        if op not in ("TJ", "Tj") or current is None:
            yield "op", inst
            continue
        parts = list(operands[0]) if op == "TJ" else [operands[0]]
        yield "tj", None
        shift = 0.0
        for part in parts:
            if isinstance(part, pikepdf.String):
                raw = bytes(part)
                for i in range(0, len(raw) - 1, 2):
                    code = raw[i : i + 2]
                    gid = int.from_bytes(code, "big")
                    moved = bool(rise) or abs(shift) > 50
                    yield "g", _Glyph(code, current.text.get(gid, ""), moved)
                    shift = 0.0
            else:
                shift += float(part)
                yield "n", part
        yield "end", None


def _is_mark(text: str) -> bool:
    return bool(text) and all(unicodedata.category(c) == "Mn" for c in text)


def _clusters(glyphs: list[_Glyph]) -> Iterator[tuple[int, int]]:
    """(first, last) glyph index of each base glyph with the marks drawn after it."""
    start = 0
    for i in range(1, len(glyphs) + 1):
        if i == len(glyphs) or not (_is_mark(glyphs[i].text) or _am_tail(glyphs, i)):
            yield start, i - 1
            start = i


def _am_tail(glyphs: list[_Glyph], i: int) -> bool:
    """Is glyph *i* the า of a SARA AM that HarfBuzz split into ํ (+ tone marks) + า?"""
    return glyphs[i].text == SARA_AA and i > 0 and NIKHAHIT in glyphs[i - 1].text


def _logical(texts: list[str]) -> str:
    """The text of a cluster, with a split SARA AM joined and put back after its tones."""
    joined = "".join(texts)
    return re.sub(f"{NIKHAHIT}([\u0e48-\u0e4b]*){SARA_AA}", f"\\1{SARA_AM}", _TONE_FIRST.sub(r"\2\1", joined))


_TONE_FIRST = re.compile(f"({NIKHAHIT})([\u0e48-\u0e4b]+)")


def _spans(glyphs: list[_Glyph]) -> dict[int, tuple[int, str]]:
    """First glyph -> (last glyph, actual text) for each run extractors misread.

    That is a split SARA AM (its glyphs' own text is out of order) and a cluster whose
    marks are moved far from their base: poppler then measures a gap from the moved
    mark to the next letter and splits the word, so such a span also takes in the
    glyph after the cluster, which puts the span's end where the next letter starts.
    """
    spans: dict[int, tuple[int, str]] = {}
    open_first: int | None = None
    open_last = -1
    for first, last in _clusters(glyphs):
        part = glyphs[first : last + 1]
        texts = [g.text for g in part]
        actual = _logical(texts)
        moved = any(g.moved for g in part[1:])
        if open_first is None:
            if actual == "".join(texts) and not moved:
                continue
            open_first = first
        open_last = min(last + 1, len(glyphs) - 1) if moved else last
        if open_last <= last:
            spans[open_first] = (last, "")
            open_first = None
    if open_first is not None:
        spans[open_first] = (open_last, "")
    return {
        first: (last, _logical([g.text for g in glyphs[first : last + 1]]))
        for first, (last, _) in spans.items()
    }


def _rewrite(instructions: list[Any], fonts: Mapping[str, _Font]) -> list[Any] | None:
    items = list(_explode(instructions, fonts))
    glyphs = [payload for kind, payload in items if kind == "g"]
    spans = _spans(glyphs)
    if not spans:
        return None
    ends: dict[int, str] = {}
    out: list[Any] = []
    tj: list[Any] = []

    def flush() -> None:
        if tj:
            out.append(pikepdf.ContentStreamInstruction([pikepdf.Array(tj)], pikepdf.Operator("TJ")))
            tj.clear()

    def add_code(code: bytes) -> None:
        if tj and isinstance(tj[-1], bytes):
            tj[-1] = tj[-1] + code
        else:
            tj.append(code)

    index = 0
    inside_tj = False
    for kind, payload in items:
        if kind == "op":
            out.append(payload)
        elif kind == "tj":
            inside_tj = True
        elif kind == "end":
            inside_tj = False
            flush()
        elif kind == "n":
            tj.append(payload)
        else:
            if index in spans:
                flush()
                end, actual = spans[index]
                ends[end] = actual
                props = pikepdf.Dictionary(ActualText=pikepdf.String(actual))
                out.append(pikepdf.ContentStreamInstruction([pikepdf.Name("/Span"), props], pikepdf.Operator("BDC")))
            add_code(payload.code)
            if index in ends:
                flush()
                out.append(pikepdf.ContentStreamInstruction([], pikepdf.Operator("EMC")))
                del ends[index]
            index += 1
    assert not inside_tj
    return [
        pikepdf.ContentStreamInstruction(
            [pikepdf.Array([pikepdf.String(p) if isinstance(p, bytes) else p for p in inst.operands[0]])],
            inst.operator,
        )
        if str(inst.operator) == "TJ" and isinstance(inst.operands[0], pikepdf.Array) and any(isinstance(p, bytes) for p in inst.operands[0])
        else inst
        for inst in out
    ]


def _fix_content(pdf: pikepdf.Pdf, owner: Any, known: Mapping[str, GlyphText], seen: set[tuple[int, int]]) -> None:
    resources = owner.get("/Resources")
    if resources is None:
        return
    fonts: dict[str, _Font] = {}
    for name, font in resources.get("/Font", {}).items():
        fixed = _fix_font(pdf, font, known) if font.objgen not in seen else None
        seen.add(font.objgen)
        if fixed is None:
            fixed = _Font(_old_map(font), True) if font.get("/Subtype") == "/Type0" else None
        if fixed is not None:
            fonts[name] = fixed
    instructions = list(pikepdf.parse_content_stream(owner))
    rewritten = _rewrite(instructions, fonts)
    if rewritten is not None:
        data = pikepdf.unparse_content_stream(rewritten)
        if isinstance(owner, pikepdf.Page):
            owner.obj.Contents = pdf.make_stream(data)
        else:
            owner.write(data)
    for xobject in resources.get("/XObject", {}).values():
        if xobject.get("/Subtype") == "/Form" and xobject.objgen not in seen:
            seen.add(xobject.objgen)
            _fix_content(pdf, xobject, known, seen)


def fix_text_layer(data: bytes, font_files: list[Path]) -> bytes:
    """Return *data* (a PDF) with an exact text layer for the fonts in *font_files*."""
    known = dict(glyph_text(path) for path in font_files)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        seen: set[tuple[int, int]] = set()
        for page in pdf.pages:
            _fix_content(pdf, page, known, seen)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return out.getvalue()
