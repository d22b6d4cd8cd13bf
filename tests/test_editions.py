"""Editions (issue 28): the plan's amendments, each with its own book, ประกาศ and approval,
made against the archived version it amends, and frozen by the archive.

One small อบต. (tests/fixtures/editions) goes through its history once per module: adopted
and archived (v1), เพิ่มเติม ครั้งที่ 1/2568 added and archived (v2), เปลี่ยนแปลง ครั้งที่
1/2568 made and archived (v3). The tests read the archived PDFs."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pikepdf
import pypdfium2
import pytest
from PIL import Image, ImageChops, ImageDraw

from conftest import pdfium_pages, pdftotext, squash
from saoreport import thai
from saoreport.archive import versions as archive
from saoreport.cli import main
from saoreport.errors import PlanInvalid
from saoreport.plan.validate import check

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "editions"

ADDED = """\
  - id: P04
    strategy: S1
    tactic: S1.1
    programme: แผนงานอุตสาหกรรมและการโยธา
    name: โครงการก่อสร้างรางระบายน้ำ หมู่ที่ 3
    objective: เพื่อระบายน้ำในฤดูฝน
    target: รางระบายน้ำ ยาว 150 เมตร
    budget: {2568: 320000}
    kpi: น้ำไม่ท่วมขังในฤดูฝน
    result: ชุมชนไม่มีน้ำท่วมขัง
    unit: กองช่าง
    amendment: เพิ่มเติม ครั้งที่ ๑/๒๕๖๘
  - id: P05
    strategy: S2
    tactic: S2.1
    programme: แผนงานสาธารณสุข
    name: โครงการป้องกันโรคไข้เลือดออก
    objective: เพื่อลดการระบาดของโรคไข้เลือดออก
    target: ครอบคลุม 5 หมู่บ้าน
    budget: {2568: 45000, 2569: 45000}
    kpi: ผู้ป่วยลดลงร้อยละ 50
    result: ประชาชนปลอดภัยจากโรค
    unit: สำนักปลัด
    amendment: เพิ่มเติม ครั้งที่ 1/2568
"""
ADDITION = """\
editions:
  - kind: เพิ่มเติม
    number: 1
    year: 2568
    base: v1
    reasons: editions/add-1-2568.md
    drafted: 2568-01-10
    committee: 2568-01-20
    forum: 2568-01-25
    council: {session: สมัยสามัญ สมัยที่ 1 ประจำปี 2568, meeting: ครั้งที่ 1, date: 2568-02-05}
    approved: 2568-02-10
    announced: 2568-02-12
"""
CHANGE = """\
  - kind: เปลี่ยนแปลง
    number: 1
    year: 2568
    base: v2
    reasons: editions/change-1-2568.md
    drafted: 2568-04-01
    committee: 2568-04-10
    council: {session: สมัยสามัญ สมัยที่ 2 ประจำปี 2568, meeting: ครั้งที่ 2, date: 2568-04-20}
    approved: 2568-04-25
    announced: 2568-04-28
"""
CHANGE_APPENDICES = """\
    appendices:
      - {title: รายงานการประชุมสภา สมัยที่ ๒/๒๕๖๘, file: editions/council-2-2568.pdf}
      - {title: คำสั่งแต่งตั้งคณะกรรมการ, file: editions/order.png}
"""
OLD_P01 = """\
    target: ถนนกว้าง 4 เมตร ยาว 200 เมตร
    budget: {2567: 400000, 2568: 450000}
"""
NEW_P01 = """\
    target: ถนนกว้าง 4 เมตร ยาว 240 เมตร
    budget: {2567: 400000, 2568: 520000}
    changed:
      - {edition: เปลี่ยนแปลง ครั้งที่ 1/2568, reason: ราคาวัสดุสูงขึ้นและต่อระยะถนนถึงสะพาน, page: 12}
"""
EQUIPMENT = """\
  - id: E02
    programme: แผนงานบริหารงานทั่วไป
    type: ครุภัณฑ์คอมพิวเตอร์
    target: เครื่องคอมพิวเตอร์สำหรับงานทะเบียน จำนวน 1 เครื่อง
    budget: {2568: 24000}
    unit: สำนักปลัด
    amendment: เพิ่มเติม ครั้งที่ 1/2568
