"""Which text each glyph of a font stands for, derived from the font itself.

A glyph reached through the font's cmap stands for its code point. A glyph that only
GSUB produces (a lowered tone mark, a tail-less ญ, a mark ligature) stands for the text
of the glyphs it was made from. This is the "nominal" text of a glyph: it does not
depend on which word happened to draw the glyph first, as WeasyPrint's own map does.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any

from fontTools.ttLib import TTFont

GlyphText = dict[int, str]

# Older Thai fonts (TLWG, Windows) also give their positional variants code points in the
# Private Use Area. Those are no text: the variant's text comes from GSUB, else from here.
THAI_PUA = dict(
    zip(
        range(0xF700, 0xF71B),
        "\u0e10\u0e34\u0e35\u0e36\u0e37\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e48\u0e49\u0e4a"
        "\u0e4b\u0e4c\u0e0d\u0e31\u0e4d\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e38\u0e39\u0e3a",
        strict=True,
    )
)


def _private(cp: int) -> bool:
    return 0xE000 <= cp <= 0xF8FF


def _subtables(gsub: Any) -> list[tuple[int, Any]]:
    found = []
    for lookup in gsub.LookupList.Lookup:
        for sub in lookup.SubTable:
            kind = sub.LookupType
            if kind == 7:  # extension
                sub = sub.ExtSubTable
                kind = sub.LookupType
            found.append((kind, sub))
    return found


def _derive(font: TTFont) -> dict[str, str]:
    """Glyph name -> text, from cmap first, then GSUB until nothing new is learnt."""
    text: dict[str, str] = {}
    cmap = font.getBestCmap()
    for cp, name in sorted(cmap.items()):
        if not _private(cp):
            text.setdefault(name, chr(cp))
    if "GSUB" not in font or font["GSUB"].table.LookupList is None:
        return text
    subtables = _subtables(font["GSUB"].table)
    derived: dict[str, str] = {}
    ligatures: dict[str, str] = {}

    def learn(name: str, value: str) -> bool:
        if name in text or name in derived:
            return False
        derived[name] = value
        return True

    def known(name: str) -> str | None:
        return text.get(name, derived.get(name))

    changed = True
    while changed:
        changed = False
        for kind, sub in subtables:
            if kind == 1:
                for src, dst in sub.mapping.items():
                    value = known(src)
                    if value is not None:
                        changed |= learn(dst, value)
            elif kind == 3:
                for src, alternates in sub.alternates.items():
                    value = known(src)
                    if value is not None:
                        for dst in alternates:
                            changed |= learn(dst, value)
            elif kind == 4:
                for first, ligs in sub.ligatures.items():
                    for lig in ligs:
                        parts = [known(g) for g in [first, *lig.Component]]
                        if all(p is not None for p in parts):
                            joined = "".join(p for p in parts if p is not None)
                            ligatures.setdefault(lig.LigGlyph, joined)
                            changed |= learn(lig.LigGlyph, joined)
            # Multiple substitutions (2) split a glyph into glyphs that are all in
            # the cmap already (ำ -> ํ + า); the PDF post-processor rejoins them.
    # A ligature that is also a compatibility character in the cmap (U+FB01 ﬁ) is
    # nearly always drawn from the letters, so it stands for the letters.
    for name, joined in ligatures.items():
        nominal = text.get(name)
        if nominal is not None and unicodedata.normalize("NFKC", nominal) == joined:
            text[name] = joined
    found = {**derived, **text}
    for cp, name in cmap.items():
        if name not in found and cp in THAI_PUA:
            found[name] = THAI_PUA[cp]
    return found


def name_of(font: TTFont, default: str = "") -> str:
    """*font*'s PostScript name (name ID 6), or *default* where it has none."""
    return str(font["name"].getDebugName(6) or default)


@lru_cache(maxsize=32)
def postscript_name(path: Path) -> str:
    """The PostScript name of the font at *path* (its file's stem where it has none)."""
    return name_of(TTFont(path, lazy=True), path.stem)


@lru_cache(maxsize=32)
def glyph_text(path: Path) -> tuple[str, GlyphText]:
    """The PostScript name of the font at *path* and its glyph id -> text map."""
    font = TTFont(path, lazy=True)
    by_name = _derive(font)
    order = font.getGlyphOrder()
    mapping = {gid: by_name[name] for gid, name in enumerate(order) if name in by_name}
    return name_of(font, path.stem), mapping


def covered(path: Path) -> frozenset[int]:
    """Code points the font at *path* can draw."""
    return frozenset(_cmap(path))


@lru_cache(maxsize=32)
def _cmap(path: Path) -> dict[int, str]:
    return dict(TTFont(path, lazy=True).getBestCmap())
