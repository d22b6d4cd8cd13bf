"""Issue 25, second hostile round: workbooks and pages (points 3, 4, 6 and two items of 9).

Nothing in a workbook is dropped without a located note (error cells, formulas saved without
their values, hidden sheets, ids given twice), and a cell that could not be read makes the
import exit 1 and write nothing unless --accept-losses; hostile workbooks are refused within
5 s of CPU and 500 MB of address space (resource limits on a subprocess, not timings);
only regular files are read, within a size counted as read; a page's form fields are not
its text, and a page with more than 50 missions gives a plan that validates.
"""

from __future__ import annotations

import os
import resource
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from conftest import ROOT
from saoreport.cli import main
from saoreport.plan.validate import check

YEARS = [2566, 2567, 2568, 2569, 2570]
HEADER = ["ที่", "โครงการ", "วัตถุประสงค์", "เป้าหมาย (ผลผลิตของโครงการ)", *map(str, YEARS)]
HEADER += ["ตัวชี้วัด (KPI)", "ผลที่คาดว่าจะได้รับ", "หน่วยงานที่รับผิดชอบหลัก"]
FIRST = 7  # the first project's row


def detail_sheet(
    ws: Worksheet, projects: list[tuple[str, list[object]]], ids: bool = False
) -> None:
    """A ผ.02 sheet: heading lines, a one-row header (years E-I), a project per row."""
    lines = [
        "รายละเอียดโครงการพัฒนา",
        "แผนพัฒนาท้องถิ่น (พ.ศ. 2566 - 2570)",
        "องค์การบริหารส่วนตำบลหนองบัว",
        "1. ยุทธศาสตร์การพัฒนาด้านโครงสร้างพื้นฐาน",
        "(1) แผนงานอุตสาหกรรมและการโยธา",
    ]
    for row, line in enumerate(lines, 1):
        ws.cell(row, 1, line)
    for col, label in enumerate([*HEADER, *(["saoreport id"] if ids else [])], 1):
        ws.cell(FIRST - 1, col, label)
    for i, (name, budgets) in enumerate(projects):
        row = FIRST + i
        cells: list[object] = [i + 1, name, "เพื่อการสัญจร", "ยาว 200 ม.", *budgets]
        cells += ["ถนน 1 สาย", "สัญจรสะดวก", "กองช่าง"]
        for col, value in enumerate(cells, 1):
            ws.cell(row, col, value)


def book_of(path: Path, projects: list[tuple[str, list[object]]], ids: bool = False) -> Path:
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "ผ.02"
    detail_sheet(ws, projects, ids)
    book.save(path)
    return path


def run(*argv: str) -> tuple[int, str, str]:
    import io
    from contextlib import redirect_stderr, redirect_stdout

    err, out = io.StringIO(), io.StringIO()
    with redirect_stderr(err), redirect_stdout(out):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


# Point 3: workbook cells dropped without a word ----------------------------------------------


def test_p3_error_cells_are_noted(tmp_path: Path) -> None:
    book = book_of(
        tmp_path / "errors.xlsx",
        [
            ("โครงการก่อสร้างถนน", ["#DIV/0!", "#REF!", "#N/A", 100000, "-"]),
            ("โครงการขุดลอกคลอง", [50000, "-", "-", "-", "-"]),
        ],
    )
    plans = tmp_path / "plans"
    code, _, err = run("import", str(book), "--slug", "x", "--out", str(plans))
    assert code == 1
    for cell, error in (("E7", "#DIV/0!"), ("F7", "#REF!"), ("G7", "#N/A")):
        year = YEARS["EFG".index(cell[0])]
        assert f"{book}:ผ.02!{cell}: budget {year}: holds the error {error}, not an amount" in err
    assert "correct the formula in the workbook, or type the amount" in err
    assert "not written: 3 cells could not be read" in err and "--accept-losses" in err
    assert not (plans / "x").exists()
    code, out, err = run("import", str(book), "--slug", "x", "--out", str(plans), "--accept-losses")
    assert code == 0, err
    assert "3 notes" in out
    plan = check(plans / "x").plan
    assert [p.budget for p in plan.projects] == [{2569: 100000}, {2566: 50000}]
    written = (plans / "x" / "plan.yaml").read_text(encoding="utf-8")
    assert f"#   {book}:ผ.02!F7: budget 2567: holds the error #REF!" in written


