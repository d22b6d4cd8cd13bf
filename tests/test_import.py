"""`saoreport import`: a saved vision-and-mission page becomes a plan file that validates."""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import pdftotext, squash
from saoreport.cli import main
from saoreport.errors import SaoError
from saoreport.importers.web import (
    MAX_BYTES,
    PLACEHOLDERS,
    Found,
    import_page,
    page_lines,
    read_page,
)
from saoreport.pipeline.batch import build_one
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


def test_what_the_page_lacks_is_a_check_placeholder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "p.txt"
    source.write_text("วิสัยทัศน์\nดี\n", encoding="utf-8")
    assert main(["import", str(source), "--out", str(tmp_path / "plans")]) == 0
    target = tmp_path / "plans" / "p" / "plan.yaml"
    plan = check(target.parent).plan
    assert plan.vision == "ดี"
    assert plan.missions == [PLACEHOLDERS["missions"]]
    assert plan.goals == [PLACEHOLDERS["goals"].format(label="เป้าหมาย")]
    text = target.read_text(encoding="utf-8")
    assert "# CHECK: the page gives no missions" in text
    assert "# CHECK: the page gives no goals" in text
    assert "fill in the lines marked CHECK" in capsys.readouterr().out


def test_without_out_the_plan_goes_into_plans(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """--out is optional: plans/<slug>/plan.yaml of the current folder."""
    monkeypatch.chdir(tmp_path)
    Path("p.txt").write_text("วิสัยทัศน์\nดี\nพันธกิจ\n1. ถนนดี\n", encoding="utf-8")
    assert main(["import", "p.txt"]) == 0
    assert capsys.readouterr().out == (
        f"{Path('plans', 'p', 'plan.yaml')}: 1 mission, 1 goal, 0 strategies;"
        " fill in the lines marked CHECK\n"
    )
    assert check(tmp_path / "plans" / "p").plan.missions == ["ถนนดี"]


def test_a_page_with_nothing_to_import_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "p.txt"
    source.write_text("ข่าวประชาสัมพันธ์\nวันท้องถิ่นไทย 2562\n", encoding="utf-8")
    assert main(["import", str(source), "--out", str(tmp_path / "plans")]) == 1
    assert "found no vision, missions, goals or strategies" in capsys.readouterr().err
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


# The corpus: vision-and-mission pages of 35 real sites (stored public copies), each with the
# vision, missions, goals and strategies written by hand from reading the page.
PAGES = ROOT / "tests" / "fixtures" / "pages"
CORPUS = sorted(p.name.removesuffix(".expected.json") for p in PAGES.glob("*.expected.json"))
SECTIONS = ("missions", "goals", "strategies")


def imported(found: Found) -> dict[str, list[str]]:
    """What the importer found: {"vision": [] or [text], "missions": [...], ...}."""
    return {
        key: [text for _, text in getattr(found, key)][: 1 if key == "vision" else None]
        for key in ("vision", *SECTIONS)
    }


def expected_of(name: str) -> dict[str, list[str]]:
    expected = json.loads((PAGES / f"{name}.expected.json").read_text(encoding="utf-8"))
    vision = [expected["vision"]] if expected["vision"] is not None else []
    return {"vision": vision, **{key: expected[key] for key in SECTIONS}}


def test_the_corpus_is_thirty_pages_or_more_of_different_sites() -> None:
    urls = [json.loads((PAGES / f"{n}.expected.json").read_text())["url"] for n in CORPUS]
    assert len(CORPUS) >= 30
    assert len({urlsplit(url).hostname for url in urls}) == len(CORPUS)


@pytest.mark.parametrize("name", CORPUS)
def test_corpus_page_imports_exactly_and_validates(tmp_path: Path, name: str) -> None:
    source = next(PAGES.glob(f"{name}.*[!n]"))  # the page: .txt or .html
    expected = expected_of(name)
    assert main(["import", str(source), "--slug", name, "--out", str(tmp_path)]) == 0
    target, found = import_page(source, name, tmp_path, TODAY, force=True)
    assert imported(found) == expected
    plan = check(target.parent).plan  # validates as written
    assert plan.vision == (expected["vision"] or [PLACEHOLDERS["vision"]])[0]
    for key in ("missions", "goals"):
        placeholder = [PLACEHOLDERS[key].format(label=plan.goals_label)]
        assert getattr(plan, key) == (expected[key] or placeholder)
    assert [s.name for s in plan.strategies] == expected["strategies"]
    # Never lost: every line of the page is a heading, in the plan, or listed in its comments.
    text = target.read_text(encoding="utf-8")
    for number, why, left in found.left_out:
        assert f"#   {number}: {why}: {left}" in text
    lines = page_lines(source.read_text(encoding="utf-8"))
    assert {n for n, line in enumerate(lines, 1) if line.strip()} <= found.placed


def test_corpus_rates(capsys: pytest.CaptureFixture[str]) -> None:
    """Items word for word / items expected, pages fully right / pages (pytest -s -k rates)."""
    exact = expected_items = right = 0
    for name in CORPUS:
        source = next(PAGES.glob(f"{name}.*[!n]"))
        got, want = imported(read_page(source.read_text(encoding="utf-8"))), expected_of(name)
        right += got == want
        for key, items in want.items():
            expected_items += len(items)
            exact += sum(a == b for a, b in zip(got[key], items, strict=False))
    with capsys.disabled():
        print(
            f"\ncorpus: items exact {exact}/{expected_items}, pages fully right {right}/{len(CORPUS)}"
        )
    assert (exact, right) == (expected_items, len(CORPUS))


# Building takes about 2 s a plan: by default a PAO with strategies, a page with no vision and a
# vision over six lines; SAOREPORT_BUILD_CORPUS=1 builds every page of the corpus.
BUILT = (
    CORPUS if os.environ.get("SAOREPORT_BUILD_CORPUS") else ["saraburipao", "wangkaew", "tomboldu"]
)


@pytest.mark.parametrize("name", BUILT)
def test_corpus_plans_build(tmp_path: Path, name: str) -> None:
    """The imported plan builds at once, its vision and first mission in the strategy PDF."""
    source = next(PAGES.glob(f"{name}.*[!n]"))
    target, found = import_page(source, name, tmp_path / "plans", TODAY)
    result = build_one(target.parent, tmp_path / "build")
    assert result.error is None, result.error
    strategy = next(p for p in result.outputs if p.name == "strategy.pdf")
    text = squash(pdftotext(strategy))
    assert squash(found.vision[0][1] if found.vision else PLACEHOLDERS["vision"]) in text
    assert squash(found.missions[0][1] if found.missions else PLACEHOLDERS["missions"]) in text


# Hardening: what real pages and real files throw at the importer.
BASE = (
    "องค์การบริหารส่วนตำบลบ้านสมมุติ อำเภอเมือง จังหวัดขอนแก่น\nวิสัยทัศน์\n“บ้านสมมุติน่าอยู่”\n"
    "พันธกิจ\n1. พัฒนาถนน\n2. พัฒนาน้ำประปา\n"
)


def run_bytes(tmp_path: Path, data: bytes) -> tuple[Path, Found]:
    source = tmp_path / "page.txt"
    source.write_bytes(data)
    return import_page(source, "x", tmp_path / "plans", TODAY, force=True)


def assert_base(target: Path) -> None:
    plan = check(target.parent).plan  # validates, so it also loads
    assert (plan.vision, plan.missions) == ("บ้านสมมุติน่าอยู่", ["พัฒนาถนน", "พัฒนาน้ำประปา"])
    assert plan.organization.province == "ขอนแก่น"


@pytest.mark.parametrize(
    "footer",
    [
        "ติดต่อเรา องค์การบริหารส่วนตำบลบ้านสมมุติ โทร 043-123456 Copyright © 2567 สงวนลิขสิทธิ์",
        "Permanent link to this article: https://www.example.go.th/home/vision",
        "© 2567 อบต.บ้านสมมุติ",
    ],
)
def test_a_footer_glued_to_the_last_item_is_left_out(tmp_path: Path, footer: str) -> None:
    page = BASE.replace("พัฒนาน้ำประปา\n", f"พัฒนาน้ำประปา{footer}\nหน้าแรก\nเกี่ยวกับเรา\n")
    target, found = run(tmp_path, page)
    assert_base(target)
    text = target.read_text(encoding="utf-8")
    assert f"#   6: site footer: the page's content ends here: {footer}" in text
    assert "#   8: after the page's end (site footer): เกี่ยวกับเรา" in text


def test_an_oversized_page_is_refused_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "huge.html"
    with source.open("wb") as out:
        out.truncate(MAX_BYTES + 1)
    start = time.perf_counter()
    assert main(["import", str(source), "--out", str(tmp_path / "plans")]) == 1
    assert time.perf_counter() - start < 2
    err = capsys.readouterr().err
    assert "more than 10 MB, far more than a vision-and-mission page" in err
    assert "Traceback" not in err and not (tmp_path / "plans").exists()


def test_a_run_on_line_of_megabytes_is_no_item(tmp_path: Path) -> None:
    """A page's text run together (no line breaks) is left out, quickly, not made one goal."""
    page = BASE + "เป้าหมาย\n1. " + "ประชาชนมีรายได้ " * 60_000 + "\n"  # 2.7 MB, one line
    start = time.perf_counter()
    target, found = run(tmp_path, page)
    assert time.perf_counter() - start < 20
    assert_base(target)
    assert check(target.parent).plan.goals == [PLACEHOLDERS["goals"].format(label="เป้าหมาย")]
    assert target.stat().st_size < 20_000
    assert any(why.endswith("too long for one item") for _, why, _ in found.left_out)


def test_control_characters_are_removed(tmp_path: Path) -> None:
    page = BASE.replace("พัฒนาถนน", "พัฒนา\x00ถนน\x07").replace("น่าอยู่", "น่า\x1bอยู่\x0b")
    target, found = run(tmp_path, page)
    assert_base(target)
    notes = " ".join(message for _, message in found.flags)
    assert "U+0000" in notes and "U+0007" in notes and "U+001B" in notes


@pytest.mark.parametrize(
    "data",
    [b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64, b"\x00" * 5000, b"\xff\xfe\x00"],
)
def test_a_file_that_is_no_page_is_refused_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], data: bytes
) -> None:
    source = tmp_path / "page.html"
    source.write_bytes(data)
    assert main(["import", str(source), "--out", str(tmp_path / "plans")]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: {source}") or f"{source}" in err
    assert "Traceback" not in err and not (tmp_path / "plans").exists()


def test_invisible_characters_are_removed(tmp_path: Path) -> None:
    page = (
        BASE.replace("พัฒนาถนน", "พัฒนา\u200bถนน\u00ad")
        .replace("น่าอยู่", "\ufeffน่า\u200dอยู่\u2060")
        .replace("พัฒนาน้ำ", "พัฒนา\u200cน้ำ\u200e")
    )
    target, found = run(tmp_path, "\ufeff" + page)
    assert_base(target)
    notes = " ".join(message for _, message in found.flags)
    assert "ZERO WIDTH SPACE" in notes and "ZERO WIDTH NO-BREAK SPACE" in notes


def test_characters_not_in_the_font_are_dropped_and_reported(tmp_path: Path) -> None:
    page = (
        BASE.replace("พัฒนาถนน", "พัฒนาถนน 🚧")
        .replace("น่าอยู่", "น่าอยู่ 😀")
        .replace("บ้านสมมุติ อำเภอ", "บ้านสมมุติ🌸 อำเภอ")
    )
    target, found = run(tmp_path, page)
    assert_base(target)
    assert check(target.parent).plan.organization.name == "องค์การบริหารส่วนตำบลบ้านสมมุติ"
    notes = [(line, message) for line, message in found.flags if "not in the font" in message]
    assert [line for line, _ in notes] == [3, 5, 1]
    assert "U+1F600" in notes[0][1] and "U+1F6A7" in notes[1][1] and "U+1F338" in notes[2][1]


@pytest.mark.parametrize(
    ("encoding", "page", "said"),
    [
        ("tis-620", BASE.replace("“", '"').replace("”", '"'), "TIS-620"),
        ("cp874", BASE, "windows-874"),  # “ ” are 0x93 0x94 in windows-874 only
        ("utf-16", BASE, "UTF-16-LE with BOM"),
        ("utf-16-le", BASE, "UTF-16-LE without BOM"),
        ("utf-16-be", BASE, "UTF-16-BE without BOM"),
        ("utf-8-sig", BASE, "UTF-8 with BOM"),
        ("stray byte", BASE, "UTF-8 with 1 invalid byte replaced"),
    ],
)
def test_thai_legacy_and_utf16_pages_are_decoded(
    tmp_path: Path, encoding: str, page: str, said: str
) -> None:
    data = page.encode(encoding) if encoding != "stray byte" else page.encode() + b"\xff\n"
    target, found = run_bytes(tmp_path, data)
    assert_base(target)
    assert found.encoding == said
    assert f"({said}, sha256" in target.read_text(encoding="utf-8").splitlines()[0]
    if said != "UTF-8 with BOM":
        assert (1, f"the page was read as {said}") in found.flags


def test_the_organisation_and_its_type_come_from_the_page(tmp_path: Path) -> None:
    pao, _ = import_page(PAGES / "saraburipao.txt", "pao", tmp_path, TODAY)
    organization = check(pao.parent).plan.organization
    assert (organization.name, organization.type) == ("องค์การบริหารส่วนจังหวัดสระบุรี", "อบจ.")
    assert organization.province == "สระบุรี"
    town, _ = import_page(PAGES / "khaohuachang.txt", "town", tmp_path, TODAY)
    organization = check(town.parent).plan.organization
    assert (organization.name, organization.type) == ("เทศบาลตำบลเขาหัวช้าง", "เทศบาลตำบล")
    assert (organization.district, organization.province) == ("ตะโหมด", "พัทลุง")


def test_a_section_without_heading_only_when_the_page_has_none(tmp_path: Path) -> None:
    """A quoted slogan above the vision's heading is not the vision; it is listed."""
    page = "“สวนจิกแดนคนดี สตรีสาวโสภา”\nวิสัยทัศน์ (Vision)\n“การคมนาคมดี”\nพันธกิจ\n1. ถนนดี\n"
    target, found = run(tmp_path, page)
    assert check(target.parent).plan.vision == "การคมนาคมดี"
    assert (1, "before the first heading", "“สวนจิกแดนคนดี สตรีสาวโสภา”") in found.left_out


def test_a_lead_in_before_a_quoted_vision_on_its_line_is_listed(tmp_path: Path) -> None:
    page = "วิสัยทัศน์\nอบต.สมมุติ ได้กำหนดวิสัยทัศน์ไว้ว่า “ดี” ซึ่งหมายถึง ดีมาก\nพันธกิจ\n- ถนนดี\n"
    target, found = run(tmp_path, page)
    assert check(target.parent).plan.vision == "ดี"
    assert (2, "lead-in to the quoted vision", "อบต.สมมุติ ได้กำหนดวิสัยทัศน์ไว้ว่า") in found.left_out
    assert (2, "after the vision", "ซึ่งหมายถึง ดีมาก") in found.left_out


def test_a_saved_html_page_with_menus_and_footer(tmp_path: Path) -> None:
    """Menus name the sections too: a link is never a heading; menus and footers stay out."""
    page = (
        "<!DOCTYPE html><html><head><title>วิสัยทัศน์ - อบต.สมมุติ</title><meta charset=utf-8>"
        "<body><nav><a href=/>หน้าแรก</a><a href=/v>วิสัยทัศน์</a></nav>"
        "<table><tr><td><a href=/v>วิสัยทัศน์</a><br><a href=/m>พันธกิจ</a><br>"
        "<a href=/n>ข่าวประชาสัมพันธ์</a></td><td>"
        "<h1>องค์การบริหารส่วนตำบลสมมุติ อำเภอเมือง จังหวัดขอนแก่น</h1>"
        "<h2>วิสัยทัศน์</h2><p>&ldquo;ตำบลน่าอยู่<br>ชุมชนเข้มแข็ง&rdquo;</p>"
        "<h2>พันธกิจ</h2><ol><li>พัฒนาถนน</li><li>พัฒนา<a href=/w>แหล่งน้ำ</a></li></ol>"
        "</td></tr></table><div class=foot>อบต.สมมุติ ถนนมิตรภาพ โทร. 043-123456</div>"
        "<footer>องค์การบริหารส่วนตำบลอื่น อำเภออื่น จังหวัดอื่น</footer></body></html>"
    )
    target, found = run(tmp_path, page, "page.html")
    plan = check(target.parent).plan
    assert (plan.vision, plan.missions) == ("ตำบลน่าอยู่ ชุมชนเข้มแข็ง", ["พัฒนาถนน", "พัฒนาแหล่งน้ำ"])
    assert plan.organization.name == "องค์การบริหารส่วนตำบลสมมุติ"
    assert plan.organization.province == "ขอนแก่น"
    assert any(text == "วิสัยทัศน์" for _, _, text in found.left_out)  # the menu's link
    assert any("043-123456" in text for _, _, text in found.left_out)


def test_share_buttons_above_the_content_do_not_end_it(tmp_path: Path) -> None:
    page = BASE.replace("พันธกิจ\n", "Share on Facebook\nTweet\nพันธกิจ\n")
    target, found = run(tmp_path, page)
    assert_base(target)
    assert (4, "website text", "Share on Facebook") in found.left_out


@pytest.mark.parametrize(
    ("heading", "section"),
    [
        ("วิสัยทัศน์การพัฒนาเทศบาลตำบลท่าแพ", "vision"),
        ("วิสัยทัศน์ของเทศบาลตำบลปลายบาง", "vision"),
        ("วิสัยทัศน์ในการพัฒนาท้องถิ่น (VISION)", "vision"),
        ("(1) วิสัยทัศน์ (Vision)", "vision"),
        ("วิสัยทัศน์ : (Vision)", "vision"),
        ("4.1 วิสัยทัศน์การพัฒนาท้องถิ่น", "vision"),
        ("” วิสัยทัศน์ “", "vision"),
        ("(2) พันธกิจ", "missions"),
        ("พันธกิจในการพัฒนา", "missions"),
        ("4.2  พันธกิจการพัฒนา  (Mission)", "missions"),
        ("พันธกิจ หรือภารกิจหลักขององค์การบริหารส่วนตำบลสวนจิก", "missions"),
        ("– พันธกิจ มี 5 ข้อ ดังนี้ –", "missions"),
        ("เป้าประสงค์ที่ต้องการพัฒนา", "goals"),
        ("จุดมุ่งหมายเพื่อการพัฒนาท้องถิ่น", "goals"),
        ("1.2. เป้าประสงค์", "goals"),
        ("ยุทธศาสตร์การพัฒนา 4 ด้าน ดังนี้", "strategies"),
        ("ยุทธศาสตร์การพัฒนาท้องถิ่นขององค์การบริหารส่วนจังหวัดสระบุรี (พ.ศ. 2566-2570)", "strategies"),
    ],
)
def test_heading_variants(heading: str, section: str) -> None:
    found = read_page(f"{heading}\n1. ข้อหนึ่ง\n2. ข้อสอง\n")
    items = [text for _, text in getattr(found, section)]
    assert items == (["ข้อหนึ่ง"] if section == "vision" else ["ข้อหนึ่ง", "ข้อสอง"])


def test_mangled_pages_import_and_validate_or_are_refused_cleanly(tmp_path: Path) -> None:
    """Corpus pages with control, invisible, emoji, quote, markup and keyword debris put in at
    random places, or cut short: each imports into a plan that validates, or is refused."""
    rng = random.Random(16)
    pages = [(PAGES / f"{name}.txt").read_text(encoding="utf-8") for name in CORPUS]
    debris = [
        "\x00", "\x07", "\u200b", "😀", "“", "”", '"', "\n", ":", "(", ")", "1.", "วิสัยทัศน์",
        "พันธกิจ", "เป้าหมาย", "ยุทธศาสตร์ที่ 1", "#", "- ", "ดังนี้", "\ufeff", "<li>", "<p>",
        "&nbsp;", "\r", "ํา", "ุ่", "\\", "'", "{", "[", "*", "&", "%", "@", "`", "|", ">", "?",
    ]  # fmt: skip
    for i in range(300):
        text = rng.choice(pages)
        for _ in range(rng.randint(1, 12)):
            at = rng.randint(0, len(text))
            text = text[:at] + rng.choice(debris) + text[at:]
        if rng.random() < 0.3:
            text = text[: rng.randint(0, len(text))]
        source = tmp_path / f"p{i}.txt"
        source.write_text(text, encoding="utf-8")
        try:
            target, _ = import_page(source, f"p{i}", tmp_path / "plans", TODAY)
        except SaoError as error:
            assert "found no vision, missions, goals or strategies" in str(error)
            continue
        check(target.parent)
