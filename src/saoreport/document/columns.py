"""Column widths of the forms' tables, chosen from their content.

A form's table has fixed layout (fast, and the same on every page), so its widths must be
chosen beforehand. They are chosen by measuring, as the posters are: every cell's text is cut
where its lines may break (see segments), the pieces measured with the font's own advance
widths (fontTools), and

* a money or number column gets exactly the width of its widest figure and header word
  (figures never wrap: a ten-digit budget gets ten digits' room, small sums no more than they
  need);
* the text columns share the rest so that the rows, each as tall as its tallest cell, take
  the fewest lines in all (greedy line filling, as the layout does it).

Widths come back in percent of the table's width, for `<col style="width: …%">`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from saoreport import wordbreak
from saoreport.fonts.family import FontFamily

PADDING = 6.6  # pt: a cell's padding (3 pt each side) and its share of the 0.6 pt rules


@cache
def _advances(font: Path) -> tuple[dict[int, float], float]:
    """Per code point, its advance in em; and the advance of a missing character."""
    from fontTools.ttLib import TTFont

    tt = TTFont(font, lazy=True)
    upem = float(tt["head"].unitsPerEm)
    hmtx = tt["hmtx"]
    out = {cp: hmtx[name][0] / upem for cp, name in tt.getBestCmap().items()}
    return out, out.get(ord("ก"), 0.6)


def text_width(text: str, family: FontFamily, size: float, bold: bool = False) -> float:
    """The width of *text* on one line, in pt, at *size* pt of *family*."""
    advances, default = _advances(family.faces["bold" if bold else "regular"])
    return size * sum(advances.get(ord(c), default) for c in text)


@dataclass
class Column:
    """A column: its cells' texts, and whether they wrap (text) or not (figures)."""

    cells: list[str]
    wraps: bool = True
    header: list[str] = field(default_factory=list)  # header lines (bold), which never wrap
    least: float = 0.0  # pt of content width it needs whatever its cells (e.g. a kept phrase)


def segments(text: str, keep: Sequence[tuple[int, int]] = ()) -> list[str]:
    """*text* cut where a line may break when WeasyPrint lays it out: where Pango (with
    libthai) may break it and the line breaking (wordbreak.kept: never inside a word, a
    number with its unit, …) allows it; no break inside the spans *keep* (the phrases
    prose() keeps together)."""
    if len(text) < 2:
        return [text] if text else []
    breaks = wordbreak.line_breaks(text)
    mask = wordbreak.kept(text)[0]
    cuts = [
        i
        for i in range(1, len(text))
        if breaks[i] and not mask[i] and not any(a < i < b for a, b in keep)
    ]
    return [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]


HEIGHTS = range(1, 11)  # row heights (lines) tried
WIDEST = 0.25  # of the table: the most a text column widens for one unbreakable piece
SAMPLE = 400  # rows measured at most (every k-th row of a longer table)


def _least(pieces: list[float], lines: int) -> float:
    """The least room in which *pieces* fill at most *lines* lines (to 0.25 pt)."""
    if not pieces:
        return 0.0
    low, high = max(max(pieces), sum(pieces) / lines), sum(pieces)
    while high - low > 0.25:
        mid = (low + high) / 2
        if count_lines(pieces, mid) <= lines:
            high = mid
        else:
            low = mid
    return high


def count_lines(pieces: Sequence[float], room: float) -> int:
    """Lines that pieces of these widths fill, greedily, in *room* pt."""
    lines, used = 1, 0.0
    for width in pieces:
        if used and used + width > room:
            lines, used = lines + 1, width
        else:
            used += width
    return lines


@dataclass
class _Cells:
    """A wrapping column's cells, as the widths of their unbreakable pieces."""

    pieces: list[list[float]]
    memo: dict[int, list[int]] = field(default_factory=dict)

    def lines(self, width: float) -> list[int]:
        key = round(width * 100)
        if key not in self.memo:
            room = width - PADDING
            self.memo[key] = [count_lines(p, room) if p else 1 for p in self.pieces]
        return self.memo[key]


def _need(column: Column, family: FontFamily, size: float) -> float:
    """The least width of *column* (pt): its header words, its figures, its kept phrases."""
    return (
        max(
            [column.least]
            + [text_width(h, family, size, bold=True) for h in column.header]
            # Figures measured bold: total rows print them so.
            + (
                []
                if column.wraps
                else [text_width(t, family, size, bold=True) for t in column.cells]
            )
        )
        + PADDING
    )


MIN_TEXT = 0.12  # of the table: what each text column keeps when figures crowd it …
MAX_TEXT = 0.45  # … and all of them together at most
SMALLEST = 0.6  # the least a crowded table's text size is scaled to


def scale(columns: Sequence[Column], family: FontFamily, size: float, total: float) -> float:
    """1, or the factor by which a table's text must shrink so that its figures (which never
    wrap: the sums of ten-digit budgets have eleven digits) fit *total* pt and each text
    column keeps MIN_TEXT of it (all of them at most MAX_TEXT): ink stays inside its cells,
    smaller (at least SMALLEST)."""
    fixed = [_need(c, family, size) for c in columns if not c.wraps]
    room = total * (1 - min(MAX_TEXT, MIN_TEXT * sum(1 for c in columns if c.wraps)))
    if sum(fixed) <= room:
        return 1.0
    pad = PADDING * len(fixed)
    return max(SMALLEST, (room - pad) / (sum(fixed) - pad))


