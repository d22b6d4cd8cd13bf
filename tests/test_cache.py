"""Rebuilds make again only what changed."""

from __future__ import annotations

from pathlib import Path

from saoreport.build import build_many, build_one


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
            "budget: {2566: 1255000,", "budget: {2566: 1256000,", 1
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