def test_p3_formulas_without_values_are_noted(tmp_path: Path) -> None:
    """openpyxl writes formulas with no saved value, as some tools do: calamine reads ''."""
    book = book_of(
        tmp_path / "formulas.xlsx",
        [("โครงการก่อสร้างถนน", ["=1000*2", 30000, "=SUM(E7:F7)", "-", "-"])],
    )
    wb = __import__("openpyxl").load_workbook(book)
    wb["ผ.02"]["C7"] = "=B7"  # a text field: its text is not in the file either
    wb.save(book)
    plans = tmp_path / "plans"
    code, _, err = run("import", str(book), "--slug", "x", "--out", str(plans))
    assert code == 1 and not (plans / "x").exists()
    assert (
        f"{book}:ผ.02!E7: budget 2566: holds a formula (=1000*2) saved without its value, not an"
        " amount: open the workbook in Excel or LibreOffice and save it" in err
    )
    assert f"{book}:ผ.02!G7: budget 2568: holds a formula (=SUM(E7:F7)) saved" in err
    assert f"{book}:ผ.02!C7: holds a formula (=B7) saved without its value" in err
    code, _, err = run("import", str(book), "--slug", "x", "--out", str(plans), "--accept-losses")
    assert code == 0, err
    (project,) = check(plans / "x").plan.projects
    assert project.budget == {2567: 30000}


def test_p3_error_cells_in_an_ods_are_noted(tmp_path: Path) -> None:
    """LibreOffice's .ods keeps an error as the cell's text; calamine gives ''."""
    book = book_of(tmp_path / "errors.xlsx", [("โครงการก่อสร้างถนน", ["=1/0", 5000, "-", "-", "-"])])
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "ods", "--outdir", str(tmp_path), str(book)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    ods = tmp_path / "errors.ods"
    plans = tmp_path / "plans"
    code, _, err = run("import", str(ods), "--slug", "x", "--out", str(plans))
    assert code == 1 and not (plans / "x").exists()
    assert f"{ods}:ผ.02!E7: budget 2566: holds the error #DIV/0!, not an amount" in err


