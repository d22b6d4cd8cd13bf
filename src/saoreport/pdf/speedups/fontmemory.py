"""What WeasyPrint's text calls found, kept per font configuration as its fonts are: the lines
laid out (linebreak.py) and drawn (drawing.py).

A document's fonts are all in its font configuration before its first line is laid out or
drawn (WeasyPrint reads the @font-face rules with the stylesheets), so documents whose
configuration holds the same fonts find the same lines and can share them (a document laid
out again, the same texts in another document of the plan). WeasyPrint writes each @font-face
font it adds to its configuration's folder, one file per rule: the folder's files tell which
fonts were added. A configuration without that folder (another WeasyPrint) keeps its lines for
one ``remembered`` block only. The configuration is held by a weak reference (WeasyPrint's to
let go)."""

from __future__ import annotations

import os
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

Fingerprint = tuple[weakref.ref[Any], tuple[str, ...]]
# Style values seen: whether they are plain data (str, numbers, None, tuples of them), and
# the first tuple of them (the one the kept values hold).
_plain_values: dict[tuple[Any, ...], tuple[bool, tuple[Any, ...]]] = {}


def plain(value: Any) -> bool:
    """Is *value* plain data, equal to another value exactly when it acts the same? (A CSS
    function such as calc() is not: it is resolved against other properties.)"""
    if value is None or type(value) in (str, int, float, bool):
        return True
    return isinstance(value, tuple) and all(plain(v) for v in value)


def style_values(style: Any, names: tuple[str, ...]) -> tuple[Any, ...] | None:
    """The values of *style*'s properties *names*, as part of a key (one tuple for all equal
    values); None where one is not plain data (nothing may be kept for it)."""
    values = tuple([style[name] for name in names])
    try:
        known = _plain_values.get(values)
        if known is None:
            known = _plain_values[values] = (plain(values), values)
    except TypeError:  # unhashable
        return None
    return known[1] if known[0] else None


class FontMemory:
    """Kept values (at most *most* per font configuration, for the last *configurations*),
    served only while a ``remembered`` block runs."""

    def __init__(self, most: int, configurations: int = 2) -> None:
        self.most = most
        self.configurations = configurations
        self.scopes: list[dict[Any, dict[Any, Any]]] = []  # the blocks under way
        self.kept: dict[Fingerprint, dict[Any, Any]] = {}

    @contextmanager
    def remembered(self) -> Iterator[None]:
        self.scopes.append({})
        try:
            yield
        finally:
            self.scopes.pop()

    @property
    def active(self) -> bool:
        return bool(self.scopes)

    def memo(self, config: Any) -> dict[Any, Any]:
        """The values kept for *config* as its fonts are now (in a ``remembered`` block)."""
        scope = self.scopes[-1]
        memo = scope.get(config)
        if memo is None:
            memo = scope[config] = self._for(config)
        return memo

    def keep(self, memo: dict[Any, Any], key: Any, value: Any) -> None:
        if len(memo) >= self.most:
            memo.clear()
        memo[key] = value

    def _for(self, config: Any) -> dict[Any, Any]:
        if not hasattr(config, "_folder"):
            return {}
        folder = config._folder
        fonts = tuple(sorted(os.listdir(folder))) if folder is not None else ()
        for gone in [f for f in self.kept if f[0]() is None]:
            del self.kept[gone]
        fingerprint = (weakref.ref(config), fonts)
        values = self.kept.get(fingerprint)
        if values is None:
            while len(self.kept) >= self.configurations:
                del self.kept[next(iter(self.kept))]
            values = self.kept[fingerprint] = {}
        return values
