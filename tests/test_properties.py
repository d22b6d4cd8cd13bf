"""Property-based tests (Hypothesis): generated plans, valid ones and ones broken at random
places with random Unicode, bytes and sizes. Whatever the plan, saoreport exits 0 or 1, never
with a traceback; every problem names its file:line; nothing is written outside --out; a
failed build leaves the previous PDFs as they were; and a valid plan builds, with its text
extracted exactly. Generated workbooks (budgets as numbers, text, errors, formulas without
values; merged headings, blank rows, hidden sheets) import with exit 0 or 1, never a traceback,
and every budget cell is in the plan or named in a note.

Examples run per `make test` (fixed budget, derandomized so that every run is the same):
VALIDATE_EXAMPLES valid plans validated, BROKEN_EXAMPLES broken plans validated and built,
BUILD_EXAMPLES valid plans built with their text checked; MARKDOWN_EXAMPLES generated narrative
files validated (and their HTML checked when valid), MARKDOWN_BUILDS built; WORKBOOK_EXAMPLES
workbooks imported.
"""

from __future__ import annotations

import html
import io
import re
import shutil
import tempfile
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from conftest import ROOT, pdftotext, squash
from saoreport.cli import main
from saoreport.document.render import narrative_html
from saoreport.fonts.family import font_family
from saoreport.fonts.glyphs import covered
from saoreport.plan.validate import check
from saoreport.thai import one_style

VALIDATE_EXAMPLES = 60
BROKEN_EXAMPLES = 120
BUILD_EXAMPLES = 8
COMMON = settings(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

WORDS = [
    "ชุมชน",
    "เข้มแข็ง",
    "น่าอยู่",
    "พัฒนา",
    "คุณภาพชีวิต",
    "ผู้สูงอายุ",
    "น้ำสะอาด",
    "ถนน",
    "การศึกษา",
    "เศรษฐกิจ",
    "พอเพียง",
    "สิ่งแวดล้อม",
    "ทุกหมู่บ้าน",
    "ตำบล",
    "หมู่ที่ ๕",
    "ครั้งที่ 1",
    "ร้อยละ 90",
    "OTOP",
    "Wi-Fi",
    "(ประชาชน)",
    "“ยั่งยืน”",
    "๒๕๖๘",
    "1,250",
]
text = st.lists(st.sampled_from(WORDS), min_size=1, max_size=14).map(lambda words: " ".join(words))
short = st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map(" ".join)


@st.composite
def plans(draw: Any) -> dict[str, Any]:
    first = draw(st.integers(2560, 2600))
    years = list(range(first, first + 5))
    missions = draw(st.lists(text, min_size=1, max_size=5))
    goals = draw(st.lists(text, min_size=1, max_size=5))
    strategies = []
    projects = []
    for s in range(1, draw(st.integers(0, 3)) + 1):
        tactics = [
            {"id": f"S{s}.{t}", "name": draw(short)} for t in range(1, draw(st.integers(0, 2)) + 1)
        ]
        strategies.append(
            {
                "id": f"S{s}",
                "name": draw(short),
                "goals": [draw(st.integers(1, len(goals)))],
                "missions": [draw(st.integers(1, len(missions)))],
                "indicators": [
                    {
                        "name": draw(short),
                        "unit": "ร้อยละ",
                        "targets": {y: draw(st.integers(0, 100)) for y in years[:3]},
                    }
                ],
                "tactics": tactics,
            }
        )
        for p in range(1, draw(st.integers(0, 3)) + 1):
            projects.append(
                {
                    "id": f"P{s}{p}",
                    "strategy": f"S{s}",
                    "programme": draw(st.sampled_from(["แผนงานเคหะและชุมชน", "แผนงานการศึกษา"])),
                    "name": draw(short),
                    "objective": draw(text),
                    "target": draw(short),
                    "budget": {
                        y: draw(st.integers(0, 9_999_999_999))
                        for y in draw(st.lists(st.sampled_from(years), max_size=5, unique=True))
                    },
                    "kpi": draw(short),
                    "result": draw(short),
                    "unit": "กองช่าง",
                }
            )
    plan: dict[str, Any] = {
        "organization": {
            "name": "องค์การบริหารส่วนตำบลทดสอบ",
            "short_name": "อบต.ทดสอบ",
            "type": "อบต.",
            "district": draw(short),
            "province": draw(short),
            "executive": {"title": "นายกองค์การบริหารส่วนตำบลทดสอบ"},
        },
        "plan": {
            "period": {"first": first, "last": first + 4},
            "fiscal_year": draw(st.sampled_from(years)),
        },
        "settings": {"digits": draw(st.sampled_from(["thai", "arabic"]))},
        "vision": draw(text),
        "missions": missions,
        "goals": goals,
        "strategies": strategies,
        "projects": projects,
    }
    return plan


def dump(plan: dict[str, Any]) -> str:
    out = io.StringIO()
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    yaml.dump(plan, out)
    return out.getvalue()


def run(*argv: str) -> tuple[int, str]:
    err, out = io.StringIO(), io.StringIO()
    with redirect_stderr(err), redirect_stdout(out):
        code = main(list(argv))
    return code, err.getvalue() + out.getvalue()


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes() if p.is_file() else b"")
        for p in sorted(folder.rglob("*"))
    }


