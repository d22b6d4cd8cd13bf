"""The fixed costs of a build, paid once: a plan validated once per build, a document's CSS
parsed once per process, the forms' column widths measured once per table content (kept
between builds), the line breaking's dictionary read once for all worker processes."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import speedup
from saoreport.document import render
from saoreport.pdf.speedups import stylesheets
from saoreport.pipeline import batch, memory, parts, step
from saoreport.pipeline.documents import Documents
from saoreport.plan import summary
from saoreport.plan.validate import check

ROOT = Path(__file__).resolve().parents[1]


def _counting(monkeypatch: pytest.MonkeyPatch, owner: Any, name: str) -> list[Any]:
    """Calls of owner.name, each with its first argument."""
    calls: list[Any] = []
    real: Callable[..., Any] = getattr(owner, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(args[0] if args else None)
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)
    return calls


def _edit(folder: Path, project: str, field: str) -> None:
    plan = folder / "plan.yaml"
    text = plan.read_text(encoding="utf-8")
    start = text.index(f"  - id: {project}\n")
    text = text[:start] + text[start:].replace(f"    {field}: ", f"    {field}: (แก้ไข) ", 1)
    plan.write_text(text, encoding="utf-8")


def test_a_plan_is_validated_once_per_build(
    plan_copy: Callable[[str], Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = plan_copy("khi-lek")
    out = tmp_path / "out"
    checks = [_counting(monkeypatch, module, "check") for module in (batch, step)]

    def count() -> int:
        return sum(len(calls) for calls in checks)

    [first] = batch.build_many([folder], out, jobs=1)  # nothing built yet
    assert first.error is None and first.cached == [] and count() == 1
    plan = folder / "plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("vision: ", "vision: (แก้ไข) "))
    [again] = batch.build_many([folder], out, jobs=1)  # the documents are made again
    assert again.error is None and "strategy.pdf" not in again.cached and count() == 2
    [same] = batch.build_many([folder], out, jobs=1)  # nothing to make
    assert sorted(same.cached) == sorted(p.name for p in again.outputs) and count() == 3
    [fresh] = batch.build_many([folder], tmp_path / "fresh", jobs=1, use_cache=False)
    assert fresh.error is None and count() == 4
    for mine, theirs in zip(again.outputs, fresh.outputs, strict=True):
        assert mine.read_bytes() == theirs.read_bytes(), mine.name


def test_an_invalid_plan_is_still_reported_by_the_build(
    plan_copy: Callable[[str], Path], tmp_path: Path
) -> None:
    folder = plan_copy("khi-lek")
    plan = folder / "plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8") + "\nunknown_key: 1\n", encoding="utf-8")
    [result] = batch.build_many([folder], tmp_path / "out", jobs=1)
    assert result.error is not None and "unknown_key" in result.error


def test_an_edit_rebuild_measures_only_the_edited_table(
    plan_copy: Callable[[str], Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parts, "MIN_PROJECTS", 0)
    folder = plan_copy("demo")
    out = tmp_path / "out"
    # Called where the widths kept (in memory, or in the store's file) have none for a table.
    measured = _counting(monkeypatch, render, "_measured")
    first = batch.build_one(folder, out)
    assert first.error is None, first.error
    tables = len(measured)
    assert tables >= 3  # ผ.01 and the programmes' tables of ผ.02 at least
    kept = json.loads((first.outputs[0].parent / ".saoreport-parts" / "widths.json").read_text())
    assert len(kept["widths"]) == tables

    _edit(folder, "P0003", "kpi")
    (edited,) = [
        table
        for form in summary.forms(check(folder).plan)
        for table in form.tables
        if any(p.id == "P0003" for p in table.projects)
    ]
    measured.clear()
    again = batch.build_one(folder, out)  # a new Store: only the file remembers
    assert again.error is None and "strategy.pdf" not in again.cached
    assert len(measured) == 1  # the edited table's cells, and only those
    # its rows and its total (an amendment's marker row spans the table: nothing to measure)
    assert len(measured[0]) == sum(e.project is not None for e in edited.entries) + 1
    fresh = batch.build_one(folder, tmp_path / "fresh", use_cache=False)
    assert again.outputs[0].read_bytes() == fresh.outputs[0].read_bytes()


@pytest.mark.parametrize("damage", ["[]", '{"tools": "x", "widths": {}}', "{not json", "bad"])
def test_damaged_kept_widths_are_measured_again(
    damage: str,
    plan_copy: Callable[[str], Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(parts, "MIN_PROJECTS", 0)
    folder = plan_copy("demo")
    out = tmp_path / "out"
    first = batch.build_one(folder, out)
    assert first.error is None, first.error
    widths = first.outputs[0].parent / ".saoreport-parts" / "widths.json"
    if damage == "bad":  # the right tools, but widths that are not numbers
        kept = json.loads(widths.read_text())
        key = next(iter(kept["widths"]))
        kept["widths"][key] = [["wide"], 1.0]
        damage = json.dumps(kept)
    widths.write_text(damage)
    _edit(folder, "P0003", "kpi")
    again = batch.build_one(folder, out)
    fresh = batch.build_one(folder, tmp_path / "fresh", use_cache=False)
    assert again.error is None and fresh.error is None
    assert again.outputs[0].read_bytes() == fresh.outputs[0].read_bytes()
    assert json.loads(widths.read_text())["widths"]  # written whole again


HTML = """<!DOCTYPE html><html lang="th"><head><meta charset="utf-8"><style>
@counter-style thai-digits { system: numeric; symbols: "๐" "๑" "๒" "๓" "๔" "๕" "๖" "๗" "๘" "๙"; }
html { font-family: "%s"; font-size: 16pt; }
ol { list-style-type: thai-digits; }
%s
</style></head><body><ol><li>หนึ่ง</li><li>สอง</li></ol></body></html>"""


def _pdf(documents: Documents, extra_css: str = "") -> bytes:
    html = HTML % (documents.family.name, extra_css)
    return documents.layout.write_pdf(html)


@speedup("stylesheets")
def test_a_document_css_is_parsed_once_and_draws_the_same() -> None:
    documents = Documents(check(ROOT / "plans" / "demo"))
    stylesheets._kept.clear()
    first = _pdf(documents)  # parsed, and kept
    assert len(stylesheets._kept) == 1
    parsed = _counting_parses()
    second = _pdf(documents)  # the kept sheets, with the Thai digits given again
    assert parsed() == 0 and len(stylesheets._kept) == 1
    assert first == second
    # Other CSS is parsed (and kept) on its own.
    other = _pdf(documents, "li { color: #333; }")
    assert parsed() == 1 and len(stylesheets._kept) == 2 and other != first
    # The Thai digits are drawn on a kept sheet's layout as on the first.
    from conftest import pdftotext

    assert "๑." in pdftotext(second) and "๒." in pdftotext(second)


@speedup("stylesheets")
def test_css_that_logs_a_problem_is_parsed_every_time() -> None:
    documents = Documents(check(ROOT / "plans" / "demo"))
    stylesheets._kept.clear()
    _pdf(documents, "p { color: }")  # WeasyPrint warns about the empty value
    assert stylesheets._kept == {}
    parsed = _counting_parses()
    _pdf(documents, "p { color: }")
    assert parsed() == 1


def _counting_parses() -> Callable[[], int]:
    """How many stylesheets WeasyPrint has parsed since this call."""
    import weasyprint

    count = [0]
    real = weasyprint.CSS.__init__

    def counted(self: Any, *args: Any, **kwargs: Any) -> None:
        count[0] += 1
        real(self, *args, **kwargs)

    patch = pytest.MonkeyPatch()
    patch.setattr(weasyprint.CSS, "__init__", counted)
    _patches.append(patch)
    return lambda: count[0]


_patches: list[pytest.MonkeyPatch] = []


@pytest.fixture(autouse=True)
def _undo_patches() -> Any:
    yield
    while _patches:
        _patches.pop().undo()


def _dictionary_read() -> bool:
    from saoreport import wordbreak

    return bool(wordbreak.dictionary.cache_info().currsize)


def test_workers_start_with_the_dictionary() -> None:
    with memory.pool(1) as pool:
        assert pool.submit(_dictionary_read).result()


LIBRARIES = """
import json, resource, sys
{prepare}
import weasyprint.text.ffi as ffi
children = resource.getrusage(resource.RUSAGE_CHILDREN)
names = ("gobject", "pango", "harfbuzz", "harfbuzz_subset", "harfbuzz_vector", "fontconfig",
         "pangoft2")
