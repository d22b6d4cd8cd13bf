"""One font program per face for a document joined from parts.

Each part of a long document embeds its own subset of each face, with the glyphs its text
layer added (fontprogram.Program), and writes on each program what the join needs
(textlayer.fix_text_layer with shared=True). The join gives every font of a face one program:
see share_programs.
"""

from __future__ import annotations

import hashlib
import io
import struct
import zlib
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import pikepdf
from fontTools.ttLib import TTFont

from saoreport.fonts.glyphs import postscript_name
from saoreport.pdf.fontprogram import (
    ADDED,
    COUNT,
    FACE,
    SHOWN,
    Part,
    Program,
    pack_added,
    unpack_added,
)


class Programs(Protocol):
    """Font programs made before, by what they were made from (pipeline.parts.Store.programs)."""

    def get(self, key: str) -> bytes | None: ...

    def put(self, key: str, data: bytes) -> None: ...


_ADDED = 0x10000  # in a glyph's parts: an added glyph, by its place among them (not an id)


def share_programs(pdf: pikepdf.Pdf, font_files: list[Path], kept: Programs | None = None) -> None:
    """Give every font of a face in *pdf* (parts joined, each fixed with shared=True) one
    font program: the face's glyphs that any part shows, then every glyph a part added, once.

    A part's fonts keep their codes (glyph ids in the part's own program, its added glyphs
    after its last): a CIDToGIDMap takes each code to its glyph in the one program, so no
    content stream changes, nor any font's widths or text. One program instead of one per
    part and face: a third of a long document's bytes, and no part saves a font program.
    *kept*: programs made before, by what they are made from (a rebuild after a small edit
    finds its programs there)."""
    faces: dict[str, list[tuple[Any, Any]]] = {}  # face -> its CIDFonts and their programs
    for cid_font in _cid_fonts(pdf):
        stream = cid_font.FontDescriptor.get("/FontFile2")
        if stream is not None and FACE in stream:
            faces.setdefault(str(stream[FACE])[1:], []).append((cid_font, stream))
    for face, fonts in faces.items():
        shown = 0
        for _, stream in fonts:
            shown |= int.from_bytes(bytes(stream[SHOWN]), "little")
        glyphs = [gid for gid in range(shown.bit_length()) if shown >> gid & 1]
        order: dict[tuple[Part, ...], int] = {}  # every added glyph, once, in order
        maps = []
        for cid_font, stream in fonts:
            count = int(stream[COUNT])
            added: list[int] = []  # the part's added glyphs' places among all
            for parts in unpack_added(bytes(stream[ADDED])):
                # A glyph may draw one added before it (SARA AM's ํ, moved), by its id there.
                ours = tuple(
                    (g if g < count else _ADDED + added[g - count], x, y) for g, x, y in parts
                )
                added.append(order.setdefault(ours, len(order)))
            maps.append((cid_font, count, added))
        data, first = _shared_program(face, font_files, glyphs, list(order), kept)
        program = pdf.make_stream(data)
        program.Length1 = len(data)
        for cid_font, count, added in maps:
            cid_font.FontDescriptor.FontFile2 = program
            if any(first + place != count + k for k, place in enumerate(added)):
                cid_font.CIDToGIDMap = _gid_map(pdf, count, [first + place for place in added])


def _shared_program(
    face: str,
    font_files: list[Path],
    glyphs: list[int],
    added: list[tuple[Part, ...]],
    kept: Programs | None,
) -> tuple[bytes, int]:
    """The program of *face* with *glyphs*, then the *added* glyphs, and the id of the first
    added one."""
    key = hashlib.sha256(
        face.encode() + b"\0" + struct.pack(f">{len(glyphs)}H", *glyphs) + pack_added(added)
    ).hexdigest()
    data = kept.get(key) if kept is not None else None
    if data is not None:  # made before: its glyphs, then the added ones
        return data, TTFont(io.BytesIO(data), lazy=True)["maxp"].numGlyphs - len(added)
    path = next(path for path in font_files if postscript_name(path) == face)
    font = _subset(path, glyphs)
    first = len(font.getGlyphOrder())
    program = Program(None, font, int(font["head"].unitsPerEm))
    for parts in added:
        program.compose(
            tuple((first + g - _ADDED if g >= _ADDED else g, x, y) for g, x, y in parts)
        )
    if added:
        program.add()
    out = io.BytesIO()
    font.save(out)
    data = out.getvalue()
    if kept is not None:
        kept.put(key, data)
    return data, first


