"""Posters fit one page and say everything; the announcement carries the council's approval."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pikepdf
import pytest
import zxingcpp
from PIL import Image

from conftest import PLANS, pdfium_pages, pdftotext, squash
from saoreport import thai
from saoreport.cli import main
from saoreport.pipeline.batch import build_one
from saoreport.plan.validate import check

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def outputs(built: dict[str, Path]) -> dict[str, Path]:
    """slug -> the folder of its built documents."""
    return {slug: pdf.parent for slug, pdf in built.items()}


@pytest.mark.parametrize("slug", [p.name for p in PLANS])
@pytest.mark.parametrize("paper", ["a3", "a4"])
def test_poster_is_one_page_and_says_everything(
    outputs: dict[str, Path], slug: str, paper: str
) -> None:
    pdf = outputs[slug] / f"poster-{paper}.pdf"
    plan = check(ROOT / "plans" / slug).plan
    with pikepdf.open(pdf) as doc:
        assert len(doc.pages) == 1
        width, height = (float(v) for v in doc.pages[0].MediaBox[2:])
        expected = {"a3": (841.9, 1190.6), "a4": (595.3, 841.9)}[paper]
        assert abs(width - expected[0]) < 1 and abs(height - expected[1]) < 1
    # Content order: poppler's reading order would interleave a two-column list's lines.
    for text in (pdftotext(pdf, "-raw"), pdfium_pages(pdf)[0]):
        flat = squash(text)
        for item in [plan.vision, *plan.missions, *plan.goals, plan.organization.name]:
            assert squash(thai.digits(item, plan.thai_digits)) in flat, item


def test_poster_uses_the_page(outputs: dict[str, Path], tmp_path: Path) -> None:
    """Ink from the top of the sheet to its foot, and no empty band across it."""
    for slug in outputs:
        for paper in ("a3", "a4"):
            prefix = tmp_path / f"{slug}-{paper}"
            pdf = outputs[slug] / f"poster-{paper}.pdf"
            subprocess.run(
                ["pdftoppm", "-r", "20", "-gray", "-png", str(pdf), str(prefix)], check=True
            )
            image = Image.open(next(tmp_path.glob(f"{slug}-{paper}*.png")))
            ink = Image.eval(image, lambda v: 255 if v < 200 else 0)
            width, height = ink.size
            inked = [ink.crop((0, y, width, y + 1)).getbbox() is not None for y in range(height)]
            top, bottom = inked.index(True), height - inked[::-1].index(True)
            assert top < height * 0.06 and bottom > height * 0.92, (slug, paper, top, bottom)
            gaps = "".join("x" if row else " " for row in inked[top:bottom]).split("x")
            assert max(len(g) for g in gaps) < height * 0.08, (slug, paper)


def test_qr_code_decodes_to_the_website(outputs: dict[str, Path], tmp_path: Path) -> None:
    plan = check(ROOT / "plans" / "demo").plan
    for paper in ("a3", "a4"):
        prefix = tmp_path / paper
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                "150",
                "-png",
                str(outputs["demo"] / f"poster-{paper}.pdf"),
                str(prefix),
            ],
            check=True,
        )
        image = Image.open(next(tmp_path.glob(f"{paper}*.png")))
        found = [b.text for b in zxingcpp.read_barcodes(image)]
        assert found == [plan.organization.website]


def test_text_that_cannot_fit_fails_clearly(
    plan_copy, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = plan_copy("nong-hang")
    plan = folder / "plan.yaml"
    text = plan.read_text(encoding="utf-8")
    goal = "  - ประชาชนมีความรู้เรื่องการดูแลสุขภาพเบื้องต้นและการป้องกันโรคอย่างเป็นระบบ ทุกครัวเรือนทุกหมู่บ้าน\n"
    plan.write_text(text + goal * 5, encoding="utf-8")  # A3 still fits; A4 cannot
    out = tmp_path / "out"
    assert main(["build", str(folder), "--out", str(out), "-j", "1"]) == 1
    err = capsys.readouterr().err
    assert "poster A4: the vision, missions and goals do not fit on A4" in err
    assert "16 pt official" in err and "Shorten the vision, missions or goals" in err
    assert "Traceback" not in err
    # Issue 14, point 13: the documents that can be made are made; only A4 is missing.
    assert sorted(p.name for p in out.rglob("*.pdf")) == ["poster-a3.pdf", "strategy.pdf"]


def test_announcement_carries_the_approval(outputs: dict[str, Path]) -> None:
    plan = check(ROOT / "plans" / "demo").plan
    pdf = outputs["demo"] / "announcement.pdf"
    approval = plan.plan.approval
    assert approval is not None
    for text in (pdftotext(pdf), pdfium_pages(pdf)[0]):
        flat = " ".join(text.split())
        assert "ประกาศองค์การบริหารส่วนตำบลตัวอย่าง" in flat
        # the adoption the council approved, not the edition the plan is at (issue 28: an
        # edition has its own ประกาศ, with its own approval)
        assert "เรื่อง ประกาศใช้แผนพัฒนาท้องถิ่น (พ.ศ. ๒๕๖๖ – ๒๕๗๐) ด้วย" in flat
        assert "ครั้งที่ ๑/๒๕๖๘" not in flat
        said = f"{approval.session} {approval.meeting} เมื่อวันที่ ๑๕ สิงหาคม ๒๕๖๗"
        assert squash(thai.thai_digits(said)) in squash(flat)
        assert "ประกาศ ณ วันที่ ๑ กันยายน ๒๕๖๗" in flat
        assert "(นายสมมุติ ใจดี)" in flat and "นายกองค์การบริหารส่วนตำบลตัวอย่าง" in flat
        assert not re.search(r"[0-9]", flat.replace("ผ.0", ""))  # Thai digits throughout
    with pikepdf.open(pdf) as doc:
        assert len(doc.pages) == 1


def test_announcement_digits_follow_the_plan(plan_copy, tmp_path: Path) -> None:
    folder = plan_copy("demo")
    plan = folder / "plan.yaml"
    plan.write_text(
        plan.read_text(encoding="utf-8").replace("digits: thai", "digits: arabic"), encoding="utf-8"
    )
    result = build_one(folder, tmp_path)
    assert result.error is None, result.error
    text = " ".join(pdftotext(tmp_path / "demo" / "2568" / "announcement.pdf").split())
    assert "เมื่อวันที่ 15 สิงหาคม 2567" in text and "(พ.ศ. 2566 – 2570)" in text


def test_garuda_emblem_sits_where_the_rules_say(plan_copy, tmp_path: Path) -> None:
    folder = plan_copy("demo")
    Image.new("RGB", (300, 330), (150, 20, 20)).save(folder / "garuda.png")
    plan = folder / "plan.yaml"
    plan.write_text(
        plan.read_text(encoding="utf-8").replace(
            "  logo: logo.svg\n", "  logo: logo.svg\n  emblem: garuda.png\n"
        ),
        encoding="utf-8",
    )
    result = build_one(folder, tmp_path)
    assert result.error is None, result.error
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "100",
            "-png",
            str(tmp_path / "demo" / "2568" / "announcement.pdf"),
            str(tmp_path / "a"),
        ],
        check=True,
    )
    image = Image.open(next(tmp_path.glob("a*.png"))).convert("RGB")
    mask = Image.new("L", image.size)  # the emblem is the only red on the page
    pixels = image.get_flattened_data() if hasattr(image, "get_flattened_data") else image.getdata()
    mask.putdata([255 if r > 100 and g < 60 else 0 for r, g, _ in pixels])
    box = mask.getbbox()
    assert box is not None
    cm = 100 / 2.54
    top, height = box[1] / cm, (box[3] - box[1]) / cm
    assert abs(top - 1.5) < 0.15 and abs(height - 3.0) < 0.15, (top, height)
    centre = (box[0] + box[2]) / 2 / cm
    assert abs(centre - (3 + (21 - 5) / 2)) < 0.2  # centred on the text block