"""
NAMES = {
    "P01": "โครงการก่อสร้างถนนคอนกรีตเสริมเหล็ก หมู่ที่ ๑",
    "P02": "โครงการวางท่อระบายน้ำ หมู่ที่ ๒",
    "P03": "โครงการตรวจคัดกรองสุขภาพผู้สูงอายุ",
    "P04": "โครงการก่อสร้างรางระบายน้ำ หมู่ที่ ๓",
    "P05": "โครงการป้องกันโรคไข้เลือดออก",
}


def _minutes(path: Path) -> None:
    """A 1-page PDF as an office exports its minutes (text in an embedded font, a drawing)."""
    from weasyprint import HTML

    html = """<html><head><style>@page { size: A4; margin: 1cm 2cm }
    .box { width: 10cm; height: 4cm; background: linear-gradient(red, blue) }</style></head>
    <body><h1>Council minutes 2/2568</h1><p>The council agreed to the change.</p>
    <div class="box"></div></body></html>"""
    path.write_bytes(HTML(string=html).write_pdf())


def _order(path: Path) -> None:
    image = Image.new("RGB", (800, 1100), "white")
    draw = ImageDraw.Draw(image)
    for y in range(100, 1000, 60):
        draw.line([(80, y), (720, y + 20)], fill=(y % 255, 60, 160), width=6)
    image.save(path)


def _copy(tmp: Path) -> Path:
    folder = tmp / "thot-long"
    shutil.copytree(FIXTURE, folder)
    return folder


def _edit(folder: Path, old: str, new: str) -> None:
    file = folder / "plan.yaml"
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def _append(folder: Path, text: str) -> None:
    file = folder / "plan.yaml"
    file.write_text(file.read_text(encoding="utf-8") + text, encoding="utf-8")


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The fixture plan adopted (v1), added to (v2) and changed (v3), each archived."""
    tmp = tmp_path_factory.mktemp("editions")
    folder, root = _copy(tmp), tmp / "archive"
    found = {"plan": folder, "root": root}
    found["v1"] = archive.freeze(folder, root).path
    _append(folder, ADDED + ADDITION)
    _edit(
        folder, "    unit: สำนักปลัด\nprojects:\n", "    unit: สำนักปลัด\n" + EQUIPMENT + "projects:\n"
    )
    found["v2"] = archive.freeze(folder, root).path
    _edit(folder, OLD_P01, NEW_P01)
    _minutes(folder / "editions" / "council-2-2568.pdf")
    _order(folder / "editions" / "order.png")
    _append(folder, CHANGE + CHANGE_APPENDICES)
    found["v3"] = archive.freeze(folder, root).path
    return found


def _text(pdf: Path) -> str:
    return pdftotext(pdf)


def test_archive_freezes_each_edition_and_verifies_them(history: dict[str, Path]) -> None:
    assert [history[v].name for v in ("v1", "v2", "v3")] == ["v1", "v2", "v3"]
    assert not list(history["v1"].glob("amendment-*.pdf"))
    assert (history["v2"] / "amendment-add-1-2568.pdf").is_file()
    assert (history["v2"] / "announcement-add-1-2568.pdf").is_file()
    assert (history["v3"] / "amendment-change-1-2568.pdf").is_file()
    assert (history["v3"] / "announcement-change-1-2568.pdf").is_file()
    for version in ("v1", "v2", "v3"):  # a rebuild reads each base from the same archive
        assert archive.verify(history[version]) == [], version
    assert main(["archive", "verify", str(history["root"])]) == 0