def assert_well_behaved(code: int, said: str, plan_file: Path) -> None:
    assert code in (0, 1), said
    assert "Traceback" not in said and "internal error" not in said, said
    if code == 1:
        assert re.search(rf"^{re.escape(str(plan_file))}:\d+:\d+: ", said, re.M), said


@settings(COMMON, max_examples=VALIDATE_EXAMPLES)
@given(plan=plans())
def test_generated_plans_are_valid(plan: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "sao"
        folder.mkdir()
        (folder / "plan.yaml").write_text(dump(plan), encoding="utf-8")
        code, said = run("validate", str(folder))
        assert code == 0, said


# Ways to break a plan file, each at a place Hypothesis chooses.
unicode_text = st.text(min_size=1, max_size=40)
junk_bytes = st.binary(min_size=1, max_size=60)


@st.composite
def broken(draw: Any) -> bytes:
    data = dump(draw(plans())).encode()
    at = draw(st.integers(0, len(data)))
    how = draw(
        st.sampled_from(
            [
                "insert text",
                "insert bytes",
                "delete",
                "truncate",
                "replace value",
                "huge",
                "deep",
                "repeat",
            ]
        )
    )
    if how == "insert text":
        return data[:at] + draw(unicode_text).encode("utf-8", "surrogatepass") + data[at:]
    if how == "insert bytes":
        return data[:at] + draw(junk_bytes) + data[at:]
    if how == "delete":
        return data[:at] + data[at + draw(st.integers(1, 200)) :]
    if how == "truncate":
        return data[:at]
    lines = data.split(b"\n")
    line = draw(st.integers(0, max(0, len(lines) - 2)))
    key, sep, _ = lines[line].partition(b": ")
    value = {
        "replace value": draw(
            st.sampled_from(
                [
                    ".nan",
                    "-.inf",
                    "1e400",
                    "10000000000000000000000000000000",
                    "[]",
                    "{}",
                    "null",
                    "~",
                    "!!binary AAAA",
                    "&a x",
                    "*nothing",
                    "'unterminated",
                    "2567-02-30",
                    "2567-02-29",
                    "-1",
                    "0x7fffffffffffffff",
                    "[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]",
                ]
            )
        ).encode(),
        "huge": b'"' + "ก".encode() * draw(st.integers(900, 1500)) + b'"',
        "deep": b"[" * draw(st.integers(10, 300)) + b"]" * 300,
        "repeat": b"",
    }[how]
    if how == "repeat":  # a whole line again, at another place: duplicate keys and odd indents
        lines.insert(draw(st.integers(0, len(lines))), lines[line])
    elif sep:
        lines[line] = key + sep + value
    else:
        lines[line] = lines[line] + b" " + value
    return b"\n".join(lines)


@pytest.fixture(scope="module")
def previous(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An output folder that already holds the PDFs of a valid plan of the slug 'sao'."""
    base = tmp_path_factory.mktemp("previous")
    folder = base / "sao"
    shutil.copytree(ROOT / "plans" / "nong-hang", folder)
    out = base / "out"
    code, said = run("build", str(folder), "--out", str(out), "-j", "1")
    assert code == 0, said
    return out


@settings(COMMON, max_examples=BROKEN_EXAMPLES)
@given(data=broken(), build=st.integers(0, 9))
def test_broken_plans_are_refused_cleanly(previous: Path, data: bytes, build: int) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        base = Path(scratch)
        folder = base / "sao"
        folder.mkdir()
        plan_file = folder / "plan.yaml"
        plan_file.write_bytes(data)
        code, said = run("validate", str(folder))
        assert_well_behaved(code, said, plan_file)
        event(f"validate exit {code}")  # --hypothesis-show-statistics counts them
        if code == 0 and build:
            return  # still valid (the damage hit a comment or a value's text): built below
        out = base / "out"
        shutil.copytree(previous, out)
        before_out, before_base = (
            tree(out),
            {k: v for k, v in tree(base).items() if not k.startswith("out")},
        )
        code, said = run("build", str(folder), "--out", str(out), "-j", "1")
        assert_well_behaved(code, said, plan_file)
        event(f"build exit {code}")
        after_base = {k: v for k, v in tree(base).items() if not k.startswith("out")}
        assert after_base == before_base  # nothing written outside --out
        if code == 1:
            assert tree(out) == before_out  # the previous PDFs are as they were


@settings(COMMON, max_examples=BUILD_EXAMPLES, phases=[Phase.explicit, Phase.generate])
@given(plan=plans())
def test_valid_plans_build_with_exact_text(plan: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        base = Path(scratch)
        folder = base / "sao"
        folder.mkdir()
        (folder / "plan.yaml").write_text(dump(plan), encoding="utf-8")
        out = base / "out"
        code, said = run("build", str(folder), "--out", str(out), "-j", "1")
        if code == 1:  # only a poster may fail to fit; then it says so
            assert "do not fit" in said, said
        made = out / "sao" / str(plan["plan"]["fiscal_year"])
        # In content order (-raw): a table cell's lines are not interleaved with its row's.
        strategy = squash(pdftotext(made / "strategy.pdf", "-raw"))
        thai = plan["settings"]["digits"] == "thai"  # one digit rule: every digit printed so
        for item in [plan["vision"], *plan["missions"], *plan["goals"]]:
            assert squash(one_style(item, thai)) in strategy
        for project in plan["projects"]:
            assert squash(one_style(project["objective"], thai)) in strategy
        assert {p.relative_to(base).parts[0] for p in base.rglob("*")} == {"sao", "out"}


# Generated narrative Markdown (issue 25): nested lists and quotes, runs of emphasis, tables,
# entities and unusual spaces, in a valid plan's parts/1-general.md. Whatever the Markdown,
# validate exits 0 or 1 with located messages; what validates loses no word: every word of
# the source is in the rendered HTML as many times (and in the PDF's text for a few).
MARKDOWN_EXAMPLES = 80
MARKDOWN_BUILDS = 3
MD_WORDS = [  # no digits (they print as the plan's digits), nothing Markdown reads as markup
    "ชุมชน",
    "เข้มแข็ง",
    "น่าอยู่",
    "คุณภาพชีวิต",
    "ผู้สูงอายุ",
    "ถนนลาดยาง",
    "การศึกษา",
    "OTOP",
    "Wi-Fi",
    "(ประชาชน)",
    "“ยั่งยืน”",
]
# Between words: spaces a plan may print, and some it may not (U+1680, U+2003, entities).
md_separators = st.sampled_from(
    [*[" "] * 40, "\u00a0", "\n", "\n", " &amp; ", " &nbsp;", "\u1680", "\u2003", " &#x1F600; "]
)
md_word = st.sampled_from(MD_WORDS)


@st.composite
def md_inline(draw: Any) -> str:
    """A paragraph's text: words, some bold, italic, code or a link, separated by spaces or
    other characters, perhaps with a run of emphasis in one word."""
    out = []
    for _ in range(draw(st.integers(1, 8))):
        word = draw(md_word)
        form = draw(st.sampled_from(["{}", "{}", "*{}*", "**{}**", "`{}`", "[{}](http://x.th)"]))
        out.append(form.format(word) + draw(md_separators))
    if draw(st.booleans()):
        out.append("ก" + "*ข*ค" * draw(st.integers(0, 150)) + " ")
    return "".join(out).strip().replace("\n\n", "\n")


@st.composite
def md_table(draw: Any) -> list[str]:
    columns = draw(st.integers(1, 24))
    rows = [[draw(md_word) for _ in range(columns)] for _ in range(draw(st.integers(0, 3)))]
    if rows and draw(st.integers(0, 4)) == 0:
        rows[-1].append(draw(md_word))  # a cell beyond the header
    head = [draw(md_word) for _ in range(columns)]
    return [
        "| " + " | ".join(head) + " |",
        "|" + "---|" * columns,
        *("| " + " | ".join(row) + " |" for row in rows),
    ]


def md_blocks(depth: int) -> Any:
    """Markdown blocks as lines, lists and quotes nested up to *depth* deep."""
    paragraph = md_inline().map(lambda text: text.split("\n"))
    heading = md_word.map(lambda word: [f"## {word}"])
    leaf = st.one_of(paragraph, paragraph, heading, md_table())
    if depth == 0:
        return leaf
    inner = st.lists(md_blocks(depth - 1), min_size=1, max_size=2).map(_joined)
    return st.one_of(
        leaf,
        inner.map(lambda lines: ["- " + lines[0], *("  " + x if x else "" for x in lines[1:])]),
        inner.map(lambda lines: ["1. " + lines[0], *("   " + x if x else "" for x in lines[1:])]),
        inner.map(lambda lines: ["> " + x if x else ">" for x in lines]),
    )


def _joined(blocks: list[list[str]]) -> list[str]:
    out: list[str] = []
    for block in blocks:
        out += [*([""] if out else []), *block]
    return out


def md_text_of(markup: str) -> str:
    """The text of rendered HTML: tags dropped, entities decoded, NBSP as a space."""
    return html.unescape(re.sub(r"<[^>]*>", " ", markup)).replace("\u00a0", " ")


@st.composite
def narratives(draw: Any) -> str:
    blocks = draw(st.lists(md_blocks(draw(st.integers(0, 12))), min_size=1, max_size=3))
    return "# ทั่วไป\n\n" + "\n".join(_joined(blocks)) + "\n"


def _markdown_plan(scratch: str, markdown: str) -> Path:
    folder = Path(scratch) / "sao"
    shutil.copytree(ROOT / "plans" / "khi-lek", folder)
    (folder / "parts").mkdir()
    (folder / "parts" / "1-general.md").write_text(markdown, encoding="utf-8")
    return folder


@settings(COMMON, max_examples=MARKDOWN_EXAMPLES)
@given(markdown=narratives())
def test_generated_markdown_is_reported_or_printed_whole(markdown: str) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = _markdown_plan(scratch, markdown)
        code, said = run("validate", str(folder))
        assert code in (0, 1), said
        assert "Traceback" not in said and "internal error" not in said, said
        event(f"validate exit {code}")
        if code == 1:
            where = re.escape(str(folder / "parts" / "1-general.md"))
            assert re.search(rf"^{where}:\d+:\d+: ", said, re.M), said
            event("refused: " + re.sub(r"^\S+:\d+:\d+: |[\d'(].*", "", said.splitlines()[0]))
            return
        checked = check(folder)
        printed = md_text_of(narrative_html(checked.plan, checked.narrative)["general"].html)
        for word in MD_WORDS:
            assert printed.count(word) >= markdown.count(word), (word, markdown, printed)
        font = covered(font_family(None).faces["regular"])  # nothing printed unreported
        assert all(ord(c) in font or c in "\t\n\r" for c in printed), (markdown, printed)
        depth = max(len(re.match(r"[ >\-1.]*", x).group().split()) for x in markdown.splitlines())
        event(f"validated, nested {depth} deep, {markdown.count('|---')} table(s)")


@settings(COMMON, max_examples=MARKDOWN_BUILDS, phases=[Phase.explicit, Phase.generate])
@given(markdown=narratives())
def test_generated_markdown_prints_every_word(markdown: str) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = _markdown_plan(scratch, markdown)
        out = Path(scratch) / "out"
        code, said = run("build", str(folder), "--out", str(out), "-j", "1")
        assert code in (0, 1), said
        assert "Traceback" not in said and "internal error" not in said, said
        if code == 1:
            assert re.search(r"1-general\.md:\d+:\d+: ", said), said
            return
        text = squash(pdftotext(next(out.rglob("strategy.pdf")), "-raw"))
        for word in MD_WORDS:
            if "|" not in markdown:  # a narrow cell may break a word across its lines
                assert text.count(squash(word)) >= markdown.count(word), (word, markdown)


# Workbooks (issue 25): budgets as numbers, text, errors and formulas without values, merged
# heading cells, blank rows, hidden sheets. Whatever the workbook, the import exits 0 or 1,
# never with a traceback, and every budget cell is either in the plan or named in a note.

WORKBOOK_EXAMPLES = 40
MAX_BAHT = 9_999_999_999
EMPTY = "empty"  # a budget cell that holds nothing: neither imported nor noted
budget_cells = st.one_of(
    st.integers(0, MAX_BAHT).map(lambda v: (v, v)),
    st.integers(MAX_BAHT + 1, 10**13).map(lambda v: (v, None)),  # None: must be noted
    st.integers(-(10**6), -1).map(lambda v: (v, None)),
    st.floats(0.01, 1e7).filter(lambda f: not f.is_integer()).map(lambda f: (f, None)),
    st.sampled_from(["#DIV/0!", "#REF!", "#N/A", "#VALUE!", "#NAME?"]).map(lambda e: (e, None)),
    st.sampled_from(["=1+1", "=E7*2", "=SUM(E7:F7)", '=""']).map(lambda f: (f, None)),
    st.sampled_from(
        [
            ("-", EMPTY),
            (None, EMPTY),
            (" -   ", EMPTY),
            (" 1,632,820 ", 1632820),
            ("๘๐,๐๐๐", 80000),
            ("10,500,000.00", 10500000),
            ("ประมาณ 1 ล้าน", None),
            ("1.200.000", None),
            ("12.50", None),
        ]
    ),
)


@st.composite
def workbooks(draw: Any) -> tuple[Any, list[tuple[str, str, str, int, object]], list[str]]:
    """(openpyxl workbook, budget cells (sheet, cell, project, year, expected), hidden
    sheets). Expected: baht imported, EMPTY, or None (the cell must be noted)."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    cells: list[tuple[str, str, str, int, object]] = []
    hidden: list[str] = []
    years = [2566, 2567, 2568, 2569, 2570]
    sheets = draw(st.integers(1, 3))
    for s in range(1, sheets + 1):
        name = f"ผ.02 ยุทธ {s}"
        ws = book.create_sheet(name)
        is_hidden = s > 1 and draw(st.booleans())
        if is_hidden:
            ws.sheet_state = draw(st.sampled_from(["hidden", "veryHidden"]))
            hidden.append(name)
        lines = [
            "รายละเอียดโครงการพัฒนา",
            "แผนพัฒนาท้องถิ่น (พ.ศ. 2566 - 2570)",
            "องค์การบริหารส่วนตำบลหนองบัว",
            f"{s}. ยุทธศาสตร์การพัฒนาด้านที่ {s}",
            f"({s}) แผนงานอุตสาหกรรมและการโยธา",
        ]
        for row, line in enumerate(lines, 1):
            ws.cell(row, 1, line)
            if draw(st.booleans()):
                ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=12)
        header = ["ที่", "โครงการ", "วัตถุประสงค์", "เป้าหมาย", *map(str, years)]
        header += ["ตัวชี้วัด (KPI)", "ผลที่คาดว่าจะได้รับ", "หน่วยงานที่รับผิดชอบหลัก"]
        for col, label in enumerate(header, 1):
            ws.cell(6, col, label)
        row = 7
        for n in range(1, draw(st.integers(1, 5)) + 1):
            row += draw(st.integers(0, 2))  # blank rows between projects
            project = f"โครงการที่ {s}.{n}"
            for col, value in enumerate([n, project, "เพื่อการสัญจร", "ยาว 200 ม."], 1):
                ws.cell(row, col, value)
            for i, year in enumerate(years):
                value, expected = draw(budget_cells)
                if value is not None:
                    ws.cell(row, 5 + i, value)
                cells.append((name, f"{'EFGHI'[i]}{row}", project, year, expected))
            for col, value in enumerate(["ถนน 1 สาย", "สัญจรสะดวก", "กองช่าง"], 10):
                ws.cell(row, col, value)
            row += 1
    return book, cells, hidden


@settings(COMMON, max_examples=WORKBOOK_EXAMPLES)
@given(generated=workbooks())
def test_generated_workbooks_lose_nothing_without_a_note(
    generated: tuple[Any, list[tuple[str, str, str, int, object]], list[str]],
) -> None:
    book, cells, hidden = generated
    with tempfile.TemporaryDirectory() as scratch:
        base = Path(scratch)
        path = base / "book.xlsx"
        book.save(path)
        plans = base / "plans"
        code, said = run("import", str(path), "--slug", "x", "--out", str(plans))
        assert code in (0, 1), said
        assert "Traceback" not in said and "internal error" not in said, said
        lost = any(expected is None for sheet, _, _, _, expected in cells if sheet not in hidden)
        if lost:  # nothing written, and the cells are named
            assert code == 1 and not (plans / "x").exists(), said
            assert "--accept-losses" in said, said
        else:
            assert code == 0 or f"{path}: found no" in said, said
        argv = ("import", str(path), "--slug", "x", "--out", str(plans), "--force")
        code, said = run(*argv, "--accept-losses")
        assert code in (0, 1), said
        assert "Traceback" not in said and "internal error" not in said, said
        event(f"import exit {code}")
        if code == 1:  # only when every sheet with projects is hidden
            assert set(hidden) >= {sheet for sheet, *_ in cells}, said
            return
        from saoreport.plan.validate import check

        projects = {p.name: p for p in check(plans / "x").plan.projects}
        for sheet, cell, project, year, expected in cells:
            if sheet in hidden:
                assert project not in projects
                assert f"{path}:{sheet}: a " in said and "hidden sheet" in said
            elif expected is None:
                assert f"{path}:{sheet}!{cell}: " in said, (cell, said)
                assert year not in projects[project].budget, (cell, said)
            elif expected == EMPTY:
                assert year not in projects[project].budget, cell
            else:
                assert projects[project].budget.get(year) == expected, (cell, said)
