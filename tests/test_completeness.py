"""What a book lacks: warned by validate; placeholders and missing parts mark every page
ฉบับร่าง; a plan of ส่วนที่ ๓ alone prints as an excerpt."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conftest import ROOT, pdfium_pages, squash
from saoreport import cli
from saoreport.plan.validate import check

sys.path.insert(0, str(ROOT / "benchmarks"))
from make_plan import make_plan  # noqa: E402

PARTS = {
    "1-general.md": "# ด้านกายภาพ\n\nตำบลทดสอบตั้งอยู่ริมลำน้ำ\n",
    "2-results.md": "# สรุปสถานการณ์การพัฒนา\n\nการพัฒนาที่ผ่านมาเป็นไปตามแผน\n",
    "5-monitoring.md": "# การติดตามและประเมินผลยุทธศาสตร์\n\nติดตามปีละหนึ่งครั้ง\n",
}
DRAFT = "ฉบับร่าง"


def _plan(folder: Path, check_line: bool) -> Path:
    (folder / "parts").mkdir(parents=True)
    (folder / "plan.yaml").write_text(make_plan(12).replace("  logo: logo.svg\n", ""))
    for name, text in PARTS.items():
        (folder / "parts" / name).write_text(text)
    if check_line:
        (folder / "parts" / "2-results.md").write_text(
            PARTS["2-results.md"] + "\nCHECK: ใส่ผลการประเมินเชิงคุณภาพ\n"
        )
    return folder


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """Each page's text of a complete book, of the same with a CHECK line, and of a seed."""
    base = tmp_path_factory.mktemp("complete")
    folders = [
        _plan(base / "complete", False),
        _plan(base / "placeholder", True),
        ROOT / "plans" / "khi-lek",
    ]
    out = base / "out"
    assert cli.main(["build", *map(str, folders), "--out", str(out), "-j", "1"]) == 0
    return {f.name: pdfium_pages(next(out.glob(f"{f.name}/*/strategy.pdf"))) for f in folders}


def test_a_book_with_a_placeholder_says_draft_on_every_page(books: dict[str, list[str]]) -> None:
    pages = books["placeholder"]
    assert len(pages) > 5
    assert [n for n, page in enumerate(pages, 1) if DRAFT not in squash(page)] == []


def test_a_complete_book_has_no_draft_mark(books: dict[str, list[str]]) -> None:
    assert not any(DRAFT in squash(page) for page in books["complete"])


def test_a_plan_of_part_3_alone_prints_as_an_excerpt(books: dict[str, list[str]]) -> None:
    cover = squash(books["khi-lek"][0])
    assert cover.startswith("ส่วนที่๓ยุทธศาสตร์ขององค์กรปกครองส่วนท้องถิ่นตัดตอนจากแผนพัฒนาท้องถิ่น(พ.ศ.")
    assert not any(DRAFT in squash(page) for page in books["khi-lek"])


def test_validate_lists_what_the_book_lacks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _plan(tmp_path / "p", True)
    (folder / "parts" / "5-monitoring.md").unlink()
    text = (folder / "plan.yaml").read_text()
    text = text.replace("    goals: [1]\n", "", 1).replace("\nvision: ", "\nvision: CHECK ", 1)
    (folder / "plan.yaml").write_text(text)
    assert cli.main(["validate", str(folder)]) == 0
    err = capsys.readouterr().err.replace(str(folder), "P")
    assert "P/parts/2-results.md:5:1: warning: a placeholder (CHECK) is left here" in err
    assert (
        "P/plan.yaml:1:1: warning: ส่วนที่ ๕ is missing: write parts/5-monitoring.md (saoreport"
        " new writes it with its standard headings); the book prints ฉบับร่าง on every page"
        " until then"
    ) in err
    assert ": strategies[0].name: warning: this strategy has no goals" in err
    assert ": vision: warning: a placeholder (CHECK) is left here" in err
    assert "P/parts/1-general.md:1:1: warning: ส่วนที่ ๑ lacks the standard headings ๒. ด้าน" in err
    assert not check(tmp_path / "p").plan.strategies[0].goals


def test_the_draft_warning_is_said_in_thai(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SAOREPORT_LANG", "th")
    folder = _plan(tmp_path / "p", True)
    assert cli.main(["validate", str(folder)]) == 0
    assert (
        f"{folder}/parts/2-results.md:5:1: คำเตือน: ยังมีข้อความที่ต้องกรอก (CHECK) ตรงนี้:"
        " เขียนข้อความจริงแทน จนกว่าจะแก้ เอกสารจะพิมพ์คำว่า ฉบับร่าง ทุกหน้า\n"
    ) in capsys.readouterr().err
