"""Plans in and out of the office workbook: export, import back, and real workbooks' quirks."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from ruamel.yaml import YAML

from conftest import demo_without_editions, pdftotext, squash
from saoreport import thai
from saoreport.cli import main
from saoreport.errors import SaoError
from saoreport.excel.plan_file import import_workbook
from saoreport.excel.read import read_workbook
from saoreport.excel.write import export_plan, workbook_bytes
from saoreport.pipeline.batch import build_one
from saoreport.plan.models import Plan
from saoreport.plan.validate import check

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "xlsx"
CITY = FIXTURES / "city.xlsx"
TODAY = dt.date(2026, 12, 1)
HEALTH = "ยุทธ1.1แผนงานสาธารณสุข"
ROADS = "ยุทธ4.1ผง.อุตสาหกรรมและการโยธา"


def rich_plan(tmp_path: Path) -> Path:
    """plans/demo with every field the forms carry: links, kinds, amendments, a project without
    a tactic, a multi-line name, a zero and a ten-digit budget, equipment."""
    folder = tmp_path / "rich"
    shutil.copytree(ROOT / "plans" / "demo", folder)
    yaml = YAML(typ="rt")
    yaml.width = 4096
    data = yaml.load((folder / "plan.yaml").read_text(encoding="utf-8"))
    del data["editions"]  # its amendment labels free text, as imported workbooks give them
    data["plan"]["revision"] = "เพิ่มเติม ครั้งที่ 1/2568"
    for project in data["projects"]:
        project.pop("changed", None)
    data["strategies"][0]["links"] = {
        "national": "ยุทธศาสตร์ชาติ 20 ปี ยุทธศาสตร์ที่ 2",
        "master_plan": "แผนแม่บท ประเด็นที่ 7",
        "nesdp": "หมุดหมายที่ 8",
        "province": "ยุทธศาสตร์จังหวัด ยุทธศาสตร์ที่ 1",
        "local": "ยุทธศาสตร์ อปท. ในเขตจังหวัด ยุทธศาสตร์ที่ 1",
    }
    data["strategies"][1]["links"] = {"national": "ยุทธศาสตร์ชาติ 20 ปี ยุทธศาสตร์ที่ 3"}
    projects = data["projects"]
    projects[0]["amendment"] = "เพิ่มเติม ครั้งที่ 1/2568"
    projects[1]["kind"] = "community"
    projects[2]["kind"] = "coordination"
    projects[2]["amendment"] = "เปลี่ยนแปลง ครั้งที่ 2/2568"
    del projects[3]["tactic"]
    projects[4]["name"] = "โครงการจัดซื้อสื่อการเรียนการสอน\nบ้านโนนทดลอง หมู่ที่ 8"
    projects[5]["budget"] = {2566: 0, 2567: 9_999_999_999}
    for i, programme in ((6, "แผนงานอุตสาหกรรมและการโยธา"), (7, "แผนงานอุตสาหกรรมและการโยธาชนบท")):
        # two community sheets whose names are the same once cut to Excel's 31 characters
        projects[i].update(kind="community", strategy="S1", tactic="S1.1", programme=programme)
    data["equipment"] = [
        {
            "id": "E1",
            "strategy": "S3",
            "programme": "แผนงานสาธารณสุข",
            "category": "ค่าครุภัณฑ์",
            "type": "ครุภัณฑ์การแพทย์",
            "target": "เครื่องกระตุกหัวใจ 1 เครื่อง",
            "budget": {2567: 85000},
            "unit": "สำนักปลัด",
        },
        {
            "id": "E2",
            "programme": "แผนงานบริหารงานทั่วไป",
            "type": "ครุภัณฑ์สำนักงาน",
            "target": "เครื่องคอมพิวเตอร์ 2 เครื่อง",
            "budget": {2568: 44000, 2569: 22000},
            "unit": "สำนักปลัด",
            "amendment": "เพิ่มเติม ครั้งที่ 1/2568",
        },
    ]
    with (folder / "plan.yaml").open("w", encoding="utf-8") as fh:
        yaml.dump(data, fh)
    return folder


@pytest.mark.parametrize("which", ["demo", "rich"])
def test_export_then_import_gives_the_same_plan(tmp_path: Path, which: str) -> None:
    folder = ROOT / "plans" / "demo" if which == "demo" else rich_plan(tmp_path)
    original = check(folder).plan
    book = tmp_path / "plan.xlsx"
    export_plan(original, book)
    into = tmp_path / "into"
    shutil.copytree(folder, into)
    done = import_workbook(book, "x", tmp_path, TODAY, into=into)
    assert [str(n) for n in done.notes] == []
    assert done.checked.plan == original
    # Without --into, what the forms carry comes back too (ids from the hidden column). An
    # item's change records (changed: the edition, its reason) are the plan file's, not the
    # forms': a workbook has no column for them (--into keeps them: test_editions).
    alone = import_workbook(book, "alone", tmp_path / "plans", TODAY).checked.plan

    def forms(items: list[Any]) -> list[Any]:
        return sorted((i.model_copy(update={"changed": []}) for i in items), key=lambda i: i.id)

    assert forms(alone.projects) == forms(original.projects)
    assert forms(alone.equipment) == forms(original.equipment)
    assert alone.strategies == [
        s.model_copy(update={"goals": [], "missions": [], "indicators": []})
        for s in original.strategies
    ]
    for key in ("name", "district", "province", "type", "short_name"):
        assert getattr(alone.organization, key) == getattr(original.organization, key)
    assert alone.plan.period == original.plan.period
    assert alone.plan.revision == original.revision  # the edition it is at (its latest)


def test_rich_plan_workbook_has_the_kinds_and_amendments(tmp_path: Path) -> None:
    plan = check(rich_plan(tmp_path)).plan
    book = load_workbook(export_plan(plan, tmp_path / "rich.xlsx").path)
    names = book.sheetnames
    assert names[0] == "ผ.01" and "ผ.01-1" in names
    assert any(n.startswith("ผ02-1 ") for n in names) and any(n.startswith("ผ02-2 ") for n in names)
    assert "ผ02-1 ยุทธ1.1ผง.อุตสาหกรรมและกา" in names and "ผ02-1 ยุทธ1.1ผง.อุตสาหกรรมและ~2" in names
    assert names[-1] == "ผ03 ครุภัณฑ์"
    markers = [
        c.value
        for ws in book.worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and c.value.startswith(("เพิ่มเติม", "เปลี่ยนแปลง"))
    ]
    assert sorted(set(markers)) == ["เปลี่ยนแปลง ครั้งที่ 2/2568", "เพิ่มเติม ครั้งที่ 1/2568"]
    coordination = book[next(n for n in names if n.startswith("ผ02-2 "))]
    assert coordination["L1"].value == "แบบ ผ.02/2"


def test_export_is_the_same_bytes_every_time() -> None:
    plan = check(ROOT / "plans" / "demo").plan
    first, _ = workbook_bytes(plan, TODAY)
    second, _ = workbook_bytes(plan, TODAY)
    assert first == second


def test_exported_sheets_print_landscape_a4_with_the_header_repeated(tmp_path: Path) -> None:
    plan = check(ROOT / "plans" / "demo").plan
    book = load_workbook(export_plan(plan, tmp_path / "demo.xlsx").path)
    detail = book["ยุทธ1.1ผง.อุตสาหกรรมและการโยธา"]
    assert detail["A1"].value == "รายละเอียดโครงการพัฒนา"
    assert detail["L1"].value == "แบบ ผ.02"
    assert (
        detail["A2"].value == "แผนพัฒนาท้องถิ่น (พ.ศ. 2566 - 2570) เปลี่ยนแปลง ครั้งที่ 1/2568"
    )  # the latest edition
    assert detail["A3"].value.startswith("องค์การบริหารส่วนตำบลตัวอย่าง อำเภอ")
    # The demo's strategies link to the macro plans: the lines ก.–จ. come first.
    assert [detail[f"A{r}"].value[:3] for r in range(4, 9)] == ["ก. ", "ข. ", "ค. ", "ง. ", "จ. "]
    assert detail["A9"].value == "1. ยุทธศาสตร์การพัฒนาด้านโครงสร้างพื้นฐาน"
    assert detail["A10"].value.startswith("1.1 ")
    assert detail["A11"].value == "(1) แผนงานอุตสาหกรรมและการโยธา"
    merged = {str(r) for r in detail.merged_cells.ranges}
    assert {"A12:A14", "B12:B14", "E12:I12", "J12:J14", "L12:L14"} <= merged
    assert [detail.cell(13, c).value for c in range(5, 10)] == [
        "2566",
        "2567",
        "2568",
        "2569",
        "2570",
    ]
    assert detail.cell(14, 5).value == "(บาท)"
    assert detail.page_setup.orientation == "landscape"
    assert detail.page_setup.paperSize == 9  # A4
    assert detail.print_title_rows == "$12:$14"
    assert detail.sheet_properties.pageSetUpPr.fitToPage
    assert (detail.page_setup.fitToWidth or 1) == 1 and detail.page_setup.fitToHeight == 0
    assert detail["B15"].font.name == "TH SarabunPSK"
    assert detail.column_dimensions["M"].hidden  # saoreport's ids, outside the print area
    assert detail.print_area.startswith("'ยุทธ1.1ผง.อุตสาหกรรมและการโยธา'!$A$1:$L$")
    total = next(r for r in detail.iter_rows() if r[1].value == "รวมงบประมาณ")
    assert str(total[4].value).startswith("=SUM(E15:")
    # Wrapped rows are as tall as their longest cell (LibreOffice keeps the default height).
    assert detail.row_dimensions[15].height > 30


def test_city_workbook_projects_budgets_and_amendments() -> None:
    read = read_workbook(CITY)
    health = [p for p in read.projects if p.where.startswith(f"{CITY}:{HEALTH}!")]
    assert [p.texts["name"].split("\n")[0] for p in health] == [
        "โครงการป้องกันและควบคุมโรคไข้เลือดออก",
        "โครงการอบรมอาสาสมัคร",
        "โครงการตรวจสุขภาพผู้สูงอายุ",
        "โครงการจัดซื้อรถพยาบาลฉุกเฉิน",
        "โครงการคลินิกชุมชนอบอุ่น",
        "โครงการสุขาภิบาลอาหาร",
    ]
    # 150000 | " 1,632,820 " | "-" | " -   " | "10,500,000.00"
    assert health[0].budget == {2566: 150000, 2567: 1632820, 2570: 10500000}
    assert health[1].budget == {2566: 50000}  # 50000.0
    assert health[2].budget == {2568: 20000}  # the unreadable and the satang ones left out
    assert health[5].budget == {2566: 80000}  # Thai digits "๘๐,๐๐๐"
    # A multi-line cell, then the project continued on the next row (column A empty).
    assert health[1].texts["name"] == (
        "โครงการอบรมอาสาสมัคร\nสาธารณสุขประจำหมู่บ้าน (อสม.)\nทุกชุมชนในเขตเทศบาล"
    )
    assert health[1].texts["objective"] == "เพื่อพัฒนาศักยภาพ อสม.\nและลดอัตราการป่วย"
    assert [p.amendment for p in health] == [None, None, None] + ["เพิ่มเติม ครั้งที่ 5/2567"] * 2 + [
        "เปลี่ยนแปลง ครั้งที่ 3/2567"
    ]
    roads = [p for p in read.projects if p.where.startswith(f"{CITY}:{ROADS}!")]
    assert [p.amendment for p in roads] == ["ทบทวน ครั้งที่ 2/2565"] * 2
    assert roads[1].budget == {2567: 2750000, 2569: 2750000}
    kinds = {p.texts["name"]: p.kind for p in read.projects if p.kind != "local"}
    assert kinds == {
        "โครงการลานกีฬาชุมชน บ้านหนองแสง": "community",
        "โครงการก่อสร้างสะพานข้ามแม่น้ำมูล": "coordination",
    }
    bridge = next(p for p in read.projects if p.kind == "coordination")
    assert bridge.budget == {2568: 1_470_000_000}
    assert [(e.texts["type"], e.budget) for e in read.equipment] == [
        ("ครุภัณฑ์การแพทย์", {2567: 85000}),
        ("ครุภัณฑ์ก่อสร้าง", {2568: 2100000}),
    ]
    assert read.strategies[1].links["national"].startswith("ยุทธศาสตร์ชาติ 20 ปี ยุทธศาสตร์ที่ 4")
    assert read.strategies[4].tactics == {1: "กลยุทธ์พัฒนาระบบคมนาคม"}
    assert read.strategies[2].name == "ยุทธศาสตร์การพัฒนาด้านเศรษฐกิจ"  # only in ผ.01
    assert read.period == (2566, 2570) and read.revision == "เปลี่ยนแปลง ครั้งที่ 3/2567"
    assert read.org == ("เทศบาลเมืองตัวอย่าง", "เมืองตัวอย่าง", "อุบลราชธานี")


def test_a_strategy_named_otherwise_in_the_summary_is_reported(tmp_path: Path) -> None:
    from openpyxl import load_workbook as load

    book = load(CITY)
    book["ผ.01"]["A13"] = "4. ยุทธศาสตร์การพัฒนาโครงสร้างพื้นฐาน"
    changed = tmp_path / "changed.xlsx"
    book.save(changed)
    notes = [str(n) for n in read_workbook(changed).notes]
    assert (
        f"{changed}:ผ.01!A13: strategy 4 is 'ยุทธศาสตร์การพัฒนาด้านโครงสร้างพื้นฐาน'"
        " on the detail sheets" in notes
    )


def test_city_workbook_reports_every_cell_it_cannot_use() -> None:
    notes = {n.where.removeprefix(f"{CITY}:"): n.message for n in read_workbook(CITY).notes}
    assert set(notes) == {
        f"{HEALTH}!E18",
        f"{HEALTH}!F18",
        f"{HEALTH}!F24",
        f"{HEALTH} (2)!A1",
        "หมายเหตุ!A1",
        "ผ.01!I7",
        "ผ.01!M7",
    }
    assert notes[f"{HEALTH}!E18"] == (
        "budget 2566: 'ประมาณ 1 ล้าน' is not an amount of baht (type it as a number, such as"
        " 150000); left out of the plan"
    )
    assert "has satang" in notes[f"{HEALTH}!F18"]
    assert notes[f"{HEALTH}!F24"] == "total 2567 says 1,632,000 baht; the rows above give 1,632,820"
    assert "same cells; skipped" in notes[f"{HEALTH} (2)!A1"]
    assert "skipped" in notes["หมายเหตุ!A1"]
    assert notes["ผ.01!I7"] == (
        "ผ.01 gives 400,000 baht (strategy 1, แผนงานสาธารณสุข, year 2569);"
        " the detail sheets give 300,000"
    )


def test_city_workbook_imports_validates_and_builds(tmp_path: Path) -> None:
    done = import_workbook(CITY, "city", tmp_path / "plans", TODAY, accept_losses=True)
    plan: Plan = done.checked.plan
    assert len(plan.projects) == 10 and len(plan.equipment) == 2
    assert [s.id for s in plan.strategies] == ["S1", "S2", "S3", "S4"]
    assert plan.organization.type == "เทศบาลเมือง"
    text = done.target.read_text(encoding="utf-8")
    assert "vision: (วิสัยทัศน์)  # CHECK" in text
    assert (
        f"#   {CITY}:ผ.01: 2 figures differ from the detail sheets (I7, M7); the first, I7:" in text
    )
    assert f"#   {CITY}:{HEALTH}!E18: budget 2566: 'ประมาณ 1 ล้าน'" in text.split("# To check")[0]
    assert (done.target.parent / "import-notes.txt").read_text("utf-8").count("ผ.01 gives") == 1
    result = build_one(done.target.parent, tmp_path / "out")
    assert result.error is None, result.error
    text = squash(pdftotext(result.outputs[0]))
    # Ten digits (in the plan's digits: README, "One digit rule"); an amendment's project.
    assert thai.money(1_470_000_000, plan.thai_money) in text and "รถพยาบาล" in text


def test_into_keeps_the_plan_and_its_comments(tmp_path: Path) -> None:
    into = demo_without_editions(tmp_path / "demo")
    plan_file = into / "plan.yaml"
    text = plan_file.read_text(encoding="utf-8").replace(
        "\nprojects:\n", "\nprojects:  # kept by the office in its workbook\n"
    )
    plan_file.write_text(text, encoding="utf-8")
    before = check(into).plan
    done = import_workbook(CITY, "x", tmp_path, TODAY, into=into, accept_losses=True)
    after = done.checked.plan
    assert after.vision == before.vision and after.settings == before.settings
    assert after.organization == before.organization
    assert (
        (into / "plan.yaml")
        .read_text(encoding="utf-8")
        .startswith("# The demo: an openly fictional อบต. of 4,864 people in 9 villages")
    )
    # Strategies by number: the demo's S1 keeps its id, goals and indicators, takes the name.
    assert after.strategies[0].id == "S1" and after.strategies[0].indicators
    assert after.strategies[0].name == "ยุทธศาสตร์การพัฒนาด้านคุณภาพชีวิต"
    # The city's sheets cover none of the demo's groups (strategy.tactic + programme): the
    # demo's 91 projects stay as they are, the city's 10 come after them.
    assert len(after.projects) == 101 and after.projects[:91] == before.projects
    assert not any("period" in n.message for n in done.notes)
    written = plan_file.read_text(encoding="utf-8")
    assert "\nprojects: # kept by the office in its workbook\n  - id: P0001\n" in written
    assert "  - id: P0061\n" in written
    assert any(line.startswith("kept as they are: 91 projects") for line in done.changes)
    # --remove-missing: the workbook's projects replace the plan's.
    done = import_workbook(CITY, "x", tmp_path, TODAY, into=into, remove_missing=True)
    assert len(done.checked.plan.projects) == 10
    assert len(list(into.glob("plan.yaml.*.bak"))) == 2


def test_cli_export_and_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    book = tmp_path / "demo.xlsx"
    assert main(["export", str(ROOT / "plans" / "demo"), "--xlsx", str(book)]) == 0
    assert f"{book}: 24 sheets, 91 projects, 8 equipment rows" in capsys.readouterr().out
    args = ["import", str(CITY), "--slug", "city", "--out", str(tmp_path)]
    assert main(args) == 1  # unreadable budgets: exit 1, nothing written
    assert "E18: budget 2566" in capsys.readouterr().err
    assert not (tmp_path / "city").exists()
    assert main([*args, "--accept-losses"]) == 0
    out, err = capsys.readouterr()
    assert "city/plan.yaml: 4 strategies, 10 projects, 2 equipment rows" in out
    assert f"{CITY}:ผ.01: 2 figures differ from the detail sheets (I7, M7)" in err
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip file")
    assert main(["import", str(broken), "--out", str(tmp_path)]) == 1
    assert capsys.readouterr().err.startswith(f"{broken}: cannot read the workbook")


def test_a_workbook_that_is_no_plan_is_an_error(tmp_path: Path) -> None:
    from openpyxl import Workbook

    empty = tmp_path / "other.xlsx"
    book = Workbook()
    book.active["A1"] = "รายชื่อผู้เข้าอบรม"
    book.save(empty)
    with pytest.raises(SaoError, match="found no ผ.01, ผ.02 or ผ.03 sheet"):
        import_workbook(empty, "x", tmp_path, TODAY)


def test_the_fixture_is_what_its_generator_writes(tmp_path: Path) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_fixtures", FIXTURES / "make_fixtures.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.make(tmp_path / "city.xlsx")
    fresh, shipped = load_workbook(tmp_path / "city.xlsx"), load_workbook(CITY)
    assert fresh.sheetnames == shipped.sheetnames
    for name in fresh.sheetnames:
        values = [[c.value for c in r] for r in fresh[name].iter_rows()]
        assert values == [[c.value for c in r] for r in shipped[name].iter_rows()], name


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice (soffice) is not installed: make test-deps"
)
def test_libreoffice_prints_the_export_and_saves_it_as_ods_and_xls(tmp_path: Path) -> None:
    plan = check(rich_plan(tmp_path)).plan
    book = export_plan(plan, tmp_path / "rich.xlsx").path
    profile = f"-env:UserInstallation=file://{tmp_path}/lo-profile"
    for target in ("pdf", "ods", "xls"):
        run = subprocess.run(
            [
                str(SOFFICE),
                profile,
                "--headless",
                "--convert-to",
                target,
                "--outdir",
                str(tmp_path),
                str(book),
            ],
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert run.returncode == 0, run.stderr
        assert (tmp_path / f"rich.{target}").is_file(), run.stdout + run.stderr
    text = squash(pdftotext(tmp_path / "rich.pdf"))
    assert squash("รายละเอียดโครงการพัฒนา") in text and squash("บัญชีครุภัณฑ์") in text
    assert "1,290,000" in text and "9,999,999,999" in text  # P0001's and a ten-digit budget
    pages = subprocess.run(["pdfinfo", str(tmp_path / "rich.pdf")], capture_output=True, text=True)
    assert "Pages:" in pages.stdout
    # The .ods and .xls LibreOffice saved import to the same plan (its formulas recalculated).
    for saved in ("ods", "xls"):
        into = tmp_path / f"into-{saved}"
        shutil.copytree(tmp_path / "rich", into)
        done = import_workbook(tmp_path / f"rich.{saved}", "x", tmp_path, TODAY, into=into)
        assert [str(n) for n in done.notes] == [], saved
        assert done.checked.plan == plan, saved


def test_a_2561_style_sheet_with_thai_digits(tmp_path: Path) -> None:
    """The older form: two link lines (ก. the province's, ข. the local one), "ยุทธศาสตร์ที่ 1 …",
    "1.1 แผนงาน…" under it with no tactic, Thai digits in the period, the years and the numbers."""
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.title = "ยุทธ1"
    for row, text in enumerate(
        [
            "รายละเอียดโครงการพัฒนา",
            "แผนพัฒนาท้องถิ่น (พ.ศ. ๒๕๖๖ – ๒๕๗๐)",
            "องค์การบริหารส่วนตำบลหนองบัว",
            "ก. ยุทธศาสตร์จังหวัดที่ ๒ การพัฒนาโครงสร้างพื้นฐาน",
            "ข. ยุทธศาสตร์การพัฒนาของ อปท. ในเขตจังหวัดที่ ๑",
            "ยุทธศาสตร์ที่ 1 การพัฒนาด้านโครงสร้างพื้นฐาน",
            "1.1 แผนงานอุตสาหกรรมและการโยธา",
        ],
        1,
    ):
        ws.cell(row, 1, text)
    header = ["ที่", "โครงการ", "วัตถุประสงค์", "เป้าหมาย (ผลผลิตของโครงการ)", "งบประมาณและที่ผ่านมา"]
    header += [None] * 4 + ["ตัวชี้วัด (KPI)", "ผลที่คาดว่าจะได้รับ", "หน่วยงานที่รับผิดชอบหลัก"]
    for col, text in enumerate(header, 1):
        ws.cell(8, col, text)
    for col, year in enumerate(["๒๕๖๖", "๒๕๖๗", "๒๕๖๘", "๒๕๖๙", "๒๕๗๐"], 5):
        ws.cell(9, col, f"{year}\n(บาท)")
    project = ["๑", "โครงการก่อสร้างถนน คสล. หมู่ที่ ๓", "เพื่อการสัญจร", "ยาว ๒๐๐ ม."]
    project += ["-", "๔๕๐,๐๐๐", "-", "-", "-", "ถนน ๑ สาย", "สัญจรสะดวก", "กองช่าง"]
    for col, value in enumerate(project, 1):
        ws.cell(10, col, value)
    path = tmp_path / "old.xlsx"
    book.save(path)
    done = import_workbook(path, "nong-bua", tmp_path, TODAY)
    assert [str(n) for n in done.notes] == []
    plan = done.checked.plan
    strategy = plan.strategies[0]
    assert strategy.name == "ยุทธศาสตร์ที่ 1 การพัฒนาด้านโครงสร้างพื้นฐาน"
    assert strategy.tactics == [] and strategy.links is not None
    assert strategy.links.province == "ยุทธศาสตร์จังหวัดที่ ๒ การพัฒนาโครงสร้างพื้นฐาน"
    assert strategy.links.local == "ยุทธศาสตร์การพัฒนาของ อปท. ในเขตจังหวัดที่ ๑"
    assert strategy.links.national is None
    (project_read,) = plan.projects
    assert project_read.programme == "แผนงานอุตสาหกรรมและการโยธา"
    assert project_read.tactic is None
    assert project_read.budget == {2567: 450000}
    assert plan.plan.period.first == 2566 and plan.organization.name == "องค์การบริหารส่วนตำบลหนองบัว"
    assert "district: (อำเภอ)  # CHECK: not in the workbook" in done.target.read_text("utf-8")


def test_a_cell_the_plan_cannot_hold_is_reported_at_the_cell_and_nothing_written(
    tmp_path: Path,
) -> None:
    """ํ + า typed for ำ (it looks right, but cannot be searched): validation rejects it, and
    the import says which cell of the workbook holds it; an --into plan is left as it was."""
    from openpyxl import load_workbook as load

    book = load(CITY)
    book[ROADS]["C16"] = "เพื่อการสัญจรที่ปลอดภัยและสะดวกสบายของชุมชนและตําบล"  # split SARA AM
    bad = tmp_path / "bad.xlsx"
    book.save(bad)
    into = demo_without_editions(tmp_path / "demo")
    before = (into / "plan.yaml").read_bytes()
    files = sorted(p.name for p in into.iterdir())  # plan.yaml, logo, narrative (preface.md, parts)
    with pytest.raises(SaoError) as raised:
        import_workbook(bad, "x", tmp_path, TODAY, into=into, accept_losses=True)
    message = str(raised.value)
    assert message.startswith(f"{bad}:{ROADS}!C16: projects[")
    assert ".objective: 'ํา' at position" in message
    assert (into / "plan.yaml").read_bytes() == before
    assert sorted(p.name for p in into.iterdir()) == files and "plan.yaml" in files
    with pytest.raises(SaoError):
        import_workbook(bad, "fresh", tmp_path / "plans", TODAY, accept_losses=True)
    assert not (tmp_path / "plans" / "fresh" / "plan.yaml").exists()
