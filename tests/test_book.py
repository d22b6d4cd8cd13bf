"""The whole official book: its parts in order, its narrative Markdown files, its schema."""

from __future__ import annotations

import io
import json
import re
import sys
from collections import Counter
from pathlib import Path

import jsonschema
import pdfplumber
import pikepdf
import pytest
from PIL import Image

from conftest import pdfium_pages, pdftotext, squash
from saoreport import cli, thai
from saoreport.document import render
from saoreport.errors import PlanInvalid
from saoreport.pipeline.documents import Documents
from saoreport.plan.validate import check

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from make_plan import make_plan  # noqa: E402

RIGHT = 595.28 - 2 / 2.54 * 72  # the text block's right edge: right margin 2 cm

LONG = (
    "องค์การบริหารส่วนตำบลทดสอบมีภารกิจในการจัดบริการสาธารณะให้แก่ประชาชนในพื้นที่ ทั้งด้านโครงสร้างพื้นฐาน"
    " ด้านคุณภาพชีวิต ด้านการศึกษาและวัฒนธรรม และด้านการบริหารจัดการทรัพยากรธรรมชาติและสิ่งแวดล้อม"
    " โดยยึดหลักการมีส่วนร่วมของประชาชนและความโปร่งใสในการดำเนินงานทุกขั้นตอน"
)
BOLD = "การจัดบริการสาธารณะ"
ITALIC = "ด้านคุณภาพชีวิต"
# LONG again, with a bold and an italic run.
MARKED = LONG.replace(BOLD, f"**{BOLD}**", 1).replace(ITALIC, f"*{ITALIC}*", 1)
GENERAL = f"""# ข้อมูลทั่วไปของตำบลทดสอบ

{LONG}

## จำนวนประชากร

| หมู่ที่ | ชื่อหมู่บ้าน | ชาย | หญิง |
| :-: | --- | --: | --: |
| 1 | บ้านทดสอบใต้ | 412 | 398 |
| 2 | บ้านหนองน้ำใส | 275 | 301 |

- ผู้สูงอายุได้รับเบี้ยยังชีพครบทุกคน
- มีศูนย์พัฒนาเด็กเล็ก 2 แห่ง

1. ทิศเหนือ ติดต่อกับตำบลน้ำคำ
2. ทิศใต้ ติดต่อกับตำบลดอนใหญ่

![แผนที่ตำบล](map.png)
"""
MONITORING = f"""# วิธีการติดตามและประเมินผล

คณะกรรมการติดตามและประเมินผลรายงานผลต่อผู้บริหารท้องถิ่นปีละสองครั้ง

{MARKED}
"""


def _plan_folder(folder: Path) -> Path:
    """A small plan (five projects) with every narrative file, an image and macro-plan links
    (but no line ข.)."""
    folder.mkdir(parents=True)
    text = make_plan(5).replace("  logo: logo.svg\n", "")
    # make_plan gives every strategy its lines ก.–จ.; leave line ข. out, to see it left out.
    text = re.sub(r"^      master_plan: .*\n", "", text, flags=re.M)
    assert "      national: ยุทธศาสตร์ที่ 2 ด้านการสร้างความสามารถในการแข่งขัน\n" in text
    (folder / "plan.yaml").write_text(text, encoding="utf-8")
    (folder / "parts").mkdir()
    (folder / "preface.md").write_text("คำนำของแผนพัฒนาท้องถิ่นฉบับทดสอบ\n", encoding="utf-8")
    (folder / "parts" / "1-general.md").write_text(GENERAL, encoding="utf-8")
    (folder / "parts" / "5-monitoring.md").write_text(MONITORING, encoding="utf-8")
    image = Image.new("RGB", (120, 60), (30, 90, 160))
    image.save(folder / "parts" / "map.png")
    return folder


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = _plan_folder(tmp_path_factory.mktemp("book") / "test-sao")
    checked = check(folder)
    pdf = folder / "strategy.pdf"
    pdf.write_bytes(Documents(checked).strategy())
    return folder, pdf


