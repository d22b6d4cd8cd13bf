"""The strategy document of every shipped plan, checked on the PDF itself."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pdfplumber
import pikepdf
import pytest

from conftest import pdfium_pages, pdftotext, squash
from saoreport import thai
from saoreport.document import render
from saoreport.fonts.family import font_family, page_dash
from saoreport.pipeline.batch import build_one
from saoreport.plan.validate import check

ROOT = Path(__file__).resolve().parents[1]
SEEDS = {"nong-hang": (7, 15), "khi-lek": (5, 5)}


RIGHT = 595.28 - 2 / 2.54 * 72  # the text block's right edge: right margin 2 cm


def _pages(pdf: Path) -> list[str]:
    return pdftotext(pdf).split("\f")[:-1]


LETTERS = "กขคงจฉชซฌญ"  # the front matter's page numbers (คำนำ, สารบัญ, …)


def _printed(pages: list[str]) -> dict[int, str]:
    """Each numbered page's printed number, by its 1-based place in the PDF: the front matter
    (from the page after the cover and the announcement) ก, ข, …; the body from ๑, at its
    first page (ส่วนที่ ๑)."""
    body = next(i for i, page in enumerate(pages, 1) if re.match(r"\s*‐ \S+ ‐\s*ส่วนที่ ๑ ", page))
    return {
        n: LETTERS[n - 3] if n < body else thai.thai_digits(n - body + 1)
        for n in range(3, len(pages) + 1)
    }


@pytest.mark.parametrize("slug", ["nong-hang", "khi-lek", "demo"])
def test_every_seed_string_comes_back(built: dict[str, Path], slug: str) -> None:
    plan = check(ROOT / "plans" / slug).plan
    strings = [plan.vision, *plan.missions, *plan.goals]
    if slug in SEEDS:
        assert (len(plan.missions), len(plan.goals)) == SEEDS[slug]
    for text in (pdftotext(built[slug]), "".join(pdfium_pages(built[slug]))):
        flat = squash(text)
        for s in strings:
            assert squash(thai.digits(s, plan.thai_digits)) in flat, s


def test_seed_text_is_word_for_word_from_the_seed_pages() -> None:
    seeds = ROOT.parent / "shared" / "seeds"
    if not seeds.is_dir():
        pytest.skip("shared/seeds is not beside the checkout")
    for slug, name in (
        ("nong-hang", "000_15a60f9e2bf40418.txt"),
        ("khi-lek", "001_c9d5a2aada27164c.txt"),
    ):
        page = squash((seeds / name).read_text(encoding="utf-8"))
        plan = check(ROOT / "plans" / slug).plan
        for s in [plan.vision, *plan.missions, *plan.goals]:
            assert squash(s) in page, s


def test_page_counts_and_orientation(built: dict[str, Path]) -> None:
    """The forms of ส่วนที่ ๔ (ผ.01, ผ.02) are landscape, from the first form to ส่วนที่ ๕;
    everything before and after them is portrait."""
    for slug, pdf in built.items():
        pages = _pages(pdf)
        forms = [
            i for i, text in enumerate(pages) if re.search(r"^แบบ ผ\.๐[๑-๓](?:/[๑๒])?$", text, re.M)
        ]
        first_form = forms[0] if forms else len(pages)
        back = [
            i for i, text in enumerate(pages) if text.lstrip("‐ ๐๑๒๓๔๕๖๗๘๙\n").startswith("ส่วนที่ ๕")
        ]
        after = back[0] if back else len(pages)
        assert slug != "demo" or first_form < after < len(pages)
        with pikepdf.open(pdf) as doc:
            assert len(doc.pages) == len(pages)
            for number, page in enumerate(doc.pages):
                x0, y0, x1, y1 = (float(v) for v in page.MediaBox)
                landscape = first_form <= number < after
                assert (x1 - x0 > y1 - y0) == landscape, f"{slug} page {number + 1}"
    assert 3 <= len(_pages(built["nong-hang"])) <= 4
    assert 3 <= len(_pages(built["khi-lek"])) <= 4
    assert len(_pages(built["demo"])) >= 15


def test_page_numbers_centred_at_top(built: dict[str, Path]) -> None:
    pdf = built["demo"]
    pages = pdfium_pages(pdf)
    dash = page_dash(font_family())  # a hyphen that poppler does not join to the next line
    assert dash == "\u2010" and dash not in pages[0]  # the cover carries no number
    # Nor does the announcement the demo binds in after the cover (an official letter).
    assert pages[1].startswith("ประกาศองค์การบริหารส่วนตำบลตัวอย่าง") and dash not in pages[1]
    printed = _printed(_pages(pdf))  # ก, ข, … then ๑, ๒, …
    assert list(printed.values())[:2] == ["ก", "ข"] and "๑" in printed.values()
    label = re.compile(r" แบบ ผ\.[๐-๙]+(?:/[๐-๙])?$")  # a form's label box, drawn after it
    for number, shown in printed.items():
        flat = label.sub("", " ".join(pages[number - 1].split()))
        assert flat.endswith(f"{dash} {shown} {dash}"), number
    # In poppler's reading order, a line of its own, spaced as drawn.
    for number, shown in printed.items():
        text = _pages(pdf)[number - 1]
        assert f"\n{dash} {shown} {dash}\n" in f"\n{text}", number
    # Where poppler sees it: three words at the top, centred over the text block.
    xml = pdftotext(pdf, "-bbox")
    for number, page in enumerate(xml.split("<page ")[3:], 3):
        width = float(re.search(r'width="([\d.]+)"', page).group(1))
        words = re.findall(
            r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]+)<', page
        )
        # The forms' running heading and label box sit at the top left and right.
        middle = [w for w in words if width / 3 < float(w[0]) < 2 * width / 3]
        top = min(float(w[1]) for w in middle)
        head = [w for w in middle if float(w[1]) == top]
        assert [w[3] for w in head] == [dash, printed[number], dash]
        centre = (float(head[0][0]) + float(head[-1][2])) / 2
        left, right = (3, 2) if width < 600 else (2, 1.5)  # margins in cm
        assert abs(centre - (left + (width / 72 * 2.54 - left - right) / 2) / 2.54 * 72) < 3
        assert top < 60


def test_toc_page_numbers_are_real(built: dict[str, Path]) -> None:
    pages = _pages(built["demo"])

    printed = _printed(pages)
    place = {shown: number for number, shown in printed.items()}  # "ก" -> its page in the PDF

    def starts(page: str, heading: str) -> bool:
        return re.sub(r"^\s*‐ [๐-๙ก-ฮ]+ ‐\s*", "", page).startswith(heading)

    # The contents run from their heading to ส่วนที่ ๑ (two pages in the demo), the page
    # numbers stripped. An entry too long for its line wraps; its last line ends in a leader
    # and its page number (the entry's lines are joined here).
    first = next(i for i, page in enumerate(pages) if starts(page, "สารบัญ"))
    # (then the list of figures, สารบัญภาพ, in a book with captioned images, as the demo is)
    last = next(
        i for i, page in enumerate(pages) if starts(page, "สารบัญภาพ") or starts(page, "ส่วนที่ ๑")
    )
    # Each page after the first says it continues them (top left, on the number's line).
    heads = [page.lstrip("\n").splitlines()[0].split() for page in pages[first:last]]
    assert heads[0] == ["‐", printed[first + 1], "‐"]
    assert len(heads) > 1 and all(h[:2] == ["สารบัญ", "(ต่อ)"] for h in heads[1:]), heads
    toc = "\n".join(
        re.sub(r"^(‐ [๐-๙ก-ฮ]+ ‐|หน้า|สารบัญ \(ต่อ\) +‐ [๐-๙ก-ฮ]+ ‐)$", "", page, flags=re.M)
        for page in pages[first:last]
    )
    # (pdftotext reads a wrapped entry's number, in its own column, after a blank line.)
    # (An entry that nearly fills its line keeps as few as three leader dots: the demo's
    # "ยุทธศาสตร์ที่ ๒ …ตามหลักปรัชญาของเศรษฐกิจพอเพียง ...".)
    toc = re.sub(r"(\.{3,})\s*\n+([๐-๙ก-ฮ]+)$", r"\1 \2", toc, flags=re.M)
    toc = re.sub(
        r"(?<![.๐-๙])(?<! [ก-ฮ])\n(?!ส่วนที่|\n)(?=[^\n]*\.{3,} *[๐-๙ก-ฮ]+$)", " ", toc, flags=re.M
    )
    entries = re.findall(r"^\s*(.+?)\s*\.{3,}\s*([๐-๙]+|[ก-ฮ])\s*$", toc, re.M)
    checked = check(ROOT / "plans" / "demo")
    book = render.narrative_html(checked.plan, checked.narrative)
    expected = [entry["text"] for entry in render.toc(checked.plan, book)]
    assert [title for title, _ in entries] == expected and len(expected) >= 34
    for title, page in entries:
        number = place[page]
        heading = title.split(" (แบบ")[0].strip()
        assert squash(heading) in squash(pages[number - 1]), (title, number)

    # Laid out: every page of the contents heads its numbers "หน้า"; each number stands on the
    # last line of its entry, after a leader, right-aligned on the text block's right edge.
    with pdfplumber.open(built["demo"]) as doc:
        for page in doc.pages[first:last]:
            words = page.extract_words(keep_blank_chars=False)
            # (pdfplumber orders a word's characters by x: the tone mark after its vowel.)
            head = [w for w in words if sorted(w["text"]) == sorted("หน้า")]
            assert len(head) == 1 and abs(head[0]["x1"] - RIGHT) < 1
            # the page numbers: Thai digits, or a front page's letter (ก) in the numbers' column
            numbers = [
                w
                for w in words
                if w["top"] > 70
                and (
                    re.fullmatch("[๐-๙]+", w["text"])
                    or (re.fullmatch("[ก-ฮ]", w["text"]) and w["x0"] > RIGHT - 30)
                )
            ]
            assert numbers
            for n in numbers:
                assert abs(n["x1"] - RIGHT) < 1, n
                line = [w for w in words if abs(w["top"] - n["top"]) < 2 and w is not n]
                assert line and re.search(r"\.{3,}$", line[-1]["text"]), (n, line)


def test_p01_totals_equal_project_budgets(built: dict[str, Path]) -> None:
    """ผ.01 sums the projects of ผ.02 (kind "local"); its digits are the plan's (Thai)."""
    plan = check(ROOT / "plans" / "demo").plan
    text = pdftotext(built["demo"], "-layout")
    local = [p for p in plan.projects if p.kind == "local"]
    total = sum(sum(p.budget.values()) for p in local)
    grand = next(line for line in text.splitlines() if "รวมทั้งสิ้น" in line)
    assert not re.search("[0-9]", grand)  # settings.digits: thai, money_digits unset
    numbers = [int(n.replace(",", "")) for n in re.findall(r"[๐-๙][๐-๙,]*", grand)]
    per_year = [sum(p.in_year(y) for p in local) for y in plan.years]
    counts = [sum(1 for p in local if p.in_year(y)) for y in plan.years]
    expected = [v for pair in zip(counts, per_year, strict=True) for v in pair]
    assert numbers == [*expected, sum(counts), total]
    assert thai.baht_words(total) in text


