"""Workbooks as offices send them back: an import --into that never loses a project, honest
exits and notes (issue 26)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from saoreport.cli import main
from saoreport.excel.write import export_plan
from saoreport.plan.models import Plan
from saoreport.plan.validate import check

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from make_plan import make_plan  # noqa: E402

SHEET = "ยุทธ1.1ผง.อุตสาหกรรมและการโยธา"  # strategy 1, tactic 1.1, one programme


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The 1,000-project plan and its exported workbook (made once for the module)."""
    root = tmp_path_factory.mktemp("big")
    folder = root / "big"
    folder.mkdir()
    text = make_plan(1000).replace("  logo: logo.svg\n", "")
    (folder / "plan.yaml").write_text(text, encoding="utf-8")
    book = export_plan(check(folder).plan, root / "big.xlsx").path
    return folder, book


def one_sheet(book: Path, sheet: str, out: Path) -> Path:
    """What the engineering department sends back: the workbook cut down to one ผ.02 sheet
    (values as saved, as an office's spreadsheet program keeps them)."""
    wb = load_workbook(book, data_only=True)
    for name in wb.sheetnames:
        if name != sheet:
            del wb[name]
    wb.save(out)
    return out


def rows_of(path: Path, sheet: str) -> dict[str, int]:
    """saoreport id (hidden column M) -> 1-based row."""
    ws = load_workbook(path)[sheet]
    return {str(ws.cell(r, 13).value): r for r in range(15, ws.max_row + 1) if ws.cell(r, 13).value}


def copy_plan(folder: Path, tmp_path: Path) -> Path:
    into = tmp_path / "plan"
    shutil.copytree(folder, into)
    return into


