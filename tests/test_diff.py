"""diff: the older first, then the newer, everywhere it is written; a swapped pair caught; the
council's change summary in Thai only, with no path, id, field name or None."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from PIL import Image

from conftest import pdfium_pages
from saoreport.cli import main

ROOT = Path(__file__).resolve().parents[1]

PLAN = """\
organization:
  name: องค์การบริหารส่วนตำบลทดสอบ
  short_name: อบต.ทดสอบ
  type: อบต.
  district: เมือง
  province: อุบลราชธานี
  executive: {title: นายกองค์การบริหารส่วนตำบลทดสอบ, name: นายทดสอบ ใจดี}
plan:
  period: {first: 2566, last: 2570}
  fiscal_year: 2568
  prepared_by: งานนโยบายและแผน สำนักปลัด
vision: ตำบลน่าอยู่
missions: [พันธกิจที่หนึ่ง, พันธกิจที่สอง]
goals: [เป้าหมายที่หนึ่ง]
strategies:
  - {id: S1, name: ยุทธศาสตร์การพัฒนาโครงสร้างพื้นฐาน, tactics: [{id: S1.1, name: แนวทางที่หนึ่ง}]}
  - {id: S2, name: ยุทธศาสตร์การพัฒนาคุณภาพชีวิต}
projects:
  - {id: P0061, strategy: S1, tactic: S1.1, programme: แผนงานเคหะและชุมชน, name: โครงการก่อสร้างถนน หมู่ที่ 5,
     objective: เพื่อการสัญจร, target: ถนน 1 สาย, budget: {2566: 100000, 2568: 250000}, kpi: ร้อยละ 90,
     result: ประชาชนสะดวก, unit: กองช่าง}
  - {id: P0062, strategy: S1, programme: แผนงานเคหะและชุมชน, name: โครงการขุดลอกคลอง,
     objective: เพื่อการระบายน้ำ, target: คลอง 1 สาย, budget: {2567: 80000}, kpi: ร้อยละ 80,
     result: น้ำไม่ท่วม, unit: กองช่าง}
equipment:
  - {id: E1, programme: แผนงานบริหารงานทั่วไป, type: ครุภัณฑ์สำนักงาน, target: เครื่องถ่ายเอกสาร 1 เครื่อง,
     budget: {2568: 90000}, unit: สำนักปลัด}
"""


def _newer(text: str) -> str:
    """The plan's first เพิ่มเติม: a project added, one removed, one's target, strategy and
    budget changed, the equipment's target changed, an edition named."""
    text = text.replace("  prepared_by:", "  revision: เพิ่มเติม ครั้งที่ 1/2568\n  prepared_by:")
    start = text.index("  - {id: P0062")
    end = text.index("equipment:")
    added = (
        "  - {id: P0063, strategy: S2, programme: แผนงานสาธารณสุข, name: โครงการรณรงค์ป้องกันไข้เลือดออก,"
        " objective: เพื่อลดผู้ป่วย, target: 10 หมู่บ้าน, budget: {2569: 45000}, kpi: ผู้ป่วยลดลง,"
        " result: ประชาชนสุขภาพดี, unit: สำนักปลัด, amendment: เพิ่มเติม ครั้งที่ 1/2568}\n"
    )
    text = text[:start] + added + text[end:]
    text = text.replace(
        "target: ถนน 1 สาย, budget: {2566: 100000, 2568: 250000}",
        "target: ถนน 2 สาย, budget: {2566: 100000, 2568: 400000}",
    )
    text = text.replace("{id: P0061, strategy: S1, tactic: S1.1,", "{id: P0061, strategy: S2,")
    return text.replace("เครื่องถ่ายเอกสาร 1 เครื่อง", "เครื่องถ่ายเอกสาร 2 เครื่อง")


def _plan(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True)
    (folder / "plan.yaml").write_text(text, encoding="utf-8")
    return folder


def _archived(root: Path, number: int, text: str, when: str, fiscal_year: int = 2568) -> Path:
    """An archived version as `archive` leaves it, as far as diff reads it: its plan and the
    manifest's number, fiscal year and time of freezing."""
    version = root / "tambon" / str(fiscal_year) / f"v{number}"
    _plan(version / "plan", text)
    record = {"slug": "tambon", "version": number, "fiscal_year": fiscal_year, "archived": when}
    (version / "manifest.json").write_text(json.dumps({**record, "files": {}}), encoding="utf-8")
    return version