def soffice(source: Path, to: str) -> Path:
    subprocess.run(
        ["soffice", "--headless", "--convert-to", to, "--outdir", str(source.parent), str(source)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return source.with_suffix(f".{to}")


def test_p3_error_cells_in_an_xls_are_noted(tmp_path: Path) -> None:
    """An .xls keeps an error as a BOOLERR or FORMULA record; calamine gives ''."""
    book = book_of(
        tmp_path / "errors.xlsx", [("โครงการก่อสร้างถนน", [5000, "#REF!", "=1/0", "-", "-"])]
    )
    xls = soffice(book, "xls")
    plans = tmp_path / "plans"
    code, _, err = run("import", str(xls), "--slug", "x", "--out", str(plans))
    assert code == 1 and not (plans / "x").exists()
    assert f"{xls}:ผ.02!F7: budget 2567: holds the error #REF!, not an amount" in err
    assert f"{xls}:ผ.02!G7: budget 2568: holds the error #DIV/0!, not an amount" in err


def test_p3_hidden_sheets_are_left_out_with_a_note(tmp_path: Path) -> None:
    book = Workbook()
    current = book.active
    assert current is not None
    current.title = "ผ.02"
    detail_sheet(current, [("โครงการก่อสร้างถนน", [100000, "-", "-", "-", "-"])])
    stale = book.create_sheet("ผ.02 เก่า")
    detail_sheet(stale, [("โครงการเก่าที่ยกเลิกแล้ว", [999000, "-", "-", "-", "-"])])
    stale.sheet_state = "hidden"
    macro = book.create_sheet("ข้อมูล")
    detail_sheet(macro, [("โครงการของมาโคร", [1, "-", "-", "-", "-"])])
    macro.sheet_state = "veryHidden"
    path = tmp_path / "hidden.xlsx"
    book.save(path)
    plans = tmp_path / "plans"
    code, _, err = run("import", str(path), "--slug", "x", "--out", str(plans))
    assert code == 0, err
    assert [p.name for p in check(plans / "x").plan.projects] == ["โครงการก่อสร้างถนน"]
    assert f"{path}:ผ.02 เก่า: a hidden sheet, usually an old copy: left out." in err
    assert "unhide it" in err
    assert f"{path}:ข้อมูล: a very hidden sheet (only a macro shows it): left out" in err


def test_p3_an_id_given_twice_is_noted(tmp_path: Path) -> None:
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "ผ.02"
    detail_sheet(
        ws,
        [
            ("โครงการก่อสร้างถนน", [100000, "-", "-", "-", "-"]),
            ("โครงการขุดลอกคลอง", [50000, "-", "-", "-", "-"]),
        ],
        ids=True,
    )
    ws["M7"], ws["M8"] = "P0007", "P0007"
    path = tmp_path / "ids.xlsx"
    book.save(path)
    plans = tmp_path / "plans"
    code, _, err = run("import", str(path), "--slug", "x", "--out", str(plans))
    assert code == 0, err
    assert [p.id for p in check(plans / "x").plan.projects] == ["P0007", "P0001"]
    assert (
        f"{path}:ผ.02!M8: id 'P0007' (also at {path}:ผ.02!M7) in the id column: given the new"
        " id P0001" in err
    )


# Point 4: workbooks that kill the process ----------------------------------------------------

LIMIT_AS = 500 << 20
LIMIT_CPU = 5


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT_AS, LIMIT_AS))
    resource.setrlimit(resource.RLIMIT_CPU, (LIMIT_CPU, LIMIT_CPU))


def limited(*argv: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """`saoreport ARGV` in a process of at most 500 MB and 5 s of CPU."""
    return subprocess.run(
        [sys.executable, "-m", "saoreport", *argv],
        capture_output=True,
        text=True,
        preexec_fn=_limits,
        timeout=timeout,
        cwd=ROOT,
    )


def assert_refused(done: subprocess.CompletedProcess[str], path: Path, *words: str) -> None:
    said = done.stdout + done.stderr
    assert done.returncode == 1, (done.returncode, said[-3000:])
    assert "Traceback" not in said and "panicked" not in said and "internal error" not in said
    assert done.stderr.startswith(f"{path}: "), said[-3000:]
    for word in words:
        assert word in done.stderr, said[-3000:]


XLSX_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
        '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
        '"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument'
        '.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType='
        '"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
    ),
    "_rels/.rels": (
        f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" Type="{DOC}/officeDocument"'
        ' Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        f'<workbook xmlns="{XLSX_MAIN}" xmlns:r="{DOC}"><sheets><sheet name="ผ.02" sheetId="1"'
        ' r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" Type="{DOC}/worksheet"'
        ' Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{DOC}/sharedStrings"'
        ' Target="sharedStrings.xml"/></Relationships>'
    ),
}
SHEET_HEAD = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{XLSX_MAIN}"><sheetData>'
SHEET_TAIL = "</sheetData></worksheet>"


def xlsx(path: Path, sheet: str, shared: list[str] | None = None) -> Path:
    """A minimal .xlsx, written part by part."""
    strings = "".join(f"<si><t>{s}</t></si>" for s in shared or [])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for name, text in PARTS.items():
            book.writestr(name, text)
        book.writestr("xl/sharedStrings.xml", f'<sst xmlns="{XLSX_MAIN}">{strings}</sst>')
        book.writestr("xl/worksheets/sheet1.xml", SHEET_HEAD + sheet + SHEET_TAIL)
    return path


