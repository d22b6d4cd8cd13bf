"""Rebuilds make again only what changed."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

import pytest

from saoreport.pipeline.batch import build_many, build_one


def test_no_change_rebuild_touches_nothing(plan_copy, tmp_path: Path) -> None:
    folder = plan_copy("demo")
    out = tmp_path / "out"
    first = build_one(folder, out)
    assert first.error is None and first.cached == []
    stamps = {p: p.stat().st_mtime_ns for p in first.outputs}
    [again] = build_many([folder], out, jobs=2)
    assert sorted(again.cached) == sorted(p.name for p in first.outputs)
    assert {p: p.stat().st_mtime_ns for p in first.outputs} == stamps


def test_editing_a_project_remakes_only_the_strategy_document(plan_copy, tmp_path: Path) -> None:
    folder = plan_copy("demo")
    out = tmp_path / "out"
    first = build_one(folder, out)
    plan = folder / "plan.yaml"
    plan.write_text(
        plan.read_text(encoding="utf-8").replace(
            "budget: {2566: 1290000}", "budget: {2566: 1291000}", 1
        ),
        encoding="utf-8",
    )
    again = build_one(folder, out)
    assert again.error is None
    assert sorted(again.cached) == ["announcement.pdf", "poster-a3.pdf", "poster-a4.pdf"]
    assert first.outputs == again.outputs


def test_a_changed_output_file_is_made_again(plan_copy, tmp_path: Path) -> None:
    folder = plan_copy("khi-lek")
    out = tmp_path / "out"
    first = build_one(folder, out)
    poster = next(p for p in first.outputs if p.name == "poster-a4.pdf")
    good = poster.read_bytes()
    poster.write_bytes(good[:-10])
    again = build_one(folder, out)
    assert "poster-a4.pdf" not in again.cached and "strategy.pdf" in again.cached
    assert poster.read_bytes() == good
    fresh = build_one(folder, out, use_cache=False)
    assert fresh.cached == []


def test_new_code_or_libraries_remake_everything(
    plan_copy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same version number with other code (a checkout updated in place), or another
    WeasyPrint, may draw other bytes: nothing built before is reused."""
    from saoreport.pipeline import cache

    folder = plan_copy("khi-lek")
    assert build_one(folder, tmp_path / "out").error is None
    assert build_one(folder, tmp_path / "out").cached  # unchanged: all reused

    patch = tmp_path / "patch.py"
    patch.write_text("# a change to saoreport's code\n")
    real = cache.code_files
    monkeypatch.setattr(cache, "code_files", lambda: [*real(), patch])
    cache.tools_digest.cache_clear()
    again = build_one(folder, tmp_path / "out")
    assert again.error is None and again.cached == []

    version = metadata.version
    monkeypatch.setattr(
        cache.metadata, "version", lambda name: "99" if name == "weasyprint" else version(name)
    )
    cache.tools_digest.cache_clear()
    again = build_one(folder, tmp_path / "out")
    assert again.error is None and again.cached == []
    monkeypatch.undo()
    cache.tools_digest.cache_clear()


def test_a_damaged_part_is_laid_out_again(
    plan_copy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from saoreport.pipeline import parts

    monkeypatch.setattr(parts, "MIN_PROJECTS", 0)
    folder = plan_copy("demo")
    first = build_one(folder, tmp_path / "out")
    assert first.error is None
    store = first.outputs[0].parent / ".saoreport-parts"
    for meta in store.glob("*.json"):
        meta.write_text('{"name": "old format"}')
    (first.outputs[0].parent / ".saoreport-cache.json").unlink()  # make the documents again
    again = build_one(folder, tmp_path / "out")
    assert again.error is None
    assert first.outputs[0].read_bytes() == again.outputs[0].read_bytes()