def test_addition_book_holds_its_items_only(history: dict[str, Path]) -> None:
    text = _text(history["v2"] / "amendment-add-1-2568.pdf")
    flat = squash(text)
    assert squash("แผนพัฒนาท้องถิ่น (พ.ศ. ๒๕๖๖ – ๒๕๗๐) เพิ่มเติม ครั้งที่ ๑/๒๕๖๘") in flat
    for key in ("P01", "P02", "P03"):  # the plan's other projects appear nowhere
        assert squash(NAMES[key]) not in flat, key
    part1 = flat[flat.index("บัญชีรายการที่เพิ่มเติม", flat.rindex("ส่วนที่๑หลักการและเหตุผล")) :]
    part1 = part1[: part1.index("ส่วนที่๒")]
    for key in ("P04", "P05"):  # ส่วนที่ ๑ lists them, and ผ.02 shows them
        assert squash(NAMES[key]) in part1, key
        assert flat.count(squash(NAMES[key])) >= 2, key
    # ผ.01 sums exactly the edition's projects: 320,000 + 90,000
    assert "รวมทั้งสิ้น" in flat
    assert squash("งบประมาณรวม ๕ ปี ๔๑๐,๐๐๐ บาท (สี่แสนหนึ่งหมื่นบาทถ้วน)") in flat
    # ผ.03 holds the edition's equipment only, and ส่วนที่ ๑ lists it
    assert "ครุภัณฑ์คอมพิวเตอร์เครื่องคอมพิวเตอร์" in part1 and "แบบผ.๐๓" in part1
    assert squash("บัญชีครุภัณฑ์ (แบบ ผ.๐๓)") in flat  # in the contents
    assert squash("เครื่องคอมพิวเตอร์สำหรับงานทะเบียน จำนวน ๑ เครื่อง") in flat
    assert squash("ตู้เก็บเอกสาร จำนวน ๒ หลัง") not in flat
    assert squash("ตำบลทดลองแก้ไขประสบปัญหาน้ำท่วมขัง") in flat  # its reasons


def test_each_announcement_cites_its_own_clause_and_approval(history: dict[str, Path]) -> None:
    added = squash(_text(history["v2"] / "announcement-add-1-2568.pdf"))
    assert squash("เรื่อง ประกาศใช้แผนพัฒนาท้องถิ่น (พ.ศ. ๒๕๖๖ – ๒๕๗๐) เพิ่มเติม ครั้งที่ ๑/๒๕๖๘") in added
    assert squash("เมื่อวันที่ ๑๐ กุมภาพันธ์ ๒๕๖๘ แล้ว อาศัยอำนาจตามความในข้อ ๒๒ และข้อ ๒๔") in added
    assert squash("ประชาคมท้องถิ่นได้พิจารณาร่างเมื่อวันที่ ๒๕ มกราคม ๒๕๖๘") in added
    assert squash("ประกาศ ณ วันที่ ๑๒ กุมภาพันธ์ ๒๕๖๘") in added
    # the first adoption, in the recital only
    assert squash("ได้ประกาศใช้แผนพัฒนาท้องถิ่น (พ.ศ. ๒๕๖๖ – ๒๕๗๐) เมื่อวันที่ ๑ กันยายน ๒๕๖๕") in added
    changed = squash(_text(history["v3"] / "announcement-change-1-2568.pdf"))
    assert squash("อาศัยอำนาจตามความในข้อ ๒๒/๑ และข้อ ๒๔") in changed
    assert (
        squash("ได้อนุมัติแผนพัฒนาท้องถิ่น (พ.ศ. ๒๕๖๖ – ๒๕๗๐) เปลี่ยนแปลง ครั้งที่ ๑/๒๕๖๘ เมื่อวันที่ ๒๕ เมษายน ๒๕๖๘")
        in changed
    )
    assert (
        squash(
            "และได้ประกาศใช้แผนพัฒนาท้องถิ่น (พ.ศ. ๒๕๖๖ – ๒๕๗๐) เพิ่มเติม ครั้งที่ ๑/๒๕๖๘ เมื่อวันที่"
            " ๑๒ กุมภาพันธ์ ๒๕๖๘ แล้ว นั้น"
        )
        in changed
    )
    assert "ประชาคม" not in changed  # ข้อ 22/1: no forum
    # the plan's own ประกาศ announces the adoption, not an edition, with the council's approval
    adoption = squash(_text(history["v3"] / "announcement.pdf"))
    assert squash("เรื่อง ประกาศใช้แผนพัฒนาท้องถิ่น (พ.ศ. ๒๕๖๖ – ๒๕๗๐)") in adoption
    assert "ครั้งที่๑/" not in adoption and "เปลี่ยนแปลง" not in adoption
    assert squash("เมื่อวันที่ ๑๕ สิงหาคม ๒๕๖๕") in adoption