def test_p02_header_repeats_and_totals(built: dict[str, Path]) -> None:
    pages = _pages(built["demo"])
    forms = [p for p in pages if re.search(r"^แบบ ผ\.๐๒$", p, re.M)]
    assert len(forms) >= 5
    for page in forms:
        assert "หน่วยงาน" in page and "ตัวชี้วัด" in page
    plan = check(ROOT / "plans" / "demo").plan
    # Table cells: read in content order (pdfium, pdftotext -raw); poppler's default
    # reading order interleaves the cells of a row, as it should for a person's reading.
    for text in ("".join(pdfium_pages(built["demo"])), pdftotext(built["demo"], "-raw")):
        flat = squash(text)
        for project in plan.projects:
            for value in (
                project.name,
                project.objective,
                project.target,
                project.kpi,
                project.result,
            ):
                assert squash(thai.digits(value, True)) in flat, value


def test_seed_documents_have_no_empty_forms(built: dict[str, Path]) -> None:
    for slug in SEEDS:
        text = pdftotext(built[slug])
        assert "ผ.01" not in text and "ผ.02" not in text
        assert "วิสัยทัศน์" in text


def test_bookmarks_and_metadata(built: dict[str, Path]) -> None:
    with pikepdf.open(built["demo"]) as pdf:
        with pdf.open_outline() as outline:
            titles = [item.title for item in outline.root]
            children = [c.title for item in outline.root for c in item.children]
        assert any("วิสัยทัศน์" in t for t in titles + children)
        assert any(t.startswith("ส่วนที่ ๓") for t in titles)
        assert sum("ยุทธศาสตร์ที่" in t for t in children + titles) >= 5
        info = pdf.docinfo
        assert str(info["/Author"]) == "องค์การบริหารส่วนตำบลตัวอย่าง"
        assert "แผนพัฒนาท้องถิ่น" in str(info["/Title"])
        assert str(pdf.Root.Lang) == "th"


