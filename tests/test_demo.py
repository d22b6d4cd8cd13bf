"""The demo is the book councils are shown first: its narrative's figures must be the ones its
forms print, its villages the same in every part, and its budgets those of an อบต. of a few
thousand people (issue 30). No PDF is built here: the forms print what plan.summary computes,
which tests/test_forms.py and tests/test_document.py check on the PDF."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from saoreport.plan import summary
from saoreport.plan.models import Plan
from saoreport.plan.validate import check

DEMO = Path(__file__).resolve().parents[1] / "plans" / "demo"
YEARS = (2566, 2567)  # the years ส่วนที่ ๒ reports on


@pytest.fixture(scope="module")
def plan() -> Plan:
    return check(DEMO).plan


def _part(name: str) -> str:
    return (DEMO / "parts" / name).read_text(encoding="utf-8")


def _number(cell: str) -> float:
    return float(cell.strip().strip("*").replace(",", ""))


def _table(text: str, after: str) -> list[list[str]]:
    """The cells of the first Markdown table after the line *after* (header and rule left out)."""
    lines = text[text.index(after) :].splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("|"))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([c.strip() for c in line.strip().strip("|").split("|")])
    return rows


def _villages() -> dict[int, str]:
    rows = _table(_part("1-general.md"), "## 3.1")
    return {int(r[0]): r[1] for r in rows if r[0]}


def test_population_table_adds_up_and_agrees_with_the_text() -> None:
    general = _part("1-general.md")
    rows = _table(general, "## 3.1")
    villages = [r for r in rows if r[0]]
    (total,) = [r for r in rows if not r[0]]
    for column in (2, 3, 4):
        assert sum(_number(r[column]) for r in villages) == _number(total[column]), column
    for r in villages:
        assert _number(r[3]) + _number(r[4]) == _number(r[5]), r
    people, households = int(_number(total[5])), int(_number(total[2]))
    assert 4000 <= people <= 6000  # an อบต. of a few thousand people
    assert f"ประชากรทั้งสิ้น {people:,} คน {households:,} ครัวเรือน" in general
    assert f"แบ่งการปกครองออกเป็น {len(villages)} หมู่บ้าน" in general
    assert [int(r[0]) for r in villages] == list(range(1, len(villages) + 1))
    ages = re.findall(r"^\d\. อายุ.*? จำนวน ([\d,]+) คน", general, re.M)
    assert len(ages) == 3 and sum(int(a.replace(",", "")) for a in ages) == people


def _named_villages(text: str) -> list[tuple[int, str]]:
    """Every (หมู่ที่ N, บ้าน…) pair written next to each other, in either order."""
    first = r"หมู่ที่ (\d+) (บ้าน[ก-๙]+)(?=[\s,)]|$)"
    pairs = [(int(n), v) for n, v in re.findall(first, text)]
    rest = re.sub(first, "|", text)  # "หมู่ที่ 1 บ้านก หมู่ที่ 2 บ้านข": no "บ้านก หมู่ที่ 2"
    pairs += [(int(n), v) for v, n in re.findall(r"(บ้าน[ก-๙]+) หมู่ที่ (\d+)", rest)]
    return pairs


def test_every_village_named_is_in_the_population_table(plan: Plan) -> None:
    villages = _villages()
    texts = [p.name for p in plan.projects] + [p.target for p in plan.projects]
    texts += [(DEMO / "parts" / f).read_text(encoding="utf-8") for f in ("1-general.md",)]
    texts += [(DEMO / "editions" / f).read_text(encoding="utf-8") for f in ("add-1-2568.md",)]
    found = [pair for text in texts for pair in _named_villages(text)]
    assert len(found) > 40
    for number, name in found:
        assert villages.get(number) == name, (number, name)
    for number in re.findall(r"หมู่ที่ (\d+)", "\n".join(p.name for p in plan.projects)):
        assert int(number) in villages, number


def test_results_by_strategy_are_the_figures_of_p01(plan: Plan) -> None:
    """ส่วนที่ ๒'s quantitative tables: per strategy and year, the projects and budget of ผ.01
    are figures ({{ … }}, never typed: tests/test_demo_editions.py compares them as printed
    with ผ.01); the columns typed from the offices' reports add up."""
    results = _part("2-results.md")
    for year in YEARS:
        rows = _table(results, f"ปีงบประมาณ {year}\n")
        *by_strategy, total = rows
        assert len(by_strategy) == len(plan.strategies)
        for number, row in enumerate(by_strategy, 1):
            assert row[0].startswith(f"{number}. ")
            assert row[1] == f"{{{{ จำนวนโครงการ ปี {year} ยุทธศาสตร์ {number} }}}}", row
            assert row[4] == f"{{{{ งบประมาณ ปี {year} ยุทธศาสตร์ {number} }}}}", row
        assert total[1] == f"**{{{{ จำนวนโครงการ ปี {year} }}}}**"
        assert total[4] == f"**{{{{ งบประมาณ ปี {year} }}}}**"
        for column in (2, 5):
            assert sum(_number(r[column]) for r in by_strategy) == _number(total[column])