def test_change_shows_before_and_after_with_reason_and_reference(
    history: dict[str, Path],
) -> None:
    text = _text(history["v3"] / "amendment-change-1-2568.pdf")
    flat = squash(text)
    start = flat.rindex(squash("รายละเอียดการเปลี่ยนแปลง (เดิม / ใหม่)"))
    table = flat[start:]
    reference = (
        "อ้างอิง แผนพัฒนาท้องถิ่น (พ.ศ. ๒๕๖๖ – ๒๕๗๐) แบบ ผ.๐๒ ยุทธศาสตร์ที่ ๑ กลยุทธ์ ๑.๑ (๑)"
        " แผนงานอุตสาหกรรมและการโยธา ลำดับที่ ๑ หน้า ๑๒"
    )
    assert squash(reference) in table
    # each as it was and as it becomes, row by row as the page shows them
    lines = pdftotext(history["v3"] / "amendment-change-1-2568.pdf", "-layout").splitlines()
    rows = [re.split(r"\s{2,}", line.strip()) for line in lines]
    was = next(i for i, r in enumerate(rows) if r[:2] == ["เดิม", "โครงการก่อสร้างถนน"])
    now = next(i for i, r in enumerate(rows) if r[:2] == ["ใหม่", "โครงการก่อสร้างถนน"])
    assert rows[was][3:8] == ["ถนนกว้าง ๔ เมตร ยาว", "-", "๔๐๐,๐๐๐", "๔๕๐,๐๐๐", "-"]
    assert rows[was + 1][2] == "๒๐๐ เมตร"
    assert rows[now][3:8] == ["ถนนกว้าง ๔ เมตร ยาว", "-", "๔๐๐,๐๐๐", "๕๒๐,๐๐๐", "-"]
    assert rows[now + 1][2] == "๒๔๐ เมตร"
    assert was < now
    reason = next(r for r in rows[now:] if r[0].startswith("เหตุผล"))
    assert reason == ["เหตุผล ราคาวัสดุสูงขึ้นและต่อระยะถนนถึงสะพาน"]
    # its forms carry the changed project alone, with its new figures
    for key in ("P02", "P03", "P04", "P05"):
        assert squash(NAMES[key]) not in flat, key
    assert squash("งบประมาณรวม ๕ ปี ๙๒๐,๐๐๐ บาท") in flat


def test_consolidated_book_says_so_with_every_edition(history: dict[str, Path]) -> None:
    cover = pdftotext(history["v3"] / "strategy.pdf", "-l", "1")
    assert "ฉบับรวมเล่ม" in cover
    flat = squash(cover)
    assert squash("เพิ่มเติม ครั้งที่ ๑/๒๕๖๘") in flat and squash("เปลี่ยนแปลง ครั้งที่ ๑/๒๕๖๘") in flat


def test_edition_without_approval_is_a_located_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _copy(tmp_path)
    _append(folder, ADDED + ADDITION.replace("    approved: 2568-02-10\n", ""))
    out = tmp_path / "out"
    assert (
        main(["edition", str(folder), "--root", str(tmp_path / "archive"), "--out", str(out)]) == 1
    )
    err = capsys.readouterr().err
    line = (folder / "plan.yaml").read_text(encoding="utf-8").splitlines().index("  - kind: เพิ่มเติม")
    assert re.search(
        rf"plan\.yaml:{line + 1}:5: editions\[0\]: เพิ่มเติม ครั้งที่ 1/2568 has no approval", err
    ), err
    assert not out.exists()
    assert main(["build", str(folder), "--out", str(out)]) == 1  # nor does the plan build
    assert "has no approval" in capsys.readouterr().err


def _problems(folder: Path) -> list[str]:
    with pytest.raises(PlanInvalid) as caught:
        check(folder)
    return [str(p) for p in caught.value.problems]


