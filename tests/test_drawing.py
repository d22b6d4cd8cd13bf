"""Lines drawn from memory (pdf/speedups/drawing.py, ``remembered``) are drawn as WeasyPrint draws them:
the same PDF bytes with the memory on and off, whatever was drawn before; and the memory is
keyed by every style property the drawing of a line reads."""

from __future__ import annotations

import contextlib
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, speedup
from memory_helpers import Recorded, base_css, corpus_texts, lay_out, recording
from saoreport.pdf import linebreak, speedups
from saoreport.pdf.speedups import drawing
from saoreport.pipeline.batch import build_one

pytestmark = speedup("drawing")

ENGLISH = [
    "Development of local infrastructure 2568",
    "KPI: 80 % of households",
    "Budget 1,250,000 baht",
    "Road repair, Moo 5 (phase 2)",
]

# Styles a line is drawn in: a property the memory did not key on would draw one of them as
# another (colour and decoration are drawn anew each time; they are here to show it).
VARIANTS = [
    "",
    "color: #c03",
    "font-size: 8pt",
    "font-size: 19.5pt",
    "font-weight: bold",
    "font-style: italic",
    "font-weight: bold; color: rgb(10, 120, 40)",
    "letter-spacing: 0.4px",
    "letter-spacing: 1.3px; color: blue",
    "word-spacing: 3px",
    "word-spacing: 6px; letter-spacing: 0.2px",
    "text-decoration: underline",
    "text-decoration: underline overline; text-decoration-color: red",
    "text-decoration: line-through; font-weight: bold",
    "text-decoration: underline; text-underline-offset: 3px; text-decoration-thickness: 2px",
    "text-align: justify",
    "text-align: justify; text-align-last: justify",
    "text-align: justify; word-spacing: 2px",
    "font-variant-numeric: tabular-nums",
    "font-variant: small-caps",
    "font-kerning: none",
    "white-space: nowrap",
    "white-space: pre-wrap; tab-size: 3",
    "visibility: hidden",
    "direction: rtl",
    "font-family: serif",
]


def random_html(seed: int, blocks: int = 30) -> str:
    """Random Thai and English text in paragraphs and table cells at random widths, each text
    drawn in several styles, and some again as they are."""
    rng = random.Random(seed)
    texts = corpus_texts() + ENGLISH
    family, css = base_css()
    parts = []
    for _ in range(blocks):
        text = " ".join(rng.sample(texts, rng.randint(1, 3)))
        if rng.random() < 0.2:
            text += " \tdevelopment 2568"
        width = rng.uniform(15, 120)
        for variant in rng.sample(VARIANTS, 5) + [""]:
            style = f"width:{width:.3f}mm; {variant}"
            parts.append(f'<p style="{style}">{text}</p>')
            parts.append(
                f'<table style="width:{width + 12:.3f}mm"><tr><td style="width:12mm">'
                f'{rng.randint(1, 99)}</td><td style="{variant}">{text}</td></tr></table>'
            )
            if rng.random() < 0.3:
                parts.append(f'<p style="{style}"><span style="color: green">{text}</span></p>')
    style = f"body {{ font-family: '{family.name}'; font-size: 11pt; line-height: 15pt }}"
    return f"<html lang=th><style>{css}{style}</style><body>{''.join(parts)}</body></html>"


@contextlib.contextmanager
def forgetful(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Draw without the memory: every line drawn as WeasyPrint draws it."""
    with monkeypatch.context() as patch:
        patch.setattr(drawing, "remembered", contextlib.nullcontext)
        yield


def test_lines_drawn_from_memory_are_the_lines_drawn_anew(monkeypatch: pytest.MonkeyPatch) -> None:
    """Random documents drawn with the memory (each after the others, so that the fonts'
    widths and text were registered in another order and lines drawn before are served) and
    without it: the same bytes, and lines were served."""
    linebreak.install()
    drawing.install()
    htmls = [random_html(seed) for seed in (1, 2, 3)]
    layout = lay_out()
    documents = [layout.render(html) for html in htmls]
    with forgetful(monkeypatch):
        expected = [layout.pdf(document) for document in documents]
    before, replayed = drawing._served[0], drawing._replayed[0]
    first = [layout.pdf(document) for document in documents]
    again = [layout.pdf(document) for document in reversed(documents)][::-1]
    served = drawing._served[0] - before
    replayed = drawing._replayed[0] - replayed
    assert first == expected
    assert again == expected
    assert served > 3000
    assert replayed > served / 2  # most without even the walk over the kept runs
    assert drawing._memory.scopes == []

    # The calls kept for a line are made again only if the fonts hold the widths they were
    # made with: with every kept width changed, every line is walked again, the same bytes.
    for lines in drawing._memory.kept.values():
        for entry in lines.values():
            if entry[2] is not None:
                groups, calls = entry[2]
                groups = tuple((*g[:3], tuple((i, w + 1) for i, w in g[3])) for g in groups)
                entry[2] = (groups, calls)
    before, replayed = drawing._served[0], drawing._replayed[0]
    assert [layout.pdf(document) for document in documents[:1]] == expected[:1]
    assert drawing._served[0] - before > 1000
    walked = drawing._served[0] - before - (drawing._replayed[0] - replayed)
    assert walked > 500, (drawing._served[0] - before, walked)  # (the rest: repeats)


def test_the_memory_keys_on_every_property_read(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Lines drawn (without the memory) for the random documents and the demo plan read, in
    the part the memory stands for (Layout.reactivate and draw_first_line, for the lines it
    keeps: no ellipsis, no tab), no style property that is not in drawing.STYLE_KEYS, and of
    the style's attributes only its font configuration (part of the key too)."""
    from weasyprint.draw import text
    from weasyprint.text import line_break

    linebreak.install()
    drawing.install()
    seen = Recorded()

    def recorded_style(style: Any, call: Any) -> Any:
        real = type(style)
        style.__class__ = recording(style, seen)
        try:
            return call()
        finally:
            style.__class__ = real

    reactivate = line_break.Layout.reactivate
    first_line = text.draw_first_line

    def recorded_reactivate(self: Any, style: Any) -> Any:
        if "\t" in self.text:
            return reactivate(self, style)
        return recorded_style(style, lambda: reactivate(self, style))

    def recorded_first_line(stream: Any, textbox: Any, overflow: Any, ellipsis: Any, m: Any) -> Any:
        call = lambda: first_line(stream, textbox, overflow, ellipsis, m)  # noqa: E731
        if "\t" in textbox.pango_layout.text or overflow == "ellipsis" or ellipsis != "none":
            return call()
        return recorded_style(textbox.style, call)

    with forgetful(monkeypatch):
        monkeypatch.setattr(line_break.Layout, "reactivate", recorded_reactivate)
        monkeypatch.setattr(text, "draw_first_line", recorded_first_line)
        layout = lay_out()
        layout.pdf(layout.render(random_html(4)))
        result = build_one(ROOT / "plans" / "demo", tmp_path, use_cache=False)
    assert result.error is None, result.error
    assert {"font_size", "font_family", "lang", "letter_spacing", "word_spacing"} <= seen.properties
    assert seen.properties <= set(drawing.STYLE_KEYS), seen.properties - set(drawing.STYLE_KEYS)
    assert seen.attributes <= {"font_config"}, seen.attributes


def test_the_memory_is_off_where_it_cannot_be_sure() -> None:
    """Nothing is kept outside a drawing, and lines with a tab are not kept."""
    assert drawing._memory.scopes == []
    drawing.install()
    with speedups.remembered("drawing"):  # as Layout.pdf draws
        assert drawing._memory.active
    assert not drawing._memory.active
