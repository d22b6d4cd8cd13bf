"""Every kind of invalid plan is reported at its exact place, all at once, and builds nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from saoreport.cli import main
from saoreport.errors import PlanInvalid
from saoreport.plan.validate import check

PLAN = """\
organization:
  name: องค์การบริหารส่วนตำบลทดสอบ
  short_name: อบต.ทดสอบ
  type: อบต.
  district: เมือง
  province: อุบลราชธานี
  executive:
    title: นายกองค์การบริหารส่วนตำบลทดสอบ
plan:
  period: {first: 2566, last: 2570}
  fiscal_year: 2568
vision: ตำบลน่าอยู่
missions:
  - พันธกิจที่หนึ่ง
  - พันธกิจที่สอง
goals:
  - เป้าหมายที่หนึ่ง
strategies:
  - id: S1
    name: ยุทธศาสตร์ที่หนึ่ง
    goals: [1]
    tactics:
      - {id: S1.1, name: แนวทางที่หนึ่ง}
projects:
  - id: P1
    strategy: S1
    tactic: S1.1
    programme: แผนงานเคหะและชุมชน
    name: โครงการก่อสร้างถนน หมู่ที่ ๕
    objective: เพื่อการสัญจร
    target: ถนน ๑ สาย
    budget: {2566: 100000, 2568: 250000}
    kpi: ร้อยละ ๙๐
    result: ประชาชนสะดวก
    unit: กองช่าง
