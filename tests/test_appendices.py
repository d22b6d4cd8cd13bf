"""ภาคผนวก: the office's PDFs and images appended to the book, listed in the contents and the
bookmarks with their page numbers, numbered with the book, their pages otherwise unaltered;
checked at their line; archived as PDF/A with `archive verify` passing."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pikepdf
import pypdfium2
import pytest
from PIL import Image, ImageChops, ImageDraw

from conftest import pdfium_pages, pdftotext
from saoreport import thai
from saoreport.archive import pdfa
from saoreport.archive import versions as archive
from saoreport.cli import main
from saoreport.errors import PlanInvalid
from saoreport.pipeline import parts
from saoreport.pipeline.documents import Documents
from saoreport.plan.validate import check

ROOT = Path(__file__).resolve().parents[1]
PLAN = (ROOT / "tests" / "test_diff.py").read_text(encoding="utf-8")
PLAN = PLAN.split('PLAN = """\\\n', 1)[1].split('"""', 1)[0]
APPENDICES = """\
appendices:
  - {title: รายงานการประชุมสภา ครั้งที่ ๑/๒๕๖๘, file: appendices/minutes.pdf}
  - {title: แผนที่ตำบล, file: appendices/map.jpg}
"""
SCALE = 2  # rendering scale: 144 dpi
BAND = 2.5 / 2.54 * 72  # the top margin, where the book's page number stands (points)


def _minutes(path: Path) -> None:
    """A 3-page PDF as an office exports its minutes: text in an embedded font, a drawing;
    its second page landscape, its third page turned (/Rotate 90), as scanners leave them."""
    from weasyprint import HTML

    html = """<html><head><style>
    @page { size: A4; margin: 1cm 2cm } @page wide { size: A4 landscape }
    .p { break-after: page } .wide { page: wide }
    .box { width: 10cm; height: 4cm; background: linear-gradient(red, blue) }
    </style></head><body>
    <div class="p"><h1>Minutes page 1</h1><p>Meeting of the council, near the top edge.</p>
    <div class="box"></div></div>
    <div class="p wide"><h1>Minutes page 2</h1><p>A landscape page.</p></div>
    <div><h1>Minutes page 3</h1><p>A page scanned sideways.</p></div>
    </body></html>"""
    with pikepdf.open(io.BytesIO(HTML(string=html).write_pdf())) as pdf:
        pdf.pages[2].Rotate = 90
        pdf.save(path)


def _map(path: Path) -> None:
    image = Image.new("RGB", (1200, 800), "white")
    draw = ImageDraw.Draw(image)
    for x in range(0, 1200, 40):
        draw.line([(x, 0), (1200 - x, 800)], fill=(x % 255, 100, 200), width=5)
    draw.rectangle([100, 100, 500, 400], fill=(30, 160, 60))
    image.save(path, quality=90)


def _folder(base: Path) -> Path:
    folder = base / "tambon"
    (folder / "appendices").mkdir(parents=True)
    _minutes(folder / "appendices" / "minutes.pdf")
    _map(folder / "appendices" / "map.jpg")
    (folder / "plan.yaml").write_text(PLAN + APPENDICES, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the plan folder, its built strategy.pdf)."""
    base = tmp_path_factory.mktemp("appendices")
    folder = _folder(base)
    assert main(["build", str(folder), "--out", str(base / "out")]) == 0
    return folder, base / "out" / "tambon" / "2568" / "strategy.pdf"


def _page_of(pages: list[str], text: str) -> int:
    """The 1-based page number of the page holding *text*."""
    return next(i for i, page in enumerate(pages, 1) if text in page)


