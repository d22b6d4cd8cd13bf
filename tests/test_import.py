"""`saoreport import`: a saved vision-and-mission page becomes a plan file that validates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from saoreport.build.batch import build_one
from saoreport.cli import main
from saoreport.importers.web import import_page
from saoreport.plan.validate import check

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
TODAY = dt.date(2026, 11, 22)


def run(tmp_path: Path, page: str, name: str = "page.txt") -> tuple[Path, object]:
    source = tmp_path / name
    source.write_text(page, encoding="utf-8")
    return import_page(source, "x", tmp_path / "plans", TODAY, force=True)


@pytest.mark.parametrize(
    ("seed", "slug"),
    [("000_15a60f9e2bf40418.txt", "nong-hang"), ("001_c9d5a2aada27164c.txt", "khi-lek")],
)
def test_seed_pages_give_the_shipped_plans(tmp_path: Path, seed: str, slug: str) -> None:
    if not SEEDS.is_dir():
        pytest.skip("shared/seeds is not beside the checkout")
    target, _ = import_page(SEEDS / seed, slug, tmp_path, TODAY)
    imported, shipped = check(target.parent).plan, check(ROOT / "plans" / slug).plan
    assert imported.vision == shipped.vision
    assert imported.missions == shipped.missions
    assert imported.goals == shipped.goals
    assert imported.goals_label == shipped.goals_label
    assert imported.organization.province == "อุบลราชธานี"


def test_nong_hang_misspelling_is_flagged_not_corrected(tmp_path: Path) -> None:
    if not SEEDS.is_dir():
        pytest.skip("shared/seeds is not beside the checkout")
    target, found = import_page(SEEDS / "000_15a60f9e2bf40418.txt", "nh", tmp_path, TODAY)
    assert check(target.parent).plan.organization.name == "องค์การบริการส่วนตำบลหนองฮาง"
    assert found.flags and "misspelling" in found.flags[0][1]  # type: ignore[attr-defined]
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Imported by `saoreport import` from 000_15a60f9e2bf40418.txt")
    assert "CHECK" in text
    # Nothing silently dropped: each left-out line is listed, with its line number.
    assert "#   9: the website's definition of the heading: วิสัยทัศน์การพัฒนา (vision) หมายถึง" in text
    assert "#   5: introduction (the name, district and province come from it):" in text


LAYOUTS = [
    # 1. numbered "(1)", English headings with colon, vision quoted in straight quotes
    (
        'เทศบาลตำบลบ้านสมมุติ อำเภอเมือง จังหวัดขอนแก่น\nวิสัยทัศน์ (Vision):\n"บ้านสมมุติน่าอยู่"\n'
        "พันธกิจ (Mission):\n(1) พัฒนาถนน\n(2) พัฒนาน้ำประปา\nเป้าหมาย (Goal):\n(1) ถนนดี\n(2) น้ำสะอาด\n",
        "บ้านสมมุติน่าอยู่",
        ["พัฒนาถนน", "พัฒนาน้ำประปา"],
        ["ถนนดี", "น้ำสะอาด"],
        "เป้าหมาย",
    ),
    # 2. Thai-digit numbering, เป้าประสงค์, bullets "•"
    (
        "วิสัยทัศน์\n“ตำบลสะอาด”\nพันธกิจ\n๑. รักษาความสะอาด\n๒. ปลูกต้นไม้\nเป้าประสงค์\n• ตำบลสะอาด\n• ต้นไม้มาก\n",
        "ตำบลสะอาด",
        ["รักษาความสะอาด", "ปลูกต้นไม้"],
        ["ตำบลสะอาด", "ต้นไม้มาก"],
        "เป้าประสงค์",
    ),
    # 3. "*" bullets, a continued item, จุดมุ่งหมายเพื่อการพัฒนา
    (
        "วิสัยทัศน์\nชุมชนเข้มแข็ง\nพันธกิจ\n* ส่งเสริมอาชีพ\n  และรายได้ของชุมชน\n* ส่งเสริมการศึกษา\n"
        "จุดมุ่งหมายเพื่อการพัฒนา\n* ประชาชนมีรายได้\n",
        "ชุมชนเข้มแข็ง",
        ["ส่งเสริมอาชีพ และรายได้ของชุมชน", "ส่งเสริมการศึกษา"],
        ["ประชาชนมีรายได้"],
        "เป้าหมาย",
    ),
    # 4. "1. 1." double numbering and "• -" double bullets (the Khi Lek template)
    (
        'วิสัยทัศน์\n"น่าอยู่"\nพันธกิจ\n  • - ข้อหนึ่ง\n  • - ข้อสอง\nเป้าประสงค์ (Goal)\n  1. 1. เป้าหนึ่ง\n  2. 2. เป้าสอง\n',
        "น่าอยู่",
        ["ข้อหนึ่ง", "ข้อสอง"],
        ["เป้าหนึ่ง", "เป้าสอง"],
        "เป้าประสงค์",
    ),
    # 5. vision on the heading's line, with explanatory bullets after it
    (
        "วิสัยทัศน์ : “เกษตรก้าวหน้า ชุมชนมั่นคง”\n- เกษตรก้าวหน้า หมายถึง เกษตรกรมีรายได้\n- ชุมชนมั่นคง หมายถึง ปลอดภัย\n"
        "พันธกิจ\n1. ส่งเสริมเกษตร\nเป้าหมาย\n1. รายได้เพิ่ม\n",
        "เกษตรก้าวหน้า ชุมชนมั่นคง",
        ["ส่งเสริมเกษตร"],
        ["รายได้เพิ่ม"],
        "เป้าหมาย",
    ),
    # 6. boilerplate definitions under each heading are left out
    (
        "วิสัยทัศน์ (Vision)\nวิสัยทัศน์การพัฒนา (vision) หมายถึง สภาพการณ์\n“ดี”\nพันธกิจ (Mission)\n"
        "พันธกิจ (Mission) หมายถึง ขอบเขต\n1. หนึ่ง\nเป้าหมาย (Goal)\nเป้าหมาย (Goal) หมายถึง สภาพ\n1. สอง\n",
        "ดี",
        ["หนึ่ง"],
        ["สอง"],
        "เป้าหมาย",
    ),
    # 7. HTML with <li>, non-breaking spaces and entities
    (
        "<html><body><h2>วิสัยทัศน์</h2><p>&ldquo;ตำบล&nbsp;น่าอยู่&rdquo;</p><h2>พันธกิจ</h2>"
        "<ul><li>พัฒนา&nbsp;ถนน</li><li>พัฒนา &amp; ซ่อมแซม</li></ul><h2>เป้าหมาย</h2><ol><li>ถนนดี</li></ol>"
        "<script>var x = 1;</script></body></html>",
        "ตำบล น่าอยู่",
        ["พัฒนา ถนน", "พัฒนา & ซ่อมแซม"],
        ["ถนนดี"],
        "เป้าหมาย",
    ),
    # 8. ยุทธศาสตร์ section becomes strategies; "1)" numbering
    (
        "วิสัยทัศน์\nสุขภาพดี\nพันธกิจ\n1) ดูแลสุขภาพ\nเป้าหมาย\n1) ไม่มีโรค\nยุทธศาสตร์\n1) ยุทธศาสตร์ด้านสาธารณสุข\n"
        "2) ยุทธศาสตร์ด้านการศึกษา\n",
        "สุขภาพดี",
        ["ดูแลสุขภาพ"],
        ["ไม่มีโรค"],
        "เป้าหมาย",
    ),
    # 9. numbers that belong to the text stay: "หมู่ที่ 5", "2.5 กิโลเมตร", a year
    (
        "วิสัยทัศน์\nปี 2570 ตำบลน่าอยู่\nพันธกิจ\n1. ซ่อมถนนหมู่ที่ 5 ยาว 2.5 กิโลเมตร\nเป้าหมาย\n- 100 ครัวเรือนมีน้ำใช้\n",
        "ปี 2570 ตำบลน่าอยู่",
        ["ซ่อมถนนหมู่ที่ 5 ยาว 2.5 กิโลเมตร"],
        ["100 ครัวเรือนมีน้ำใช้"],
        "เป้าหมาย",
    ),
]


@pytest.mark.parametrize(("page", "vision", "missions", "goals", "label"), LAYOUTS)
def test_page_layouts(
    tmp_path: Path, page: str, vision: str, missions: list[str], goals: list[str], label: str
) -> None:
    name = "page.html" if page.startswith("<html") else "page.txt"
    target, _ = run(tmp_path, page, name)
    plan = check(target.parent).plan
    assert (plan.vision, plan.missions, plan.goals, plan.goals_label) == (
        vision,
        missions,
        goals,
        label,
    )


def test_explanations_and_strategies_are_kept(tmp_path: Path) -> None:
    target, found = run(tmp_path, LAYOUTS[4][0])
    text = target.read_text(encoding="utf-8")
    assert "#   2: explains the vision (the plan holds one vision): - เกษตรก้าวหน้า หมายถึง" in text
    target, _ = run(tmp_path, LAYOUTS[7][0])
    plan = check(target.parent).plan
    assert [s.name for s in plan.strategies] == ["ยุทธศาสตร์ด้านสาธารณสุข", "ยุทธศาสตร์ด้านการศึกษา"]


def test_a_page_without_missions_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "p.txt"
    source.write_text("วิสัยทัศน์\nดี\n", encoding="utf-8")
    assert main(["import", str(source), "--out", str(tmp_path / "plans")]) == 1
    assert "found no missions, goals" in capsys.readouterr().err
    assert not (tmp_path / "plans").exists()


def test_import_then_build_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if not SEEDS.is_dir():
        pytest.skip("shared/seeds is not beside the checkout")
    plans = tmp_path / "plans"
    seed = SEEDS / "001_c9d5a2aada27164c.txt"
    assert main(["import", str(seed), "--slug", "khi-lek", "--out", str(plans)]) == 0
    assert (
        main(["import", str(seed), "--slug", "khi-lek", "--out", str(plans)]) == 1
    )  # no overwrite
    result = build_one(plans / "khi-lek", tmp_path / "build")
    assert result.error is None, result.error
    assert {p.name for p in result.outputs} == {"strategy.pdf", "poster-a3.pdf", "poster-a4.pdf"}
    assert "khi-lek/plan.yaml exists; use --force" in capsys.readouterr().err