def test_results_name_each_strategy_once_in_every_section(plan: Plan) -> None:
    results = _part("2-results.md")
    sections = re.split(r"^# ", results, flags=re.M)[1:]
    assert [s.split(" ", 1)[0] for s in sections] == ["1.", "2.", "3.", "4."]
    quality = sections[2]
    for number, strategy in enumerate(plan.strategies, 1):
        assert f"{number}. {strategy.name}" in quality
    problems = _table(results, "# 4.")
    assert [r[0].split(" ")[0] for r in problems] == [f"{n}." for n in range(1, 7)]


def test_general_part_has_the_ten_headings_and_monitoring_the_current_rule() -> None:
    heads = re.findall(r"^# (\d+)\. ", _part("1-general.md"), re.M)
    assert heads == [str(n) for n in range(1, 11)]
    monitoring = _part("5-monitoring.md")
    assert "อย่างน้อยปีละหนึ่งครั้ง" in monitoring and "ภายในเดือนธันวาคม" in monitoring
    assert "เมษายน" not in monitoring  # the old April/October rounds are gone


def test_finance_table_adds_up() -> None:
    rows = _table(_part("1-general.md"), "## 10.2")
    income, total = rows[:3], rows[3]
    for column in (1, 2, 3):
        assert sum(_number(r[column]) for r in income) == _number(total[column])


def test_budgets_are_those_of_an_sao_of_a_few_thousand_people(plan: Plan) -> None:
    for project in plan.projects:
        for year, amount in project.budget.items():
            ceiling = 10_000_000 if project.kind == "coordination" else 3_000_000
            assert 10_000 <= amount <= ceiling, (project.id, year, amount)
    for year in plan.years:
        assert 5_000_000 <= summary.grand_total(plan).budgets[year] <= 20_000_000, year
    assert 60 <= len(plan.projects) <= 120


def test_strategies_have_their_own_indicators_and_programmes_their_offices(plan: Plan) -> None:
    series = [tuple(sorted(i.targets.items())) for s in plan.strategies for i in s.indicators]
    assert len(series) == len(set(series))  # no two indicators with one series of targets
    assert len({i.name for s in plan.strategies for i in s.indicators}) == len(series)
    offices = {
        "แผนงานบริหารงานทั่วไป": {"สำนักปลัด", "กองคลัง"},
        "แผนงานอุตสาหกรรมและการโยธา": {"กองช่าง"},
        "แผนงานการเกษตร": {"กองส่งเสริมการเกษตร"},
        "แผนงานการศึกษา": {"กองการศึกษา ศาสนาและวัฒนธรรม"},
        "แผนงานสาธารณสุข": {"กองสาธารณสุขและสิ่งแวดล้อม"},
        "แผนงานสังคมสงเคราะห์": {"กองสวัสดิการสังคม"},
        "แผนงานการรักษาความสงบภายใน": {"สำนักปลัด"},
    }
    for item in [*plan.projects, *plan.equipment]:
        assert item.unit in offices.get(item.programme, {item.unit}), (item.id, item.programme)
    assert len({p.name for p in plan.projects}) == len(plan.projects)