# One order, everywhere --------------------------------------------------------------------


def _age(argument: str) -> tuple[int, int]:
    """How old what an example names is: (fiscal year, version); a plan folder is the newest
    (it is what is being edited); the placeholders of a usage line say what they are."""
    placeholders = {"OLDER": (0, 0), "ฉบับเดิม": (0, 0), "NEWER": (10**5, 0), "ฉบับใหม่": (10**5, 0)}
    if argument in placeholders:
        return placeholders[argument]
    found = re.fullmatch(r"archive/[\w-]+/(\d{4})(?:/v(\d+))?", argument)
    if found:
        return int(found.group(1)), int(found.group(2) or 10**6)
    assert re.fullmatch(r"plans/[\w-]+(/plan\.yaml)?", argument), argument
    return 10**4, 0


def _examples(text: str) -> list[list[str]]:
    """The arguments of every `saoreport diff` in *text* (options left out)."""
    found = []
    for line in text.splitlines():
        match = re.search(r"saoreport diff ([^#`\n]*)", line)
        if match and not match.group(1).startswith(("[", "{")):
            words = match.group(1).replace("[", " ").replace("]", " ").split()
            plans = [w for w in words if not w.startswith("-") and not w.endswith(".pdf")]
            if plans:  # an example; "as `saoreport diff --pdf` does" only names the command
                found.append(plans)
    return found


