"""Shared helpers: build plans once per session, read PDFs back as a person's tools would."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pypdfium2
import pytest

from saoreport.pipeline.batch import build_one

# The suite reads messages in English, the language of the code (its own processes and the
# commands it starts alike); tests/test_messages.py asks for Thai, the users' default.
os.environ["SAOREPORT_LANG"] = "en"

ROOT = Path(__file__).resolve().parents[1]
PLANS = sorted(p.parent for p in (ROOT / "plans").glob("*/plan.yaml"))


def pdftotext(pdf: Path | bytes, *args: str) -> str:
    if isinstance(pdf, bytes):
        return subprocess.run(
            ["pdftotext", *args, "-", "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode()
    return subprocess.run(
        ["pdftotext", *args, str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout


def pdfium_pages(pdf: Path | bytes) -> list[str]:
    doc = pypdfium2.PdfDocument(pdf)
    try:
        return [page.get_textpage().get_text_range() for page in doc]
    finally:
        doc.close()


def squash(text: str) -> str:
    """Text with all whitespace removed: line breaks in Thai text fall where no space was."""
    return re.sub(r"\s+", "", text)


def speedup(name: str) -> pytest.MarkDecorator:
    """The tests of one speed patch (pdf/speedups/): they run where the registry installs it,
    and are skipped with SAOREPORT_SPEEDUPS=0 or on a WeasyPrint it was not checked with
    (README: Trying a new WeasyPrint)."""
    from saoreport.pdf import speedups

    on = any(s.name == name for s in speedups.wanted())
    why = f"speed patch {name} off (SAOREPORT_SPEEDUPS=0, or not checked with this WeasyPrint)"
    return pytest.mark.skipif(not on, reason=why)


@pytest.fixture(scope="session")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Path]]:
    """Every shipped plan, built once: slug -> its documents (strategy.pdf first)."""
    out = tmp_path_factory.mktemp("build")
    found = {}
    for folder in PLANS:
        result = build_one(folder, out)
        assert result.error is None, result.error
        found[folder.name] = result.outputs
    return found


@pytest.fixture(scope="session")
def built(builds: dict[str, list[Path]]) -> dict[str, Path]:
    """Every shipped plan, built once: slug -> strategy.pdf."""
    return {slug: outputs[0] for slug, outputs in builds.items()}


@pytest.fixture
def plan_copy(tmp_path: Path):
    """Copy a shipped plan folder to tmp_path so a test can edit it."""

    def copy(slug: str) -> Path:
        target = tmp_path / slug
        shutil.copytree(ROOT / "plans" / slug, target)
        return target

    return copy


def demo_without_editions(folder: Path) -> Path:
    """A copy of plans/demo in *folder* without its editions (and so without their change
    records): a workbook from elsewhere names its own amendments, as free text."""
    shutil.copytree(ROOT / "plans" / "demo", folder)
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.width = 4096
    data = yaml.load((folder / "plan.yaml").read_text(encoding="utf-8"))
    del data["editions"]
    for item in [*data["projects"], *data["equipment"]]:
        item.pop("changed", None)
    with (folder / "plan.yaml").open("w", encoding="utf-8") as out:
        yaml.dump(data, out)
    return folder