def test_p4_far_cell_is_refused(tmp_path: Path) -> None:
    """One cell in A1 and one in XFD1048576: calamine would hold the 17 billion between."""
    path = xlsx(
        tmp_path / "far.xlsx",
        '<row r="1"><c r="A1"><v>1</v></c></row>'
        '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>',
    )
    assert path.stat().st_size < 2000
    done = limited("import", str(path), "--out", str(tmp_path / "plans"))
    assert_refused(done, path, "row 1,048,576, column 16,384", "delete what is far outside")


def _shared_rows() -> str:
    """20,000 rows of 10 cells, each the shared string 0."""
    return "".join(
        f'<row r="{r}">'
        + "".join(f'<c r="{c}{r}" t="s"><v>0</v></c>' for c in "ABCDEFGHIJ")
        + "</row>"
        for r in range(1, 20_001)
    )


def test_p4_shared_string_references_are_refused(tmp_path: Path) -> None:
    """200,000 references to one 30,000-character shared string (6 billion characters)."""
    path = xlsx(tmp_path / "shared.xlsx", _shared_rows(), ["ก" * 30_000])
    assert path.stat().st_size < 1_500_000
    done = limited("import", str(path), "--out", str(tmp_path / "plans"))
    assert_refused(done, path, "more than 20,000,000 characters of text")


def _zip_bomb(path: Path, size: int) -> None:
    """An .xlsx whose sheet is *size* bytes of cells, deflated: one block compressed once
    and repeated (a full flush makes each copy stand alone), the zip written byte by byte."""
    row = b"<row>" + b"<c><v>1</v></c>" * 100 + b"</row>"
    block = row * ((1 << 20) // len(row))
    count = size // len(block)
    head, tail = SHEET_HEAD.encode(), SHEET_TAIL.encode()
    squeeze = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = squeeze.compress(head) + squeeze.flush(zlib.Z_FULL_FLUSH)
    middle = squeeze.compress(block) + squeeze.flush(zlib.Z_FULL_FLUSH)
    last = squeeze.compress(tail) + squeeze.flush(zlib.Z_FINISH)
    crc = zlib.crc32(head)
    for _ in range(count):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(tail, crc)
    data = first + middle * count + last
    plain = len(head) + len(block) * count + len(tail)
    small = tmp = path.with_suffix(".parts.xlsx")
    xlsx(small, "")
    with zipfile.ZipFile(small) as parts:
        entries = [
            (i.filename, parts.read(i)) for i in parts.infolist() if "sheet1" not in i.filename
        ]
    tmp.unlink()
    out = bytearray()
    central = bytearray()

    def entry(name: bytes, raw: bytes, crc: int, plain: int, method: int) -> None:
        offset = len(out)
        out.extend(
            struct.pack(
                "<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0, crc, len(raw), plain, len(name), 0
            )
        )
        out.extend(name + raw)
        central.extend(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0,
                method,
                0,
                0,
                crc,
                len(raw),
                plain,
                len(name),
                0,
                0,
                0,
                0,
                0,
                offset,
            )  # fmt: skip
            + name
        )

    for name, content in entries:
        entry(name.encode(), content, zlib.crc32(content), len(content), 0)
    entry(b"xl/worksheets/sheet1.xml", data, crc, plain, 8)
    count_all = len(entries) + 1
    out.extend(central)
    out.extend(
        struct.pack(
            "<IHHHHIIH",
            0x06054B50,
            0,
            0,
            count_all,
            count_all,
            len(central),
            len(out) - len(central),
            0,
        )
    )
    path.write_bytes(bytes(out))