def test_a_partial_workbook_changes_nothing_outside_its_programme(
    big: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, book = big
    into = copy_plan(folder, tmp_path)
    before = check(into).plan
    old_bytes = (into / "plan.yaml").read_bytes()
    cut = one_sheet(book, SHEET, tmp_path / "engineering.xlsx")
    ids = rows_of(cut, SHEET)
    first, last = next(iter(ids)), list(ids)[-1]
    wb = load_workbook(cut)
    ws = wb[SHEET]
    ws.cell(ids[first], 6).value = 999000  # budget 2567 of the first project
    ws.delete_rows(ids[last])  # the sheet's last project, deleted by the department
    wb.save(cut)
    group = [
        p
        for p in before.projects
        if (p.kind, p.tactic, p.programme) == ("local", "S1.1", "แผนงานอุตสาหกรรมและการโยธา")
    ]
    assert sorted(p.id for p in group) == sorted(ids) and len(before.projects) > 1000

    assert main(["import", str(cut), "--into", str(into), "--dry-run"]) == 0
    out, _ = capsys.readouterr()
    assert f"{into / 'plan.yaml'}: what the import would change:" in out
    assert (into / "plan.yaml").read_bytes() == old_bytes
    assert not list(into.glob("*.bak")) and not (into / "import-notes.txt").exists()

    assert main(["import", str(cut), "--into", str(into)]) == 0
    out, _ = capsys.readouterr()
    assert f"{into / 'plan.yaml'}: what the import changed:" in out
    assert f"  changed project {first} " in out and "budget 2567: " in out and "-> 999,000" in out
    assert f"  removed project {last}: " in out
    kept = len(before.projects) - len(group)
    assert f"  kept as they are: {kept} projects the workbook does not cover (" in out
    assert (
        f"projects: 0 added, 1 changed, 1 removed, {len(group) - 2} unchanged, {kept} kept" in out
    )
    (backup,) = into.glob("plan.yaml.*.bak")
    assert backup.read_bytes() == old_bytes and f"kept as {backup.name}" in out
    assert "what the import changed" in (into / "import-notes.txt").read_text("utf-8").lower()

    after: Plan = check(into).plan
    expected = [
        p.model_copy(update={"budget": {**p.budget, 2567: 999000}}) if p.id == first else p
        for p in before.projects
        if p.id != last
    ]
    assert after.projects == expected  # the 1,000 others as they were, in their order
    assert after.model_copy(update={"projects": before.projects}) == before
    # A second import the same second keeps both backups.
    assert main(["import", str(cut), "--into", str(into)]) == 0
    assert len(list(into.glob("plan.yaml.*.bak"))) == 2
    assert check(into).plan == after


def test_remove_missing_removes_what_the_workbook_lacks(
    big: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, book = big
    into = copy_plan(folder, tmp_path)
    cut = one_sheet(book, SHEET, tmp_path / "engineering.xlsx")
    assert main(["import", str(cut), "--into", str(into), "--remove-missing"]) == 0
    after = check(into).plan
    assert sorted(p.id for p in after.projects) == sorted(rows_of(cut, SHEET))
    assert len(after.equipment) == 5  # no ผ.03 sheet: the equipment stays


def test_into_refuses_slug_out_and_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    into = copy_plan(ROOT / "plans" / "demo", tmp_path)
    book = export_plan(check(into).plan, tmp_path / "demo.xlsx").path
    before = (into / "plan.yaml").read_bytes()
    for extra in (["--slug", "x"], ["--out", str(tmp_path)], ["--force"]):
        assert main(["import", str(book), "--into", str(into), *extra]) == 2
        assert f"{extra[0]} cannot go with it" in capsys.readouterr().err
    assert (into / "plan.yaml").read_bytes() == before


def bad_budget(tmp_path: Path) -> tuple[Path, Path, str]:
    """The demo plan and its workbook with one budget typed as '1.200.000'."""
    into = copy_plan(ROOT / "plans" / "demo", tmp_path)
    book = export_plan(check(into).plan, tmp_path / "demo.xlsx").path
    wb = load_workbook(book)
    sheet = wb.sheetnames[2]
    wb[sheet]["F15"] = "1.200.000"
    bad = tmp_path / "bad.xlsx"
    wb.save(bad)
    return into, bad, f"{bad}:{sheet}!F15"


def test_an_unreadable_budget_exits_1_and_names_the_cell(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    into, bad, cell = bad_budget(tmp_path)
    before = (into / "plan.yaml").read_bytes()
    assert main(["import", str(bad), "--into", str(into)]) == 1
    err = capsys.readouterr().err
    assert f"{cell}: budget 2567: '1.200.000' is not an amount of baht" in err
    assert "not written: 1 cell could not be read" in err and "--accept-losses" in err
    assert (into / "plan.yaml").read_bytes() == before and not list(into.glob("*.bak"))
    # A new plan: nothing written, no folder left.
    assert main(["import", str(bad), "--slug", "fresh", "--out", str(tmp_path / "plans")]) == 1
    assert not (tmp_path / "plans").exists()  # no folder left behind either
    args = ["import", str(bad), "--out", str(tmp_path / "plans"), "--accept-losses", "--dry-run"]
    assert main(args) == 0 and not (tmp_path / "plans").exists()
    assert "not written (--dry-run): 6 strategies, 91 projects" in capsys.readouterr().out


def test_accepted_losses_exit_0_and_go_in_the_notes_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    into, bad, cell = bad_budget(tmp_path)
    assert main(["import", str(bad), "--into", str(into), "--accept-losses"]) == 0
    notes = (into / "import-notes.txt").read_text("utf-8")
    lost = notes.split("Lost: ")[1].split("\nTo check")[0].split("\nFor information")[0]
    assert f"  {cell}: budget 2567: '1.200.000' is not an amount of baht" in lost
    # A new plan: the notes in the file beside it and in plan.yaml's trailing comment.
    args = ["import", str(bad), "--slug", "fresh", "--out", str(tmp_path / "plans")]
    assert main([*args, "--accept-losses"]) == 0
    fresh = tmp_path / "plans" / "fresh"
    assert f"  {cell}: budget 2567" in (fresh / "import-notes.txt").read_text("utf-8")
    assert f"#   {cell}: budget 2567" in (fresh / "plan.yaml").read_text("utf-8")


# A corpus of shapes (tests/fixtures/xlsx/corpus/make_corpus.py): each workbook with its
# expectations written by hand — projects, the total budget per year 2566–2570, a few names.

sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "xlsx" / "corpus"))
import make_corpus  # noqa: E402

from saoreport.excel.plan_file import import_workbook  # noqa: E402

TODAY = __import__("datetime").date(2026, 12, 1)
ROAD_1 = "โครงการก่อสร้างถนน คสล. บ้านหนองบัว หมู่ที่ 1"
LIGHT = "โครงการขยายเขตไฟฟ้าสาธารณะ บ้านหนองบัว หมู่ที่ 2"
FEVER = "โครงการป้องกันและควบคุมโรคไข้เลือดออก"
LUNCH = "โครงการสนับสนุนอาหารกลางวันโรงเรียน"
ROADS = "แผนงานอุตสาหกรรมและการโยธา"
# workbook: (projects, total per year 2566..2570, names that must be there, strategies)
CORPUS: dict[str, tuple[int, tuple[int, ...], list[str], int]] = {
    "issue-three-rows": (3, (500_000, 250_000, 1_050_000, 0, 400_000), [ROAD_1], 1),
    "one-row": (2, (120_000, 120_000, 0, 350_000, 0), [LIGHT], 1),
    "two-rows-thai-digits": (2, (50_000, 30_000, 50_000, 30_000, 50_000), [FEVER], 1),
    "four-rows": (2, (900_000, 945_000, 900_000, 900_000, 900_000), [LUNCH], 1),
    "extra-columns": (2, (500_000, 250_000, 250_000, 0, 0), [ROAD_1], 1),
    "several-programmes": (5, (620_000, 370_000, 1_050_000, 350_000, 400_000), [LIGHT], 1),
    "sheet-per-strategy": (
        5,
        (1_430_000, 975_000, 1_730_000, 930_000, 1_330_000),
        [ROAD_1, FEVER, LUNCH],
        2,
    ),
    "whole-plan": (
        6,
        (1_570_000, 1_050_000, 950_000, 1_280_000, 950_000),
        [ROAD_1, LIGHT, FEVER, LUNCH],
        2,
    ),
    "repeated-header": (3, (500_000, 250_000, 1_050_000, 0, 400_000), [ROAD_1], 1),
    "old-three-year": (2, (0, 250_000, 1_050_000, 0, 400_000), [], 1),
    "no-numbers": (2, (50_000, 30_000, 50_000, 30_000, 50_000), [FEVER], 1),
}
CONVERTED = {"issue-three-rows": "ods", "whole-plan": "xls"}  # saved by LibreOffice
HELD_BACK: dict[str, tuple[int, tuple[int, ...], list[str], int]] = {
    "heading-in-column-b": (2, (120_000, 120_000, 0, 350_000, 0), [LIGHT], 1),
    "letters-with-parens": (2, (500_000, 0, 800_000, 0, 400_000), [ROAD_1], 1),
    "two-tables": (4, (950_000, 975_000, 950_000, 930_000, 950_000), [FEVER, LUNCH], 1),
}
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def imported(book: Path, tmp_path: Path) -> tuple[Plan, list[str]]:
    done = import_workbook(book, "corpus", tmp_path / "plans", TODAY, force=True)
    return done.checked.plan, [f"{n.severity}: {n}" for n in done.notes]


def expect(
    plan: Plan, notes: list[str], wanted: tuple[int, tuple[int, ...], list[str], int]
) -> None:
    count, totals, names, strategies = wanted
    assert len(plan.projects) == count, notes
    got = tuple(sum(p.in_year(y) for p in plan.projects) for y in range(2566, 2571))
    assert got == totals
    assert set(names) <= {p.name for p in plan.projects}
    assert len(plan.strategies) == strategies
    assert not [n for n in notes if n.startswith("lost")]


@pytest.mark.parametrize("name", list(CORPUS))
def test_corpus_workbook(name: str, tmp_path: Path) -> None:
    book = make_corpus.build(tmp_path, [name])[name]
    plan, notes = imported(book, tmp_path)
    expect(plan, notes, CORPUS[name])
    programmes = {p.programme for p in plan.projects}
    assert "-" not in programmes and all(p.strategy for p in plan.projects)
    if name == "issue-three-rows":
        (strategy,) = plan.strategies
        assert strategy.links is not None and strategy.links.local is not None
        assert [t.name for t in strategy.tactics] == ["กลยุทธ์ก่อสร้างและปรับปรุงถนน"]
        assert programmes == {ROADS} and not notes
        assert plan.projects[0].target == "ประชาชนในตำบล"
    if name == "extra-columns":
        assert sum("has no place in the plan: 2 cells left out" in n for n in notes) == 2
    if name == "several-programmes":
        groups = sorted((p.tactic, p.programme) for p in plan.projects)
        assert (
            groups
            == [("S1.1", ROADS)] * 2 + [("S1.2", ROADS)] + [("S1.2", "แผนงานเคหะและชุมชน")] * 2
        )
    if name == "whole-plan":
        first, second = plan.strategies
        assert first.links is not None and first.links.nesdp is not None
        assert second.links is not None and second.links.national is not None
        assert second.links.nesdp is None and len(second.tactics) == 2
    if name == "old-three-year":
        assert plan.strategies[0].tactics[0].name == "ก่อสร้างและปรับปรุงถนน"
        assert programmes == {ROADS}
    if name == "no-numbers":
        fever = next(p for p in plan.projects if p.name == FEVER)
        assert fever.objective == "เพื่อให้ประชาชนได้รับประโยชน์\nและลดอัตราการป่วย"


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_corpus_saved_as_ods_and_xls(tmp_path: Path) -> None:
    import subprocess

    made = make_corpus.build(tmp_path, list(CONVERTED))
    profile = f"-env:UserInstallation=file://{tmp_path}/lo-profile"
    for name, suffix in CONVERTED.items():
        subprocess.run(
            [str(SOFFICE), profile, "--headless", "--convert-to", suffix, "--outdir"]
            + [str(tmp_path / suffix), str(made[name])],
            capture_output=True,
            check=True,
            timeout=120,
        )
        plan, notes = imported(tmp_path / suffix / f"{name}.{suffix}", tmp_path)
        expect(plan, notes, CORPUS[name])


@pytest.mark.parametrize("name", list(HELD_BACK))
def test_held_back_corpus_workbook(name: str, tmp_path: Path) -> None:
    book = make_corpus.build(tmp_path, [name])[name]
    plan, notes = imported(book, tmp_path)
    expect(plan, notes, HELD_BACK[name])


def test_a_tactic_without_projects_is_kept(tmp_path: Path) -> None:
    """Exported as a sheet of its own (heading and header, no rows): it comes back in its place,
    so the tactics after it keep their numbers."""
    from ruamel.yaml import YAML

    folder = copy_plan(ROOT / "plans" / "demo", tmp_path)
    yaml = YAML()
    data = yaml.load((folder / "plan.yaml").read_text("utf-8"))
    data["strategies"][0]["tactics"].insert(1, {"id": "S1.9", "name": "กลยุทธ์ที่ยังไม่มีโครงการ"})
    with (folder / "plan.yaml").open("w", encoding="utf-8") as fh:
        yaml.dump(data, fh)
    plan = check(folder).plan
    book = export_plan(plan, tmp_path / "demo.xlsx").path
    assert "ยุทธ1.2 ไม่มีโครงการ" in load_workbook(book).sheetnames
    fresh = import_workbook(book, "fresh", tmp_path / "plans", TODAY)
    assert [n for n in fresh.notes] == []
    names = [[t.name for t in s.tactics] for s in fresh.checked.plan.strategies]
    assert names == [[t.name for t in s.tactics] for s in plan.strategies]
    back = import_workbook(book, "x", tmp_path, TODAY, into=folder)
    assert [n for n in back.notes] == [] and back.checked.plan == plan


def test_the_tessabanyat_block_is_imported_and_exported(tmp_path: Path) -> None:
    """The second budget block of 17-column sheets (งบประมาณตามเทศบัญญัติ) -> `enacted`; a plan
    with it exports 17-column sheets that import back the same."""
    from saoreport.excel.read import read_workbook

    city = ROOT / "tests" / "fixtures" / "xlsx" / "city.xlsx"
    read = read_workbook(city)
    (fever,) = [p for p in read.projects if p.enacted]
    assert fever.enacted == {2566: 150000, 2567: 1_000_000}  # J15 150000, K15 " 1,000,000 "
    assert not [n for n in read.notes if "second budget block" in n.message]
    folder = copy_plan(ROOT / "plans" / "demo", tmp_path)
    text = (folder / "plan.yaml").read_text("utf-8")
    text = text.replace("    budget: {2566: ", "    enacted: {2566: 90000}\n    budget: {2566: ", 2)
    (folder / "plan.yaml").write_text(text, "utf-8")
    plan = check(folder).plan
    assert sum(1 for p in plan.projects if p.enacted) == 2
    book = export_plan(plan, tmp_path / "demo.xlsx").path
    ws = load_workbook(book).worksheets[2]
    header = [ws.cell(r, c).value for r in range(1, 30) for c in range(1, 18)]
    assert "งบประมาณตามเทศบัญญัติ" in header and ws.max_column == 18  # 17 + the hidden id
    back = import_workbook(book, "x", tmp_path, TODAY, into=folder)
    assert [str(n) for n in back.notes] == [] and back.checked.plan == plan
    fresh = import_workbook(book, "fresh", tmp_path / "plans", TODAY).checked.plan
    assert {p.id: p.enacted for p in fresh.projects} == {p.id: p.enacted for p in plan.projects}


def _office_sheet(tmp_path: Path) -> tuple[Path, Plan, Workbook, list[str]]:
    """A copy of the demo plan, its plan model, and its exported workbook cut to one ผ.02 sheet
    without the hidden id column, as an office types it; the ids that column held."""
    into = copy_plan(ROOT / "plans" / "demo", tmp_path)
    before = check(into).plan
    wb = load_workbook(export_plan(before, tmp_path / "demo.xlsx").path)
    sheet = wb.sheetnames[2]
    for name in wb.sheetnames:
        if name != sheet:
            del wb[name]
    ws = wb[sheet]
    ids = [str(ws.cell(r, 13).value) for r in range(15, ws.max_row + 1) if ws.cell(r, 13).value]
    ws.delete_cols(13)  # the id column
    return into, before, wb, ids


def test_an_office_workbook_without_ids_changes_projects_by_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A workbook typed by the office (no hidden id column): a project of the same sheet and
    name is the plan's project changed, not one removed and a new one added."""
    into, before, wb, ids = _office_sheet(tmp_path)
    ws = wb.worksheets[0]
    ws["L15"] = "กองคลัง"  # the first project's unit
    office = tmp_path / "office.xlsx"
    wb.save(office)
    assert main(["import", str(office), "--into", str(into)]) == 0
    out = capsys.readouterr().out
    assert f"changed project {ids[0]} " in out and "unit: 'กองช่าง' -> 'กองคลัง'" in out
    assert "added project" not in out and "removed project" not in out
    after = check(into).plan
    assert [p.id for p in after.projects] == [p.id for p in before.projects]


def test_an_unreadable_year_exits_1_and_names_its_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = make_corpus.build(tmp_path, ["one-row"])["one-row"]
    wb = load_workbook(book)
    assert wb.active["E12"].value == "2566\n(บาท)"
    wb.active["E12"] = "256X\n(บาท)"  # a year mistyped: its budgets belong to no year
    wb.save(book)
    args = ["import", str(book), "--out", str(tmp_path / "plans")]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert f"{book}:ผ.02!E12: column '256X (บาท)' has no place in the plan: 2 cells left out" in err
    assert main([*args, "--accept-losses"]) == 0
    plan = check(tmp_path / "plans" / "one-row").plan
    assert sum(p.in_year(2566) for p in plan.projects) == 0  # E13's 120,000 is not in it


def test_an_office_sheet_without_tactic_lines_changes_the_plan_s_projects(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The older forms have no tactic line: the sheet's projects are the plan's of the same
    strategy, programme and name (they keep their tactic), and nothing is added twice."""
    into, before, wb, _ids = _office_sheet(tmp_path)
    ws = wb.worksheets[0]
    tactic_row = next(r for r in range(1, 15) if str(ws.cell(r, 1).value).startswith("1.1 "))
    ws.delete_rows(tactic_row)
    ws.cell(tactic_row + 4, 12).value = "กองคลัง"  # the first project's unit
    old = tmp_path / "old.xlsx"
    wb.save(old)
    assert main(["import", str(old), "--into", str(into)]) == 0
    out = capsys.readouterr().out
    assert "added project" not in out and "removed project" not in out
    assert "unit: 'กองช่าง' -> 'กองคลัง'" in out and "tactic:" not in out
    after = check(into).plan
    assert [(p.id, p.tactic) for p in after.projects] == [(p.id, p.tactic) for p in before.projects]
