"""Lines remembered within a layout (pdf/speedups/lines.py, ``remembered``) are the lines WeasyPrint
and our hooks would find again: the same boxes, the same bytes, with the memory on and off; and
the memory is keyed by every style property the line layout reads."""

from __future__ import annotations

import contextlib
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, speedup
from memory_helpers import Recorded, base_css, corpus_texts, lay_out, recording
from saoreport.fonts.family import font_family
from saoreport.pdf import speedups
from saoreport.pdf.speedups import drawing, fontmemory, lines
from saoreport.pipeline.batch import build_one

pytestmark = speedup("lines")


@contextlib.contextmanager
def forgetful(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Lay out without the memory: every line found as WeasyPrint finds it."""
    with monkeypatch.context() as patch:
        patch.setattr(lines, "remembered", contextlib.nullcontext)
        yield


# Style variants the same text is laid out in, at the same width: a property the memory did
# not key on would hand one of them another's lines.
VARIANTS = [
    "",
    "font-size: 9pt",
    "font-weight: bold",
    "letter-spacing: 0.4px",
    "word-spacing: 3px",
    "white-space: nowrap",
    "white-space: pre-wrap",
    "white-space: pre-line",
    "overflow-wrap: anywhere",
    "overflow-wrap: normal",
    "hyphenate-limit-zone: 1px",  # balanced
    "hyphenate-limit-zone: 2px",  # distributed
    "font-variant-numeric: tabular-nums",
    "text-decoration: underline",
    "font-style: italic",
    "word-break: break-all",
    "white-space: pre-wrap; tab-size: 2",
    "white-space: pre-wrap; tab-size: 5",
]


def random_html(seed: int) -> str:
    """Random Thai (and some English) text in paragraphs and table cells at random widths,
    each text laid out several times: in several styles at one width, after different text
    in the same box (so that its later lines start alike), and again as it is."""
    rng = random.Random(seed)
    texts = corpus_texts()
    family, css = base_css()
    blocks = []
    for _ in range(24):
        text = " ".join(rng.sample(texts, rng.randint(1, 3)))
        if rng.random() < 0.3:  # spaces dropped: long runs of Thai
            text = text.replace(" ", "")
        if rng.random() < 0.3:
            text += " \tdevelopment infrastructure 2568"
        width = rng.uniform(12, 110)
        variants = rng.sample(VARIANTS, 4) + [""]
        lead = rng.choice(texts)
        for variant in variants:
            style = f"width:{width:.3f}mm; {variant}"
            blocks.append(f'<p style="{style}">{text}</p>')
            blocks.append(f'<p style="{style}">{lead}{text}</p>')
            blocks.append(
                f'<table style="width:{width + 12:.3f}mm"><colgroup><col style="width:12mm">'
                f'<col></colgroup><tr><td>1</td><td style="{variant}">{text}</td></tr></table>'
            )
        for variant in variants[-2:]:  # laid out by the cells' preferred widths
            blocks.append(
                f'<table style="table-layout: auto; width: auto"><tr><td style="{variant}">'
                f"{text}</td><td>{lead}</td></tr></table>"
            )
        blocks.append(f'<p lang="en" style="width:{width:.3f}mm; hyphens: auto">{text}</p>')
    style = f"body {{ font-family: '{family.name}'; font-size: 11pt; line-height: 15pt }}"
    return f"<html lang=th><style>{css}{style}</style><body>{''.join(blocks)}</body></html>"


def boxes(document: Any) -> list[tuple[Any, ...]]:
    """Every text box laid out: its text, position and size, page by page."""
    from weasyprint.formatting_structure.boxes import TextBox

    found = []
    for number, page in enumerate(document.pages):
        for box in page._page_box.descendants():
            if isinstance(box, TextBox):
                found.append(
                    (number, box.text, box.position_x, box.position_y, box.width, box.height)
                )
    return found


def counted(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Count the lines asked for and those served from the memory."""
    from weasyprint.layout import inline, preferred

    counts = {"asked": 0, "served": -lines._served[0]}

    def asking(outer: Any) -> Any:
        def asked(*args: Any, **kw: Any) -> Any:
            counts["asked"] += 1
            return outer(*args, **kw)

        return asked

    monkeypatch.setattr(inline, "split_first_line", asking(inline.split_first_line))
    monkeypatch.setattr(preferred, "split_first_line", asking(preferred.split_first_line))
    return counts


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_remembered_lines_are_the_lines_found_anew(
    monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    """Random Thai text at random widths in many styles: the same text boxes (text, place,
    size) and the same PDF with the memory as without it, and the memory served lines."""
    html = random_html(seed)
    lines.install()
    with forgetful(monkeypatch):
        plain = lay_out()
        document = plain.render(html)
        expected, expected_pdf, expected_overlong = (
            boxes(document),
            plain.pdf(document),
            plain.overlong,
        )
    with monkeypatch.context() as patch:
        counts = counted(patch)
        quick = lay_out()
        document = quick.render(html)
        found, pdf = boxes(document), quick.pdf(document)
        counts["served"] += lines._served[0]
    assert len(expected) > 1000
    assert found == expected
    assert pdf == expected_pdf
    assert quick.overlong == expected_overlong  # words wider than their line, reported again
    assert expected_overlong  # (some were)
    assert counts["served"] > counts["asked"] * 0.1  # lines were served from the memory


@pytest.mark.parametrize("memory", ["lines", "drawing"])
def test_shipped_plan_same_bytes_without_the_memory(
    builds: dict[str, list[Path]], monkeypatch: pytest.MonkeyPatch, tmp_path: Path, memory: str
) -> None:
    """Every document of the demo plan, built with the memories of lines laid out and drawn
    (the session's builds) and without one of them: the same bytes."""
    module = {"lines": lines, "drawing": drawing}[memory]
    monkeypatch.setattr(module, "remembered", contextlib.nullcontext)
    result = build_one(ROOT / "plans" / "demo", tmp_path, use_cache=False)
    assert result.error is None, result.error
    assert len(result.outputs) == len(builds["demo"]) >= 4
    for mine, theirs in zip(sorted(result.outputs), sorted(builds["demo"]), strict=True):
        assert mine.name == theirs.name
        assert mine.read_bytes() == theirs.read_bytes(), mine.name


def test_the_memory_keys_on_every_property_read(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Lines found (without the memory) for the random documents and the demo plan read no
    style property that is not in linebreak.STYLE_KEYS, and of the style's attributes only its
    font configuration (part of the key too): a remembered line depends on nothing else of
    its style."""
    from weasyprint.layout import inline, preferred

    lines.install()
    seen = Recorded()

    def recorded(outer: Any) -> Any:
        def split_first_line(text: str, style: Any, *args: Any, **kw: Any) -> Any:
            real = type(style)
            style.__class__ = recording(style, seen)
            try:
                return outer(text, style, *args, **kw)
            finally:
                style.__class__ = real

        return split_first_line

    with forgetful(monkeypatch):
        monkeypatch.setattr(inline, "split_first_line", recorded(inline.split_first_line))
        monkeypatch.setattr(preferred, "split_first_line", recorded(preferred.split_first_line))
        lay_out().render(random_html(4))
        result = build_one(ROOT / "plans" / "demo", tmp_path, use_cache=False)
    assert result.error is None, result.error
    assert {"font_size", "white_space", "lang", "letter_spacing"} <= seen.properties
    assert seen.properties <= set(lines.STYLE_KEYS), seen.properties - set(lines.STYLE_KEYS)
    assert seen.attributes <= {"font_config"}, seen.attributes


def test_a_font_added_later_gets_its_own_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    """Lines are kept by the fonts of the (process-wide) font configuration: a family laid out
    before its @font-face rule was read (so in a fallback font) and after it (in its font)
    gets the lines of its font the second time, as without the memory."""
    name = f"Probe{random.randrange(10**9)}"
    font = font_family(None).files[1].as_uri()
    paragraphs = "".join(
        f'<p style="width:{width}mm">{text}</p>' for width in (30, 55) for text in corpus_texts()
    )
    before = f"<html lang=th><body style=\"font-family: '{name}'\">{paragraphs}</body></html>"
    after = before.replace(
        "<body", f"<style>@font-face {{ font-family: '{name}'; src: url({font}) }}</style><body"
    )
    lines.install()
    fallback = boxes(lay_out().render(before))
    own = boxes(lay_out().render(after))
    with forgetful(monkeypatch):
        expected = boxes(lay_out().render(after))
    assert own == expected
    assert [b[1] for b in fallback] != [b[1] for b in expected]  # the font made other lines


def test_the_memory_is_off_where_it_cannot_be_sure() -> None:
    """Plain values only (a calc() is resolved against other properties), and nothing is kept
    outside a layout."""
    from weasyprint.css.properties import Dimension

    assert fontmemory.plain((1.0, "normal", None, ("Sarabun",), Dimension(2.0, "px")))
    assert not fontmemory.plain((1.0, ["Sarabun"]))
    assert not fontmemory.plain((object(),))
    assert lines._memory.scopes == []
    lines.install()
    with speedups.remembered("layout"):  # as Layout.render lays out
        assert lines._memory.active
    assert not lines._memory.active
