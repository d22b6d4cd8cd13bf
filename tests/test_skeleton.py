"""saoreport new: a plan folder with every part's standard headings, that validates and
builds, its guidance in comments that never print."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import pdftotext, squash
from saoreport import cli
from saoreport.plan import completeness, skeleton
from saoreport.plan.validate import check


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    base = tmp_path_factory.mktemp("new")
    folder = base / "nong-bua"
    argv = ["new", "nong-bua", "--in", str(base), "--name", "องค์การบริหารส่วนตำบลหนองบัว"]
    assert cli.main([*argv, "--district", "เมือง", "--province", "อุบลราชธานี"]) == 0
    assert cli.main(["build", str(folder), "--out", str(base / "out"), "-j", "1"]) == 0
    return folder, pdftotext(next((base / "out").glob("nong-bua/*/strategy.pdf")))


def test_every_part_has_its_standard_headings(made: tuple[Path, str]) -> None:
    folder, book = made
    checked = check(folder)
    assert completeness.missing_headings(checked.narrative) == {}
    text = squash(book)
    for key, heads in completeness.STANDARD.items():
        for n, (label, _words) in enumerate(heads, 1):
            number = str(n).translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
            head = f"{number}.{label}" if key in completeness.NUMBERED else label
            assert squash(head) in text, head
    assert "จุดยืนทางยุทธศาสตร์" in text and "นโยบายของผู้บริหารท้องถิ่น" in text
    assert "คะแนนเต็ม" in text


def test_guidance_comments_never_print(made: tuple[Path, str]) -> None:
    folder, book = made
    general = (folder / "parts" / "1-general.md").read_text()
    assert "<!--" in general and "คอลัมน์แรกต้องชื่อ" in general
    assert "<!--" not in book and "คอลัมน์แรกต้องชื่อ" not in squash(book)


def test_the_new_plan_validates_with_its_placeholders_warned(made: tuple[Path, str]) -> None:
    checked = check(made[0])
    assert checked.plan.organization.name == "องค์การบริหารส่วนตำบลหนองบัว"
    assert any("placeholder (CHECK)" in w.message for w in checked.lacking)
    assert completeness.draft(checked.plan, checked.narrative)


def test_new_refuses_a_folder_that_exists(
    made: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    folder = made[0]
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    assert cli.main(["new", folder.name, "--in", str(folder.parent)]) == 1
    assert "exists already" in capsys.readouterr().err
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before
    with pytest.raises(Exception, match="exists already"):
        skeleton.write(folder)
    assert sorted(p.name for p in folder.parent.iterdir() if p.name.startswith(".")) == []
