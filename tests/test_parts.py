"""A long strategy document laid out in parts reads exactly like the single layout."""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf
import pytest

from conftest import pdfium_pages, pdftotext, squash
from saoreport.pipeline import parts
from saoreport.pipeline.documents import Documents
from saoreport.plan import summary
from saoreport.plan.validate import check

ROOT = Path(__file__).resolve().parents[1]


def _outline(pdf: Path) -> list[tuple[int, str, int]]:
    found: list[tuple[int, str, int]] = []
    with pikepdf.open(pdf) as doc, doc.open_outline() as outline:

        def walk(items: list[pikepdf.OutlineItem], level: int) -> None:
            for item in items:
                target = item.destination
                page = (
                    doc.pages.index(pikepdf.Page(target[0]))
                    if isinstance(target, pikepdf.Array)
                    else int(target)
                )
                found.append((level, item.title, page))
                walk(item.children, level + 1)

        walk(outline.root, 1)
    return found


def _bbox_head(pdf: Path) -> list[str]:
    """The first line of words of every page, as poppler places them."""
    heads = []
    for page in pdftotext(pdf, "-bbox").split("<page ")[1:]:
        words = re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">([^<]+)<', page)
        top = min(float(y) for y, _ in words)
        heads.append(" ".join(w for y, w in words if float(y) == top))
    return heads


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """plans/demo laid out once as one document and in parts (1 and 2 processes), its
    programmes' tables in pieces of 3 rows (chained: each piece holds LOOKAHEAD rows more,
    to finish its last page; the next piece begins with the page after)."""
    out = tmp_path_factory.mktemp("parts")
    checked = check(ROOT / "plans" / "demo")
    made = {"plain": Documents(checked).strategy()}
    saved = parts.MIN_PROJECTS, parts.ROWS
    parts.MIN_PROJECTS, parts.ROWS = 0, 3
    try:
        assert parts.worth_it(checked)
        made["parts-1"] = Documents(checked, jobs=1).strategy()
        made["parts-2"] = Documents(checked, jobs=2).strategy()
    finally:
        parts.MIN_PROJECTS, parts.ROWS = saved
    for name, data in made.items():
        (out / f"{name}.pdf").write_bytes(data)
    return {name: out / f"{name}.pdf" for name in made}


def test_same_bytes_for_any_number_of_processes(both: dict[str, Path]) -> None:
    assert both["parts-1"].read_bytes() == both["parts-2"].read_bytes()
    assert both["parts-1"].read_bytes() != both["plain"].read_bytes()  # really the other path


def test_same_pages_text_numbers_contents_and_bookmarks(both: dict[str, Path]) -> None:
    plain, joined = both["plain"], both["parts-2"]

    def flat(pages: list[str]) -> list[str]:
        return [" ".join(page.split()) for page in pages]

    # Every page's text, its number and the contents' page numbers, in two extractors.
    assert flat(pdfium_pages(plain)) == flat(pdfium_pages(joined))
    assert flat(pdftotext(plain, "-raw").split("\f")) == flat(pdftotext(joined, "-raw").split("\f"))
    assert _bbox_head(plain) == _bbox_head(joined)  # page numbers where poppler sees them
    assert len(_outline(plain)) > 20
    assert _outline(plain) == _outline(joined)
    # Every part of the book, the back (ส่วนที่ ๕, after the forms) and the bound-in
    # announcement (no page number) included.
    tops = [title for level, title, _ in _outline(joined) if level == 1]
    assert [t.split(" ")[1] for t in tops if t.startswith("ส่วนที่")] == list("๑๒๓๔๕")
    assert tops[0].startswith("ประกาศ") and tops[-1].startswith("ส่วนที่ ๕")
    titles = [title for _, title, _ in _outline(joined)]
    assert "เกณฑ์การติดตามและประเมินผล" in titles[-3:]  # ส่วนที่ ๕'s scoring tables
    with pikepdf.open(plain) as a, pikepdf.open(joined) as b:
        assert [p.mediabox for p in a.pages] == [p.mediabox for p in b.pages]
        assert str(b.docinfo["/Title"]) == str(a.docinfo["/Title"]) and str(b.Root.Lang) == "th"


