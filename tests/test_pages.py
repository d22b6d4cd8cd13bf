"""Pages of the book: a table's total row never stands alone on a page (one layout and in
parts), and the forms' type size (settings.form_size)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import pdftotext, squash
from saoreport.errors import PlanInvalid
from saoreport.pipeline import parts
from saoreport.pipeline.documents import Documents
from saoreport.plan.validate import check

# The rows of this plan's one ผ.02 table fill its pages so that its total row, laid out
# after them, would begin a page of its own (found by laying it out: 22 rows, 9 on the
# first page under the heading, 13 on the second, and a third page that held the total
# alone before the fix).
LONE = 22


# Equipment of a programme no project uses (แผนงานบริหารงานทั่วไป: ผ.03 uses it, ส่วนที่ ๔
# listed only the projects' programmes), and a programme's area and supporting units.
TAIL = """equipment:
  - id: E1
    programme: แผนงานบริหารงานทั่วไป
    type: ครุภัณฑ์สำนักงาน
    target: เครื่องปรับอากาศ จำนวน 2 เครื่อง
    budget: {2567: 86000}
    unit: สำนักปลัด
programmes:
  - name: แผนงานเคหะและชุมชน
    support: [กองคลัง, สำนักปลัด]
"""


def plan_yaml(projects: int, extra: str = "", tail: str = "") -> str:
    """A small valid plan: one strategy, one tactic, one programme of *projects* alike."""
    project = """
  - id: P{n:03d}
    strategy: S1
    tactic: S1.1
    programme: แผนงานเคหะและชุมชน
    name: โครงการก่อสร้างถนนคอนกรีตเสริมเหล็ก หมู่ที่ 1
    objective: เพื่อให้ประชาชนสัญจรสะดวก
    target: ถนนกว้าง 4 เมตร ยาว 200 เมตร
    budget: {{2566: 500000}}
    kpi: ร้อยละ 80 ของผู้ใช้ทางพึงพอใจ
    result: ประชาชนสัญจรสะดวก
    unit: กองช่าง"""
    return (
        """organization:
  name: องค์การบริหารส่วนตำบลตัวอย่าง
  short_name: อบต.ตัวอย่าง
  type: อบต.
  district: เมืองสมมุติ
  province: อุบลราชธานี
  executive: {title: นายกองค์การบริหารส่วนตำบลตัวอย่าง}
plan:
  period: {first: 2566, last: 2570}
  fiscal_year: 2568
"""
        + extra
        + """vision: ตำบลน่าอยู่
missions: [การพัฒนาด้านโครงสร้างพื้นฐาน]
goals: [ประชาชนสัญจรสะดวก]
strategies:
  - id: S1
    name: ยุทธศาสตร์การพัฒนาด้านโครงสร้างพื้นฐาน
    links:
      national: ยุทธศาสตร์ที่ 2 ด้านการสร้างความสามารถในการแข่งขัน
      province: ยุทธศาสตร์ที่ 4 การพัฒนาโครงสร้างพื้นฐานและระบบบริการ
    goals: [1]
    tactics:
      - {id: S1.1, name: พัฒนาถนนและทางระบายน้ำ}
projects:"""
        + "".join(project.format(n=n) for n in range(1, projects + 1))
        + "\n"
        + tail
    )


@pytest.fixture(scope="module")
def lone(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """The plan whose total row would fall alone, laid out as one document and in parts
    (pieces of 3 rows, chained): each page's text."""
    folder = tmp_path_factory.mktemp("lone") / "lone"
    folder.mkdir()
    (folder / "plan.yaml").write_text(plan_yaml(LONE, tail=TAIL), encoding="utf-8")
    (folder / "parts").mkdir()
    (folder / "parts" / "5-monitoring.md").write_text("# วิธีการติดตาม\n\nข้อความ\n", "utf-8")
    checked = check(folder)
    made = {"plain": Documents(checked).strategy()}
    saved = parts.MIN_PROJECTS, parts.ROWS
    parts.MIN_PROJECTS, parts.ROWS = 0, 3
    try:
        made["parts"] = Documents(checked, jobs=1).strategy()
    finally:
        parts.MIN_PROJECTS, parts.ROWS = saved
    return {name: pdftotext(pdf, "-layout").split("\f")[:-1] for name, pdf in made.items()}