def test_every_diff_example_names_the_older_first(capsys: pytest.CaptureFixture[str]) -> None:
    """READMEs' usage lines, `saoreport --help` and `saoreport diff --help` (its usage line,
    its arguments and its examples) give one order: the older, then the newer."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for args in (["--lang", "en", "--help"], ["--lang", "en", "diff", "--help"]):
        with pytest.raises(SystemExit):
            main(args)
    top, diff_help = capsys.readouterr().out.split("usage: saoreport diff", 1)
    thai = (ROOT / "README.th.md").read_text(encoding="utf-8")
    sources = {"README.md": readme, "README.th.md": thai}
    sources |= {"saoreport --help": top, "saoreport diff --help": diff_help}
    for name, text in sources.items():
        examples = _examples(text)
        assert examples, f"{name} has no diff example"
        for older, newer in examples:
            assert _age(older) < _age(newer), f"{name}: diff {older} {newer} names the newer first"
    usage = " ".join(diff_help.split("\n\n")[0].split())
    assert usage.endswith("OLDER NEWER"), usage
    arguments = " ".join(diff_help.split())
    assert "OLDER the older: before" in arguments and "NEWER the newer: after" in arguments
    assert "diff OLDER NEWER` takes the older first, then the newer" in readme
    summary = re.search(r"\n\s+diff\s+(.+?)\n\s+\w+\s{2}", top, re.S)
    assert summary and "the older first, then the newer" in " ".join(summary.group(1).split())


# A swapped pair ---------------------------------------------------------------------------


def test_swapped_archived_versions_are_refused_and_any_order_goes_on_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "archive"
    v1 = _archived(root, 1, PLAN, "2026-10-01T03:00:00+00:00")
    v2 = _archived(root, 2, _newer(PLAN), "2026-12-05T03:00:00+00:00")
    assert main(["diff", str(v2), str(v1)]) == 1
    err = capsys.readouterr().err
    assert err == (
        f"{v2} looks newer than {v1}: it is archived version 2, frozen after version 1."
        f" diff takes the older first: run saoreport diff {v1} {v2}; or add --any-order to"
        " compare them as given\n"
    )
    assert main(["diff", str(v2), str(v1), "--any-order"]) == 0
    out, err = capsys.readouterr()
    assert err.startswith(f"warning: {v2} looks newer than {v1}")
    assert out.splitlines()[:2] == [
        f"older (before): {v2} (archived version 2, frozen on 2026-12-05)",
        f"newer (after): {v1} (archived version 1, frozen on 2026-10-01)",
    ]
    assert main(["diff", str(v1), str(v2)]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out.splitlines()[:2] == [
        f"older (before): {v1} (archived version 1, frozen on 2026-10-01)",
        f"newer (after): {v2} (archived version 2, frozen on 2026-12-05)",
    ]
    assert "  + P0063 โครงการรณรงค์ป้องกันไข้เลือดออก: 2569: 45,000" in out.splitlines()
    # An archived fiscal year is its latest version: v2, here named as the older.
    assert main(["diff", str(v2.parent), str(v1)]) == 1
    assert "it is archived version 2, frozen after version 1" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("older", "newer", "why"),
    [
        (_newer(PLAN), PLAN, "its edition 'เพิ่มเติม ครั้งที่ 1/2568' comes after (none)"),
        (
            _newer(PLAN).replace("1/2568", "2/2568"),
            _newer(PLAN),
            "its edition 'เพิ่มเติม ครั้งที่ 2/2568' comes after 'เพิ่มเติม ครั้งที่ 1/2568'",
        ),
        (
            PLAN.replace("fiscal_year: 2568", "fiscal_year: 2569"),
            PLAN,
            "its fiscal year 2569 is after 2568",
        ),
        (
            PLAN.replace(
                "  prepared_by:",
                "  approval: {session: สมัยสามัญ สมัยที่ 4, meeting: ครั้งที่ 1, date: 2568-10-20}\n  prepared_by:",
            ),
            PLAN.replace(
                "  prepared_by:",
                "  approval: {session: สมัยสามัญ สมัยที่ 3, meeting: ครั้งที่ 1, date: 2568-08-20}\n  prepared_by:",
            ),
            "it came into force on 2025-10-20, after 2025-08-20",
        ),
    ],
)
def test_swapped_plans_are_caught_by_their_edition_year_or_dates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], older: str, newer: str, why: str
) -> None:
    a, b = _plan(tmp_path / "a" / "tambon", older), _plan(tmp_path / "b" / "tambon", newer)
    assert main(["diff", str(a), str(b)]) == 1
    assert f"{a} looks newer than {b}: {why}." in capsys.readouterr().err
    assert main(["diff", str(b), str(a)]) == 0


def test_the_plan_folder_named_before_its_archived_copy_is_caught(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _plan(tmp_path / "plans" / "tambon", PLAN)
    v1 = _archived(tmp_path / "archive", 1, PLAN, "2026-10-01T03:00:00+00:00")
    assert main(["diff", str(folder), str(v1)]) == 1
    assert "it is the plan folder being edited, and the other an archived copy" in (
        capsys.readouterr().err
    )
    assert main(["diff", str(v1), str(folder)]) == 0


def test_swapped_is_said_in_thai(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SAOREPORT_LANG", "th")
    root = tmp_path / "archive"
    v1 = _archived(root, 1, PLAN, "2026-10-01T03:00:00+00:00")
    v2 = _archived(root, 2, _newer(PLAN), "2026-12-05T03:00:00+00:00")
    assert main(["diff", str(v2), str(v1)]) == 1
    assert capsys.readouterr().err == (
        f"{v2} ดูใหม่กว่า {v1}: ฉบับนี้เป็นฉบับที่เก็บไว้ครั้งที่ 2 ซึ่งเก็บหลังครั้งที่ 1"
        f" คำสั่ง diff ต้องระบุฉบับเดิมก่อน: สั่ง saoreport diff {v1} {v2}"
        " หรือเพิ่ม --any-order เพื่อเปรียบเทียบตามลำดับที่ระบุ\n"
    )


# The council's change summary -------------------------------------------------------------


@pytest.fixture(scope="module")
def summary(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The change summary of the plan's first เพิ่มเติม, from its archived version 1 to the
    plan folder, made under English messages (the summary is Thai whatever the terminal)."""
    base = tmp_path_factory.mktemp("summary")
    v1 = _archived(base / "archive", 1, PLAN, "2026-10-01T03:00:00+00:00")
    folder = _plan(base / "plans" / "tambon", _newer(PLAN))
    text = (folder / "plan.yaml").read_text(encoding="utf-8")
    appendix = "appendices: [{title: รายงานการประชุมสภา, file: minutes.png}]\n"
    (folder / "plan.yaml").write_text(text + appendix, encoding="utf-8")
    Image.new("RGB", (40, 30), "white").save(folder / "minutes.png")
    (folder / "parts").mkdir()
    (folder / "parts" / "5-monitoring.md").write_text("# การติดตาม\n\nติดตามทุกปี\n", "utf-8")
    out = base / "changes.pdf"
    assert main(["--lang", "en", "diff", str(v1), str(folder), "--pdf", str(out)]) == 0
    return " ".join(" ".join(pdfium_pages(out)).split())


