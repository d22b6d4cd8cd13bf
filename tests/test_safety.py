"""Bad input cannot reach outside the plan, and a failed build leaves earlier output intact."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import pdftotext
from saoreport.errors import BuildFailed
from saoreport.pdf import layout
from saoreport.pipeline.batch import build_one


def test_plan_text_is_escaped(plan_copy, tmp_path: Path) -> None:
    folder = plan_copy("khi-lek")
    plan = folder / "plan.yaml"
    text = plan.read_text(encoding="utf-8")
    evil = "ชุมชน <img src='file:///etc/hostname'> & <b>ตัวหนา</b>"
    plan.write_text(
        re.sub(r"^vision: .*$", f'vision: "{evil}"', text, flags=re.M), encoding="utf-8"
    )
    result = build_one(folder, tmp_path / "out")
    assert result.error is None, result.error
    assert evil in " ".join(pdftotext(result.outputs[0]).split())


def test_the_document_may_not_read_outside(tmp_path: Path) -> None:
    html = "<html><body><p>x</p><img src='file:///etc/hostname'></body></html>"
    with pytest.raises(BuildFailed, match="may not read file:///etc/hostname"):
        layout.write_pdf(html, tmp_path, [tmp_path], 0)
    with pytest.raises(BuildFailed, match="may not read http://"):
        layout.write_pdf("<img src='http://127.0.0.1:9/x.png'>", tmp_path, [tmp_path], 0)


def test_failed_build_keeps_the_previous_pdf(
    plan_copy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = plan_copy("nong-hang")
    out = tmp_path / "out"
    first = build_one(folder, out)
    assert first.error is None
    before = first.outputs[0].read_bytes()

    # An invalid plan: nothing is written.
    plan = folder / "plan.yaml"
    good = plan.read_text(encoding="utf-8")
    plan.write_text(good.replace("fiscal_year: 2570", "fiscal_year: 2580"), encoding="utf-8")
    assert build_one(folder, out).error is not None
    assert first.outputs[0].read_bytes() == before

    # A layout that fails half way: nothing is written, no temporary file is left.
    plan.write_text(good.replace("ชุมชนเข้มแข็ง", "ชุมชนเข้มแข็งมาก", 1), encoding="utf-8")

    def broken(*args: object, **kwargs: object) -> bytes:
        raise BuildFailed("disk on fire")

    monkeypatch.setattr(layout.Layout, "write_pdf", broken)
    # Each document that cannot be made is reported (issue 14, point 13: the others are built).
    assert build_one(folder, out).error.splitlines()[0] == "disk on fire"
    assert first.outputs[0].read_bytes() == before
    names = sorted(p.name for p in first.outputs[0].parent.iterdir())
    assert names == [".saoreport-cache.json", "poster-a3.pdf", "poster-a4.pdf", "strategy.pdf"]
