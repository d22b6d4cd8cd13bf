"""Images in the book: a phone photo prints sharp at 300 pixels per inch of its placed size
and no more (the book stays small), a file name with spaces works, a caption prints under its
image as "ภาพที่ ๑ …" and is listed in the สารบัญภาพ."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageFilter

from conftest import pdftotext, squash
from saoreport.cli import main
from test_pages import plan_yaml

PHOTO = "รูป ที่ทำการ.jpg"  # a name with a space, as phones and people name photos
GENERAL = f"""# ด้านกายภาพ

ที่ทำการองค์การบริหารส่วนตำบลตั้งอยู่ที่หมู่ที่ 1

![ที่ทำการองค์การบริหารส่วนตำบลตัวอย่าง]({PHOTO})

![](<{PHOTO}>)
"""


def phone_photo(path: Path) -> None:
    """A 4032 x 3024 JPEG of a phone's size in bytes (noise does not compress: ~4 MB)."""
    size = (4032, 3024)
    noise = Image.effect_noise(size, 60)
    ramp = Image.linear_gradient("L").resize(size)
    rings = Image.radial_gradient("L").resize(size)
    photo = Image.merge("RGB", (rings, noise, ramp)).filter(ImageFilter.GaussianBlur(1))
    photo.save(path, quality=92)


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One plan with the photo (shown twice: captioned, and again without a caption), built
    from two folders."""
    base = tmp_path_factory.mktemp("images")
    folder = base / "one" / "sao"
    (folder / "parts").mkdir(parents=True)
    (folder / "plan.yaml").write_text(plan_yaml(2), encoding="utf-8")
    (folder / "parts" / "1-general.md").write_text(GENERAL, encoding="utf-8")
    phone_photo(folder / "parts" / PHOTO)
    assert (folder / "parts" / PHOTO).stat().st_size > 3_000_000
    other = base / "two" / "elsewhere" / "sao"
    shutil.copytree(folder, other)
    made = {}
    for name, plan in (("one", folder), ("two", other)):
        assert main(["build", str(plan), "--out", str(base / f"out-{name}"), "-j", "1"]) == 0
        made[name] = next((base / f"out-{name}").glob("*/*/strategy.pdf"))
    return made


def test_photo_downsampled_to_300_ppi_at_its_placed_size(books: dict[str, Path]) -> None:
    pdf = books["one"]
    assert pdf.stat().st_size < 1_000_000
    listed = subprocess.run(
        ["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    images = [line.split() for line in listed]
    # Stored once (shown twice), across the text width (16 cm: 6.3 in x 300 = 1890 pixels)
    assert {(row[3], row[4], row[12], row[13]) for row in images} == {
        ("1889", "1417", "300", "300")
    }
    assert len({row[10] for row in images}) == 1  # one image object for both


def test_same_bytes_wherever_the_plan_folder_sits(books: dict[str, Path]) -> None:
    assert books["one"].read_bytes() == books["two"].read_bytes()


def test_spaced_name_caption_and_list_of_figures(books: dict[str, Path]) -> None:
    text = pdftotext(books["one"], "-layout")
    assert "![" not in text and "](" not in text
    pages = text.split("\f")
    listing = next(page for page in pages if "สารบัญภาพ" in page)
    found = re.search(r"ภาพที่ ๑ ที่ทำการองค์การบริหารส่วนตำบลตัวอย่าง\s*\.{3,}\s*(\S+)", listing)
    assert found is not None and "ภาพที่ ๒" not in listing  # the image without caption
    # The caption under its image, on the page the list names ("- ๑ -" at its head)
    heads = [page.strip().split("\n", 1)[0] for page in pages]
    page = pages[next(i for i, h in enumerate(heads) if re.search(rf"‐\s*{found.group(1)}\s*‐", h))]
    assert squash("ภาพที่ ๑ ที่ทำการองค์การบริหารส่วนตำบลตัวอย่าง") in squash(page)
    assert text.count("ภาพที่ ๑") == 2  # the list and the caption


def test_an_image_markdown_cannot_read_is_refused_at_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "sao"
    (folder / "parts").mkdir(parents=True)
    (folder / "plan.yaml").write_text(plan_yaml(1), encoding="utf-8")
    (folder / "parts" / "1-general.md").write_text(
        "# ก\n\nดู ![แผนที่](แผนที่ (1).png)\n", encoding="utf-8"
    )
    assert main(["validate", str(folder)]) == 1
    err = capsys.readouterr().err
    assert "1-general.md:3:4: ![แผนที่](แผนที่ (1).png) is not read as an image" in err