def test_p4_zip_bomb_is_refused(tmp_path: Path) -> None:
    """6 MB that decompress to 2.1 GB of cells (deflate gives at most about 1,000 to 1)."""
    path = tmp_path / "bomb.xlsx"
    _zip_bomb(path, 2100 << 20)
    assert path.stat().st_size < 8 << 20
    with zipfile.ZipFile(path) as book:  # a well-formed zip: the sizes are the true ones
        assert sum(i.file_size for i in book.infolist()) > 2000 << 20
    done = limited("import", str(path), "--out", str(tmp_path / "plans"))
    assert_refused(done, path, "MB once decompressed (at most 256 MB)")


def test_p4_parts_named_twice_are_refused(tmp_path: Path) -> None:
    """Two sheet1.xml: a harmless one, then one with a cell in XFD1048576."""
    import warnings

    path = xlsx(tmp_path / "twice.xlsx", '<row r="1"><c r="A1"><v>1</v></c></row>')
    with warnings.catch_warnings(), zipfile.ZipFile(path, "a") as book:
        warnings.simplefilter("ignore")  # zipfile warns of the duplicate name
        book.writestr(
            "xl/worksheets/sheet1.xml",
            SHEET_HEAD + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>' + SHEET_TAIL,
        )
    done = limited("import", str(path), "--out", str(tmp_path / "plans"))
    assert_refused(done, path, "two parts named 'xl/worksheets/sheet1.xml'")


def test_p4_ods_repeated_cells_are_refused(tmp_path: Path) -> None:
    """An .ods of 1 kB: one cell repeated over 10,000 columns and 5,000 rows (calamine's own
    cap is 100 million cells; these 50 million take it past 1.6 GB)."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content'
        ' xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="ผ.02">'
        '<table:table-row table:number-rows-repeated="5000"><table:table-cell'
        ' office:value-type="float" office:value="1" table:number-columns-repeated="10000">'
        "<text:p>1</text:p></table:table-cell></table:table-row></table:table>"
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
        '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type='
        '"application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry'
        ' manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )
    path = tmp_path / "repeated.ods"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr(
            "mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED
        )
        book.writestr("META-INF/manifest.xml", manifest)
        book.writestr("content.xml", content)
    done = limited("import", str(path), "--out", str(tmp_path / "plans"))
    assert_refused(done, path, "more than 1,000,000 cells hold something")


def test_p4_xls_far_cell_is_refused(tmp_path: Path) -> None:
    """An .xls (65,536 rows of 256 columns at most) with a cell in A1 and one in IV65536."""
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws["A1"], ws["IV65536"] = 1, 2
    book.save(tmp_path / "far.xlsx")
    path = soffice(tmp_path / "far.xlsx", "xls")
    done = limited("import", str(path), "--out", str(tmp_path / "plans"))
    assert_refused(done, path, "row 65,536, column 256")


def test_p4_xls_shared_string_references_are_refused(tmp_path: Path) -> None:
    """An .xls of 5,000 cells referring to one 30,000-character shared string (the SST
    record and its CONTINUE records hold it once): 150 million characters once read, past
    500 MB in calamine. (5,000, not 200,000: LibreOffice takes minutes to write those.)"""
    import xlsxwriter

    source = tmp_path / "shared.xlsx"
    book = xlsxwriter.Workbook(str(source))
    ws = book.add_worksheet("ผ.02")
    text = "ก" * 30_000
    for row in range(500):
        for col in range(10):
            ws.write_string(row, col, text)
    book.close()
    path = soffice(source, "xls")
    assert path.stat().st_size < 1 << 20
    done = limited("import", str(path), "--out", str(tmp_path / "plans"))
    assert_refused(done, path, "more than 20,000,000 characters of text")


def test_p4_the_city_workbook_imports_within_the_same_limits(tmp_path: Path) -> None:
    """The limits are not the refusals' doing: a real workbook imports under them."""
    city = ROOT / "tests" / "fixtures" / "xlsx" / "city.xlsx"
    done = limited("import", str(city), "--out", str(tmp_path), "--accept-losses")
    assert done.returncode == 0, done.stderr[-3000:]
    assert "10 projects" in done.stdout