print(json.dumps({{"loaded": [getattr(ffi, n) is not None for n in names],
                  "processes": children.ru_utime + children.ru_stime > 0}}))
"""


def _libraries(prepare: str) -> dict[str, Any]:
    import subprocess
    import sys

    code = LIBRARIES.format(prepare=prepare)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stderr == ""
    found: dict[str, Any] = json.loads(done.stdout)
    return found


@pytest.mark.skipif(not __import__("sys").platform.startswith("linux"), reason="Linux only")
def test_weasyprint_imported_without_searching_for_its_libraries() -> None:
    plain = _libraries("")
    quick = _libraries("from saoreport.pdf.layout import import_weasyprint; import_weasyprint()")
    assert quick["loaded"] == plain["loaded"]  # the same libraries, found by their names
    assert plain["processes"] and not quick["processes"]


def _templates(folder: Path, cache: render.CompiledTemplates | None) -> Any:
    from jinja2 import Environment, FileSystemLoader

    return Environment(loader=FileSystemLoader(folder), bytecode_cache=cache)


def test_templates_are_compiled_once_and_follow_their_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A template compiled by one process is read by the next without compiling; an edited
    template is compiled again (not served from the old bytecode); a cache folder that
    cannot be written only keeps nothing."""
    from jinja2 import Environment

    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "a.j2").write_text("{{ x }} one", encoding="utf-8")
    cache = render.CompiledTemplates(str(tmp_path / "bc"))
    (tmp_path / "bc").mkdir()
    assert _templates(tmp_path / "t", cache).get_template("a.j2").render(x=1) == "1 one"
    assert len(list((tmp_path / "bc").iterdir())) == 1
    compiled = _counting(monkeypatch, Environment, "compile")
    assert _templates(tmp_path / "t", cache).get_template("a.j2").render(x=2) == "2 one"
    assert compiled == []  # read from the cache
    (tmp_path / "t" / "a.j2").write_text("{{ x }} two", encoding="utf-8")
    assert _templates(tmp_path / "t", cache).get_template("a.j2").render(x=3) == "3 two"
    assert len(compiled) == 1
    gone = render.CompiledTemplates(str(tmp_path / "missing" / "bc"))  # nowhere to write
    assert _templates(tmp_path / "t", gone).get_template("a.j2").render(x=4) == "4 two"


def test_the_documents_templates_are_kept_compiled() -> None:
    """The templates of the documents use the cache (in this user's own temp folder)."""
    cache = render.environment().bytecode_cache
    assert isinstance(cache, render.CompiledTemplates)
    assert Path(cache.directory).stat().st_uid == os.getuid()
