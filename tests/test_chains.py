"""Pieces laid out apart keep exactly the pages of one layout (chains.py), on a model of
greedy pagination: rows of random heights, some taller than a page (cut in two)."""

from __future__ import annotations

import random
from dataclasses import dataclass

import pytest

from saoreport.pipeline.chains import Chain

PAGE = 100  # height of a page


@dataclass
class Laid:
    keys: list[int | None]
    pages: list[list[tuple[int, int]]]  # per page: (row, part of the row) drawn on it


def lay_out(heights: list[int], start: int, stop: int) -> Laid:
    """Greedy pages of rows [start, stop): a row goes on the next page when it does not fit,
    and is cut into page-sized parts when it is taller than a page."""
    pages: list[list[tuple[int, int]]] = [[]]
    keys: list[int | None] = [start]
    room = PAGE
    for row in range(start, stop):
        height, part = heights[row], 0
        if height > room and pages[-1]:
            pages.append([])
            keys.append(row)
            room = PAGE
        while height > room:  # taller than what is left of an empty page: cut it
            pages[-1].append((row, part))
            height, part = height - room, part + 1
            pages.append([])
            keys.append(None)
            room = PAGE
        pages[-1].append((row, part))
        room -= height
    return Laid(keys, pages)


def chained(heights: list[int], size: int) -> list[list[tuple[int, int]]]:
    chain: Chain[Laid] = Chain(len(heights), size)
    rows: tuple[int, int] | None = chain.first()
    while rows is not None:
        rows = chain.follow(*rows, lay_out(heights, *rows))
    return [laid.pages[index] for laid, index in chain.pages]


@pytest.mark.parametrize("seed", range(40))
@pytest.mark.parametrize("size", [1, 2, 5, 13])
def test_chained_pieces_make_the_pages_of_one_layout(seed: int, size: int) -> None:
    rng = random.Random(seed)
    tall = seed % 4 == 0  # some plans have rows taller than a page
    heights = [rng.randint(5, 250 if tall and rng.random() < 0.1 else 60) for _ in range(60)]
    assert chained(heights, size) == lay_out(heights, 0, len(heights)).pages


def test_equal_rows_too() -> None:
    """Rows of one height: pieces started at the wrong row would never meet a whole layout's
    pages again; a chain starts each piece where a page of the table begins."""
    heights = [30] * 50
    assert chained(heights, 7) == lay_out(heights, 0, 50).pages