def test_markdown_text_comes_back_exactly(book: tuple[Path, Path]) -> None:
    _, pdf = book
    strings = [
        "ข้อมูลทั่วไปของตำบลทดสอบ",
        LONG,
        "จำนวนประชากร",
        "ผู้สูงอายุได้รับเบี้ยยังชีพครบทุกคน",
        "มีศูนย์พัฒนาเด็กเล็ก 2 แห่ง",
        "ทิศเหนือ ติดต่อกับตำบลน้ำคำ",
        "ทิศใต้ ติดต่อกับตำบลดอนใหญ่",
        "วิธีการติดตามและประเมินผล",
        "คณะกรรมการติดตามและประเมินผลรายงานผลต่อผู้บริหารท้องถิ่นปีละสองครั้ง",
        "คำนำของแผนพัฒนาท้องถิ่นฉบับทดสอบ",
    ]
    rows = ["๑ บ้านทดสอบใต้ ๔๑๒ ๓๙๘", "๒ บ้านหนองน้ำใส ๒๗๕ ๓๐๑"]  # a table row, cell by cell
    for text in (pdftotext(pdf, "-raw"), "".join(pdfium_pages(pdf))):
        flat = squash(text)
        for s in strings:
            assert squash(thai.digits(s, True)) in flat, s
        for row in rows:
            assert squash(row) in flat, row
    # The ordered list is numbered in the plan's digits.
    assert re.search(r"^๑\. ทิศเหนือ", pdftotext(pdf), re.M)


@pytest.mark.parametrize("paragraph", [LONG, MARKED], ids=["plain", "bold"])
def test_markdown_paragraph_is_justified_thai_distributed(
    book: tuple[Path, Path], paragraph: str
) -> None:
    """Each line of a long paragraph but its last reaches the right edge of the text block,
    though a Thai line has one or two spaces to stretch; bold and italic runs stay so."""
    _, pdf = book
    xml = pdftotext(pdf, "-bbox")
    pattern = r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]+)<'
    target = squash(paragraph.replace("*", ""))
    pages = list(enumerate(xml.split("<page ")[1:]))
    # The marked paragraph (in ส่วนที่ ๕) repeats the plain one (ส่วนที่ ๑): look from the end.
    for number, page in pages if paragraph == LONG else reversed(pages):
        lines: list[list[tuple[float, float, str]]] = []
        top = -100.0
        words = [
            (float(y0), float(x0), float(x1), w) for x0, y0, x1, w in re.findall(pattern, page)
        ]
        for y0, x0, x1, word in sorted(words):
            if y0 - top > 4:  # marks above a word move its box up a little: same line
                lines.append([])
                top = y0
            lines[-1].append((x0, x1, word))
        lines = [sorted(line) for line in lines]
        ours = [v for v in lines if squash("".join(w[2] for w in v)) in target]
        ours = [v for v in ours if len(squash("".join(w[2] for w in v))) > 10]
        if len(ours) >= 3:
            first_word, last_word = ours[0][0][2], ours[-1][0][2]
            top = min(y0 for y0, _, _, w in words if w == first_word)
            # what follows the paragraph on its page (ส่วนที่ ๕'s scoring tables) is not its
            bottom = max(y0 for y0, _, _, w in words if w == last_word)
            at = number
            break
    else:
        pytest.fail("the long paragraph was not found")
    assert squash("".join(w[2] for v in ours for w in v)) == target
    for line in ours[:-1]:
        assert max(w[1] for w in line) > RIGHT - 1.5, line
    assert max(w[1] for w in ours[-1]) < RIGHT - 20  # the last line stays short
    if paragraph != LONG:
        # The characters drawn in the bold face, and in the italic one, are the runs' own
        # (pdfplumber orders a word's marks by x: compare them as multisets).
        with pdfplumber.open(pdf) as doc:
            foot = doc.pages[at].height - 2 / 2.54 * 72  # the bottom margin: a draft's mark
            chars = [c for c in doc.pages[at].chars if top - 5 < c["top"] < min(bottom + 5, foot)]
        faces = {
            face: Counter(c["text"] for c in chars if face in c["fontname"] and c["text"] != " ")
            for face in ("Bold", "Italic")
        }
        assert faces["Bold"] == Counter(BOLD) and faces["Italic"] == Counter(ITALIC), faces