"""


def write(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "x"
    folder.mkdir(exist_ok=True)
    (folder / "plan.yaml").write_text(text, encoding="utf-8")
    return folder


def problems(tmp_path: Path, old: str, new: str) -> list[str]:
    assert old in PLAN
    folder = write(tmp_path, PLAN.replace(old, new, 1))
    with pytest.raises(PlanInvalid) as info:
        check(folder)
    prefix = str(folder / "plan.yaml") + ":"
    return [str(p).removeprefix(prefix) for p in info.value.problems]


def test_the_base_plan_is_valid(tmp_path: Path) -> None:
    checked = check(write(tmp_path, PLAN))
    assert checked.plan.projects[0].budget == {2566: 100000, 2568: 250000}
    assert checked.warnings == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "  fiscal_year: 2568",
            "  fiscal_year: 2568\n  colour: red",
            "12:3: plan.colour: this key is not known: check its spelling, or remove it",
        ),
        (
            "fiscal_year: 2568",
            'fiscal_year: "2568"',
            "11:16: plan.fiscal_year: should be a whole number in digits only, such as 1200000"
            " (no commas, quotes or decimal point); found '2568'",
        ),
        (
            "fiscal_year: 2568",
            "fiscal_year: 2575",
            "11:16: plan.fiscal_year: 2575 is outside the plan's years 2566-2570",
        ),
        (
            "{2566: 100000, 2568",
            "{2566: -5, 2568",
            "32:20: projects[0].budget[2566]: should be at least 0; found -5",
        ),
        (
            "2568: 250000}",
            "2572: 250000}",
            "32:34: projects[0].budget[2572]: the year 2572 is outside the plan's years 2566-2570",
        ),
        (
            "    strategy: S1\n",
            "    strategy: S9\n",
            "26:15: projects[0].strategy: no strategy has the id 'S9'; the strategies are 'S1'",
        ),
        (
            "    tactic: S1.1",
            "    tactic: S1.7",
            "27:13: projects[0].tactic: strategy 'S1' has no tactic 'S1.7'; its tactics: 'S1.1'",
        ),
        (
            "    goals: [1]",
            "    goals: [3]",
            "21:13: strategies[0].goals[0]: there is no goal 3: the plan has 1",
        ),
        (
            "vision: ตำบลน่าอยู่",
            "vision: '  '",
            "12:9: vision: is empty: write the text, or remove the line",
        ),
        (
            "  - พันธกิจที่สอง",
            "  - ''",
            "15:5: missions[1]: is empty: write the text, or remove the line",
        ),
        (
            "period: {first: 2566, last: 2570}",
            "period: {first: 2566, last: 2571}",
            "10:11: plan.period: a plan covers five years; 2566-2571 is not five",
        ),
        (
            "  type: อบต.",
            "  type: อบจ",
            "4:9: organization.type: should be one of: 'อบต.', 'เทศบาลตำบล', 'เทศบาลเมือง',"
            " 'เทศบาลนคร', 'อบจ.'",
        ),
        ("  district: เมือง\n", "", "2:3: organization.district: this is required: add it"),
    ],
)
def test_invalid_plans_point_at_the_place(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    assert expected in problems(tmp_path, old, new)


def test_duplicate_ids(tmp_path: Path) -> None:
    text = PLAN + PLAN[PLAN.index("  - id: P1") :]
    folder = write(tmp_path, text)
    with pytest.raises(PlanInvalid) as info:
        check(folder)
    assert [str(p).split(":", 1)[1] for p in info.value.problems] == [
        "36:9: projects[1].id: the id 'P1' is used twice (first at projects[0]): give each its own"
    ]


def test_all_problems_at_once(tmp_path: Path) -> None:
    text = PLAN.replace("fiscal_year: 2568", "fiscal_year: x").replace(
        "vision: ตำบลน่าอยู่", "vision: 12"
    )
    folder = write(tmp_path, text)
    with pytest.raises(PlanInvalid) as info:
        check(folder)
    assert [p.path for p in info.value.problems] == ["plan.fiscal_year", "vision"]


def test_yaml_syntax_and_duplicate_keys(tmp_path: Path) -> None:
    out = problems(tmp_path, "vision: ตำบลน่าอยู่", "vision: [ตำบล")
    assert len(out) == 1 and out[0].startswith("13:")
    out = problems(tmp_path, "vision: ตำบลน่าอยู่", "vision: a\nvision: b")
    assert len(out) == 1 and "duplicate key" in out[0] and out[0].startswith("13:1")


def test_character_outside_the_font(tmp_path: Path) -> None:
    out = problems(tmp_path, "  - พันธกิจที่สอง", "  - พันธกิจที่สอง 😀")
    assert out == [
        "15:5: missions[1]: the character '😀' (U+1F600 GRINNING FACE) at position 15"
        " is not in the font Sarabun: it would print as a box; remove or replace it"
    ]


def test_split_sara_am_is_an_error(tmp_path: Path) -> None:
    out = problems(tmp_path, "vision: ตำบลน่าอยู่", "vision: น\u0e49\u0e4d\u0e32ใส")
    assert len(out) == 1 and out[0].startswith("12:9: vision: ") and "U+0E4D" in out[0]


def test_logo_must_stay_in_the_plan_folder(tmp_path: Path) -> None:
    (tmp_path / "secret.png").write_bytes(b"x")
    out = problems(tmp_path, "  executive:", "  logo: ../secret.png\n  executive:")
    assert out == ["7:9: organization.logo: '../secret.png' must be a file inside the plan folder"]


def test_misspelt_name_warns(tmp_path: Path) -> None:
    text = PLAN.replace("name: องค์การบริหารส่วนตำบลทดสอบ", "name: องค์การบริการส่วนตำบลทดสอบ")
    checked = check(write(tmp_path, text))
    assert len(checked.warnings) == 1
    assert str(checked.warnings[0]).endswith(
        ":2:9: organization.name: warning: 'องค์การบริการส่วนตำบล' looks like a misspelling of"
        " 'องค์การบริหารส่วนตำบล'"
    )


def test_cli_exit_codes_and_no_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = write(tmp_path, PLAN.replace("fiscal_year: 2568", "fiscal_year: 1"))
    out = tmp_path / "out"
    assert main(["build", str(folder), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "plan.yaml:11:16: plan.fiscal_year: should be at least 2400" in err
    assert "Traceback" not in err
    assert not out.exists()
    assert main(["validate", str(folder)]) == 1
    assert main(["build", "--no-such-flag"]) == 2
    assert main(["validate", str(tmp_path / "missing")]) == 2


def test_marks_out_of_canonical_order_are_an_error(tmp_path: Path) -> None:
    out = problems(tmp_path, "vision: ตำบลน่าอยู่", "vision: รุ่งเรือง".replace("ุ่", "ุ่"))
    assert len(out) == 1 and out[0].startswith("12:9: vision: marks typed out of order")
