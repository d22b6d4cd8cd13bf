"""The fiscal-year archive: frozen, verifiable, reproducible; and what changed between plans."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pikepdf
import pytest

from conftest import demo_without_editions, pdftotext
from saoreport.archive import pdfa
from saoreport.archive import versions as archive
from saoreport.archive.diff import compare, load_pair
from saoreport.cli import main
from saoreport.plan.validate import check


def _hashes(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.fixture(scope="module")
def frozen(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """plans/khi-lek copied and archived once: (plan folder, archive root)."""
    base = tmp_path_factory.mktemp("arch")
    folder = base / "khi-lek"
    folder.mkdir()
    root = Path(__file__).resolve().parents[1]
    text = (root / "plans" / "khi-lek" / "plan.yaml").read_text(encoding="utf-8")
    # Approval data, so that the announcement is archived too.
    text = text.replace(
        "  fiscal_year: 2570\n",
        "  fiscal_year: 2570\n  approval: {session: สมัยสามัญ สมัยที่ 3, meeting: ครั้งที่ 1, date: 2569-08-20}\n",
    )
    (folder / "plan.yaml").write_text(text, encoding="utf-8")
    result = archive.freeze(folder, base / "archive")
    assert result.new and result.path.name == "v1"
    return folder, base / "archive"


def test_archive_twice_without_change_keeps_one_version(
    frozen: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    folder, root = frozen
    assert main(["archive", str(folder), "--root", str(root)]) == 0
    assert "unchanged: the current version already holds it" in capsys.readouterr().out
    assert [p.name for p in archive.versions(root / "khi-lek" / "2570")] == ["v1"]


def test_manifest_lists_everything(frozen: tuple[Path, Path]) -> None:
    _, root = frozen
    v1 = root / "khi-lek" / "2570" / "v1"
    record = json.loads((v1 / "manifest.json").read_text(encoding="utf-8"))
    names = set(record["files"])
    assert names == {
        "strategy.pdf",
        "poster-a3.pdf",
        "poster-a4.pdf",
        "announcement.pdf",
        "plan/plan.yaml",
    }
    for name, entry in record["files"].items():
        assert entry["size"] == (v1 / name).stat().st_size
    assert record["fonts"] and all(len(h) == 64 for h in record["fonts"].values())
    assert record["approval"]["date"] == "2569-08-20"
    assert record["saoreport"] and record["built"] and record["archived"]
    assert not os.access(v1 / "strategy.pdf", os.W_OK) or os.geteuid() == 0  # read-only


def test_archived_pdfs_pass_the_pdfa_checks(frozen: tuple[Path, Path]) -> None:
    _, root = frozen
    v1 = root / "khi-lek" / "2570" / "v1"
    for pdf in sorted(v1.glob("*.pdf")):
        assert pdfa.problems(pdf.read_bytes()) == [], pdf.name


def test_the_checks_can_fail(frozen: tuple[Path, Path]) -> None:
    _, root = frozen
    data = (root / "khi-lek" / "2570" / "v1" / "strategy.pdf").read_bytes()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        del pdf.Root["/OutputIntents"]
        font = next(iter(pdf.pages[0].Resources.Font.values()))
        del font["/ToUnicode"]
        out = io.BytesIO()
        pdf.save(out)
    found = pdfa.problems(out.getvalue())
    assert "no PDF/A output intent with an ICC profile" in found
    assert any("have no Unicode text" in p for p in found)


def test_embedded_plan_comes_out_and_validates(frozen: tuple[Path, Path], tmp_path: Path) -> None:
    folder, root = frozen
    with pikepdf.open(root / "khi-lek" / "2570" / "v1" / "strategy.pdf") as pdf:
        spec = pdf.attachments["plan.yaml"]
        assert str(spec.obj.AFRelationship) == "/Source"
        data = spec.get_file().read_bytes()
    assert data == (folder / "plan.yaml").read_bytes()
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "plan.yaml").write_bytes(data)
    assert check(tmp_path / "x").plan.organization.name == "องค์การบริหารส่วนตำบลขี้เหล็ก"


def test_archival_pdf_alone_gives_the_plan_folder_back(tmp_path: Path) -> None:
    """The archived strategy document embeds every file it was made from (plan.yaml, the
    logo, the narrative Markdown files and their images): extracted into an empty folder
    they validate to the same plan and narrative, and the PDF stays PDF/A-3 valid."""
    root = Path(__file__).resolve().parents[1]
    sys.path.insert(0, str(root / "benchmarks"))
    from demo_history import derive

    source = tmp_path / "demo"  # the demo as adopted: its editions need their base archived
    shutil.copytree(root / "plans" / "demo", source)
    derive(source, 0)
    version = archive.freeze(source, tmp_path / "archive").path
    pdf = version / "strategy.pdf"
    assert pdfa.problems(pdf.read_bytes()) == []
    back = tmp_path / "back" / "demo"
    with pikepdf.open(pdf) as doc:
        names = sorted(doc.attachments)
        for name, spec in doc.attachments.items():
            assert str(spec.obj.AFRelationship) == "/Source", name
            target = back / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(spec.get_file().read_bytes())
    # Every file but the reasons of the demo's editions (editions/*.md): plan.yaml does not
    # name them until it has editions (issue 28), so nothing is made from them.
    expected = sorted(
        str(p.relative_to(source))
        for p in source.rglob("*")
        if p.is_file() and p.parent.name != "editions"
    )
    assert names == expected
    for name in expected:
        assert (back / name).read_bytes() == (source / name).read_bytes(), name
    original, rebuilt = check(source), check(back)
    assert rebuilt.plan == original.plan
    assert rebuilt.narrative.sources == original.narrative.sources


def test_changed_budget_makes_v2_and_leaves_v1(tmp_path: Path) -> None:
    folder = demo_without_editions(tmp_path / "demo")  # as adopted: no edition to archive yet
    store = tmp_path / "archive"
    v1 = archive.freeze(folder, store).path
    before = _hashes(v1)
    plan = folder / "plan.yaml"
    text = plan.read_text(encoding="utf-8")
    plan.write_text(
        text.replace("budget: {2566: 1290000}", "budget: {2566: 1295000}", 1), encoding="utf-8"
    )
    assert text != plan.read_text(encoding="utf-8")
    v2 = archive.freeze(folder, store)
    assert v2.new and v2.path.name == "v2"
    assert _hashes(v1) == before  # byte for byte untouched
    assert archive.verify(v1, rebuild=False) == [] and archive.verify(v2.path, rebuild=False) == []
    # What changed, between the two versions: exactly that budget.
    changes = compare(*(c.plan for c in load_pair(v1, v2.path)))
    assert changes.lines()[:6] == [
        "vision: unchanged",
        "missions: unchanged",
        "goals: unchanged",
        "strategies: unchanged",
        "projects:",
        "  ~ P0001 โครงการก่อสร้างถนนคอนกรีตเสริมเหล็ก บ้านตัวอย่าง หมู่ที่ 1 (สายบ้านตัวอย่าง – บ้านโนนงาม):"
        " budget 2566: 1,290,000 -> 1,295,000 (+5,000)",
    ]
    assert "  2566: 7,036,000 -> 7,041,000 (+5,000)" in changes.lines()


def test_verify_names_corrupted_missing_and_extra_files(
    frozen: tuple[Path, Path], tmp_path: Path
) -> None:
    _, root = frozen
    copy = tmp_path / "v1"
    subprocess.run(["cp", "-r", str(root / "khi-lek" / "2570" / "v1"), str(copy)], check=True)
    for p in [copy, *copy.rglob("*")]:
        p.chmod(0o755 if p.is_dir() else 0o644)
    assert archive.verify(copy) == []  # sound, and a rebuild gives the same bytes
    data = bytearray((copy / "poster-a4.pdf").read_bytes())
    data[len(data) // 2] ^= 0x01
    (copy / "poster-a4.pdf").write_bytes(bytes(data))
    (copy / "announcement.pdf").unlink()
    (copy / "notes.txt").write_text("x")
    assert archive.verify(copy) == [
        f"{copy / 'announcement.pdf'}: missing: restore it from a backup",
        f"{copy / 'poster-a4.pdf'}: corrupted (its sha256 is not the manifest's): restore it"
        " from a backup",
        f"{copy / 'notes.txt'}: extra file, not in the manifest: move it out of the archive",
    ]
    assert main(["archive", "verify", str(copy), "--no-rebuild"]) == 1


def test_list(frozen: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    _, root = frozen
    assert main(["archive", "list", "--root", str(root)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("khi-lek  FY 2570  v1  archived ")


def test_same_bytes_in_other_processes_at_other_times(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[1]
    outs = []
    for n, zone in enumerate(("UTC", "Asia/Bangkok")):
        out = tmp_path / str(n)
        env = {**os.environ, "TZ": zone, "SOURCE_DATE_EPOCH": str(n * 1000)}
        subprocess.run(
            [
                sys.executable,
                "-m",
                "saoreport",
                "build",
                str(root / "plans" / "khi-lek"),
                "--out",
                str(out),
            ],
            env=env,
            check=True,
            capture_output=True,
        )
        outs.append(_hashes(out))
        time.sleep(1.1)
    assert outs[0] == outs[1]


def test_diff_cli_and_pdf(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = Path(__file__).resolve().parents[1]
    a = root / "plans" / "demo" / "plan.yaml"
    b = tmp_path / "demo" / "plan.yaml"
    b.parent.mkdir()
    (b.parent / "logo.svg").write_bytes((root / "plans" / "demo" / "logo.svg").read_bytes())
    shutil.copytree(a.parent / "editions", b.parent / "editions")  # the editions' reasons
    text = a.read_text(encoding="utf-8")
    text = text.replace(
        "  - ส่งเสริมการเกษตรปลอดภัย อาชีพ และเศรษฐกิจชุมชนตามหลักปรัชญาของเศรษฐกิจพอเพียง\n",
        "  - การพัฒนาเศรษฐกิจ การเกษตร และการท่องเที่ยว\n",
    )
    start = text.index("  - id: P0002\n")
    end = text.index("  - id: P0003\n")
    text = text[:start] + text[end:]  # P0002 removed
    new = (
        "  - {id: P0099, strategy: S1, programme: แผนงานเคหะและชุมชน, name: โครงการใหม่, objective: เพื่อทดสอบ,"
        " target: ๑ แห่ง, budget: {2569: 300000}, kpi: ร้อยละ ๙๐, result: ดีขึ้น, unit: กองช่าง}\n"
    )
    text = text.replace("equipment:\n", new + "equipment:\n")  # the last project
    b.write_text(text, encoding="utf-8")
    # The narrative: ส่วนที่ ๒ with one paragraph reworded, ส่วนที่ ๕ left out, the rest as is.
    (b.parent / "parts").mkdir()
    (b.parent / "preface.md").write_bytes((a.parent / "preface.md").read_bytes())
    for name in ("1-general.md", "3-analysis.md", "map.svg"):
        (b.parent / "parts" / name).write_bytes((a.parent / "parts" / name).read_bytes())
    results = (a.parent / "parts" / "2-results.md").read_text(encoding="utf-8")
    old_line = next(line for line in results.splitlines() if line.startswith("ในช่วงปีงบประมาณ"))
    reworded = results.replace(old_line, "ในช่วงแผนที่ผ่านมา ดำเนินโครงการถนนเป็นส่วนใหญ่")
    (b.parent / "parts" / "2-results.md").write_text(reworded, encoding="utf-8")
    out = tmp_path / "changes.pdf"
    assert main(["diff", str(a), str(b), "--pdf", str(out)]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[:2] == [
        f"older (before): {a} (the plan folder, not archived)",
        f"newer (after): {b} (the plan folder, not archived)",
    ]
    printed = printed[2:]
    assert printed[:9] == [
        "vision: unchanged",
        "missions:",
        "  - missions[2]: ส่งเสริมการเกษตรปลอดภัย อาชีพ และเศรษฐกิจชุมชนตามหลักปรัชญาของเศรษฐกิจพอเพียง",
        "  + missions[2]: การพัฒนาเศรษฐกิจ การเกษตร และการท่องเที่ยว",
        "goals: unchanged",
        "strategies: unchanged",
        "projects:",
        "  - P0002 โครงการก่อสร้างถนนคอนกรีตเสริมเหล็ก ซอยกลางบ้าน บ้านหนองสมมุติ หมู่ที่ 2: 2567: 468,000",
        "  + P0099 โครงการใหม่: 2569: 300,000",
    ]
    at = printed.index("narrative:")
    assert printed[at : at + 5] == [
        "narrative:",
        f"  - parts/2-results.md[2]: {old_line}",
        "  + parts/2-results.md[2]: ในช่วงแผนที่ผ่านมา ดำเนินโครงการถนนเป็นส่วนใหญ่",
        "  - parts/5-monitoring.md",
        "budget per year (baht), before -> after:",
    ]
    pdf_text = " ".join(pdftotext(out, "-layout").split())
    assert "สรุปการเปลี่ยนแปลงแผนพัฒนาท้องถิ่น" in pdf_text and "โครงการใหม่" in pdf_text
    assert "โครงการที่เพิ่ม" in pdf_text and "โครงการที่ตัดออก" in pdf_text
    assert "ตัดออก ส่วนที่ ๕ การติดตาม" in pdf_text and "ทั้งส่วน" in pdf_text
    assert "ส่วนที่ ๒ สรุปผลการพัฒนา" in pdf_text and "ที่ผ่านมา ย่อหน้าที่ ๒" in pdf_text
    assert "ในช่วงแผนที่ผ่านมา ดำเนินโครงการถนนเป็นส่วนใหญ่" in pdf_text
    assert "ตัดออก ข้อ ๒ (เดิม)" in pdf_text and "เพิ่ม ข้อ ๒ (ใหม่)" in pdf_text
    # The demo's digits are Thai: every figure is Thai, and no id or file name is printed.
    assert not re.search(r"[0-9]", pdf_text)
    assert not re.search(r"P0002|P0099|parts/|\\.md", pdf_text)
    assert "ปี ๒๕๖๙: ๓๐๐,๐๐๐ บาท" in pdf_text
