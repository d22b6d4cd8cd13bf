"""Issue 25, points 5 and 6 for the narrative Markdown: whatever would not be printed is
reported at its line (validate says it, build refuses the same way), and no Markdown keeps a
build busy for minutes (refused or built within 5 s of CPU and 500 MB, bounded by resource
limits in a subprocess). Each test failed on the code before the fix."""

from __future__ import annotations

import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest

from conftest import ROOT, pdftotext, squash

CPU_SECONDS = 5
MEMORY = 500 * 1024 * 1024


def _plan(tmp_path: Path, files: dict[str, str]) -> Path:
    """khi-lek (a small plan) with the narrative *files* (name -> Markdown)."""
    folder = tmp_path / "sao"
    shutil.copytree(ROOT / "plans" / "khi-lek", folder)
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))


def _run(*argv: str) -> tuple[int, str]:
    """saoreport *argv* in a process of at most 5 s of CPU and 500 MB: its exit code (a
    negative one when a limit killed it) and what it said."""
    done = subprocess.run(
        [sys.executable, "-m", "saoreport", *argv],
        preexec_fn=_limits,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return done.returncode, done.stdout + done.stderr


def _refused(folder: Path, tmp_path: Path, where: str, words: str) -> None:
    """validate and build both exit 1 with *words* at *where* (file:line or file:line:col in
    the plan folder), no traceback, no PDF."""
    out = tmp_path / "out"
    for argv in (
        ("validate", str(folder)),
        ("build", str(folder), "--out", str(out), "-j", "1", "--no-cache"),
    ):
        code, said = _run(*argv)
        assert code == 1, (argv, code, said)
        assert f"{folder}/{where}:" in said, said
        assert words in said, said
        assert "Traceback" not in said and "internal error" not in said, said
    assert not list(out.rglob("*.pdf"))


def _built_text(folder: Path, tmp_path: Path) -> str:
    out = tmp_path / "out"
    code, said = _run("build", str(folder), "--out", str(out), "-j", "1", "--no-cache")
    assert code == 0, said
    return squash(pdftotext(next(out.rglob("strategy.pdf"))))


# 5. Markdown content disappears -------------------------------------------------------------


def test_p5_deep_list_is_reported(tmp_path: Path) -> None:
    deep = "".join("  " * i + f"- ข้อ{i}\n" for i in range(400))
    folder = _plan(tmp_path, {"parts/1-general.md": "# ทั่วไป\n\n" + deep})
    _refused(folder, tmp_path, f"parts/1-general.md:{3 + 5}", "nested more than 5 deep")


def test_p5_five_deep_list_prints_every_item(tmp_path: Path) -> None:
    items = [f"รายการ{word}" for word in ("หนึ่ง", "สอง", "สาม", "สี่", "ห้า")]
    deep = "".join("  " * i + f"- {item}\n" for i, item in enumerate(items))
    folder = _plan(tmp_path, {"parts/1-general.md": "# ทั่วไป\n\n" + deep})
    text = _built_text(folder, tmp_path)
    assert all(item in text for item in items), text


def test_p5_deep_blockquote_is_reported(tmp_path: Path) -> None:
    deep = "".join(">" * i + f" ข้อความ{i}\n\n" for i in range(1, 31))
    folder = _plan(tmp_path, {"parts/2-results.md": "# ผล\n\n" + deep})
    _refused(folder, tmp_path, f"parts/2-results.md:{3 + 2 * 5}", "nested more than 5 deep")


def test_p5_wide_table_is_reported(tmp_path: Path) -> None:
    n = 1000
    table = f"|{'ก|' * n}\n|{'-|' * n}\n|{'ข|' * n}\n"
    folder = _plan(tmp_path, {"parts/1-general.md": "# ทั่วไป\n\n" + table})
    _refused(folder, tmp_path, "parts/1-general.md:3", "a table of 1000 columns")


def test_p5_table_row_beyond_its_header_is_reported(tmp_path: Path) -> None:
    table = "| ก | ข |\n|---|---|\n| ๑ | ๒ | หายไป |\n"
    folder = _plan(tmp_path, {"parts/1-general.md": "# ทั่วไป\n\n" + table})
    _refused(folder, tmp_path, "parts/1-general.md:5", "this row has 3 cells")


def test_p5_table_of_the_most_columns_prints_them_all(tmp_path: Path) -> None:
    """20 columns (the limit) of long Thai and Latin cells: every cell on the page."""
    letters = [chr(0x0E01 + i) for i in range(20)]  # ก ข ฃ ค …: no digits (they become Thai)
    latin = [chr(ord("A") + i) * 2 for i in range(20)]
    heads = [f"หัว{letter}" for letter in letters]
    cells = [
        f"ค่า{letter}ยาวมากความยาวWordWord{pair}"
        for letter, pair in zip(letters, latin, strict=True)
    ]
    table = f"| {' | '.join(heads)} |\n|{'---|' * 20}\n| {' | '.join(cells)} |\n"
    folder = _plan(tmp_path, {"parts/1-general.md": "# ทั่วไป\n\n" + table})
    out = tmp_path / "out"
    code, said = _run("build", str(folder), "--out", str(out), "-j", "1", "--no-cache")
    assert code == 0, said
    pdf = next(out.rglob("strategy.pdf"))
    text = squash(pdftotext(pdf, "-raw"))
    for word in [*heads, *(f"WordWord{pair}" for pair in latin)]:
        assert word in text, word
    # and nothing beyond the page's right edge: every word of the table inside the mediabox
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            assert all(w["x1"] <= page.width for w in page.extract_words()), page.page_number


def test_p5_uppercase_md_extension(tmp_path: Path) -> None:
    """preface.MD and parts/1-general.MD (as Windows editors save them) are read and printed."""
    folder = _plan(
        tmp_path,
        {"preface.MD": "คำนำตัวใหญ่ทดสอบ\n", "parts/1-general.MD": "# ทั่วไป\n\nส่วนหนึ่งตัวใหญ่\n"},
    )
    code, said = _run("validate", str(folder))
    assert code == 0, said
    text = _built_text(folder, tmp_path)
    assert "คำนำตัวใหญ่ทดสอบ" in text and "ส่วนหนึ่งตัวใหญ่" in text, text


def test_p5_two_files_differing_in_case_are_an_error(tmp_path: Path) -> None:
    folder = _plan(tmp_path, {"parts/1-general.MD": "# ก\n\nข\n", "parts/1-general.md": "# ค\n"})
    _refused(folder, tmp_path, "parts/1-general.md:1", "keep one of them")


def test_p5_entity_outside_font(tmp_path: Path) -> None:
    text = "# ทั่วไป\n\nยิ้ม &#x1F600; &amp; &nbsp; และ &emsp; จบ\n"
    folder = _plan(tmp_path, {"parts/1-general.md": text})
    _refused(folder, tmp_path, "parts/1-general.md:3:6", "U+1F600 GRINNING FACE")
    code, said = _run("validate", str(folder))
    assert "1-general.md:3:6: " in said and "1-general.md:3:33: " in said, said
    assert "U+2003 EM SPACE" in said and "&amp;" not in said and "&nbsp;" not in said, said


def test_p5_entity_in_code_is_printed_as_written(tmp_path: Path) -> None:
    """In code, `&#x1F600;` prints as its own (ASCII) characters: nothing to refuse."""
    folder = _plan(tmp_path, {"parts/1-general.md": "# ทั่วไป\n\nโค้ด `&#x1F600;`\n"})
    code, said = _run("validate", str(folder))
    assert code == 0, said


def test_p5_unusual_whitespace_outside_font(tmp_path: Path) -> None:
    folder = _plan(tmp_path, {"parts/1-general.md": "# ทั่วไป\n\nคำ\u1680คำ\n"})
    _refused(folder, tmp_path, "parts/1-general.md:3", "U+1680 OGHAM SPACE MARK")


# 6. Inputs that hang --------------------------------------------------------------------


@pytest.mark.parametrize("size", [10_000, 100_000])
def test_p6_emphasis_run_is_bounded(tmp_path: Path, size: int) -> None:
    """`*a*a…`: one word of 5,000 (50,000) characters and 2,500 (25,000) spans."""
    folder = _plan(tmp_path, {"parts/1-general.md": "# ทั่วไป\n\n" + "*a*a" * (size // 4)})
    _refused(folder, tmp_path, "parts/1-general.md:3", "a word of more than 1,000 characters")


def test_p6_emphasis_in_a_spaced_word_is_bounded(tmp_path: Path) -> None:
    """Spans in one word of short text: `ab*c*d*e*…` (short of the word's limit)."""
    text = "# ทั่วไป\n\nบรรทัด\nab" + "*c*d" * 150 + "\n"
    folder = _plan(tmp_path, {"parts/1-general.md": text})
    _refused(folder, tmp_path, "parts/1-general.md:4", "more than 100 bold, italic")


def test_p6_spans_in_a_file_are_bounded(tmp_path: Path) -> None:
    """25 paragraphs of 1,000 spaced spans `*a* `: 23 s and 660 MB to lay out."""
    text = "# ทั่วไป\n\n" + "\n\n".join(["*a* " * 1000] * 25) + "\n"
    folder = _plan(tmp_path, {"parts/1-general.md": text})
    _refused(folder, tmp_path, "parts/1-general.md:7", "more than 2,000 bold, italic")


def test_p6_thai_emphasis_run_is_bounded(tmp_path: Path) -> None:
    """Thai breaks between its words, yet 1,000 spans in a paragraph with no space took 31 s."""
    text = "# ทั่วไป\n\n" + "ชุมชน*เข้มแข็ง*" * 1000
    folder = _plan(tmp_path, {"parts/1-general.md": text})
    _refused(folder, tmp_path, "parts/1-general.md:3", "more than 100 bold, italic")


@pytest.mark.parametrize("brackets", ["[" * 50_000, "[ " * 25_000, "( " * 25_000])
def test_p6_brackets_are_bounded(tmp_path: Path, brackets: str) -> None:
    """No line may break after an opening bracket, even at a space (Unicode's line breaking):
    `[ [ [ …` is one word."""
    folder = _plan(tmp_path, {"parts/1-general.md": "# ทั่วไป\n\n" + brackets})
    _refused(folder, tmp_path, "parts/1-general.md:3", "a word of more than 1,000 characters")


def test_p6_long_thai_run_builds(tmp_path: Path) -> None:
    """20,000 Thai characters with no space validate (Thai breaks between words) and build:
    the no-break phrases' pattern was tried at every character (quadratic, 10 s)."""
    run = "ชุมชนเข้มแข็ง" * 1500
    folder = _plan(tmp_path, {"parts/1-general.md": "# ทั่วไป\n\n" + run + "\n"})
    text = _built_text(folder, tmp_path)
    assert text.count("ชุมชนเข้มแข็ง") >= 1400, len(text)
