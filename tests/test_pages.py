"""Pages of the book: a table's total row never stands alone on a page (one layout and in
parts), and the forms' type size (settings.form_size)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import pdftotext
from saoreport.pipeline import parts
from saoreport.pipeline.documents import Documents
from saoreport.plan.validate import check

# The rows of this plan's one ผ.02 table fill its pages so that its total row, laid out
# after them, would begin a page of its own (found by laying it out: 22 rows, 9 on the
# first page under the heading, 13 on the second, and a third page that held the total
# alone before the fix).
LONE = 22


def plan_yaml(projects: int, extra: str = "") -> str:
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
    )


@pytest.fixture(scope="module")
def lone(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """The plan whose total row would fall alone, laid out as one document and in parts
    (pieces of 3 rows, chained): each page's text."""
    folder = tmp_path_factory.mktemp("lone") / "lone"
    folder.mkdir()
    (folder / "plan.yaml").write_text(plan_yaml(LONE), encoding="utf-8")
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
