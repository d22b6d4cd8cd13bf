"""Helpers of the memory tests (test_remembered_lines.py, test_drawing.py): the line-breaking
corpus, our base stylesheet, a layout of test documents, and a style that records what is read
of it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from saoreport.document.render import environment
from saoreport.fonts.family import font_family
from saoreport.pdf import layout
from saoreport.resources import templates_dir

HERE = Path(__file__).resolve().parent


def corpus_texts() -> list[str]:
    texts = []
    for name in ("linebreak_corpus.txt", "thai_corpus.txt"):
        for line in (HERE / name).read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                texts.append(line.strip())
    return texts


def base_css() -> tuple[Any, str]:
    """The default font family, and our base stylesheet at the official 16 pt."""
    family = font_family(None)
    sizes = {k: family.pt(16) for k in ("body", "h1", "h2", "h3", "table")}
    css = (
        environment()
        .get_template("base.css.j2")
        .render(family=family, size=sizes, lead=dict.fromkeys(sizes, 21))
    )
    return family, css


def lay_out() -> layout.Layout:
    family = font_family(None)
    return layout.Layout(HERE, [templates_dir(), *{p.parent for p in family.files}], 0)


class Recorded:
    """The style properties and attributes read while lines are found (by the line layout:
    not those a property's lazy computation reads in turn)."""

    def __init__(self) -> None:
        self.properties: set[str] = set()
        self.attributes: set[str] = set()
        self.depth = 0


def recording(style: Any, seen: Recorded) -> type:
    base = type(style)

    class Recording(base):  # type: ignore[valid-type, misc]
        def __getitem__(self, key: str) -> Any:
            if not seen.depth:
                seen.properties.add(key)
            seen.depth += 1
            try:
                return super().__getitem__(key)
            finally:
                seen.depth -= 1

        def get(self, key: str, default: Any = None) -> Any:
            if not seen.depth:
                seen.properties.add(key)
            seen.depth += 1
            try:
                return super().get(key, default)
            finally:
                seen.depth -= 1

        def __getattribute__(self, name: str) -> Any:
            if not seen.depth and not name.startswith("__"):
                seen.attributes.add(name)
            return super().__getattribute__(name)

    return Recording
