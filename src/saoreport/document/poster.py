"""Noticeboard posters: the font size is chosen by measuring trial layouts.

WeasyPrint cannot fit text to a box, so the poster is laid out on a page too tall to
overflow, its height measured, and the size corrected (text area grows with the square of
the size) until the content fills most of the sheet without spilling: a handful of trials.
The trial chosen becomes the poster: its page is cut to the sheet and the spare height
shared out between its gaps (stretch.py), the same pages as a layout of its own.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from saoreport.document.stretch import stretch
from saoreport.errors import BuildFailed
from saoreport.messages import _
from saoreport.plan.validate import Checked

FLOOR = 16.0  # official pt: the smallest list text read from a metre (x-height about 1.9 mm)
CEILING = 48.0  # official pt: larger list text looks shouted
FILL = (0.85, 0.97)  # the share of the sheet the content (with the least gaps) should take
TRIALS = 6
GAPS = 4  # the spaces between header, vision, missions, goals and footer
MIN_GAP = 2.0  # mm
SLACK = 2.0  # mm kept free at the foot of the sheet


@dataclass(frozen=True)
class Paper:
    name: str
    width: float  # mm
    height: float
    margin: float
    qr_mm: float

    @property
    def sheet(self) -> float:
        return self.height - 2 * self.margin


PAPERS = {
    "a3": Paper("A3", 297, 420, 15, 34),
    "a4": Paper("A4", 210, 297, 12, 26),
}


@dataclass
class Fit:
    size: float  # official pt of the list text
    fill: float
    columns: int
    trials: int  # layouts made
    seconds: float


Render = Callable[[str], Any]  # HTML -> WeasyPrint document
Html = Callable[[float, float, int, bool], str]


def qr_code(url: str) -> str:
    import segno  # only when a poster is made (not in a rebuild of the strategy alone)

    return str(segno.make(url, error="m", micro=False).svg_data_uri(border=2))


def _fill(document: Any, paper: Paper) -> float:
    """Height of the laid-out content (on the tall page) as a share of the real sheet."""
    for box in document.pages[0]._page_box.descendants():
        element = getattr(box, "element", None)
        if element is not None and element.get("id") == "sheet" and box.element_tag == "div":
            height_mm = float(box.margin_height()) / 96 * 25.4
            return height_mm / paper.sheet
    raise BuildFailed(_("the poster template has no #sheet: install saoreport again"))


def _search(measure: Callable[[float], float], start: float) -> dict[float, float]:
    """Sizes tried -> fill: a secant-like search (area grows as size²) within the limits."""
    tried: dict[float, float] = {}
    size = start
    for _trial in range(TRIALS):
        size = round(min(max(size, FLOOR), CEILING), 2)
        if size in tried:
            break
        fill = tried[size] = measure(size)
        if FILL[0] <= fill <= FILL[1] or (size == CEILING and fill <= FILL[1]):
            break
        if size == FLOOR and fill > FILL[1]:
            break  # the caller checks whether the floor fits at all
        size = size * math.sqrt(sum(FILL) / 2 / fill)
    return tried


def fit(html_at: Html, lay_out: Render, paper: Paper, hint: str) -> tuple[Any, Fit]:
    """Find the largest size whose content fits the sheet; return its document and the fit.

    *html_at(size, gap, columns, tall)* is the poster's HTML with list text of *size*
    official pt, *gap* mm between its parts, lists in *columns*, on a page *tall* enough
    never to overflow (for measuring). One column is tried first; two when one column
    only fits small. What the content leaves of the sheet is shared out between the gaps.
    """
    start = time.perf_counter()
    best: tuple[float, int, float] | None = None  # size, columns, fill
    trials = 0
    kept: dict[tuple[float, int], Any] = {}  # the trials that fit: one of them is the poster
    size = 28.0 if paper.name == "A4" else 36.0
    for columns in (1, 2):

        def measure(size: float, columns: int = columns) -> float:
            document = lay_out(html_at(size, MIN_GAP, columns, True))
            fill = _fill(document, paper)
            if fill * paper.sheet + SLACK <= paper.sheet:
                kept[size, columns] = document
            return fill

        tried = _search(measure, size)
        trials += len(tried)
        fitting = [
            (s, columns, f) for s, f in tried.items() if f * paper.sheet + SLACK <= paper.sheet
        ]
        if fitting and (best is None or max(fitting)[0] > best[0]):
            best = max(fitting)
        if best is not None and best[0] >= 1.25 * FLOOR:
            break
        size = best[0] if best else FLOOR
    if best is None:
        message = _(
            "poster {paper}: the vision, missions and goals do not fit on {paper} even at the"
            " smallest readable size ({size} pt official), in one column or two. Shorten the"
            " vision, missions or goals (what takes the most room is {hint})",
            paper=paper.name,
            size=f"{FLOOR:g}",
            hint=hint,
        )
        if paper.name == "A4":
            message += _(", or use the A3 poster")
        raise BuildFailed(message)
    size, columns, fill = best
    spare = paper.sheet * (1 - fill) - SLACK
    gap = MIN_GAP + max(spare, 0) / GAPS
    document = kept.pop((size, columns))
    kept.clear()  # the other trials' layouts
    if not stretch(document, "sheet", "gap", gap, paper.height):
        document = lay_out(html_at(size, gap, columns, False))  # no page to reuse
        trials += 1
    if len(document.pages) != 1:
        raise BuildFailed(
            _(
                "poster {paper}: laid out on {count} pages; please report it",
                paper=paper.name,
                count=len(document.pages),
            )
        )
    return document, Fit(size, fill, columns, trials, time.perf_counter() - start)


def longest(checked: Checked) -> str:
    """What takes the most room on the poster, for the message when text cannot fit: its
    characters times the area of one at its size (the vision is drawn 1.8 to 2 times as
    large as the list text: poster.html.j2), with the plan file."""
    plan = checked.plan
    vision = (2.0 if len(plan.vision) < 60 else 1.8) ** 2
    items = [(len(plan.vision) * vision, len(plan.vision), _("the vision"))]
    items += [
        (len(t), len(t), _("mission {n} (missions[{i}])", n=i + 1, i=i))
        for i, t in enumerate(plan.missions)
    ]
    items += [
        (len(t), len(t), _("goal {n} (goals[{i}])", n=i + 1, i=i)) for i, t in enumerate(plan.goals)
    ]
    _room, length, where = max(items, key=lambda item: item[0])
    return _(
        "{what} in {file}, {length} characters",
        what=where,
        file=checked.file,
        length=f"{length:,}",
    )