def test_validation_knows_each_kind_s_process(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _append(
        folder,
        ADDED.replace("amendment: เพิ่มเติม ครั้งที่ 1/2568", "amendment: เพิ่มเติม ครั้งที่ 9/2568")
        + ADDITION.replace("    forum: 2568-01-25\n", "")
        + CHANGE.replace("number: 1", "number: 2")
        + CHANGE_APPENDICES.replace("order.png", "order.gif"),
    )
    found = _problems(folder)
    text = "\n".join(found)
    assert "projects[4].amendment: no edition is named 'เพิ่มเติม ครั้งที่ 9/2568'" in text
    assert (
        "editions[0]: เพิ่มเติม ครั้งที่ 1/2568: a เพิ่มเติม under clause 22 is considered by the local community forum (forum)"
        in text
    )
    assert (
        "editions[1].number: เปลี่ยนแปลง ครั้งที่ 2/2568: the เปลี่ยนแปลง editions of 2568 are numbered 1, 2, 3 … in order; this one should be 1"
        in text
    )
    # the edition's appendices, checked at their lines as the plan's are
    lines = (folder / "plan.yaml").read_text(encoding="utf-8").splitlines()
    for n, said in (
        (0, "editions[1].appendices[0].file: the file 'editions/council-2-2568.pdf' is not"),
        (1, "editions[1].appendices[1].file: 'editions/order.gif': an appendix is a PDF"),
    ):
        line = next(i for i, t in enumerate(lines, 1) if t.startswith("      - {title:")) + n
        assert any(p.startswith(f"{folder / 'plan.yaml'}:{line}:") and said in p for p in found)
    assert all(re.match(r".*plan\.yaml:\d+:\d+: ", p) for p in found), found
    assert len(found) == 5, found


def test_validation_of_changes_and_executive_only_clauses(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _edit(folder, OLD_P01, NEW_P01.replace("เปลี่ยนแปลง ครั้งที่ 1/2568", "เพิ่มเติม ครั้งที่ 1/2568"))
    # ข้อ 22/2 and แก้ไข (ข้อ 21): the executive alone; no reasons file needed
    _append(
        folder,
        "editions:\n"
        "  - {kind: เพิ่มเติม, clause: 22/2, number: 1, year: 2568, approved: 2568-03-01}\n"
        "  - {kind: แก้ไข, number: 1, year: 2568, approved: 2568-03-02, announced: 2568-03-01}\n",
    )
    text = "\n".join(_problems(folder))
    assert "changed[0].edition: เพิ่มเติม ครั้งที่ 1/2568 adds items and changes none" in text
    assert (
        "editions[1].announced: แก้ไข ครั้งที่ 1/2568: announced 2568-03-01, before its approval (2568-03-02)"
        in text
    )
    assert "considered by" not in text and "reasons" not in text


def test_missing_approval_is_said_in_thai(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _copy(tmp_path)
    _append(folder, ADDED + ADDITION.replace("    approved: 2568-02-10\n", ""))
    assert main(["--lang", "th", "validate", str(folder)]) == 1
    err = capsys.readouterr().err
    assert "ฉบับที่ ๑ (editions[0]): เพิ่มเติม ครั้งที่ 1/2568 ยังไม่มีวันที่อนุมัติ: เพิ่ม 'approved'" in err


def test_edition_command_builds_from_the_archive_or_a_base_folder(
    history: dict[str, Path], tmp_path: Path
) -> None:
    plan, root = str(history["plan"]), str(history["root"])
    assert main(["edition", plan, "--root", root, "--out", str(tmp_path / "a")]) == 0
    base = str(history["v2"] / "plan")
    assert (
        main(["edition", plan, "--root", "nowhere", "--base", base, "--out", str(tmp_path / "b")])
        == 0
    )
    names = ["amendment-change-1-2568.pdf", "announcement-change-1-2568.pdf"]
    for name in names:
        made = [(tmp_path / o / "thot-long" / "2568" / name).read_bytes() for o in ("a", "b")]
        assert made[0] == made[1], name  # the same base: the same bytes
    assert main(["edition", plan, "--root", "nowhere", "--out", str(tmp_path / "c")]) == 1
    assert not (tmp_path / "c").exists()  # v2 is not in "nowhere": refused, nothing written


SCALE = 2  # rendering scale: 144 dpi
BAND = 2.5 / 2.54 * 72  # the top margin, where the book's page number stands (points)


def _render(data: Path | bytes, index: int) -> Image.Image:
    document = pypdfium2.PdfDocument(data)
    try:
        return document[index].render(scale=SCALE).to_pil().convert("RGB")
    finally:
        document.close()


def test_edition_book_carries_its_own_appendices(history: dict[str, Path]) -> None:
    """The เปลี่ยนแปลง's book ends with its ภาคผนวก (a 1-page PDF and a PNG): listed in its
    contents and bookmarks at their pages, numbered with the book, pages unaltered; the
    archive holds the files, and verifies."""
    book = history["v3"] / "amendment-change-1-2568.pdf"
    pages = pdfium_pages(book)
    minutes = next(i for i, page in enumerate(pages, 1) if "Council minutes 2/2568" in page)
    assert minutes == len(pages) - 1  # the divider before it, the order's page after it
    assert "ภาคผนวก" in pages[minutes - 2]
    contents = " ".join(pdftotext(book, "-layout", "-f", "2", "-l", str(minutes - 2)).split())
    contents = contents[contents.index("สารบัญ") :]
    heads = [re.findall("\u2010\u00a0([๐-๙ก-ฮ]+)\u00a0\u2010", page) for page in pages]
    divider = heads[minutes - 2]
    assert len(divider) == 1 and divider[0].isdigit(), divider  # the body's numbers (๑, ๒, …)
    body = int(thai.arabic_digits(divider[0]))
    for title, n in (
        ("ภาคผนวก", body),
        ("รายงานการประชุมสภา สมัยที่ ๒/๒๕๖๘", body + 1),
        ("คำสั่งแต่งตั้งคณะกรรมการ", body + 2),
    ):
        assert re.search(rf"{title} ?\.+ ?{thai.thai_digits(n)}\b", contents), (title, contents)
    for page, n in ((minutes, body + 1), (minutes + 1, body + 2)):  # numbered with the book
        assert heads[page - 1] == [thai.thai_digits(n)], heads[page - 1]
    with pikepdf.open(book) as pdf, pdf.open_outline() as outline:
        top = next(item for item in outline.root if item.title == "ภาคผนวก")
        marks = [
            (item.title, pdf.pages.index(pikepdf.Page(item.destination[0])) + 1)
            for item in top.children
        ]
    assert marks == [
        ("รายงานการประชุมสภา สมัยที่ ๒/๒๕๖๘", minutes),
        ("คำสั่งแต่งตั้งคณะกรรมการ", minutes + 1),
    ]
    # The PDF's page: the same pixels below the band of the book's number.
    source = history["plan"] / "editions" / "council-2-2568.pdf"
    alone, bound = _render(source, 0), _render(book, minutes - 1)
    assert alone.size == bound.size
    below = (0, round(BAND * SCALE), alone.width, alone.height)
    assert ImageChops.difference(alone.crop(below), bound.crop(below)).getbbox() is None
    # The PNG: its own pixels, drawn without loss (the page holds them as they are).
    with pikepdf.open(book) as pdf:
        images = [
            pikepdf.PdfImage(x).as_pil_image().convert("RGB")
            for x in pdf.pages[minutes].Resources.XObject.values()
            if x.get("/Subtype") == "/Image"
        ]
    with Image.open(history["plan"] / "editions" / "order.png") as png:
        assert len(images) == 1
        assert ImageChops.difference(images[0], png.convert("RGB")).getbbox() is None
    # The archive holds the edition's files, and the earlier book (v2) has no ภาคผนวก.
    for name in ("council-2-2568.pdf", "order.png"):
        frozen = history["v3"] / "plan" / "editions" / name
        assert frozen.read_bytes() == (history["plan"] / "editions" / name).read_bytes()
    assert archive.verify(history["v3"]) == []
    assert "ภาคผนวก" not in squash(_text(history["v2"] / "amendment-add-1-2568.pdf"))


def test_diff_orders_plans_by_their_editions(
    history: dict[str, Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The plan at its เปลี่ยนแปลง named as the older, against the archived version before
    it (v2, at its เพิ่มเติม): refused for its edition, in English and in Thai; the right
    order goes on."""
    plan, v2 = history["plan"], history["v2"]
    assert main(["diff", str(plan), str(v2)]) == 1
    assert capsys.readouterr().err.startswith(
        f"{plan} looks newer than {v2}: its edition 'เปลี่ยนแปลง ครั้งที่ 1/2568' comes after"
        " 'เพิ่มเติม ครั้งที่ 1/2568'. diff takes the older first"
    )
    monkeypatch.setenv("SAOREPORT_LANG", "th")
    assert main(["diff", str(plan), str(v2)]) == 1
    assert capsys.readouterr().err.startswith(
        f"{plan} ดูใหม่กว่า {v2}: ฉบับนี้คือ 'เปลี่ยนแปลง ครั้งที่ 1/2568' ซึ่งอยู่หลัง"
        " 'เพิ่มเติม ครั้งที่ 1/2568' คำสั่ง diff ต้องระบุฉบับเดิมก่อน"
    )
    monkeypatch.setenv("SAOREPORT_LANG", "en")
    assert main(["diff", str(v2), str(plan)]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out.splitlines()[1].startswith(f"newer (after): {plan}")


def test_workbook_round_trip_keeps_amendments_and_changes(
    history: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """export --xlsx, then import --into: each item keeps the edition that added it and the
    editions that changed it, with why (a reason with a comma, a colon and braces too)."""
    folder = tmp_path / "thot-long"
    shutil.copytree(history["plan"], folder)
    reason = "ราคาวัสดุสูงขึ้น, ต่อระยะ: 40 เมตร {ถึงสะพาน} [ตามมติ]"
    _edit(folder, "reason: ราคาวัสดุสูงขึ้นและต่อระยะถนนถึงสะพาน", f"reason: {reason!r}")
    before = check(folder).plan
    book = tmp_path / "book.xlsx"
    assert main(["export", str(folder), "--xlsx", str(book)]) == 0
    assert main(["import", str(book), "--into", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "projects: 0 added, 0 changed, 0 removed, 5 unchanged" in out, out
    after = check(folder).plan
    items = [*before.projects, *before.equipment]
    assert [(i.id, i.amendment, i.changed) for i in [*after.projects, *after.equipment]] == [
        (i.id, i.amendment, i.changed) for i in items
    ]
    assert [c.reason for p in after.projects for c in p.changed] == [reason]
    assert sum(1 for i in items if i.amendment) == 3  # P04, P05 and E02


def test_the_original_page_is_found_in_the_archived_book(
    history: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The เปลี่ยนแปลง's reference to P01 takes its page from the book of the version it
    amends (v2's strategy.pdf: the page of ผ.02 holding P01, by its printed number) when
    changed[].page is not typed; a typed page that differs is kept, with a note."""
    pages = pdfium_pages(history["v2"] / "strategy.pdf")
    holding = [p for p in pages if squash(NAMES["P01"]) in squash(p) and "แบบ ผ.๐๒" in p]
    assert len(holding) == 1
    printed = re.findall("\u2010\u00a0([๐-๙]+)\u00a0\u2010", holding[0])  # its printed number
    assert len(printed) == 1, printed
    page = thai.arabic_digits(printed[0])
    folder = tmp_path / "thot-long"
    shutil.copytree(history["plan"], folder)
    root = str(history["root"])

    def reference(out: str) -> str:
        assert main(["edition", str(folder), "--root", root, "--out", str(tmp_path / out)]) == 0
        book = tmp_path / out / "thot-long" / "2568" / "amendment-change-1-2568.pdf"
        flat = squash(_text(book))
        start = flat.rindex("อ้างอิง")
        return flat[start : flat.index("เดิม", start)]

    typed = reference("typed")
    assert typed.endswith(squash("ลำดับที่ ๑ หน้า ๑๒")), typed
    err = capsys.readouterr().err
    assert (
        "the page of the original is typed as 12, but the archived book it amends shows it on"
        f" page {page}" in err
    ), err
    _edit(folder, ", page: 12}", "}")
    found = reference("found")
    assert found.endswith(squash(f"ลำดับที่ ๑ หน้า {printed[0]}")), found
    assert "page of the original" not in capsys.readouterr().err


def test_edition_appendices_count_in_the_cache_key(
    history: dict[str, Path], tmp_path: Path
) -> None:
    """A new scan of an edition's appended file makes its book's inputs differ."""
    from saoreport.pipeline import cache

    folder = tmp_path / "thot-long"
    shutil.copytree(history["plan"], folder)
    names = ("amendment-change-1-2568.pdf", "strategy.pdf", "announcement.pdf")
    before = {name: cache.key(check(folder), name) for name in names}
    _order(folder / "editions" / "order.png")  # the same picture: the same key
    assert {name: cache.key(check(folder), name) for name in names} == before
    with Image.open(folder / "editions" / "order.png") as image:
        image.rotate(180).save(folder / "editions" / "order.png")
    after = {name: cache.key(check(folder), name) for name in names}
    assert after["amendment-change-1-2568.pdf"] != before["amendment-change-1-2568.pdf"]
    assert after["strategy.pdf"] != before["strategy.pdf"]  # its archival copy embeds it
    assert after["announcement.pdf"] == before["announcement.pdf"]
