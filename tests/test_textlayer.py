"""Every string saoreport renders comes back exactly from pdftotext and pdfium."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import PLANS, pdfium_pages, pdftotext
from saoreport.document.render import environment, prose
from saoreport.fonts.family import font_family
from saoreport.pdf import fontprogram, layout, textlayer
from saoreport.plan.validate import check
from saoreport.resources import templates_dir

HERE = Path(__file__).resolve().parent


def corpus() -> list[str]:
    lines = (HERE / "thai_corpus.txt").read_text(encoding="utf-8").splitlines()
    items = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    for folder in PLANS:
        if folder.name != "demo":
            plan = check(folder).plan
            items += [plan.vision, *plan.missions, *plan.goals]
    return items


def _html(items: list[str], kind: str, font: str | None = None) -> str:
    family = font_family(font)
    css = (
        environment()
        .get_template("base.css.j2")
        .render(
            family=family,
            size={
                "body": family.pt(16),
                "h1": family.pt(20),
                "h2": family.pt(18),
                "h3": family.pt(16),
                "table": family.pt(14),
            },
            lead={"body": 21, "h1": 26.25, "h2": 23.6, "h3": 21, "table": 18.4},
        )
    )
    if kind == "table":
        rows = "".join(
            f"<tr><td>{i}</td><td>{prose(s, False)}</td></tr>" for i, s in enumerate(items)
        )
        body = f"<table><colgroup><col style='width:10%'><col></colgroup>{rows}</table>"
    elif kind == "justified":  # Thai distributed (justify.py): letter spacing on every line
        body = "".join(f'<p data-dist="{i}">{prose(s, False)}</p>' for i, s in enumerate(items))
    else:
        tag = {"body": "p", "heading": "h2", "poster": "p class=big"}[kind]
        body = "".join(f"<{tag}>{prose(s, False)}</{tag.split()[0]}>" for s in items)
    style = ".big { font-size: 30pt; line-height: 40pt; text-align: center }"
    return f"<html lang=th><style>{css}{style}</style><body>{body}</body></html>"


def render(
    items: list[str],
    kind: str,
    variant: str | None = None,
    fix: bool = True,
    font: str | None = None,
) -> bytes:
    family = font_family(font)
    options = {"pdf_variant": variant} if variant else {}
    allowed = [templates_dir(), *{p.parent for p in family.files}]
    pdf = layout.write_pdf(_html(items, kind, font), HERE, allowed, 0, **options)
    return textlayer.fix_text_layer(pdf, family.files) if fix else pdf


def _lines(text: str) -> str:
    """Whitespace collapsed: a run with a line break becomes one newline, others one space."""
    return re.sub(r"\s+", lambda m: "\n" if "\n" in m.group() or "\r" in m.group() else " ", text)


def _pattern(item: str) -> re.Pattern[str]:
    """*item* exactly, except that a line may end wherever it could wrap: at a space (which
    the wrap then replaces) or between two characters (Thai has no spaces between words)."""
    words = item.split()
    parts = ["\n?".join(re.escape(c) for c in word) for word in words]
    return re.compile("[ \n]".join(parts))


def _found(items: list[str], text: str) -> list[bool]:
    """Each item must come back, in order."""
    flat = _lines(text)
    found, pos = [], 0
    for item in items:
        match = _pattern(item).search(flat, pos)
        found.append(match is not None)
        pos = match.end() if match else pos
    return found


def extractors(pdf: bytes) -> dict[str, str]:
    from pdfminer.high_level import extract_text
    from pypdf import PdfReader

    return {
        "pdftotext": pdftotext(pdf, "-raw"),
        "pdftotext-layout": pdftotext(pdf),
        "pdfium": "\n".join(pdfium_pages(pdf)),
        "pdfminer": extract_text(io.BytesIO(pdf)),
        "pypdf": "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages),
    }


@pytest.mark.parametrize("kind", ["body", "justified", "table", "heading", "poster"])
@pytest.mark.parametrize("variant", [None, "pdf/a-3u"])
@pytest.mark.parametrize("font", ["sarabun", "laksaman"])
def test_every_item_extracts_exactly(kind: str, variant: str | None, font: str) -> None:
    items = corpus()
    pdf = render(items, kind, variant, font=font)
    texts = extractors(pdf)
    for name in ("pdftotext", "pdfium"):
        found = _found(items, texts[name])
        missing = [item for item, ok in zip(items, found, strict=True) if not ok]
        assert not missing, f"{name} ({kind}, {variant}): {missing}"


def test_report_rates(capsys: pytest.CaptureFixture[str]) -> None:
    """Before/after rates per extractor (printed; `pytest -s -k rates` shows them)."""
    items = corpus()
    lines = []
    for fix in (False, True):
        texts = extractors(render(items, "body", fix=fix))
        rates = {name: sum(_found(items, text)) for name, text in texts.items()}
        lines.append(
            f"{'after' if fix else 'before'}: "
            + ", ".join(f"{k} {v}/{len(items)}" for k, v in rates.items())
        )
    with capsys.disabled():
        print("\n" + "\n".join(lines))
    assert "pdftotext" in lines[1]


def _raster(pdf: bytes, tmp: Path) -> list[bytes]:
    (tmp / "doc.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "100", "-gray", str(tmp / "doc.pdf"), str(tmp / "p")], check=True
    )
    return [p.read_bytes() for p in sorted(tmp.glob("p*.pgm"))]


@pytest.mark.parametrize("kind", ["body", "heading"])
@pytest.mark.parametrize("font", ["sarabun", "laksaman"])
def test_fixing_the_text_layer_changes_no_pixel(tmp_path: Path, kind: str, font: str) -> None:
    """Baked mark glyphs must land exactly where WeasyPrint drew the marks."""
    items = corpus()
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    before = _raster(render(items, kind, fix=False, font=font), tmp_path / "a")
    after = _raster(render(items, kind, font=font), tmp_path / "b")
    assert before
    assert len(before) == len(after)
    for a, b in zip(before, after, strict=True):
        assert len(a) == len(b)
        header = a.index(b"255\n") + 4  # PGM: P5 w h 255, then one byte per pixel
        ink = sum(1 for v in a[header:] if v < 128)
        moved = sum(1 for x, y in zip(a[header:], b[header:], strict=True) if abs(x - y) > 64)
        assert ink > 1000
        assert moved < ink / 200, f"{moved} of {ink} ink pixels changed"


def _fix_both_ways(pdf: bytes, files: list[Path], monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """*pdf* fixed as a build fixes it, and with every stream parsed by pikepdf."""
    plain = 0
    real = textlayer._plain_steps

    def counted(*args: object) -> object:
        nonlocal plain
        steps = real(*args)  # type: ignore[arg-type]
        plain += steps is not None
        return steps

    monkeypatch.setattr(textlayer, "_plain_steps", counted)
    fast = textlayer.fix_text_layer(pdf, files)
    assert plain > 0, "no stream was read as plain lines"
    monkeypatch.setattr(textlayer, "_plain_steps", lambda *args: None)
    parsed = textlayer.fix_text_layer(pdf, files)
    return [fast, parsed]


@pytest.mark.parametrize(
    ("kind", "variant", "font"),
    [
        ("body", None, "sarabun"),
        ("table", None, "sarabun"),
        ("justified", "pdf/a-3u", "sarabun"),
        ("poster", None, "laksaman"),
        ("body", "pdf/a-3u", "laksaman"),
    ],
)
def test_plain_lines_and_parsed_streams_give_the_same_bytes(
    kind: str, variant: str | None, font: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """WeasyPrint's streams are rewritten as lines of bytes; any other stream is parsed
    with pikepdf. Both must write what QPDF would, byte for byte."""
    pdf = render(corpus(), kind, variant, fix=False, font=font)
    fast, parsed = _fix_both_ways(pdf, font_family(font).files, monkeypatch)
    assert fast == parsed


def test_fonts_are_saved_as_fonttools_recalculating_would(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Glyph bounds, maxp, head and hhea worked out from compiled glyphs kept across
    subsets: the same font programs as fontTools' own recalculation on save."""
    family = font_family("sarabun")
    pdf = render(corpus(), "table", fix=False, font="sarabun")
    ours = textlayer.fix_text_layer(pdf, family.files)
    monkeypatch.setattr(fontprogram, "_recalc", lambda font: None)
    fontprogram._COMPILED.clear()
    theirs = textlayer.fix_text_layer(pdf, family.files)
    assert ours == theirs