def test_image_table_headings_contents_and_bookmarks(book: tuple[Path, Path]) -> None:
    _, pdf = book
    pages = pdftotext(pdf).split("\f")
    with pikepdf.open(pdf) as doc:
        (page,) = [i for i, text in enumerate(pages) if "ข้อมูลทั่วไปของตำบลทดสอบ\n" in text]
        images = [
            x
            for x in doc.pages[page].Resources.get("/XObject", {}).values()
            if x.get("/Subtype") == "/Image"
        ]
        assert [(int(x.Width), int(x.Height)) for x in images] == [(120, 60)]
        with doc.open_outline() as outline:
            tree = {item.title: [c.title for c in item.children] for item in outline.root}
    assert list(tree) == [
        "คำนำ",
        "ส่วนที่ ๑ สภาพทั่วไปและข้อมูลพื้นฐาน",
        "ส่วนที่ ๓ ยุทธศาสตร์ขององค์กรปกครองส่วนท้องถิ่น",
        "ส่วนที่ ๔ การนำแผนพัฒนาท้องถิ่นไปสู่การปฏิบัติ",
        "ส่วนที่ ๕ การติดตามและประเมินผล",
    ]
    assert tree["ส่วนที่ ๑ สภาพทั่วไปและข้อมูลพื้นฐาน"] == ["ข้อมูลทั่วไปของตำบลทดสอบ"]
    assert tree["ส่วนที่ ๕ การติดตามและประเมินผล"] == [
        "วิธีการติดตามและประเมินผล",
        "เกณฑ์การติดตามและประเมินผล",  # the scoring tables that follow the narrative
    ]
    # The "##" heading is a bookmark one level down, not in the contents.
    toc = next(p for p in pages if "สารบัญ" in p)
    assert "ข้อมูลทั่วไปของตำบลทดสอบ" in toc and "จำนวนประชากร" not in toc
    # ส่วนที่ ๓ opens with the macro-plan links of the strategy that has them.
    part3 = next(p for p in pages if "ความเชื่อมโยงกับแผนพัฒนาระดับมหภาค" in p and "สารบัญ" not in p)
    for line in (
        "ก. ยุทธศาสตร์ชาติ ๒๐ ปี",
        "ยุทธศาสตร์ที่ ๒ ด้านการสร้างความสามารถในการแข่งขัน",
        "ง. ยุทธศาสตร์จังหวัด",
    ):
        assert squash(line) in squash(part3), line
    assert "ข. แผนแม่บท" not in part3  # a link the plan does not give is left out


def _problems(folder: Path) -> list[str]:
    with pytest.raises(PlanInvalid) as info:
        check(folder)
    return [str(p).replace(str(folder) + "/", "") for p in info.value.problems]


def test_raw_html_and_outside_images_are_refused_with_file_and_line(tmp_path: Path) -> None:
    folder = _plan_folder(tmp_path / "sao")
    (tmp_path / "secret.png").write_bytes((folder / "parts" / "map.png").read_bytes())
    (folder / "parts" / "1-general.md").write_text(
        "# หัวข้อ\n\nข้อความ <span style='color:red'>แดง</span> ต่อ\n\n"
        '<div class="x">\nก้อน\n</div>\n\n'
        "![ลับ](../../secret.png)\n\n![ไม่มี](nothere.png)\n\n![เว็บ](https://example.org/a.png)\n",
        encoding="utf-8",
    )
    (folder / "parts" / "4-extra.md").write_text("ส่วนเกิน\n", encoding="utf-8")
    md = "write it in Markdown (** for bold, | for tables)"
    assert _problems(folder) == [
        "parts/1-general.md:3:9: raw HTML is not allowed: \"<span style='color:red'>\"; " + md,
        "parts/1-general.md:3:36: raw HTML is not allowed: '</span>'; " + md,
        "parts/1-general.md:5:1: raw HTML is not allowed: '<div class=\"x\">'; " + md,
        "parts/1-general.md:9:8: image '../../secret.png' is outside the plan folder "
        + str(folder)
        + ": copy it in",
        "parts/1-general.md:11:10: image 'nothere.png' is not there: put the file in the plan"
        " folder, or correct its name",
        "parts/1-general.md:13:9: image 'https://example.org/a.png': only files inside the"
        " plan folder are shown; copy it into the plan folder",
        "parts/4-extra.md:1:1: not a part of the plan: the narrative files are preface.md,"
        " parts/1-general.md, parts/2-results.md, parts/3-analysis.md, parts/5-monitoring.md;"
        " rename it or move it out of parts/",
    ]