def test_no_total_row_alone_on_a_page(lone: dict[str, list[str]]) -> None:
    for name, pages in lone.items():
        forms = [page for page in pages if "แบบ ผ.๐๒" in page.strip().split("\n", 1)[0]]
        assert len(forms) >= 2, name
        rows = [len(re.findall(r"^\s*[๐-๙]+\s+โครงการ", page, re.MULTILINE)) for page in forms]
        assert sum(rows) == LONE, (name, rows)
        total = [i for i, page in enumerate(forms) if "รวม ๒๒ โครงการ" in page]
        assert len(total) == 1, name
        assert rows[total[0]] >= 1, (name, rows)  # the total keeps its last row with it
    assert lone["plain"] == lone["parts"]


def test_part_four_table_lists_every_programme_with_area_and_support(
    lone: dict[str, list[str]], tmp_path: Path
) -> None:
    page = next(p for p in lone["plain"] if "หน่วยงาน" in p and "สารบัญ" not in p)
    flat = " ".join(page.split())
    for head in ("ที่", "ยุทธศาสตร์", "ด้าน", "แผนงาน", "รับผิดชอบหลัก", "สนับสนุน"):
        assert head in flat
    # The rows, cell by cell, from the document's HTML (the cells wrap on the page)
    folder = tmp_path / "sao"
    folder.mkdir()
    (folder / "plan.yaml").write_text(plan_yaml(2, tail=TAIL), encoding="utf-8")
    html = Documents(check(folder)).html("strategy.html.j2")
    table = html[
        html.index('<table class="programmes">') : html.index(
            "</table>", html.index('<table class="programmes">')
        )
    ]
    rows = [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", table, re.DOTALL)
    ]
    assert rows[1:] == [
        [
            "๑",
            "ยุทธศาสตร์การพัฒนาด้านโครงสร้างพื้นฐาน",
            "ด้านบริการชุมชนและสังคม",
            "แผนงานเคหะและชุมชน",
            "กองช่าง",
            "กองคลัง, สำนักปลัด",
        ],
        ["", "ครุภัณฑ์ (แบบ ผ.๐๓)", "ด้านบริหารทั่วไป", "แผนงานบริหารงานทั่วไป", "สำนักปลัด", "-"],
    ]


def test_a_described_programme_no_project_uses_is_an_error(tmp_path: Path) -> None:
    folder = tmp_path / "sao"
    folder.mkdir()
    tail = "programmes:\n  - {name: แผนงานการพาณิชย์, area: ด้านการเศรษฐกิจ}\n"
    (folder / "plan.yaml").write_text(plan_yaml(1, tail=tail), encoding="utf-8")
    with pytest.raises(PlanInvalid) as info:
        check(folder)
    assert [str(p).replace(str(folder) + "/", "") for p in info.value.problems] == [
        "plan.yaml:36:12: programmes[0].name: no project or equipment uses the programme"
        " 'แผนงานการพาณิชย์'; they use 'แผนงานเคหะและชุมชน'"
    ]


def test_part_five_prints_the_scoring_tables_and_the_december_rule(
    lone: dict[str, list[str]],
) -> None:
    for pages in lone.values():
        start = next(i for i, p in enumerate(pages) if "ส่วนที่ ๕" in p and "สารบัญ" not in p)
        text = squash("".join(pages[start:]))
        for line in (
            "เกณฑ์การติดตามและประเมินผล",
            "อย่างน้อยปีละหนึ่งครั้งภายในเดือนธันวาคม",
            "๑.การติดตามและประเมินผลยุทธศาสตร์(คะแนนเต็ม๑๐๐คะแนน)",
            "๑.ข้อมูลสภาพทั่วไปและข้อมูลพื้นฐานขององค์กรปกครองส่วนท้องถิ่น๒๐",
            "๒.การวิเคราะห์สภาวการณ์และศักยภาพ๑๕",
            "๓.ยุทธศาสตร์๖๕",
            "๓.๗จุดยืนทางยุทธศาสตร์(Positioning)๕",
            "๒.การติดตามและประเมินผลโครงการ(คะแนนเต็ม๑๐๐คะแนน)",
            "๕.โครงการพัฒนา๖๐",
            "๕.๑๒ผลที่คาดว่าจะได้รับสอดคล้องกับวัตถุประสงค์๕",
        ):
            assert line in text, line
        assert "เมษายน" not in text and "ตุลาคม" not in text