def test_appendices_are_listed_in_the_contents_and_numbered_with_the_book(
    book: tuple[Path, Path],
) -> None:
    _folder, pdf = book
    pages = pdfium_pages(pdf)
    divider = _page_of(pages, "๑. รายงาน")
    first, turned = _page_of(pages, "Minutes page 1"), _page_of(pages, "Minutes page 3")
    assert (first, turned) == (divider + 1, divider + 3)
    picture = divider + 4
    assert len(pages) == picture  # the image's page ends the book
    last = _page_of(pages, "ตำบลน่าอยู่") - 1  # the contents end before the vision
    contents = " ".join(pdftotext(pdf, "-layout", "-f", "2", "-l", str(last)).split())
    # The body is numbered from ๑ after the front matter (ก, ข, …): the divider's printed
    # number says where the book's numbers stand against the PDF's pages.
    heads = re.findall("\u2010\u00a0([๐-๙]+)\u00a0\u2010", pages[divider - 1])
    assert len(heads) == 1, heads
    shift = int(thai.arabic_digits(heads[0])) - divider
    for title, page in (
        ("ภาคผนวก", divider),
        ("รายงานการประชุมสภา ครั้งที่ ๑/๒๕๖๘", first),
        ("แผนที่ตำบล", picture),
    ):
        number = thai.thai_digits(page + shift)
        assert re.search(rf"{title} ?\.+ ?{number}\b", contents), (title, contents)
    # Each appended page carries its number in the book, "- ๘ -", and nothing else was added.
    for page in range(first, picture + 1):
        number = f"\u2010\u00a0{thai.thai_digits(page + shift)}\u00a0\u2010"
        assert pages[page - 1].count(number) == 1, (page, pages[page - 1])
    assert pages[first].replace(
        f"\u2010\u00a0{thai.thai_digits(first + 1 + shift)}\u00a0\u2010", ""
    ).split() == ["Minutes", "page", "2", "A", "landscape", "page."]


def test_appendices_are_in_the_bookmarks(book: tuple[Path, Path]) -> None:
    _folder, pdf_file = book
    pages = pdfium_pages(pdf_file)
    with pikepdf.open(pdf_file) as pdf, pdf.open_outline() as outline:
        top = next(item for item in outline.root if item.title == "ภาคผนวก")
        found = [
            (item.title, pdf.pages.index(pikepdf.Page(item.destination[0])) + 1)
            for item in top.children
        ]
    assert found == [
        ("รายงานการประชุมสภา ครั้งที่ ๑/๒๕๖๘", _page_of(pages, "Minutes page 1")),
        ("แผนที่ตำบล", len(pages)),
    ]


def _render(data: Path | bytes, index: int) -> Image.Image:
    document = pypdfium2.PdfDocument(data)
    try:
        return document[index].render(scale=SCALE).to_pil().convert("RGB")
    finally:
        document.close()


def test_appended_pdf_pages_are_unaltered_outside_the_number(book: tuple[Path, Path]) -> None:
    """Each page of the 3-page PDF renders to the same pixels in the book as on its own,
    outside the band at the top where the book's number stands (rotated pages as shown)."""
    folder, pdf = book
    source = folder / "appendices" / "minutes.pdf"
    first = _page_of(pdfium_pages(pdf), "Minutes page 1") - 1
    for n in range(3):
        alone, bound = _render(source, n), _render(pdf, first + n)
        assert alone.size == bound.size
        band = round(BAND * SCALE)
        below = (0, band, alone.width, alone.height)
        assert ImageChops.difference(alone.crop(below), bound.crop(below)).getbbox() is None
        # The number is the only thing added: in the band, and only around the centre.
        changed = ImageChops.difference(alone, bound).getbbox()
        assert changed is not None and changed[3] <= band
        assert alone.width * 0.35 < changed[0] < changed[2] < alone.width * 0.65


def test_an_appended_jpeg_keeps_its_bytes_and_fills_the_page(book: tuple[Path, Path]) -> None:
    folder, pdf_file = book
    source = (folder / "appendices" / "map.jpg").read_bytes()
    with pikepdf.open(pdf_file) as pdf:
        page = pdf.pages[-1]
        images = [x for x in page.Resources.XObject.values() if x.get("/Subtype") == "/Image"]
        assert [x.read_raw_bytes() for x in images] == [source]
    # Drawn as large as the margins allow (3 cm left, 2 cm right: 15.99 cm wide), centred.
    bound = _render(pdf_file, len(pdfium_pages(pdf_file)) - 1)
    picture = Image.open(io.BytesIO(source)).convert("RGB")
    width = round((595.28 - 5 / 2.54 * 72) * SCALE)
    height = round(width * picture.height / picture.width)
    left = round(3 / 2.54 * 72 * SCALE)
    top = bound.height - round(2.5 / 2.54 * 72 * SCALE) - round(2 / 2.54 * 72 * SCALE) - height
    top = round(2.5 / 2.54 * 72 * SCALE) + top // 2
    drawn = bound.crop((left + 2, top + 2, left + width - 2, top + height - 2))
    expected = picture.resize((width, height), Image.Resampling.BILINEAR)
    expected = expected.crop((2, 2, width - 2, height - 2))
    difference = ImageChops.difference(drawn, expected).convert("L")
    mean = sum(i * n for i, n in enumerate(difference.histogram())) / (drawn.width * drawn.height)
    assert mean < 12, mean  # resampling differs at the thin lines' edges, not the picture


