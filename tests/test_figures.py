"""Figures from the plan's data in the narrative ({{ จำนวนโครงการ ปี 2568 }}): the values the
forms print, located problems for what cannot be worked out, warnings for figures typed by
hand that contradict the plan."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from conftest import pdftotext, squash
from saoreport import cli
from saoreport.errors import PlanInvalid
from saoreport.plan.validate import check

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from make_plan import make_plan  # noqa: E402

GENERAL = """\
# ด้านการเมืองการปกครอง

ตำบลแบ่งออกเป็น {{ จำนวนหมู่บ้าน }} หมู่บ้าน ได้แก่ {{ รายชื่อหมู่บ้าน }}

| หมู่ที่ | ชื่อหมู่บ้าน | รวม |
| :-: | --- | --: |
| 1 | บ้านหนึ่ง | 10 |
| 2 | บ้านสอง | 20 |
| | **รวม** | **30** |

ฟก ปี 2568 มี {{ จำนวนโครงการ ปี 2568 }} โครงการ งบ {{ งบประมาณ ปี ๒๕๖๘ }} บาท

ฟข {{ งบประมาณตัวอักษร ปี=2568 }}

ฟค ห้าปี {{ projects }} โครงการ {{ budget }} บาท

ฟง {{ budget year=2567 strategy=S1 }} ฟจ {{ จำนวนโครงการ ยุทธศาสตร์ 1 ปี 2567 }}

ฟฉ `{{ จำนวนโครงการ }}` ฟช
"""


def _plan(folder: Path, general: str = GENERAL) -> Path:
    (folder / "parts").mkdir(parents=True)
    (folder / "plan.yaml").write_text(make_plan(20).replace("  logo: logo.svg\n", ""))
    (folder / "parts" / "1-general.md").write_text(general)
    return folder


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The test plan's strategy.pdf, as pdftotext -layout reads it."""
    base = tmp_path_factory.mktemp("figures")
    folder = _plan(base / "figures")
    assert cli.main(["build", str(folder), "--out", str(base / "out"), "-j", "1"]) == 0
    return pdftotext(next((base / "out").glob("figures/*/strategy.pdf")), "-layout")


def _form_total(text: str) -> list[str]:
    """ผ.01's row รวมทั้งสิ้น: count and budget per year, then over the five years."""
    line = next(x for x in text.splitlines() if x.startswith("รวมทั้งสิ้น"))
    return line.split()[1:]


def test_figures_equal_what_the_forms_print(book: str) -> None:
    total = _form_total(book)
    assert len(total) == 12
    year_2568 = total[4:6]  # 2566, 2567, 2568: its count and budget
    text = squash(book)
    assert f"ฟกปี๒๕๖๘มี{year_2568[0]}โครงการงบ{year_2568[1]}บาท" in text
    assert f"ฟคห้าปี{total[10]}โครงการ{total[11]}บาท" in text
    assert "ตำบลแบ่งออกเป็น๒หมู่บ้านได้แก่หมู่ที่๑บ้านหนึ่ง,หมู่ที่๒บ้านสอง" in text
    # in words, as the form's own line "งบประมาณรวม … (…บาทถ้วน)" writes baht
    words = re.search(r"ฟข(\S+?บาทถ้วน)", text)
    assert words and words.group(1) == "เจ็ดล้านหนึ่งแสนห้าหมื่นห้าพันบาทถ้วน"
    assert total[5] == "๗,๑๕๕,๐๐๐"
    # strategy 1 in 2567: its row รวม in ผ.01 (the first such row)
    row = next(x for x in book.splitlines() if x.split()[:1] == ["รวม"] and len(x.split()) == 13)
    figures = row.split()[1:]
    match = re.search(r"ฟง(\S+?)ฟจ(\S+?)$", text.split("ฟฉ")[0])
    assert match and (match.group(2), match.group(1)) == (figures[2], figures[3])
    # in code, a figure prints as typed
    assert "ฟฉ{{จำนวนโครงการ}}ฟช" in text
    assert "{{" not in text.replace("{{จำนวนโครงการ}}", "")


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("{{ จำนวนโครงกร }}", "is not a figure the plan has"),
        ("{{ จำนวนโครงการ ปี 2599 }}", "is not a year of the plan"),
        ("{{ งบประมาณ ยุทธศาสตร์ 9 }}", "is not in the plan"),
        ("{{ งบประมาณ แบบ ผ.09 }}", "is not a form the figures count"),
        ("{{ จำนวนโครงการ ปี }}", "has no value"),
        ("{{ จำนวนหมู่บ้าน ปี 2568 }}", "takes no ปี"),
        ("{{ }}", "an empty figure {{ }}"),
        ("{{ print(1) }}", "is not a figure the plan has"),
        ("{{ จำนวนโครงการ ปี 2568 }", "is not closed on its line"),
    ],
)
def test_a_figure_that_cannot_be_worked_out_is_located(
    tmp_path: Path, typed: str, says: str
) -> None:
    folder = _plan(tmp_path / "p", GENERAL + f"\nข้อความ {typed}\n")
    with pytest.raises(PlanInvalid) as caught:
        check(folder)
    line = len(GENERAL.splitlines()) + 2
    [problem] = caught.value.problems
    assert (problem.file.name, problem.line, problem.col) == ("1-general.md", line, 9)
    assert says in problem.message


def test_an_unknown_figure_is_said_in_thai(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAOREPORT_LANG", "th")
    folder = _plan(tmp_path / "p", GENERAL + "\n{{ จำนวนโครงกร ปี 2568 }}\n")
    with pytest.raises(PlanInvalid) as caught:
        check(folder)
    [problem] = caught.value.problems
    assert problem.message.startswith("'จำนวนโครงกร' ไม่ใช่ตัวเลขที่แผนมี ตัวเลขที่ใช้ได้คือ จำนวนโครงการ")


def test_a_figure_typed_by_hand_that_contradicts_the_plan_is_warned(tmp_path: Path) -> None:
    general = GENERAL.replace("{{ จำนวนหมู่บ้าน }}", "12") + "\nมีครบทั้ง 2 หมู่บ้าน\n"
    general += "\nในปี ๒๕๖๘ มีโครงการตามแผน ๙๙ โครงการ ในปี 2569 มี 8 โครงการตามแผน\n"
    folder = _plan(tmp_path / "p", general)
    results = "| ปีงบประมาณ | โครงการตามแผน |\n| --- | --: |\n| 2567 | 58 |\n| 2568 | 6 |\n"
    (folder / "parts" / "2-results.md").write_text(results)
    warnings = [str(w) for w in check(folder).warnings if "but the plan has" in w.message]
    assert warnings == [
        f"{folder}/parts/1-general.md:3:17: warning: 12 here, but the plan has 2: write"
        " {{ จำนวนหมู่บ้าน }} to print the plan's own figure",
        f"{folder}/parts/1-general.md:{len(general.splitlines())}:27: warning: 99 here, but the"
        " plan has 6: write {{ จำนวนโครงการ ปี 2568 }} to print the plan's own figure",
        f"{folder}/parts/2-results.md:3:10: warning: 58 here, but the plan has 9: write"
        " {{ จำนวนโครงการ ปี 2567 }} to print the plan's own figure",
    ]