def test_same_input_same_bytes(tmp_path: Path) -> None:
    first = build_one(ROOT / "plans" / "khi-lek", tmp_path / "a")
    second = build_one(ROOT / "plans" / "khi-lek", tmp_path / "b")
    assert first.outputs[0].read_bytes() == second.outputs[0].read_bytes()


def test_no_font_fell_back(built: dict[str, Path]) -> None:
    for pdf in built.values():
        with pikepdf.open(pdf) as doc:
            for page in doc.pages:
                for font in page.Resources.Font.values():
                    assert "Sarabun" in str(font.BaseFont)


def _item_lines(pdf: Path | bytes) -> dict[float, list[tuple[float, float, str]]]:
    """Part 1's lines (page and y -> words with their x range), from poppler's word boxes."""
    xml = pdftotext(pdf, "-bbox")
    pattern = r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]+)<'
    lines: dict[float, list[tuple[float, float, str]]] = {}
    for page, content in enumerate(xml.split("<page ")[3:]):  # part 1 starts on page 3
        for x0, y0, x1, text in re.findall(pattern, content):
            if float(y0) > 60:  # below the page number
                key = page * 10_000 + round(float(y0), 1)
                lines.setdefault(key, []).append((float(x0), float(x1), text))
    return lines


def test_paragraphs_are_justified_thai_distributed(built: dict[str, Path]) -> None:
    """Every line of a mission or goal but its last reaches the right edge of the text block,
    or, when it cannot without a gap wider than a space plus the letter-spacing cap or a
    word broken, it is spread by the whole cap (measured against the same lines unjustified)."""
    from saoreport.pdf import justify
    from saoreport.pipeline.documents import Documents

    lines = _item_lines(built["nong-hang"])
    text_x = (3 + 3.3) / 2.54 * 72  # where an item's text starts; its number ends before it

    def numbered(word: tuple[float, float, str]) -> bool:
        return bool(re.fullmatch(r"[๐-๙]+\.", word[2])) and text_x - 12 < word[1] < text_x

    item_lines = [v for v in lines.values() if abs(v[0][0] - text_x) < 1 or numbered(v[0])]
    starts = [v for v in item_lines if re.fullmatch(r"[๐-๙]+\.", v[0][2])]
    right = max(max(w[1] for w in v) for v in item_lines)
    assert abs(right - (595.28 - 2 / 2.54 * 72)) < 2  # the right margin is 2 cm
    # A line followed by a continuation line of its item is not the item's last line.
    inner = [v for v, nxt in itertools.pairwise(item_lines) if abs(nxt[0][0] - text_x) < 1]
    full = [v for v in inner if max(w[1] for w in v) > right - 1.5]
    assert len(starts) == 22  # 7 missions, 15 goals
    assert len(inner) >= 12  # many items wrap
    assert len(full) >= len(inner) / 2
    # The same document laid out without distributing: the same lines, at their natural width.
    documents = Documents(check(ROOT / "plans" / "nong-hang"))
    html = re.sub(r' data-dist="\d+"', "", documents.html("strategy.html.j2"))
    plain = _item_lines(documents.fix_text(documents.layout.write_pdf(html)))
    size = font_family(None).pt(16)  # the body text, pt
    for line in inner:
        if line in full:
            continue
        key = next(k for k, v in lines.items() if v is line)
        natural = max(w[1] for w in plain[key])
        text = "".join(w[2] for w in line) + " " * (len(line) - 1)
        clusters = sum(1 for c in text if not re.match("[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]", c))
        widened = max(w[1] for w in line) - natural
        assert widened > 0.9 * clusters * justify.MAX_LETTER * size, (text, widened)