def _gid_map(pdf: pikepdf.Pdf, count: int, added: list[int]) -> Any:
    """A CIDToGIDMap stream: codes below *count* to themselves, then to the *added* glyphs;
    two bytes a code. Compressed with the PNG "up" predictor (a row a code), which makes the
    run of codes mapped to themselves a repeated row: about 30 bytes instead of 1,200 for a
    part's font of 800 glyphs."""
    rows = bytearray(_up_rows(count))
    for last, gid in zip([count - 1, *added], added, strict=False):
        rows += _up_row(gid, last)
    stream = pdf.make_stream(b"")
    parameters = pikepdf.Dictionary(Predictor=12, Columns=2)
    data = zlib.compress(bytes(rows), 9)
    stream.write(data, filter=pikepdf.Name.FlateDecode, decode_parms=parameters)
    return stream


def _up_row(gid: int, last: int) -> bytes:
    """A code's row of the map: its glyph id, less the row above it byte by byte (2: "up")."""
    return bytes((2, (gid >> 8) - (last >> 8) & 0xFF, (gid & 0xFF) - (last & 0xFF) & 0xFF))


@lru_cache(maxsize=64)
def _up_rows(count: int) -> bytes:
    """The "up" predictor's rows for codes 0 to *count* - 1 mapped to themselves (the row
    above the first is zeros)."""
    return b"".join(_up_row(gid, max(gid - 1, 0)) for gid in range(count))


def _cid_fonts(pdf: pikepdf.Pdf) -> list[Any]:
    """The CIDFonts of *pdf*'s pages and of their forms, in page order, each once."""
    found: dict[tuple[int, int], Any] = {}
    seen: set[tuple[int, int]] = set()

    def walk(resources: Any) -> None:
        for font in resources.get("/Font", {}).values():
            if font.get("/Subtype") == "/Type0":
                cid_font = font.DescendantFonts[0]
                found.setdefault(cid_font.objgen, cid_font)
        for xobject in resources.get("/XObject", {}).values():
            if xobject.get("/Subtype") == "/Form" and xobject.objgen not in seen:
                seen.add(xobject.objgen)
                walk(xobject.get("/Resources", {}))

    for page in pdf.pages:
        walk(page.obj.get("/Resources", {}))
    return list(found.values())


_LAYOUT_TABLES = ("GDEF", "GSUB", "GPOS", "BASE", "JSTF", "DSIG", "SVG ")


def _subset(path: Path, glyphs: list[int]) -> TTFont:
    """The font at *path* with only *glyphs* (their ids kept), as WeasyPrint subsets a font
    (pdf/fonts.py): no hinting, no layout tables (nor GDEF, which WeasyPrint keeps)."""
    from fontTools import subset

    font = TTFont(path, recalcTimestamp=False)
    for tag in _LAYOUT_TABLES:  # a PDF reader draws the glyphs given: no shaping tables
        if tag in font:
            del font[tag]  # before subsetting: it would read them all (nine tenths of its time)
    options = subset.Options(
        retain_gids=True,
        passthrough_tables=True,
        ignore_missing_glyphs=True,
        hinting=False,
        desubroutinize=True,
        notdef_outline=False,
        layout_closure=False,
    )
    subsetter = subset.Subsetter(options)
    subsetter.populate(gids=glyphs)
    subsetter.subset(font)
    return font