def test_numbers_and_strings_are_written_as_qpdf_writes_them() -> None:
    import random

    import pikepdf

    rng = random.Random(17)
    values = [rng.uniform(-60, 60) for _ in range(2000)]
    values += [0.0, -0.0, 1e-7, -1e-7, 5e-7, -5e-7, 2.5e-6, 1234567.0, -3.0]
    for value in values:
        assert b"[ " + textlayer._real(value) + b" ]" == pikepdf.Array([value]).unparse()
    for codes in ([0x01CC], [0x0003, 0x07FF], [0x4142], [0x0800, 0x0041], [0x2020]):
        raw = b"".join(code.to_bytes(2, "big") for code in codes)
        assert textlayer._string(codes) == pikepdf.String(raw).unparse()
    for text in ("ทั่ว", "น้ำ ", "a", "é"):
        assert textlayer._text_string(text) == pikepdf.String(text).unparse()


@given(
    st.lists(
        st.lists(
            st.tuples(
                st.integers(0, 0xFFFF),
                st.integers(-(2**31), 2**31 - 1),
                st.integers(-(2**31), 2**31 - 1),
            ),
            min_size=1,
            max_size=4,
        ).map(tuple),
        max_size=20,
    )
)
def test_added_glyphs_written_on_a_part_read_back(
    composites: list[tuple[fontprogram.Part, ...]],
) -> None:
    """What a part writes of its added glyphs for the join is what the join reads."""
    assert fontprogram.unpack_added(fontprogram.pack_added(composites)) == composites