@pytest.mark.parametrize("document", ["strategy.pdf", "poster-a3.pdf", "poster-a4.pdf"])
def test_list_numbers_read_with_their_items(built: dict[str, Path], document: str) -> None:
    """In poppler's reading order (copy, search, read aloud), "๑." starts the line of its
    item's first words: the number sits right against its text, not in a column of its own."""
    plan = check(ROOT / "plans" / "nong-hang").plan
    text = pdftotext(built["nong-hang"].parent / document)
    for items in (plan.missions, plan.goals):
        for number, item in enumerate(items, 1):
            first = item.split()[0][:6]
            head = f"{thai.digits(str(number), True)}. {first}"
            assert re.search(f"^{re.escape(head)}", text, re.M), head


def test_figures_in_a_narrative_table_stay_whole(built: dict[str, Path]) -> None:
    """ส่วนที่ ๒'s percentages ("71.43") sit in a right-aligned (`--:`) column of a Markdown
    table: each prints on one line (with overflow-wrap: anywhere the column was cut to
    "๗๑.๔" over "๓")."""
    source = (ROOT / "plans" / "demo" / "parts" / "2-results.md").read_text(encoding="utf-8")
    figures = set(re.findall(r"\| (\d+\.\d\d) \|", source))
    assert len(figures) > 5
    words = set(pdftotext(built["demo"], "-layout").split())
    assert {thai.thai_digits(f) for f in figures} <= words