def _links(
    pdf: Path,
) -> tuple[list[tuple[int, str, list[float]]], dict[str, tuple[int, list[float]]]]:
    """The link annotations (page, destination, rectangle) and the named destinations."""
    with pikepdf.open(pdf) as doc:
        links = [
            (i, str(a.Dest), [round(float(v), 2) for v in a.Rect])
            for i, page in enumerate(doc.pages)
            for a in page.get("/Annots", [])
            if a.get("/Subtype") == "/Link"
        ]
        names = doc.Root.Names.Dests.Names
        dests = {
            str(names[k]): (
                doc.pages.index(pikepdf.Page(names[k + 1][0])),
                [round(float(v), 2) for v in list(names[k + 1])[2:4]],
            )
            for k in range(0, len(names), 2)
        }
    return links, dests


def test_same_links_from_the_contents(both: dict[str, Path]) -> None:
    links, dests = _links(both["plain"])
    assert len(links) > 20 and {"p02", "p02-3"} <= set(dests)
    assert _links(both["parts-2"]) == (links, dests)


def _same_pixels(one: Path | bytes, other: Path | bytes, least: int, scale: float) -> None:
    """The two PDFs have the same number of pages, more than *least*, each drawn the same."""
    import pypdfium2 as pdfium
    from PIL import ImageChops

    a, b = pdfium.PdfDocument(one), pdfium.PdfDocument(other)
    assert len(a) == len(b) > least
    for index in range(len(a)):
        mine = a[index].render(scale=scale).to_pil().convert("L")
        theirs = b[index].render(scale=scale).to_pil().convert("L")
        assert ImageChops.difference(mine, theirs).getbbox() is None, f"page {index + 1} differs"


def test_same_pixels(both: dict[str, Path]) -> None:
    """Every page drawn the same, in pieces or in one layout."""
    _same_pixels(both["plain"], both["parts-2"], 20, 0.7)


def _programs(pdf: Path) -> dict[str, list[int]]:
    """Each face's embedded font programs (their lengths), and that no part's notes on them
    (fontprogram.FACE and the rest) are left in the file."""
    found: dict[str, list[int]] = {}
    with pikepdf.open(pdf) as doc:
        for obj in doc.objects:
            if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
                assert not [key for key in obj if key.startswith("/Saoreport")]
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor":
                program = obj.FontFile2
                name = str(obj.FontName).split("+")[-1]
                lengths = found.setdefault(name, [])
                if int(program.Length1) not in lengths:
                    lengths.append(int(program.Length1))
    return found


def test_one_font_program_per_face(both: dict[str, Path]) -> None:
    """The parts' fonts share one program per face, as in one layout (each part's own added
    glyphs in it, taken there by a CIDToGIDMap): a third less file for the 1,000-project
    plan. The pixels (test_same_pixels) show that every code still draws its glyph."""
    plain, joined = _programs(both["plain"]), _programs(both["parts-2"])
    assert set(plain) == set(joined) == {"Sarabun", "Sarabun-Bold"}
    assert all(len(lengths) == 1 for lengths in [*plain.values(), *joined.values()])
    with pikepdf.open(both["parts-2"]) as doc:
        programs = {
            obj.FontDescriptor.FontFile2.objgen
            for obj in doc.objects
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Subtype") == "/CIDFontType2"
        }
        maps = [
            obj.CIDToGIDMap.read_bytes()
            for obj in doc.objects
            if isinstance(obj, pikepdf.Dictionary)
            and isinstance(obj.get("/CIDToGIDMap"), pikepdf.Stream)
        ]
    assert len(programs) == 2
    assert maps  # the parts' added glyphs are numbered apart, then mapped
    for data in maps:  # codes below a part's first added glyph map to themselves
        gids = [int.from_bytes(data[k : k + 2], "big") for k in range(0, len(data), 2)]
        first = next(code for code, gid in enumerate(gids) if gid != code)
        assert gids[:first] == list(range(first)) and min(gids[first:]) >= first
    # As many bytes of font programs as one layout embeds (a part's added glyphs too).
    assert sum(map(sum, joined.values())) < 1.1 * sum(map(sum, plain.values()))