def test_the_book_in_parts_appends_the_same_pages(
    book: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A long plan's book is laid out in parts and joined: its appendices are the same."""
    folder, pdf = book
    monkeypatch.setattr(parts, "MIN_PROJECTS", 0)
    joined = Documents(check(folder)).strategy()
    alone = pdfium_pages(pdf)
    # The same words on each page (in parts, a draft's mark is drawn before the page number
    # rather than after it: the text comes out in another order, the pixels the same).
    assert [sorted(p.split()) for p in pdfium_pages(joined)] == [sorted(p.split()) for p in alone]
    last = len(alone) - 1
    for index in (last - 3, last - 1, last):
        assert ImageChops.difference(_render(pdf, index), _render(joined, index)).getbbox() is None


def test_appendices_survive_the_archive(book: tuple[Path, Path], tmp_path: Path) -> None:
    folder, _pdf = book
    frozen = archive.freeze(folder, tmp_path / "archive")
    strategy = (frozen.path / "strategy.pdf").read_bytes()
    assert pdfa.problems(strategy) == []
    assert (frozen.path / "plan" / "appendices" / "minutes.pdf").read_bytes() == (
        folder / "appendices" / "minutes.pdf"
    ).read_bytes()
    assert archive.verify(frozen.path) == []
    with pikepdf.open(io.BytesIO(strategy)) as pdf:
        assert {"appendices/minutes.pdf", "appendices/map.jpg"} <= set(pdf.attachments)
    assert "Minutes page 3" in " ".join(pdfium_pages(strategy))


@pytest.mark.parametrize(
    ("entry", "make", "said"),
    [
        ("appendices/none.pdf", None, "the file 'appendices/none.pdf' is not in"),
        ("appendices/minutes.docx", b"PK\x03\x04", "an appendix is a PDF, or a JPEG or PNG image"),
        ("appendices/cut.pdf", b"%PDF-1.7\n1 0 obj <<", "not a PDF that can be read"),
        ("appendices/map.gif", "GIF", "an appendix is a PDF, or a JPEG or PNG image"),
        ("appendices/fake.png", b"\x89PNG\r\n\x1a\nnot really", "the image cannot be read"),
        ("../outside.pdf", None, "must be a file inside the plan folder"),
        ("appendices/plain-font.pdf", "plain", "the font Helvetica is not embedded in it"),
        ("appendices/huge.png", "huge", "where an image may have at most"),
    ],
)
def test_a_bad_appendix_is_a_problem_at_its_line(
    tmp_path: Path, entry: str, make: bytes | str | None, said: str
) -> None:
    folder = tmp_path / "tambon"
    (folder / "appendices").mkdir(parents=True)
    target = folder / entry
    if isinstance(make, bytes):
        target.write_bytes(make)
    elif make == "GIF":
        Image.new("RGB", (10, 10)).save(target, "GIF")
    elif make == "huge":
        Image.new("L", (5000, 4000)).save(target)
    elif make == "plain":  # text in a font the PDF does not carry
        pdf = pikepdf.new()
        page = pdf.add_blank_page()
        font = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
            )
        )
        page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
        page.Contents = pdf.make_stream(b"BT /F1 12 Tf 72 700 Td (Minutes) Tj ET")
        pdf.save(target)
    text = (
        PLAN
        + f"appendices:\n  - {{title: ภาคผนวก ก, file: appendices/map.jpg}}\n  - {{title: เอกสาร, file: {entry}}}\n"
    )
    _map(folder / "appendices" / "map.jpg")
    (folder / "plan.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(PlanInvalid) as caught:
        check(folder)
    line = text.splitlines().index(f"  - {{title: เอกสาร, file: {entry}}}") + 1
    problems = [str(p) for p in caught.value.problems]
    assert len(problems) == 1 and problems[0].startswith(f"{folder / 'plan.yaml'}:{line}:"), (
        problems
    )
    assert said in problems[0] and "appendices[1].file" in problems[0]