def test_cli_reports_narrative_problems_without_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _plan_folder(tmp_path / "sao")
    (folder / "parts" / "5-monitoring.md").write_text(
        "# ก\n\nข้อความ\n\n![x](/etc/hosts)\n", encoding="utf-8"
    )
    assert cli.main(["validate", str(folder)]) == 1
    err = capsys.readouterr().err
    assert err.strip() == (
        f"{folder}/parts/5-monitoring.md:5:6: image '/etc/hosts' is outside the plan folder {folder}: copy it in"
    )


def test_raw_html_reaching_the_renderer_is_escaped() -> None:
    """Validation refuses raw HTML; should any reach the renderer, it prints as text."""
    from markupsafe import escape

    from saoreport.document import markdown

    source = "ก <script>x()</script> ข\n\n<div>ค</div>\n"
    out = markdown.render(source, "general", "parts/", escape, str, lambda: 0)
    assert "<script>" not in out.html and "<div>" not in out.html
    assert "&lt;script&gt;" in out.html and "&lt;div&gt;" in out.html


def test_schema_validates_every_shipped_plan(capsys: pytest.CaptureFixture[str]) -> None:
    from ruamel.yaml import YAML

    assert cli.main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())

    def as_editor_sees(file: Path) -> object:
        # An editor's YAML language server sees keys and dates as strings.
        data = YAML(typ="safe").load(file.read_text(encoding="utf-8"))
        return json.loads(json.dumps(data, default=str))

    plans = sorted((ROOT / "plans").glob("*/plan.yaml"))
    assert len(plans) >= 3
    for file in plans:
        assert [e.message for e in validator.iter_errors(as_editor_sees(file))] == [], file
    # and it does find what the validator would refuse
    bad = as_editor_sees(ROOT / "plans" / "demo" / "plan.yaml")
    assert isinstance(bad, dict)
    bad["projects"][0]["budget"]["2566"] = -5
    bad["settings"]["colour"] = "red"
    bad["organization"]["type"] = "เมือง"
    messages = sorted(e.message for e in validator.iter_errors(bad))
    assert len(messages) == 3, messages


