"""No rendered line wraps inside a Thai word, as PyThaiNLP's newmm segments it (compounds such
as ผู้รับผิดชอบ, อาสาสมัคร, ภาครัฐ whole), nor between a number and its unit, nor in ฯลฯ; no
paragraph ends with one word alone on its line; justified lines keep one space per space."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pypdfium2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pythainlp.tokenize import word_tokenize

from conftest import PLANS, pdfium_pages, pdftotext
from saoreport import thai, wordbreak
from saoreport.document.render import environment, prose
from saoreport.fonts.family import font_family
from saoreport.pdf import justify, layout, textlayer
from saoreport.plan.validate import check
from saoreport.resources import templates_dir

HERE = Path(__file__).resolve().parent
THAI = re.compile("[\u0e00-\u0e7f]")
NUMBER = "[0-9๐-๙][0-9๐-๙,.]*"
NUMBERING = "(?:ร้อยละ|หมู่ที่|ครั้งที่|สมัยที่|ข้อ|มาตรา|พ\\.ศ\\.)"


@cache
def tokens(text: str) -> tuple[tuple[int, int, str], ...]:
    """The reference words of *text*: newmm, default dictionary, as (start, end, word)."""
    found, pos = [], 0
    for token in word_tokenize(text, engine="newmm", keep_whitespace=True):
        found.append((pos, pos + len(token), token))
        pos += len(token)
    return tuple(found)


def word_at(text: str, cut: int) -> tuple[int, int, str] | None:
    """The reference word that a wrap at *cut* falls inside, if any."""
    for a, b, token in tokens(text):
        if a < cut < b:
            return a, b, token
    return None


def bad_wrap(text: str, cut: int, at_space: bool) -> str | None:
    """Why a wrap of *text* before text[cut] is wrong, or None."""
    before, after = text[:cut], text[cut:]
    number = re.search(f"({NUMBERING} ?)?{NUMBER} ?$", before)
    if number and not number.group(1) and THAI.match(after):  # "หมู่ที่ ๕ | จำนวน" is fine
        return "number | unit"
    if re.search(f"{NUMBERING} ?$", before) and re.match("[0-9๐-๙]", after):
        return "numbering word | number"
    if at_space:
        return None
    if after.startswith("ฯ") or (before.endswith("ฯ") and after.startswith("ลฯ")):
        return "ฯ"
    if (THAI.match(text[cut - 1]) or THAI.match(text[cut])) and word_at(text, cut):
        return "inside a word"
    return None


def every_wrap(text: str, flat: str) -> list[list[tuple[int, bool]]]:
    """Where the extracted *flat* text (lines joined by \\n) wraps each occurrence of *text*:
    (offset of the first character on the new line, whether the wrap took the place of a
    space). Only exact occurrences count: one space, or one line end, where *text* has a space."""
    chars = [(i, c) for i, c in enumerate(text) if not c.isspace()]
    pattern = "".join(
        f"({re.escape(c)})" + ("[ \\n]" if i + 1 < len(text) and text[i + 1].isspace() else "\\n?")
        for i, c in chars
    )
    every = []
    for match in re.finditer(pattern.removesuffix("\\n?").removesuffix("[ \\n]"), flat):
        found = []
        for k in range(1, len(chars)):
            gap = flat[match.end(k) : match.start(k + 1)]
            if gap == "\n":
                found.append((chars[k][0], text[chars[k][0] - 1].isspace()))
        every.append(found)
    return every


def wraps(text: str, flat: str) -> list[tuple[int, bool]] | None:
    """The wraps of the first occurrence of *text* in *flat*, None if it is not there."""
    every = every_wrap(text, flat)
    return every[0] if every else None


def lone_last_word(text: str, found: list[tuple[int, bool]]) -> bool:
    """Does a wrapped *text* of three words or more end with one word alone on its line,
    although the line before holds more than the one word that would have to move down?"""
    words = [t for t in tokens(text) if THAI.search(t[2]) and t[2] not in ("ฯ", "ฯลฯ")]
    if not found or len(words) < 3:
        return False
    last = found[-1][0]
    before = found[-2][0] if len(found) > 1 else 0
    on_last = sum(1 for a, _, _ in words if a >= last)
    on_the_line_before = sum(1 for a, _, _ in words if before <= a < last)
    return on_last == 1 and on_the_line_before > 1


class Count:
    """Wraps seen, and the wrong ones: inside a word, and inside a word wider than its line."""

    def __init__(self) -> None:
        self.wraps = 0
        self.bad: list[str] = []
        self.overlong: list[str] = []
        self.lone: list[str] = []

    def add(self, text: str, found: list[tuple[int, bool]]) -> None:
        self.wraps += len(found)
        starts = [0] + [cut for cut, _ in found]
        for (cut, at_space), line_start in zip(found, starts, strict=False):
            why = bad_wrap(text, cut, at_space)
            if why is None:
                continue
            word = word_at(text, cut)
            shown = f"{text[:cut]}|{text[cut:]} ({why})"
            if word is not None and word[0] <= line_start:  # the line holds no more than it
                self.overlong.append(shown)
            else:
                self.bad.append(shown)
        if lone_last_word(text, found):
            self.lone.append(text)


def flat_lines(pages: list[str]) -> str:
    return re.sub(r"[ \t]*[\r\n]+[ \t]*", "\n", "\n".join(pages))


def plan_strings(slug: str) -> list[str]:
    plan = check(Path(__file__).resolve().parents[1] / "plans" / slug).plan
    found = [plan.vision, *plan.missions, *plan.goals]
    for s in plan.strategies:
        found += [*(t.name for t in s.tactics), *(i.name for i in s.indicators)]
    for p in plan.projects:
        found += [p.name, p.objective, p.target, p.kpi, p.result]
    return [thai.digits(s, plan.thai_digits) for s in dict.fromkeys(found)]


def count_document(pdf: Path | bytes, strings: list[str], required: bool) -> Count:
    flat = flat_lines(pdfium_pages(pdf))
    count = Count()
    for text in strings:
        found = wraps(text, flat)
        if found is None:
            assert not required, f"not in the PDF: {text}"
            continue
        count.add(text, found)
    return count


@pytest.mark.parametrize("slug", [p.name for p in PLANS])
def test_no_line_ends_inside_a_word(builds: dict[str, list[Path]], slug: str) -> None:
    """Every document of every shipped plan: no wrap inside a reference word, and no lone
    last word, except in the strategy document's distributed missions and goals, whose lines
    must be full (test_document.py): there a word moves down only if the line it leaves can
    still be filled."""
    strings = plan_strings(slug)
    plan = check(Path(__file__).resolve().parents[1] / "plans" / slug).plan
    distributed = {thai.digits(s, plan.thai_digits) for s in [*plan.missions, *plan.goals]}
    wrapped = 0
    for pdf in builds[slug]:
        count = count_document(pdf, strings, required=pdf.name == "strategy.pdf")
        wrapped += count.wraps
        assert not count.bad, f"{pdf.name}:\n" + "\n".join(count.bad)
        assert not count.overlong, f"{pdf.name}, words wider than their line:\n" + "\n".join(
            count.overlong
        )
        lone = [t for t in count.lone if pdf.name != "strategy.pdf" or t not in distributed]
        assert not lone, f"{pdf.name}, one word on the last line:\n" + "\n".join(lone)
    assert wrapped > (100 if slug == "demo" else 3)  # the check saw real line breaks


@pytest.mark.parametrize("slug", [p.name for p in PLANS])
def test_pdftotext_reads_every_document_exactly(builds: dict[str, list[Path]], slug: str) -> None:
    """pdftotext in its default (reading-order) mode gives the vision, each mission and each
    goal with one space where the plan has one: in the strategy document's justified lines
    and on the posters, two-column ones included. (Table cells, read across their rows in
    this mode, are checked in raw mode by tests/test_textlayer.py.)"""
    plan = check(Path(__file__).resolve().parents[1] / "plans" / slug).plan
    items = [thai.digits(s, plan.thai_digits) for s in [plan.vision, *plan.missions, *plan.goals]]
    checked = 0
    for pdf in builds[slug]:
        if pdf.name == "announcement.pdf":
            continue
        flat = flat_lines([pdftotext(pdf)])
        missing = [s for s in items if wraps(s, flat) is None]
        assert not missing, f"{pdf.name}: " + "\n".join(missing)
        checked += 1
    assert checked == 3


def corpus() -> list[str]:
    lines = (HERE / "linebreak_corpus.txt").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


WIDTHS = (38, 52, 70, 95)  # mm


def corpus_html(items: list[str], kind: str) -> str:
    family = font_family(None)
    sizes = {k: family.pt(16) for k in ("body", "h1", "h2", "h3", "table")}
    lead = dict.fromkeys(sizes, 21)
    css = environment().get_template("base.css.j2").render(family=family, size=sizes, lead=lead)
    blocks = []
    for w, width in enumerate(WIDTHS):
        for i, item in enumerate(items):
            text = prose(item, True)
            if kind == "justified":
                key = w * 1000 + i
                blocks.append(f'<p style="width:{width}mm" data-dist="{key}">{text}</p>')
            elif kind == "unjustified":  # the same lines as "justified", not spread out
                style = f"width:{width}mm; hyphenate-limit-zone: 2px"
                blocks.append(f'<p style="{style}">{text}</p>')
            elif kind == "table":
                blocks.append(
                    f'<table style="width:{width + 12}mm"><colgroup><col style="width:12mm">'
                    f"<col></colgroup><tr><td>{i}</td><td>{text}</td></tr></table>"
                )
            else:
                blocks.append(f'<p style="width:{width}mm">{text}</p>')
    style = f"body {{ font-family: '{family.name}'; font-size: 11pt; line-height: 15pt }}"
    style += " p, table { margin-bottom: 6pt }"
    return f"<html lang=th><style>{css}{style}</style><body>{''.join(blocks)}</body></html>"


def render_corpus(kind: str) -> bytes:
    family = font_family(None)
    allowed = [templates_dir(), *{p.parent for p in family.files}]
    pdf = layout.write_pdf(corpus_html(corpus(), kind), HERE, allowed, 0)
    return textlayer.fix_text_layer(pdf, family.files)


@pytest.fixture(scope="module", params=["body", "table", "justified"])
def corpus_pdf(request: pytest.FixtureRequest) -> tuple[str, bytes]:
    return request.param, render_corpus(request.param)


def test_corpus_never_wraps_inside_a_word(corpus_pdf: tuple[str, bytes]) -> None:
    kind, pdf = corpus_pdf
    items = corpus()
    flat = flat_lines(pdfium_pages(pdf))
    count = Count()
    for text in items:
        every = every_wrap(text, flat)
        assert len(every) == len(WIDTHS), f"{kind}: not in the PDF exactly: {text}"
        for found in every:
            count.add(text, found)
    assert count.wraps > 3 * len(items)  # the check saw real line breaks
    assert not count.bad, f"{kind}:\n" + "\n".join(count.bad)
    if kind != "justified":  # distributed lines must be full first: test_no_line_ends_inside_a_word
        assert not count.lone, f"{kind}, one word on the last line:\n" + "\n".join(count.lone)
    # Long compounds in the narrowest column may be wider than it: listed apart, and few.
    assert len(count.overlong) <= 2, "\n".join(count.overlong)


def test_corpus_extracts_exactly_with_pdftotext(corpus_pdf: tuple[str, bytes]) -> None:
    kind, pdf = corpus_pdf
    for mode in ((), ("-raw",)):
        flat = flat_lines([pdftotext(pdf, *mode)])
        missing = [text for text in corpus() if wraps(text, flat) is None]
        assert not missing, f"{kind} {mode}: " + "\n".join(missing)


def word_gaps(pdf: bytes) -> list[tuple[str, float]]:
    """Each space between two words on one line: its context and the gap (pt) between the
    glyph boxes of the characters around it."""
    doc = pypdfium2.PdfDocument(pdf)
    gaps = []
    try:
        for page in doc:
            textpage = page.get_textpage()
            n = textpage.count_chars()
            text = textpage.get_text_range(0, n)
            boxes = [textpage.get_charbox(i) for i in range(n)]
            for i in range(1, n - 1):
                if text[i] != " " or text[i - 1].isspace() or text[i + 1].isspace():
                    continue
                left, right = boxes[i - 1], boxes[i + 1]
                if abs(left[1] - right[1]) <= 3:  # on one line
                    gaps.append((text[max(i - 8, 0) : i + 8], right[0] - left[2]))
    finally:
        doc.close()
    return gaps


def test_justified_gaps_stay_within_a_space_and_the_cap() -> None:
    """Distributed justification widens a gap between words by no more than the letter
    spacing cap (on the character before the space and on the space): never the wide holes
    that pdftotext reads as two spaces."""
    plain = word_gaps(render_corpus("unjustified"))
    justified = word_gaps(render_corpus("justified"))
    assert len(plain) == len(justified) > 100
    size = 11.0 * 4 / 3  # px: the corpus's 11 pt
    cap = 2 * justify.MAX_LETTER * size * 0.75 + 0.05  # pt, and rounding
    widened = [j - p for (_, p), (_, j) in zip(plain, justified, strict=True)]
    assert [c for c, _ in plain] == [c for c, _ in justified]  # the same lines
    assert max(widened) > cap / 4  # lines were justified
    too_wide = [(c, round(w, 2)) for (c, _), w in zip(plain, widened, strict=True) if w > cap]
    assert not too_wide, f"widened by more than {cap:.2f} pt: {too_wide}"


def test_the_check_can_fail() -> None:
    assert bad_wrap("ผู้รับผิดชอบโครงการ", 3, False) == "inside a word"  # ผู้|รับผิดชอบ
    assert bad_wrap("ผู้รับผิดชอบโครงการ", 12, False) is None
    assert bad_wrap("จำนวน ๑ แห่ง", 8, True) == "number | unit"
    assert bad_wrap("ร้อยละ ๒๐", 7, True) == "numbering word | number"
    assert bad_wrap("ถนน ฯลฯ", 5, False) == "ฯ"
    assert wraps("ตำบล น่าอยู่", "ตำ\nบล น่าอยู่") == [(2, False)]
    assert wraps("ตำบล น่าอยู่", "ตำบล\nน่าอยู่") == [(5, True)]
    assert wraps("ตำบล น่าอยู่", "ตำบล  น่าอยู่") is None  # two spaces for one
    assert lone_last_word("ประชาชนมีคุณภาพชีวิตที่ดีขึ้น", [(23, False)])  # ...ที่|ดีขึ้น
    count = Count()
    count.add("ผู้รับผิดชอบ", [(3, False)])
    assert count.overlong and not count.bad


def test_the_hook_keeps_words_that_pango_alone_splits() -> None:
    """Without the hook this layout splits ผู้|รับผิดชอบ (libthai); with it, never."""
    masks = wordbreak.kept("ผู้รับผิดชอบ ฯลฯ จำนวน ๑ แห่ง")
    assert masks[1][3] == 1  # inside ผู้รับผิดชอบ
    assert masks[1][12] == 0  # after it
    assert masks[1][14] == 1 and masks[1][15] == 1  # ฯ|ลฯ
    assert masks[1][23] == 0 and masks[1][25] == 1  # จำนวน | ๑ แห่ง
    # Words alone, for a line too narrow for the rest: a number may leave its unit, a word
    # stays whole.
    assert masks[2][3] == 1 and masks[2][14] == 1 and masks[2][25] == 0


def test_a_word_wider_than_its_cell_is_broken_and_reported() -> None:
    """A word that cannot fit its cell keeps libthai's breaks (inside it, where the dictionary
    allows), and the layout reports it so the build can say which text to shorten."""
    family = font_family(None)
    word = "องค์การบริหารส่วนตำบล"
    assert len(tokens(word)) == 1  # one reference word
    html = (
        f"<html lang=th><style>body {{ font-family: '{family.name}'; font-size: 11pt }}"
        f"</style><body><p style='width:14mm'>{word} ผู้รับผิดชอบ</p></body></html>"
    )
    base = environment().get_template("base.css.j2")
    sizes = {k: family.pt(16) for k in ("body", "h1", "h2", "h3", "table")}
    css = base.render(family=family, size=sizes, lead=dict.fromkeys(sizes, 21))
    allowed = [templates_dir(), *{p.parent for p in family.files}]
    lay_out = layout.Layout(HERE, allowed, 0)
    document = lay_out.render(html.replace("<style>", f"<style>{css}"))
    assert lay_out.overlong == {word, "ผู้รับผิดชอบ"}
    pdf = textlayer.fix_text_layer(lay_out.pdf(document), family.files)
    found = wraps(f"{word} ผู้รับผิดชอบ", flat_lines(pdfium_pages(pdf)))
    assert found is not None
    count = Count()
    count.add(f"{word} ผู้รับผิดชอบ", found)
    assert count.overlong and not count.bad  # broken inside the long word only


def test_our_dictionary_segments_exactly_as_pythainlps_trie() -> None:
    """wordbreak.Dictionary (two sets, quick to read) gives newmm exactly the words
    PyThaiNLP's own default trie gives it, on both corpora and every text of the shipped
    plans and of a 300-project synthetic plan."""
    import sys

    from pythainlp.tokenize import word_dict_trie

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from make_plan import make_plan

    here = Path(__file__).resolve().parent
    texts = [
        line.strip()
        for name in ("thai_corpus.txt", "linebreak_corpus.txt")
        for line in (here / name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    for source in [*(p / "plan.yaml" for p in PLANS), None]:
        text = make_plan(300) if source is None else source.read_text(encoding="utf-8")
        texts += re.findall(r":\s+(.*[\u0e00-\u0e7f].*)$", text, re.M)
    texts = list(dict.fromkeys(texts))
    assert len(texts) > 700
    trie = word_dict_trie()
    for text in texts:
        theirs = word_tokenize(text, engine="newmm", keep_whitespace=True, custom_dict=trie)
        assert wordbreak.tokens(text) == tuple(theirs), text


def _weasyprints_breaks(text: str) -> bytes:
    from weasyprint.text.line_break import get_log_attrs

    attrs = get_log_attrs(text, "th")
    return bytes(attrs[p].is_line_break for p in range(len(text) + 1))


def test_pangos_breaks_are_weasyprints() -> None:
    """wordbreak.line_breaks (Pango through ctypes, without importing WeasyPrint) gives the
    break opportunities WeasyPrint's own binding gives, on both corpora, the shipped plans'
    texts and text with the characters WeasyPrint rewrites (NUL, bidi controls)."""
    assert wordbreak._pango() is not None  # Pango found: the fallback is not what is tested
    here = Path(__file__).resolve().parent
    texts = [
        line.strip()
        for name in ("thai_corpus.txt", "linebreak_corpus.txt")
        for line in (here / name).read_text(encoding="utf-8").splitlines()
    ]
    for source in PLANS:
        texts += re.findall(r":\s+(.*)$", (source / "plan.yaml").read_text(encoding="utf-8"), re.M)
    texts += ["", "ก", "ผู้\u202bรับ\u202cผิดชอบ", "a\x00b ข้อ ๒", "๑,๒๓๔.๐๐ บาท/ปี", "e\u0301 ñ 😀 ก่"]
    assert len(texts) > 400
    assert any(b"\x01" in wordbreak.line_breaks(t) for t in texts)
    for text in texts:
        assert wordbreak.line_breaks(text) == _weasyprints_breaks(text), text


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(
            "กขคงจฉชซญฐณดตถทนบปผพฟมยรลวศสหอฮะัาำิีึืุูเแโใไ่้๊๋็์ๆฯ๐๑๒ ab1.,-/()\u00a0\u200b\u202a\n"
        )
    )
)
def test_pangos_breaks_are_weasyprints_for_any_text(text: str) -> None:
    assert wordbreak.line_breaks(text) == _weasyprints_breaks(text)


def test_column_widths_do_not_import_weasyprint() -> None:
    """Measuring a table's columns needs Pango's breaks alone: a rebuild whose layout goes to a
    worker does not import WeasyPrint (0.2 s) in the build's own process for them."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from saoreport.document import columns\n"
        "assert columns.segments('ผู้รับผิดชอบโครงการ ๒ แห่ง')\n"
        "print('weasyprint' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