# Point 6: inputs that hang -------------------------------------------------------------------


def test_p6_import_of_dev_zero(tmp_path: Path) -> None:
    """stat says 0 bytes; reading never ends (7.6 GB read before the process died)."""
    path = Path("/dev/zero")
    done = limited("import", str(path), "--out", str(tmp_path / "plans"))
    assert_refused(done, path, "not a file (a device, a pipe or a folder)")


@pytest.mark.parametrize("name", ["page.html", "book.xlsx"])
def test_p6_import_of_a_fifo(tmp_path: Path, name: str) -> None:
    """A named pipe with no writer: opening it to read would wait forever."""
    path = tmp_path / name
    os.mkfifo(path)
    done = limited("import", str(path), "--out", str(tmp_path / "plans"), timeout=60)
    assert_refused(done, path, "not a file (a device, a pipe or a folder)")


# Point 9: web pages --------------------------------------------------------------------------

PAGE = """<html><body><h2>วิสัยทัศน์</h2><p>ตำบลน่าอยู่ ชุมชนเข้มแข็ง</p>
<h2>พันธกิจ</h2><ol>{missions}</ol>{extra}<h2>เป้าประสงค์</h2><ol><li>ประชาชนมีคุณภาพชีวิตที่ดี</li></ol>
</body></html>"""


@pytest.mark.parametrize("tag", ["textarea", "xmp", "plaintext"])
def test_p9_form_fields_are_not_missions(tmp_path: Path, tag: str) -> None:
    inside = "<li>ข้อความในช่องกรอกความคิดเห็น</li>ข้อความที่ผู้ชมพิมพ์ไว้"
    page = PAGE.format(missions="<li>พัฒนาโครงสร้างพื้นฐาน</li>", extra="")
    if tag == "plaintext":  # no end tag: the rest of the page is its content
        page = page.replace("</body>", f"<{tag}>{inside}</body>")
    else:
        page = page.replace("</ol>", f"</ol><{tag}>{inside}</{tag}>", 1)
    source = tmp_path / "page.html"
    source.write_text(page, encoding="utf-8")
    code, _, err = run("import", str(source), "--slug", "x", "--out", str(tmp_path / "plans"))
    assert code == 0, err
    plan = check(tmp_path / "plans" / "x").plan
    assert plan.missions == ["พัฒนาโครงสร้างพื้นฐาน"]
    written = (tmp_path / "plans" / "x" / "plan.yaml").read_text(encoding="utf-8")
    assert "ช่องกรอก" not in written and "ผู้ชมพิมพ์" not in written


def test_p9_more_than_50_missions_give_a_plan_that_validates(tmp_path: Path) -> None:
    missions = "".join(f"<li>พันธกิจการพัฒนาด้านที่ {n}</li>" for n in range(1, 61))
    source = tmp_path / "page.html"
    source.write_text(PAGE.format(missions=missions, extra=""), encoding="utf-8")
    code, _, err = run("import", str(source), "--slug", "x", "--out", str(tmp_path / "plans"))
    assert code == 0, err
    plan = check(tmp_path / "plans" / "x").plan
    assert plan.missions == [f"พันธกิจการพัฒนาด้านที่ {n}" for n in range(1, 51)]
    for n in range(51, 61):
        assert f"left out (the plan holds at most 50 missions): พันธกิจการพัฒนาด้านที่ {n}" in err
    written = (tmp_path / "plans" / "x" / "plan.yaml").read_text(encoding="utf-8")
    assert "the plan holds at most 50 missions: พันธกิจการพัฒนาด้านที่ 60" in written


def test_p3_an_infinite_or_nan_amount_is_not_an_amount() -> None:
    """A cell holding inf (a workbook can) was an internal error (int(inf))."""
    from saoreport.excel.forms import money

    for value in (float("inf"), float("-inf"), float("nan")):
        read = money(value)
        assert read.baht is None and read.error, value