def _count_layouts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the parts laid out from now on, in order."""
    laid: list[str] = []
    real = parts._lay_out

    def counting(make, checked, name, html, *rows):  # type: ignore[no-untyped-def]
        laid.append(name)
        return real(make, checked, name, html, *rows)

    monkeypatch.setattr(parts, "_lay_out", counting)
    return laid


def test_rebuild_lays_out_only_the_changed_parts(
    plan_copy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from saoreport.pipeline.batch import build_one

    monkeypatch.setattr(parts, "MIN_PROJECTS", 0)
    laid = _count_layouts(monkeypatch)
    folder = plan_copy("demo")
    first = build_one(folder, tmp_path / "out")
    assert first.error is None, first.error
    assert laid.count("front") == 2 and "stamp" in laid
    assert laid.count("text") == 1 and laid.count("back") == 1
    # P0037, a project of strategy 3: the part of its programme.
    (edited_part,) = [
        table.part
        for form in summary.forms(check(folder).plan)
        for table in form.tables
        if any(p.id == "P0037" for p in table.projects)
    ]
    assert edited_part.startswith("p02/3.") and f"{edited_part}:0-" in " ".join(laid)
    plan = folder / "plan.yaml"
    text = plan.read_text(encoding="utf-8")
    start = text.index("  - id: P0037\n")  # a project of strategy 3
    edited = text[:start] + text[start:].replace("    result: ", "    result: (แก้ไข) ", 1)
    plan.write_text(edited, encoding="utf-8")
    laid.clear()
    again = build_one(folder, tmp_path / "out")
    assert again.error is None and "strategy.pdf" not in again.cached
    # The front, ผ.01, the other forms and programmes and the numbers come from the store.
    assert [name.split(":")[0] for name in laid] == [edited_part]
    fresh = build_one(folder, tmp_path / "fresh", use_cache=False)
    strategy = [p for p in again.outputs if p.name == "strategy.pdf"][0]
    assert (
        strategy.read_bytes()
        == [p for p in fresh.outputs if p.name == "strategy.pdf"][0].read_bytes()
    )


def test_the_join_keeps_its_font_programs(
    plan_copy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rebuild that joins the same parts again (here: the strategy document deleted) finds
    its faces' font programs in the store and makes none; a damaged one is made again; the
    same bytes each time."""
    from saoreport.pdf import fontsharing
    from saoreport.pipeline.batch import build_one

    monkeypatch.setattr(parts, "MIN_PROJECTS", 0)
    made: list[int] = []
    real = fontsharing._subset

    def subset(path: Path, glyphs: list[int]):  # type: ignore[no-untyped-def]
        made.append(len(glyphs))
        return real(path, glyphs)

    monkeypatch.setattr(fontsharing, "_subset", subset)
    folder = plan_copy("demo")
    out = tmp_path / "out"
    first = build_one(folder, out)
    assert first.error is None, first.error
    assert len(made) == 2  # Sarabun and its bold
    (strategy,) = [p for p in first.outputs if p.name == "strategy.pdf"]
    data = strategy.read_bytes()
    kept = sorted(strategy.parent.joinpath(".saoreport-parts").glob("font-*.ttf"))
    assert len(kept) == 2
    for damage, makes in ((False, 0), (True, 1)):
        made.clear()
        strategy.unlink()
        if damage:
            kept[0].write_bytes(kept[0].read_bytes()[:-40] + b"\0" * 40)
        again = build_one(folder, out)
        assert again.error is None and "strategy.pdf" not in again.cached
        assert len(made) == makes
        assert strategy.read_bytes() == data
    assert sorted(strategy.parent.joinpath(".saoreport-parts").glob("font-*.ttf")) == kept