def test_the_change_summary_has_no_path_id_field_name_or_none(summary: str) -> None:
    assert not re.search(r"[A-Za-z]", summary), re.findall(r"\S*[A-Za-z]+\S*", summary)
    assert not re.search(r"/[\w.-]+/|\.ya?ml|\.md|\.pdf", summary)
    assert not re.search(r"\b[PSE]\d", summary)
    assert "None" not in summary and "revision" not in summary


def test_the_change_summary_says_what_changed_as_the_council_reads_it(summary: str) -> None:
    # Both versions, by what they are, without a path.
    assert "ฉบับเดิม: ฉบับที่จัดเก็บ ครั้งที่ ๑ จัดเก็บเมื่อวันที่ ๑ ตุลาคม ๒๕๖๙ ปีงบประมาณ ๒๕๖๘" in summary
    assert "ฉบับใหม่: ฉบับปัจจุบัน (ยังไม่ได้จัดเก็บ) ปีงบประมาณ ๒๕๖๘ เพิ่มเติม ครั้งที่ ๑/๒๕๖๘" in summary
    # Added and removed projects: name, strategy, programme, budget per year in baht.
    added = summary.split("โครงการที่เพิ่ม", 1)[1].split("โครงการที่ตัดออก", 1)[0]
    assert "โครงการรณรงค์ป้องกันไข้เลือดออก" in added and "ยุทธศาสตร์ที่ ๒ การพัฒนาคุณภาพชีวิต" in added
    assert "ปี ๒๕๖๙: ๔๕,๐๐๐ บาท" in added
    removed = summary.split("โครงการที่ตัดออก", 1)[1].split("โครงการที่แก้ไข", 1)[0]
    assert "โครงการขุดลอกคลอง" in removed and "ปี ๒๕๖๗: ๘๐,๐๐๐ บาท" in removed
    # The changed project: each field by its Thai name, from what to what.
    changed = summary.split("โครงการที่แก้ไข", 1)[1].split("ครุภัณฑ์ที่แก้ไข", 1)[0]
    assert "ยุทธศาสตร์: จาก ยุทธศาสตร์ที่ ๑ การพัฒนาโครงสร้างพื้นฐาน เป็น ยุทธศาสตร์ที่ ๒" in changed
    assert "เป้าหมาย (ผลผลิตของโครงการ): จาก “ถนน ๑ สาย” เป็น “ถนน ๒ สาย”" in changed
    assert "งบประมาณปี ๒๕๖๘: จาก ๒๕๐,๐๐๐ บาท เป็น ๔๐๐,๐๐๐ บาท (เพิ่มขึ้น ๑๕๐,๐๐๐ บาท)" in changed
    assert "กลยุทธ์: จาก “แนวทางที่หนึ่ง”" not in changed  # a tactic is named, not quoted
    equipment = summary.split("ครุภัณฑ์ที่แก้ไข", 1)[1]
    assert "เป้าหมาย (ผลผลิตของครุภัณฑ์): จาก “เครื่องถ่ายเอกสาร ๑ เครื่อง”" in equipment
    # The plan's edition, in words; a part added, by its name.
    assert "ฉบับของแผน ไม่มี เพิ่มเติม ครั้งที่ ๑/๒๕๖๘" in summary
    assert "ภาคผนวก ไม่มี รายงานการประชุมสภา" in summary
    assert "ส่วนที่ ๕ การติดตาม" in summary and "ทั้งส่วน" in summary
    # The signatures: who prepared it, who checked it, the executive by name and title.
    signatures = summary.split("(ลงชื่อ)", 1)[1]
    assert "ผู้จัดทำ" in signatures and "ผู้ตรวจ" in signatures
    assert "งานนโยบายและแผน สำนักปลัด" in signatures
    assert "(นายทดสอบ ใจดี) นายกองค์การบริหารส่วนตำบลทดสอบ" in signatures
