"""A long table laid out as a chain of pieces, with the pages one layout would make.

A programme's ผ.02 table is laid out in pieces of about ROWS rows. A piece's pages are those
of the whole table from the row it starts with, except its last page, which the rows after
the piece might have filled: so the next piece starts with the row that begins that last
page, and the last page is dropped. Pages are made of whole rows (a row is never cut, unless
it is taller than a page), so a page that begins with a given row is the same page in both
layouts. Each programme is one chain; the chains of all programmes run side by side.

A piece may also stop by itself at a page end past its rows (pipeline/parts.py: it holds a few
rows more, and its layout ends after the page its last row is on): its keys then name one
page more than it laid out, the page the next piece begins with, and none of its pages is
dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

ROWS = 40  # rows in a piece


class Laid(Protocol):
    keys: list[int | None]  # per page: the row it begins with (None: inside a cut row)


L = TypeVar("L", bound=Laid)


@dataclass
class Chain(Generic[L]):
    """The pieces of one table of *rows* rows (the total row included)."""

    rows: int
    size: int = ROWS
    pages: list[tuple[L, int]] = field(default_factory=list)  # kept: (piece, page index)

    def first(self) -> tuple[int, int]:
        """Rows [start, stop) of the first piece."""
        return 0, min(self.rows, self.size)

    def follow(self, start: int, stop: int, laid: L) -> tuple[int, int] | None:
        """Keep the pages of the piece of rows [start, stop); the rows of the next piece
        (None: the table is done)."""
        if stop >= self.rows:  # the last piece: all its pages stand
            self.pages += [(laid, i) for i in range(len(laid.keys))]
            return None
        last = max(i for i, key in enumerate(laid.keys) if key is not None)
        if last == 0:  # one page, or the rows after page 0 are cut: lay out more rows at once
            return start, min(self.rows, start + 2 * (stop - start))
        self.pages += [(laid, i) for i in range(last)]
        begins = laid.keys[last]
        assert begins is not None
        return begins, min(self.rows, begins + self.size)