def test_a_small_edit_lays_out_only_its_piece(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A table long enough for several pieces: another village in one project's name (a
    typical edit, a little longer) leaves the table's column widths as they were (the text columns' widths
    are whole tenths of a percent), so only the piece holding that project is laid out
    again (or the two pieces holding it); same bytes as a fresh build."""
    import sys

    from saoreport.pipeline.batch import build_one

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from make_plan import make_plan

    folder = tmp_path / "big"
    folder.mkdir()
    (folder / "plan.yaml").write_text(
        make_plan(300).replace("  logo: logo.svg\n", ""), encoding="utf-8"
    )
    laid = _count_layouts(monkeypatch)
    monkeypatch.setattr(parts, "ROWS", 12)  # pieces of 12 rows: several per table here
    assert build_one(folder, tmp_path / "out", jobs=1).error is None
    plan = check(folder).plan
    table = next(
        t
        for form in summary.forms(plan)
        for t in form.tables
        if len(t.entries) > 2 * parts.ROWS and t.part.startswith("p02/")
    )
    pieces = sorted({n for n in laid if n.startswith(table.part + ":")})
    assert len(pieces) >= 3, pieces
    row = len(table.entries) // 2
    project = table.entries[row].project
    assert project is not None and re.search("หมู่ที่ [0-9]+", project.name)
    text = (folder / "plan.yaml").read_text(encoding="utf-8")
    start = text.index(f"  - id: {project.id}\n")
    line = text.index("    name: ", start)
    end = text.index("\n", line)
    name = re.sub(  # another village: หมู่ที่ 8 -> หมู่ที่ 18
        "หมู่ที่ ([0-9]+)", lambda m: f"หมู่ที่ {int(m.group(1)) + 10}", text[line:end]
    )
    (folder / "plan.yaml").write_text(text[:line] + name + text[end:], encoding="utf-8")
    laid.clear()
    again = build_one(folder, tmp_path / "out", jobs=1)
    assert again.error is None and "strategy.pdf" not in again.cached
    # Only pieces holding the row: a piece holds the rows that finish the page its last row
    # is on (parts.LOOKAHEAD), which the next piece begins with.
    spans = [tuple(map(int, name.rsplit(":", 1)[1].split("-"))) for name in laid]
    assert laid and set(laid) < set(pieces), laid
    assert all(a <= row < b for a, b in spans), (row, laid)
    fresh = build_one(folder, tmp_path / "fresh", use_cache=False, jobs=1)
    ours, theirs = ([p for p in r.outputs if p.name == "strategy.pdf"][0] for r in (again, fresh))
    assert ours.read_bytes() == theirs.read_bytes()


def test_one_sao_on_two_workers(plan_copy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With -j 2, the posters and the announcement are made by the workers that lay out the
    strategy's pieces: every document has the bytes of a 1-process build, notes included."""
    from saoreport.pipeline.batch import build_one

    monkeypatch.setattr(parts, "MIN_PROJECTS", 0)
    folder = plan_copy("demo")
    one = build_one(folder, tmp_path / "one", use_cache=False, jobs=1)
    two = build_one(folder, tmp_path / "two", use_cache=False, jobs=2)
    assert one.error is None and two.error is None, (one.error, two.error)
    assert [p.name for p in one.outputs] == [p.name for p in two.outputs]
    assert len(one.outputs) == 4  # strategy, two posters, announcement
    for a, b in zip(one.outputs, two.outputs, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name

    def untimed(notes: list[str]) -> list[str]:
        return [re.sub(r", [\d.]+ s$", "", note) for note in notes]

    assert untimed(one.notes) == untimed(two.notes)
    assert any(n.startswith("poster A4: text ") for n in two.notes)


def test_pieces_stopped_at_a_page_end_keep_the_pages_of_one_layout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A piece that reaches its goal row stops at the next page end (the page after is not
    made; the next piece begins with it): the joined pages are those of one layout, text and
    pixels, and some pieces really stopped early while others ran out of rows (the fallback:
    their last page is dropped)."""
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from make_plan import make_plan

    folder = tmp_path / "plan"
    folder.mkdir()
    (folder / "plan.yaml").write_text(
        make_plan(120, seed=7).replace("  logo: logo.svg\n", ""), encoding="utf-8"
    )
    checked = check(folder)
    whole = Documents(checked).strategy()
    stops: list[bool] = []
    real = parts._enough

    def watched(piece: parts.Piece):  # type: ignore[no-untyped-def]
        enough = real(piece)

        def asked(page):  # type: ignore[no-untyped-def]
            stops.append(enough(page))
            return stops[-1]

        return asked

    monkeypatch.setattr(parts, "_enough", watched)
    monkeypatch.setattr(parts, "MIN_PROJECTS", 0)
    monkeypatch.setattr(parts, "ROWS", 5)
    monkeypatch.setattr(parts, "LOOKAHEAD", 4)
    pieces: list[parts.Part] = []
    lay_out = parts._lay_out

    def kept(*args, **kwargs):  # type: ignore[no-untyped-def]
        pieces.append(lay_out(*args, **kwargs))
        return pieces[-1]

    monkeypatch.setattr(parts, "_lay_out", kept)
    joined = Documents(checked, jobs=1).strategy()
    stopped = [p for p in pieces if p.keys and len(p.keys) > len(p.kinds)]
    assert stops.count(True) == len(stopped) >= 3, (stops.count(True), len(stopped))
    assert len(stopped) < len([p for p in pieces if p.keys])  # and some ran out of rows
    assert pdftotext(joined, "-layout") == pdftotext(whole, "-layout")
    _same_pixels(whole, joined, 15, 0.5)


def test_an_edit_rebuild_on_two_workers_lays_out_in_them(
    plan_copy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rebuild of the strategy document alone with -j 2 (an edit): one worker starts at
    once and imports WeasyPrint while the build's own process makes the parts' HTML, which
    needs none of it (the column widths take Pango's breaks through ctypes); the piece that
    changed is laid out by it (memory.Workers: no second worker until one is needed). The build's process never imports WeasyPrint, and the
    document has the bytes of a fresh 1-process build."""
    import json
    import subprocess
    import sys

    from saoreport.pipeline.batch import build_one

    monkeypatch.setattr(parts, "MIN_PROJECTS", 0)
    folder = plan_copy("demo")
    out = tmp_path / "out"
    assert build_one(folder, out, jobs=1).error is None
    text = (folder / "plan.yaml").read_text(encoding="utf-8")
    start = text.index("  - id: P0003\n")
    text = text[:start] + text[start:].replace("    kpi: ", "    kpi: (แก้ไข) ", 1)
    (folder / "plan.yaml").write_text(text, encoding="utf-8")
    code = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from saoreport.pipeline import memory, parts\n"
        "from saoreport.pipeline.batch import build_many\n"
        "from saoreport.document import render\n"
        "parts.MIN_PROJECTS = 0\n"
        "events = []\n"
        "pool, html = memory.pool, render.render\n"
        "memory.pool = lambda n, warm=False: events.append(f'pool {warm}') or pool(n, warm)\n"
        "render.render = lambda *a, **k: events.append('html') or html(*a, **k)\n"
        f"result = build_many([Path({str(folder)!r})], Path({str(out)!r}), 2)[0]\n"
        "events = [e for i, e in enumerate(events) if e != 'html' or events[i - 1] != 'html']\n"
        "imported = 'weasyprint' in sys.modules\n"
        "print(json.dumps([result.error, sorted(result.cached), events, imported]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    error, cached, events, imported = json.loads(done.stdout.strip().splitlines()[-1])
    assert error is None
    assert "strategy.pdf" not in cached and len(cached) == 3  # the posters, the announcement
    assert events == ["pool True", "html"]  # one warm worker first, then all the HTML
    assert imported is False
    fresh = build_one(folder, tmp_path / "fresh", use_cache=False, jobs=1)
    ours = next(out.rglob("strategy.pdf"))
    theirs = next(p for p in fresh.outputs if p.name == "strategy.pdf")
    assert ours.read_bytes() == theirs.read_bytes()


def _pid_after(seconds: float) -> int:
    import os
    import time

    time.sleep(seconds)
    return os.getpid()


def test_workers_start_one_at_a_time() -> None:
    """The workers of an edit's rebuild: one at first; another only when a task comes while
    the first is busy; never more than asked for; a task goes to an idle one."""
    from saoreport.pipeline import memory

    with memory.Workers(2) as workers:
        assert len(workers.pools) == 1
        first = workers.submit(_pid_after, 0.0).result()
        assert workers.submit(_pid_after, 0.0).result() == first  # idle: the same worker
        assert len(workers.pools) == 1
        busy = workers.submit(_pid_after, 1.0)
        other = workers.submit(_pid_after, 0.0)
        assert len(workers.pools) == 2
        assert other.result() != busy.result() == first
        third = [workers.submit(_pid_after, 0.2) for _ in range(4)]
        assert len(workers.pools) == 2 and len({f.result() for f in third}) == 2


PAGE_HEAD = re.compile(r"‐\s*(\S+)\s*‐")  # "- ๑ -" (U+2010), in the head line
CONTENTS_LINE = re.compile(r"^\s*(.*?)\s*\.{3,}\s*(\S+)\s*$", re.MULTILINE)


def contents_and_heads(pdf: Path) -> tuple[list[tuple[str, str]], list[str | None]]:
    """The contents' and the figure list's entries (title, page number as printed) and each
    page's printed number (None: none), from the text layer."""
    pages = pdftotext(pdf, "-layout").split("\f")[:-1]
    lines = [page.strip().split("\n", 1)[0] for page in pages]
    heads = [m.group(1) if (m := PAGE_HEAD.search(line)) else None for line in lines]
    entries = [
        (m.group(1), m.group(2))
        for page in pages
        if "สารบัญ" in page[:600]
        for m in CONTENTS_LINE.finditer(page)
    ]
    return entries, heads


def test_contents_numbers_agree_with_the_page_heads(both: dict[str, Path]) -> None:
    """Front matter ก, ข, … (the cover and the bound announcement unnumbered), the body from
    ๑; every entry of the contents and of the สารบัญภาพ names the page whose head prints
    that number and which holds its heading, in one layout and in parts."""
    for pdf in (both["plain"], both["parts-2"]):
        entries, heads = contents_and_heads(pdf)
        body = heads.index("๑")
        assert heads[:2] == [None, None]  # the cover, the announcement
        assert heads[2:body] == list("กขคงจฉชซ"[: body - 2])  # คำนำ, สารบัญ …, สารบัญภาพ
        assert all(h is not None for h in heads[body:])
        assert len(entries) > 30 and ("คำนำ", "ก") in entries
        assert any(title.startswith("ภาพที่ ๑") for title, _ in entries)
        for title, number in entries:
            page = pdftotext(
                pdf, "-f", str(heads.index(number) + 1), "-l", str(heads.index(number) + 1)
            )
            words = re.sub(r"\s*\(แบบ ผ\.[^)]*\)$", "", title)
            assert squash(words) in squash(page), (title, number)