def _squeezed(need: list[float], wraps: list[bool], total: float) -> list[float]:
    """Widths (percent) where the columns need more than *total*: figures keep their room
    (they never wrap), the text columns share what is left in proportion to their need."""
    fixed = sum(w for w, wrap in zip(need, wraps, strict=True) if not wrap)
    text = sum(w for w, wrap in zip(need, wraps, strict=True) if wrap)
    if fixed >= total or not text:
        return [round(100 * w / sum(need), 3) for w in need]
    share = (total - fixed) / text
    return [
        round(100 * (w * share if wrap else w) / total, 3)
        for w, wrap in zip(need, wraps, strict=True)
    ]


def widths(
    columns: Sequence[Column],
    family: FontFamily,
    size: float,
    total: float,
    keep: re.Pattern[str] | None = None,
) -> list[float]:
    """Widths in percent of *total* pt for *columns* (their cells row by row) at *size* pt:
    figures get their widest figure's room, the text columns share the rest so that the
    rows, each as tall as its tallest cell, take the fewest lines in all."""
    need = [_need(c, family, size) for c in columns]
    free = total - sum(need)
    wrapping = [i for i, c in enumerate(columns) if c.wraps]
    if free <= 0 or not wrapping:
        return _squeezed(need, [c.wraps for c in columns], total)

    def kept(text: str) -> list[tuple[int, int]]:
        return [(m.start(), m.end()) for m in keep.finditer(text)] if keep is not None else []

    every = max(1, -(-len(columns[0].cells) // SAMPLE))
    cells = {
        i: _Cells(
            [
                [text_width(piece, family, size) for piece in segments(t, kept(t))]
                for t in columns[i].cells[::every]
            ]
        )
        for i in wrapping
    }

    # No text column narrower than its widest unbreakable piece (a word, a number with its
    # unit), up to WIDEST of the table: a wider one is broken inside and reported.
    for i in wrapping:
        widest = max((w for p in cells[i].pieces for w in p), default=0.0) + PADDING
        need[i] = max(need[i], min(widest, WIDEST * total))
    free = total - sum(need)
    if free <= 0:
        return _squeezed(need, [c.wraps for c in columns], total)

    def cost(width: list[float]) -> int:
        per_column = [cells[i].lines(width[i]) for i in wrapping]
        return sum(max(row) for row in zip(*per_column, strict=True))

    # For each row height H (in lines) and share q of the rows that must fit in it, every
    # text column takes the least width that fits q of its cells in H lines; of the choices
    # that fit the table (what is left over shared in proportion to the text), the one whose
    # rows take the fewest lines in all wins. Then width moves between text columns while
    # that saves lines (in steps of 1 %, then 0.25 % of the table).
    least = {
        i: [[_least(p, h) + PADDING for p in cells[i].pieces] for h in HEIGHTS] for i in wrapping
    }
    weight = {i: sum(sum(p) for p in cells[i].pieces) + 1.0 for i in wrapping}
    best: tuple[int, list[float]] | None = None
    for share in (0.5, 0.75, 0.9, 1.0):
        for h in range(len(HEIGHTS)):
            want = dict.fromkeys(wrapping, 0.0)
            for i in wrapping:
                ranked = sorted(least[i][h])
                want[i] = max(need[i], ranked[min(len(ranked) - 1, int(share * len(ranked)))])
            left = (
                total
                - sum(need[i] for i in range(len(columns)) if i not in want)
                - sum(want.values())
            )
            if left < 0:
                continue
            width = list(need)
            for i in wrapping:
                width[i] = want[i] + left * weight[i] / sum(weight.values())
            score = cost(width)
            if best is None or score < best[0]:
                best = (score, width)
            break
    if best is None:
        width = list(need)
        for i in wrapping:
            width[i] += free * weight[i] / sum(weight.values())
        best = (cost(width), width)
    score, width = best
    for step in (0.01 * total, 0.0025 * total):
        improved = True
        while improved:
            improved = False
            for a in wrapping:
                for b in wrapping:
                    if a == b or width[a] - step < need[a]:
                        continue
                    trial = list(width)
                    trial[a] -= step
                    trial[b] += step
                    if (found := cost(trial)) < score:
                        score, width, improved = found, trial, True
    return _quantized([100 * w / total for w in width], [100 * n / total for n in need], wrapping)


QUANTUM = 0.1  # percent of the table: what the text columns' widths are multiples of


def _quantized(percent: list[float], need: list[float], wrapping: list[int]) -> list[float]:
    """*percent* with the text columns' widths in whole QUANTUMs (none below its *need*),
    their sum unchanged: the shares follow the text's length, so that without this any edit
    of a cell moved every text column's width a little, and a rebuild laid the whole table
    out again. The largest remainders take the spare quanta; what is left below one quantum
    goes to the first text column (it depends on the figures' columns alone)."""
    text = sum(percent[i] for i in wrapping)
    out = list(percent)
    for i in wrapping:
        out[i] = max(
            math.floor(percent[i] / QUANTUM + 1e-9) * QUANTUM,
            math.ceil(need[i] / QUANTUM - 1e-9) * QUANTUM,
        )
    spare = text - sum(out[i] for i in wrapping)
    if spare < 0:
        return [round(w, 3) for w in percent]
    quanta = int(spare / QUANTUM + 1e-9)
    for i in sorted(wrapping, key=lambda i: (out[i] - percent[i], i))[:quanta]:
        out[i] += QUANTUM
    out[wrapping[0]] += text - sum(out[i] for i in wrapping)
    return [round(w, 3) for w in out]
