"""The demo's history as the README tells it (issue 28): benchmarks/demo_history.py derives the
adopted plan (v1) and the plan after เพิ่มเติม ครั้งที่ 1/2568 (v2) from plans/demo and archives
them and the demo itself (v3), once per module; the tests read the archived books."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from conftest import pdftotext, squash
from saoreport import thai
from saoreport.cli import main
from saoreport.plan.validate import check

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from demo_history import DEMO, history  # noqa: E402

ADDED = ("P0016", "P0047", "P0053")  # the projects เพิ่มเติม ครั้งที่ 1/2568 brought


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return history(tmp_path_factory.mktemp("demo-history"))


def _baht(value: int) -> str:
    return thai.thai_digits(f"{value:,}")


def test_archive_verifies_every_version(versions: dict[str, Path]) -> None:
    assert main(["archive", "verify", str(versions["root"])]) == 0
    for version in ("v1", "v2", "v3"):
        assert main(["archive", "verify", str(versions[version])]) == 0, version
    assert (versions["v2"] / "amendment-add-1-2568.pdf").is_file()
    assert (versions["v3"] / "amendment-change-1-2568.pdf").is_file()


def test_addition_book_holds_the_edition_s_projects_only(versions: dict[str, Path]) -> None:
    plan = check(DEMO).plan
    book = squash(pdftotext(versions["v2"] / "amendment-add-1-2568.pdf"))
    added = [p for p in plan.projects if p.id in ADDED]
    assert len(added) == len(ADDED)
    # ส่วนที่ ๑ lists them (and the pump of ผ.03)
    part1 = book[book.rindex("ส่วนที่๑หลักการและเหตุผล") : book.rindex("ส่วนที่๒")]
    for project in added:
        assert squash(thai.thai_digits(project.name)) in part1, project.id
    assert squash("เครื่องสูบน้ำแบบหอยโข่ง") in part1
    # ผ.01 sums exactly their budgets, year by year
    years = range(plan.plan.period.first, plan.plan.period.last + 1)
    sums = [sum(p.budget.get(year, 0) for p in added) for year in years]
    counts = [sum(1 for p in added if p.budget.get(year)) for year in years]
    cells = "".join(
        (thai.thai_digits(str(c)) + _baht(s)) if c else "--"
        for c, s in zip(counts, sums, strict=True)
    )
    total = thai.thai_digits(str(sum(counts))) + _baht(sum(sums))
    assert "รวมทั้งสิ้น" + cells + total in book
    assert squash(f"งบประมาณรวม ๕ ปี {_baht(sum(sums))} บาท") in book
    # no other project of the demo appears in its forms
    forms = book[book.rindex("ส่วนที่๒") :]
    for project in plan.projects:
        if project.id not in ADDED:
            assert squash(thai.thai_digits(project.name)) not in forms, project.id


def test_change_book_shows_before_after_reason_and_reference(versions: dict[str, Path]) -> None:
    book = pdftotext(versions["v3"] / "amendment-change-1-2568.pdf")
    flat = squash(book)
    table = flat[flat.rindex(squash("รายละเอียดการเปลี่ยนแปลง (เดิม / ใหม่)")) :]
    lines = pdftotext(versions["v3"] / "amendment-change-1-2568.pdf", "-layout").splitlines()
    was = next(i for i, line in enumerate(lines) if line.split()[:2] == ["เดิม", "โครงการก่อสร้างถนน"])
    now = next(i for i, line in enumerate(lines) if line.split()[:2] == ["ใหม่", "โครงการก่อสร้างถนน"])
    before, after = squash("".join(lines[was:now])), squash("".join(lines[now : now + 8]))
    assert (
        "๒,๕๐๐ตารางเมตร" in before
        and "ยาว๕๐๐เมตร" in before
        and "๑,๖๒๕,๐๐๐" in before
        and "๕๐๐เมตรแล้วเสร็จ" in before
    )
    assert (
        "๒,๑๐๐ตารางเมตร" in after
        and "ยาว๔๒๐เมตร" in after
        and "๑,๕๙๖,๐๐๐" in after
        and "๔๒๐เมตรแล้วเสร็จ" in after
    )
    reason = "กองช่างประมาณราคาใหม่ตามราคากลางปี ๒๕๖๘ ช่วงปลายทาง ๘๐ เมตรกรมทางหลวงชนบทก่อสร้างแล้ว"
    assert squash(reason) in table
    reference = (
        "อ้างอิง แผนพัฒนาท้องถิ่น (พ.ศ. ๒๕๖๖ – ๒๕๗๐) แบบ ผ.๐๒ ยุทธศาสตร์ที่ ๑ กลยุทธ์ ๑.๑ (๑)"
        " แผนงานอุตสาหกรรมและการโยธา ลำดับที่ ๖ หน้า "
    )
    assert squash(reference) in table
    page = table[table.index(squash(reference)) + len(squash(reference)) :][:3]
    assert page[0] in "๑๒๓๔๕๖๗๘๙", page  # the page found in v2's strategy.pdf


def test_each_announcement_cites_its_own_clause_and_approval(versions: dict[str, Path]) -> None:
    added = squash(pdftotext(versions["v2"] / "announcement-add-1-2568.pdf"))
    assert squash("เมื่อวันที่ ๑๔ กุมภาพันธ์ ๒๕๖๘ แล้ว อาศัยอำนาจตามความในข้อ ๒๒ และข้อ ๒๔") in added
    assert squash("ประกาศ ณ วันที่ ๑๗ กุมภาพันธ์ ๒๕๖๘") in added
    changed = squash(pdftotext(versions["v3"] / "announcement-change-1-2568.pdf"))
    assert squash("เมื่อวันที่ ๑๐ มิถุนายน ๒๕๖๘ แล้ว อาศัยอำนาจตามความในข้อ ๒๒/๑ และข้อ ๒๔") in changed
    assert squash("ประกาศ ณ วันที่ ๑๒ มิถุนายน ๒๕๖๘") in changed
    for text in (added, changed):  # the adoption only in the recital
        assert squash("ได้ประกาศใช้แผนพัฒนาท้องถิ่น (พ.ศ. ๒๕๖๖ – ๒๕๗๐) เมื่อวันที่ ๑ กันยายน ๒๕๖๗") in text


def _int(text: str) -> int:
    return (
        0
        if text == "-"
        else int(text.translate(str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")).replace(",", ""))
    )


def test_every_figure_of_the_narrative_is_the_one_p01_prints(versions: dict[str, Path]) -> None:
    """ส่วนที่ ๒'s projects and budgets for 2566 and 2567, as the built book prints them, are
    those of ผ.01 in the same book (per strategy, and the totals)."""
    assert "{{" in (DEMO / "parts" / "2-results.md").read_text(encoding="utf-8")
    lines = pdftotext(versions["v3"] / "strategy.pdf", "-layout").splitlines()
    start = min(i for i, line in enumerate(lines) if line.startswith("รวมทั้งสิ้น"))  # ผ.01
    rows = [line.split()[1:] for line in lines[:start] if line.startswith("รวม ")][-6:]
    rows.append(lines[start].split()[1:])  # per strategy, then รวมทั้งสิ้น: count, budget a year
    assert all(len(row) == 12 for row in rows), rows
    said = "\n".join(lines[: lines.index(next(x for x in lines if x.startswith("๔. ปัญหาอุปสรรค")))])
    for column, year in enumerate(("๒.๑ ปีงบประมาณ ๒๕๖๖", "๒.๒ ปีงบประมาณ ๒๕๖๗")):
        table = said[said.index(year) :].splitlines()
        printed = [x.split() for x in table if re.match(r"^[๑-๖]\. |^รวม ", x)][:7]
        for number, (row, p01) in enumerate(zip(printed, rows, strict=True), 1):
            figures = [c for c in row[1:] if re.fullmatch(r"[๐-๙,.]+", c)]
            count, budget = _int(figures[0]), _int(figures[3])
            assert (count, budget) == (_int(p01[2 * column]), _int(p01[2 * column + 1])), (
                year,
                number,
            )
    assert "จำนวน ๓๗ โครงการ และปี ๒๕๖๗ จำนวน ๔๙ โครงการ" in said.replace("\n", " ")