def test_demo_has_every_part_in_the_official_order(built: dict[str, Path]) -> None:
    pages = pdftotext(built["demo"]).split("\f")[:-1]

    def first(heading: str) -> int:
        # after the page number ("- ๑ -", "- ก -" in the front matter)
        found = [
            i
            for i, p in enumerate(pages)
            if re.sub(r"^\s*‐\s*\S+\s*‐\s*\n", "", p).startswith(heading)
        ]
        assert found, heading
        return found[0]

    order = [
        first("แผนพัฒนาท้องถิ่น (พ.ศ. ๒๕๖๖ – ๒๕๗๐)\nของ\n"),
        first("ประกาศองค์การบริหารส่วนตำบลตัวอย่าง\nเรื่อง ประกาศใช้แผนพัฒนาท้องถิ่น"),
        first("คำนำ\n"),
        first("สารบัญ\n"),
        *(first(render.part_title(n, True)) for n in (1, 2, 3, 4)),
        *(  # every form, each page labelled in its box
            next(
                i
                for i, p in enumerate(pages)
                if i > first(render.part_title(4, True))  # not the contents
                and re.search(f"แบบ ผ\\.{code}(?![/๐-๙])", p)
            )
            for code in ("๐๑", "๐๑/๑", "๐๒", "๐๒/๑", "๐๒/๒", "๐๓")
        ),
        first(render.part_title(5, True)),
    ]
    assert order == sorted(order) and len(set(order)) == len(order), order
    # ส่วนที่ ๕ closes the book: no form and no other part after its first page.
    assert not any(
        re.search(r"แบบ ผ\.[๐-๙]", p) or re.match(r"[‐ ๐-๙\n]*ส่วนที่ [๑-๔] ", p)
        for p in pages[order[-1] :]
    )
    assert "เกณฑ์การติดตามและประเมินผล" in "".join(pages[order[-1] :])  # its scoring tables
    cover = pages[0]
    for line in ("องค์การบริหารส่วนตำบลตัวอย่าง", "อำเภอเมืองสมมุติ จังหวัดอุบลราชธานี"):
        assert f"\n{line}\n" in cover
    assert (
        "ฉบับรวมเล่ม\nรวม เพิ่มเติม ครั้งที่ ๑/๒๕๖๘ และ เปลี่ยนแปลง ครั้งที่ ๑/๒๕๖๘" in cover
        and "งานนโยบายและแผน สำนักปลัด" in cover
    )
    # คำนำ is signed by the office that prepared the plan.
    preface = pages[order[2]]
    assert "งานนโยบายและแผน สำนักปลัด\nองค์การบริหารส่วนตำบลตัวอย่าง" in preface


def test_seed_plans_keep_the_official_part_numbers(built: dict[str, Path]) -> None:
    """Parts with nothing to show are left out; the others keep their official numbers."""
    for slug in ("nong-hang", "khi-lek"):
        text = pdftotext(built[slug])
        assert render.part_title(3, True) in text
        for gone in ("คำนำ", "ส่วนที่ ๑", "ส่วนที่ ๒", "ส่วนที่ ๔", "ส่วนที่ ๕", "ประกาศ"):
            assert gone not in text, (slug, gone)


def test_narrative_edits_reach_the_cache_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from saoreport.pipeline import cache

    _plan_folder(tmp_path / "sao")
    monkeypatch.chdir(tmp_path)
    folder = Path("sao")  # as typed on the command line: relative
    before = cache.key(check(folder), "strategy.pdf")
    poster = cache.key(check(folder), "poster-a4.pdf")
    image = Image.new("RGB", (120, 60), (200, 90, 160))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    (folder / "parts" / "map.png").write_bytes(buffer.getvalue())
    assert cache.key(check(folder), "strategy.pdf") != before
    assert cache.key(check(folder), "poster-a4.pdf") == poster  # posters show no narrative


def test_hostile_narrative_files_are_refused_with_their_place(tmp_path: Path) -> None:
    """Narrative files are read as carefully as plan.yaml: control characters, another
    encoding, a file too large and a link out of the plan folder are each a problem with its
    place, never a traceback."""
    folder = _plan_folder(tmp_path / "sao")
    (folder / "parts" / "1-general.md").write_text("# หัวข้อ\n\nข้อ\x07ความ\n", encoding="utf-8")
    (folder / "parts" / "2-results.md").write_bytes("ผลการพัฒนา\n".encode("cp874"))
    (folder / "parts" / "3-analysis.md").write_text("ก" * 400_000, encoding="utf-8")
    outside = tmp_path / "elsewhere.md"
    outside.write_text("ความลับ\n", encoding="utf-8")
    monitoring = folder / "parts" / "5-monitoring.md"
    monitoring.unlink(missing_ok=True)
    monitoring.symlink_to(outside)
    found = _problems(folder)
    assert (
        found[0]
        == "parts/1-general.md:3:4: U+0007 control character has no place in a narrative file: remove it"
    )
    assert found[1].startswith("parts/2-results.md:1:1: byte 0x") and "UTF-8" in found[1]
    assert found[2].startswith("parts/3-analysis.md:1:1: 1,200,000 bytes, where a narrative file")
    assert (
        found[3]
        == "parts/5-monitoring.md:1:1: is a link to a file outside its plan folder: copy the file in"
    )
    assert len(found) == 4
    assert "ความลับ" not in "\n".join(found)
