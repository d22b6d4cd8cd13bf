"""Plan -> HTML, through the Jinja templates (autoescaped, strict about undefined names)."""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import re
from collections.abc import MutableMapping
from decimal import Decimal
from functools import cache, lru_cache
from typing import Any

from jinja2 import (
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    StrictUndefined,
    select_autoescape,
)
from jinja2.bccache import Bucket
from markupsafe import Markup, escape

from saoreport import thai
from saoreport.document import columns, markdown
from saoreport.fonts.family import FontFamily, font_family, page_dash
from saoreport.plan import completeness, summary
from saoreport.plan.editions import EditionItems, Item, earlier
from saoreport.plan.figures import Figures
from saoreport.plan.models import Edition, Equipment, Plan, Project
from saoreport.plan.narrative import FILES, Narrative
from saoreport.resources import templates_dir

# Sizes in official points (TH Sarabun PSK): the one place they are set.
SIZES = {
    "body": 16,
    "h1": 20,
    "h2": 18,
    "h3": 16,
    "cover_title": 28,
    "cover_org": 24,
    "cover_sub": 20,
    "table": 14,
    "form": 12,
    "small": 12,
}
LINE = 1.3125  # baseline to baseline, as a multiple of the official size (16 pt -> 21 pt)
# The forms' landscape pages: margins in cm (top, right, bottom, left), and the text width.
FORM_MARGINS = (2.2, 1.5, 1.5, 2.0)
FORM_WIDTH = (29.7 - FORM_MARGINS[1] - FORM_MARGINS[3]) / 2.54 * 72  # pt

# The digit rule, one for every document: text, headings, years, dates, page numbers and
# list numbers take the plan's `settings.digits`; the forms' money columns (budgets, project
# counts, totals) take `settings.money_digits`, which defaults to `digits` (the cabinet
# resolution of 2543 promotes Thai digits and allows Arabic ones in figures).

# Words a user joined with no-break spaces (U+00A0) stay on one line. WeasyPrint (Pango) breaks
# Thai across a no-break space, so the phrase goes into a span that does not wrap, with plain
# spaces. Numbered phrases ("หมู่ที่ ๕"), numbers with their units ("๑ แห่ง"), ฯลฯ and words are
# kept together by the line breaking itself (pdf/linebreak.py), which needs no markup.
# Each match starts where a run of non-spaces starts (the look-behind): tried at every
# character, a run of 50,000 without a no-break space took quadratic time (10 s per 20,000).
KEEP_TOGETHER = re.compile(r"(?<![^\s\u00a0])[^\s\u00a0]++(?:\u00a0[^\s\u00a0]++)+")


@lru_cache(maxsize=65536)
def prose(text: str, thai_digits: bool) -> Markup:
    """Escape *text*, set its digits, keep NBSP-joined words on a line (kept: the rows of a
    long table are rendered again for each part that shows them)."""
    text = thai.digits(text, thai_digits)
    out, last = [], 0
    for match in KEEP_TOGETHER.finditer(text):
        out.append(escape(text[last : match.start()]))
        kept = match.group().replace("\u00a0", " ")
        out.append(Markup('<span class="nobr">{}</span>').format(kept))
        last = match.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


def left_column(items: list[str]) -> int:
    """How many of *items* go into the left of two columns: as many as leave it no longer
    (in characters) than the right one, at least one. A PDF reader's reading order takes a
    left column that ends above the right one whole before the right; the other way round
    it reads the left column's foot after the right column."""
    total = sum(len(item) for item in items)
    k, left = 0, 0
    while k < len(items) - 1 and 2 * (left + len(items[k])) <= total:
        left += len(items[k])
        k += 1
    return max(k, 1)


class CompiledTemplates(FileSystemBytecodeCache):
    """Templates compiled once, kept as Python bytecode in the user's own folder of the temp
    directory (Jinja's choice: made for this user alone, refused if another may write it):
    compiling them is a twentieth of an edited plan's rebuild. Jinja keys each by its name
    and checks its source and Jinja's version on reading; a file it cannot write is only not
    kept."""

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):  # a full or read-only disk: compiled next time
            super().dump_bytecode(bucket)


def compiled_templates() -> CompiledTemplates | None:
    try:
        return CompiledTemplates()
    except (OSError, RuntimeError):  # no temp folder this user alone may write
        return None


@cache
def target_text(value: float | str) -> str:
    """An indicator's target as written: text as it is, a number in plain figures (10.05,
    not 105; 1000000, not 1e+06)."""
    if isinstance(value, str):
        return value
    if value.is_integer():
        return str(int(value))
    return f"{Decimal(repr(value)):f}"


def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(templates_dir()),
        bytecode_cache=compiled_templates(),
        autoescape=select_autoescape(["html", "j2"], default_for_string=True, default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["money"] = thai.money
    env.filters["target"] = target_text
    env.filters["thai_digits"] = thai.thai_digits
    env.globals["left_column"] = left_column
    return env


def css_string(text: str) -> str:
    """*text* as a CSS string literal (for string-set)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _kept(text: str) -> list[str]:
    """The phrases of *text* that prose() keeps on one line."""
    return [m.group().replace("\u00a0", " ") for m in KEEP_TOGETHER.finditer(text)]


Measured = tuple[list[float], float]  # a table's column widths (percent), its size factor


def form_widths(
    form: summary.Form,
    plan: Plan,
    family: FontFamily,
    table: summary.Programme | None = None,
    memo: MutableMapping[str, Measured] | None = None,
) -> Measured:
    """The column widths of *form*'s table, in percent, measured from what it prints; of a
    detail form, those of one *table* (a programme's, which begins a page of its own: an
    edit to a project changes only its table, and a rebuild lays out only that table).
    *memo*: widths measured before, by the sha256 of what they were measured from (a
    rebuild keeps them: pipeline/parts.py), where they are looked up and kept."""
    printed, wraps, header, key = _cells(form, plan, family, table)
    size = plan.settings.form_size
    if memo is None:
        return _measured(printed, wraps, header, family.key, size)
    if key not in memo:
        memo[key] = _measured(printed, wraps, header, family.key, size)
    return memo[key]


Cells = tuple[tuple[str, ...], ...]
_CELLS: list[tuple[Plan, dict[tuple[str, str, str], tuple[Cells, tuple[bool, ...], Cells, str]]]]
_CELLS = []  # the last plan's tables as printed (a plan is immutable; every part asks again)


def _cells(
    form: summary.Form, plan: Plan, family: FontFamily, table: summary.Programme | None
) -> tuple[Cells, tuple[bool, ...], Cells, str]:
    """What *form_widths* measures: the table's cells and header lines as printed, whether
    each column wraps, and the sha256 of all that and the font."""
    if not (_CELLS and _CELLS[0][0] is plan):
        _CELLS[:] = [(plan, {})]
    known = _CELLS[0][1]
    which = (form.code, table.part if table else "", family.key)
    if which not in known:
        known[which] = _printed(form, plan, family, table)
    return known[which]


def _printed(
    form: summary.Form, plan: Plan, family: FontFamily, table: summary.Programme | None
) -> tuple[Cells, tuple[bool, ...], Cells, str]:
    def d(value: object) -> str:
        return thai.one_style(value, plan.thai_digits)

    def m(amount: int) -> str:
        return thai.money(amount, plan.thai_money)

    years = plan.years
    rows: list[list[str]] = []  # the cells of every row, as printed
    if form.kind == "summary":
        heads = ["ยุทธศาสตร์"] + [f"ปี {d(y)}" for y in years] + [f"รวม {d(len(years))} ปี"]
        for label, row in (
            [(b.strategy.name, b.row) for b in form.blocks]
            + [(f"{d(99)}.{d(99)} {p.name}", p.row) for b in form.blocks for p in b.programmes]
            + [("รวมทั้งสิ้น", form.total or summary.Row("", years))]
        ):
            cells = [d(label)]
            for y in years:
                cells += [m(row.counts.get(y, 0)), m(row.budgets.get(y, 0))]
            rows.append([*cells, m(row.total_count), m(row.total_budget)])
        wraps = [True] + [False] * (2 * len(years) + 2)
        header = [["ยุทธศาสตร์"]] + [["จำนวน", "โครงการ"], ["งบประมาณ", "(บาท)"]] * (len(years) + 1)
        del heads
    elif form.kind == "equipment":
        for e in form.equipment:
            q = e.project
            if isinstance(q, Equipment):
                budgets = [m(q.in_year(y)) for y in years]
                rows.append(
                    [d(e.number), q.programme, q.category, q.type, q.target, *budgets, q.unit]
                )
        if form.total:
            rows.append(
                ["", "", "", "", ""] + [m(form.total.budgets.get(y, 0)) for y in years] + [""]
            )
        wraps = [False, True, True, True, True] + [False] * len(years) + [True]
        header = [["ที่"], ["แผนงาน"], ["หมวด"], ["ประเภท"], ["เป้าหมาย", "(ผลผลิตของครุภัณฑ์)"]]
        header += [[d(y)] for y in years] + [["หน่วยงาน", "รับผิดชอบหลัก"]]
    else:
        for one in [table] if table else form.tables:
            for e in one.entries:
                p = e.project
                if isinstance(p, Project):
                    budgets = [m(p.in_year(y)) for y in years]
                    rows.append(
                        [
                            d(e.number),
                            p.name,
                            p.objective,
                            p.target,
                            *budgets,
                            p.kpi,
                            p.result,
                            p.unit,
                        ]
                    )
            total = [m(one.row.budgets.get(y, 0)) for y in years]
            rows.append(["", f"รวม {d(len(one.projects))} โครงการ", "", "", *total, "", "", ""])
        wraps = [False, True, True, True] + [False] * len(years) + [True, True, True]
        header = [["ที่"], ["โครงการ"], ["วัตถุประสงค์"], ["เป้าหมาย", "(ผลผลิตของโครงการ)"]]
        header += [[d(y)] for y in years]
        header += [["ตัวชี้วัด", "(KPI)"], ["ผลที่คาดว่า", "จะได้รับ"], ["หน่วยงาน", "รับผิดชอบหลัก"]]
    printed = tuple(tuple(d(c) for c in r) for r in rows)
    header_lines = tuple(tuple(h) for h in header)
    source = [printed, wraps, header_lines, family.key, plan.settings.form_size]
    what = json.dumps(source, ensure_ascii=False)
    return printed, tuple(wraps), header_lines, hashlib.sha256(what.encode()).hexdigest()


@lru_cache(maxsize=16)
def _measured(
    rows: tuple[tuple[str, ...], ...],
    wraps: tuple[bool, ...],
    header: tuple[tuple[str, ...], ...],
    font: str,
    official: int = SIZES["form"],
) -> Measured:
    """Column widths for these cells, and the factor its text size is scaled by where its
    figures would not fit otherwise (kept: every part of a long document asks again)."""
    family = font_family(font)

    def at(size: float) -> list[columns.Column]:
        return [
            columns.Column(
                [r[i] for r in rows],
                wraps[i],
                list(header[i]),
                max(
                    [0.0] + [columns.text_width(k, family, size) for r in rows for k in _kept(r[i])]
                ),
            )
            for i in range(len(wraps))
        ]

    size = family.pt(official)
    factor = columns.scale(at(size), family, size, FORM_WIDTH)
    size = round(size * factor, 3)
    return columns.widths(at(size), family, size, FORM_WIDTH, KEEP_TOGETHER), factor


def context(
    plan: Plan,
    family: FontFamily,
    narrative: Narrative | None = None,
    measured_before: MutableMapping[str, Measured] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """What the templates are filled from. *measured_before*: the memo of form_widths."""
    use_thai = plan.thai_digits
    book = narrative_html(plan, narrative or Narrative())

    def d(value: object) -> str:
        return thai.one_style(value, use_thai)

    def m(amount: int) -> str:
        return thai.money(amount, plan.thai_money)

    forms = summary.forms(plan)
    measured: dict[str, Measured] = {}

    def measure(form: summary.Form, table: summary.Programme | None) -> Measured:
        key = table.part if table else form.code
        if key not in measured:
            measured[key] = form_widths(form, plan, family, table, measured_before)
        return measured[key]

    def widths(form: summary.Form, table: summary.Programme | None = None) -> list[float]:
        return measure(form, table)[0]

    def table_style(form: summary.Form, table: summary.Programme | None = None) -> Markup:
        """The size of a table whose figures would not fit at the forms' size, else nothing."""
        factor = measure(form, table)[1]
        if factor == 1.0:
            return Markup("")
        official = plan.settings.form_size
        size = round(family.pt(official) * factor, 3)
        lead = round(official * LINE * factor, 2)
        return Markup(' style="font-size: {}pt; line-height: {}pt"').format(size, lead)

    sizes = {**SIZES, "form": plan.settings.form_size}
    numbers = itertools.count()
    counter_style = "thai-digits" if use_thai else "decimal"
    dash = page_dash(family)
    edition: Edition | None = extra.get("edition")
    found: EditionItems | None = extra.get("found")
    if edition is not None:
        # An edition's book: its tag in every heading, its own parts and contents.
        info = plan.plan.model_copy(update={"revision": edition.name})
        contents = edition_toc(plan, edition, found, forms, use_thai)
        extra = {**edition_context(plan, edition, found, use_thai), **extra}
    else:
        # The plan's book: with editions, the consolidated copy (its cover lists them).
        info = plan.plan.model_copy(update={"revision": None}) if plan.editions else plan.plan
        contents = toc(plan, book, forms)
    return {
        "edition": None,
        "found": None,
        "next_dist": lambda: next(numbers),  # ids of blocks justify.py distributes
        "plan": plan,
        "org": plan.organization,
        "info": info,
        "family": family,
        "size": {k: family.pt(v) for k, v in sizes.items()},
        "lead": {k: round(v * LINE, 2) for k, v in sizes.items()},
        "d": d,
        "m": m,
        "table_style": table_style,
        "css": css_string,
        "forms": forms,
        "widths": widths,
        "form_margins": FORM_MARGINS,
        "t": lambda text: prose(thai.one_style(text, use_thai), use_thai),
        "date": lambda value: thai.thai_date(thai.from_be(value), use_thai),
        "baht_words": thai.baht_words,
        "counter_style": counter_style,
        # The page number "- ๒ -", as CSS content (with 0.2 em word spacing, poppler reads
        # its spaces); see resources.page_dash.
        "page_number": Markup(f'"{dash}\\00a0" counter(page, {counter_style}) "\\00a0{dash}"'),
        "front_number": Markup(f'"{dash}\\00a0" counter(page, thai-letters) "\\00a0{dash}"'),
        "toc": contents,
        "book": book,
        # the book's captioned images (an edition's book holds only its reasons' text)
        "figures": [
            figure
            for key, rendered in book.items()
            if edition is None or key == edition.reasons
            for figure in rendered.figures
        ],
        # ส่วนที่ ๔: strategy → programme → unit, ผ.02's blocks (summary.blocks(plan))
        "strategy_plan": summary.programme_plan(plan),
        "part_title": lambda number: (
            edition_part_title(number, use_thai) if edition else part_title(number, use_thai)
        ),
        "macro": MACRO,
        "scoring": {"strategies": SCORING_STRATEGIES, "projects": SCORING_PROJECTS},
        "score_columns": SCORE_COLUMNS,
        # placeholders left or a required part missing: "ฉบับร่าง" on every page
        "draft": completeness.draft(plan, narrative or Narrative()),
        # ส่วนที่ ๓ alone: titled as the excerpt it is
        "excerpt": completeness.excerpt(plan, narrative or Narrative()),
        **extra,
    }


# The parts of the official book (แผนพัฒนาท้องถิ่น, guideline of the 2566-2570 plans), by number.
PARTS = {
    1: "สภาพทั่วไปและข้อมูลพื้นฐาน",
    2: "สรุปผลการพัฒนาท้องถิ่นตามแผนพัฒนาท้องถิ่นที่ผ่านมา",
    3: "ยุทธศาสตร์ขององค์กรปกครองส่วนท้องถิ่น",
    4: "การนำแผนพัฒนาท้องถิ่นไปสู่การปฏิบัติ",
    5: "การติดตามและประเมินผล",
}
# Lines ก.–จ.: the macro plans a strategy serves (models.MacroLinks), in the official order
# (digits set by the plan's settings).
MACRO = {
    "national": "ก. ยุทธศาสตร์ชาติ 20 ปี",
    "master_plan": "ข. แผนแม่บทภายใต้ยุทธศาสตร์ชาติ",
    "nesdp": "ค. แผนพัฒนาเศรษฐกิจและสังคมแห่งชาติ ฉบับที่ 13",
    "province": "ง. ยุทธศาสตร์จังหวัด",
    "local": "จ. ยุทธศาสตร์การพัฒนาขององค์กรปกครองส่วนท้องถิ่นในเขตจังหวัด",
}
FRONT = {"preface"}  # the contents' entries of the front matter, numbered ก, ข, …
# The front matter's page numbers, as thai-letters (strategy.html.j2) counts: ก … ฮ, กก, กข, …
FRONT_LETTERS = "กขคงจฉชซฌญฎฏฐฑฒณดตถทธนบปผฝพฟภมยรลวศษสหฬอฮ"


def front_number(number: int) -> str:
    """The front matter's page *number* (from 1) in letters."""
    out = ""
    while number > 0:
        number, digit = divmod(number - 1, len(FRONT_LETTERS))
        out = FRONT_LETTERS[digit] + out
    return out


# ส่วนที่ ๕'s scoring tables: the Department of Local Administration's 100-point criteria for
# evaluating the strategies and the projects (item, full marks, sub-items). The main items and
# their marks are those NOTES.md records (inferred from the DLA template); the sub-items are
# inferred from monitoring reports of 2561-2566 as remembered, not checked against a published
# template from here (searches of the stored pages found none).
Criteria = list[tuple[str, int, list[tuple[str, int]]]]
SCORING_STRATEGIES: Criteria = [
    ("ข้อมูลสภาพทั่วไปและข้อมูลพื้นฐานขององค์กรปกครองส่วนท้องถิ่น", 20, []),
    ("การวิเคราะห์สภาวการณ์และศักยภาพ", 15, []),
    (
        "ยุทธศาสตร์",
        65,
        [
            ("ยุทธศาสตร์ขององค์กรปกครองส่วนท้องถิ่น", 10),
            ("ยุทธศาสตร์ขององค์กรปกครองส่วนท้องถิ่นในเขตจังหวัด", 10),
            ("ยุทธศาสตร์จังหวัด", 10),
            ("วิสัยทัศน์", 5),
            ("กลยุทธ์", 5),
            ("เป้าประสงค์ของแต่ละประเด็นกลยุทธ์", 5),
            ("จุดยืนทางยุทธศาสตร์ (Positioning)", 5),
            ("แผนงาน", 5),
            ("ความเชื่อมโยงของยุทธศาสตร์ในภาพรวม", 5),
            ("ผลผลิต/โครงการ", 5),
        ],
    ),
]
SCORING_PROJECTS: Criteria = [
    ("การสรุปสถานการณ์การพัฒนา", 10, []),
    ("การประเมินผลการนำแผนพัฒนาท้องถิ่นไปปฏิบัติในเชิงปริมาณ", 10, []),
    ("การประเมินผลการนำแผนพัฒนาท้องถิ่นไปปฏิบัติในเชิงคุณภาพ", 10, []),
    ("แผนงานและยุทธศาสตร์การพัฒนา", 10, []),
    (
        "โครงการพัฒนา",
        60,
        [
            ("ความชัดเจนของชื่อโครงการ", 5),
            ("กำหนดวัตถุประสงค์สอดคล้องกับโครงการ", 5),
            ("เป้าหมาย (ผลผลิตของโครงการ) มีความชัดเจนนำไปสู่การตั้งงบประมาณได้ถูกต้อง", 5),
            ("โครงการมีความสอดคล้องกับยุทธศาสตร์ชาติ", 5),
            ("โครงการมีความสอดคล้องกับแผนพัฒนาเศรษฐกิจและสังคมแห่งชาติ", 5),
            ("โครงการมีความสอดคล้องกับแผนแม่บทภายใต้ยุทธศาสตร์ชาติ", 5),
            ("โครงการสอดคล้องกับยุทธศาสตร์จังหวัด", 5),
            ("โครงการแก้ไขปัญหาความยากจนหรือเสริมสร้างความมั่นคง มั่งคั่ง ยั่งยืน", 5),
            ("งบประมาณมีความสอดคล้องกับเป้าหมาย (ผลผลิตของโครงการ)", 5),
            ("มีการประมาณการราคาถูกต้องตามหลักวิธีการงบประมาณ", 5),
            ("มีการกำหนดตัวชี้วัด (KPI) สอดคล้องกับวัตถุประสงค์และผลที่คาดว่าจะได้รับ", 5),
            ("ผลที่คาดว่าจะได้รับสอดคล้องกับวัตถุประสงค์", 5),
        ],
    ),
]
SCORE_COLUMNS = 6  # strategies that get a score column each in the projects' table


DIST_BLOCK = 100_000  # justified blocks of narrative file k are numbered from k * DIST_BLOCK


def part_title(number: int, thai_digits: bool) -> str:
    return f"ส่วนที่ {thai.one_style(number, thai_digits)} {PARTS[number]}"


@lru_cache(maxsize=64)
def _markdown(
    source: str,
    key: str,
    use_thai: bool,
    first_figure: int,
    values: tuple[tuple[str, str], ...] = (),
) -> markdown.Rendered:
    # A file of FILES by its key; another (an edition's reasons) by its name in the folder.
    place = list(FILES).index(key) + 1 if key in FILES else len(FILES) + 1
    numbers = itertools.count(place * DIST_BLOCK)
    relative = FILES.get(key, key)
    return markdown.render(
        source,
        "reasons" if key not in FILES else key,
        relative.rpartition("/")[0] + "/" if "/" in relative else "",
        text=lambda value: prose(thai.one_style(value, use_thai), use_thai),
        digits=lambda value: thai.one_style(value, use_thai),
        dist=lambda: next(numbers),
        first_figure=first_figure,
        values=values,
    )


def narrative_html(plan: Plan, narrative: Narrative) -> dict[str, markdown.Rendered]:
    """Each narrative file of the plan as HTML, with its headings (cached: every part of a
    long document renders the same files). Captioned images are numbered through the book,
    in its order (FILES'); figures from the plan's data ({{ … }}) replaced by their values."""
    out: dict[str, markdown.Rendered] = {}
    values = Figures(plan, narrative)
    figures = 1
    keys = [key for key in FILES if key in narrative.sources]
    keys += [key for key in narrative.sources if key not in FILES]  # an edition's reasons
    for key in keys:
        source = narrative.sources[key]
        out[key] = _markdown(source, key, plan.thai_digits, figures, values.values(source))
        figures += len(out[key].figures)
    return out


def toc(
    plan: Plan,
    book: dict[str, markdown.Rendered] | None = None,
    forms: list[summary.Form] | None = None,
) -> list[dict[str, Any]]:
    """Entries of the table of contents, in the book's order: level, anchor id, text."""
    book = book or {}
    forms = summary.forms(plan) if forms is None else forms
    digits = plan.thai_digits

    def d(value: object) -> str:
        return thai.one_style(value, digits)

    def part(number: int) -> tuple[int, str, str]:
        return (1, f"part{number}", part_title(number, digits))

    def sections(key: str) -> list[tuple[int, str, str]]:
        found = book[key].headings if key in book else ()
        return [(2, h.id, h.text) for h in found if h.level == 2]

    entries = [(1, "preface", "คำนำ")] if "preface" in book else []
    labels: dict[str, str] = {}  # anchor -> the form's label that ends its entry
    if "general" in book:
        entries += [part(1), *sections("general")]
    if "results" in book:
        entries += [part(2), *sections("results")]
    entries.append(part(3))
    if any(s.links for s in plan.strategies):
        entries.append((2, "links", "ความเชื่อมโยงกับแผนพัฒนาระดับมหภาค"))
    goals = plan.goals_label
    entries += [(2, "vision", "วิสัยทัศน์"), (2, "missions", "พันธกิจ"), (2, "goals", goals)]
    for i, s in enumerate(plan.strategies, 1):
        name = d(s.name.removeprefix("ยุทธศาสตร์"))
        entries.append((2, f"strategy-{i}", f"ยุทธศาสตร์ที่ {d(i)} {name}"))
    entries += sections("analysis")
    if forms:
        entries += [part(4), (2, "programmes", "ยุทธศาสตร์การพัฒนาและแผนงาน")]
        for form in forms:
            title = f"{form.title} {form.subtitle}" if form.subtitle else form.title
            labels[form.anchor] = f"({d(form.label)})"
            entries.append((2, form.anchor, f"{title} {labels[form.anchor]}"))
    if "monitoring" in book:
        entries += [part(5), *sections("monitoring")]
        entries.append((2, "scoring", "เกณฑ์การติดตามและประเมินผล"))
    if plan.appendices:  # ภาคผนวก: the divider, then each appendix's first page
        entries.append((1, "appendices", "ภาคผนวก"))
        entries += [(2, f"appendix-{i}", a.title) for i, a in enumerate(plan.appendices, 1)]
    # "head" + "keep" = "text"; "keep" (a form's label, "(แบบ ผ.๐๒/๑)") does not break.
    return [
        {
            "level": level,
            "id": anchor,
            "text": text,
            "head": text.removesuffix(labels.get(anchor, "")),
            "keep": labels.get(anchor, ""),
            "front": anchor in FRONT,
        }
        for level, anchor, text in entries
    ]


def render(template: str, plan: Plan, **extra: Any) -> str:
    """*template* filled from *plan*; *extra* may hold its `narrative` (plan.narrative)."""
    family = font_family(plan.settings.font)
    return environment().get_template(template).render(context(plan, family, **extra))


# An edition's book (เพิ่มเติม, เปลี่ยนแปลง …): ส่วนที่ ๑ its principles and reasons, ส่วนที่ ๒ the
# plan book's ส่วนที่ ๔ over its items. Its parts by the plan book's numbers (strategy.html.j2).
EDITION_PARTS = {1: (1, "หลักการและเหตุผล"), 4: (2, "การนำแผนพัฒนาท้องถิ่นไปสู่การปฏิบัติ")}


def edition_part_title(number: int, thai_digits: bool) -> str:
    shown, title = EDITION_PARTS[number]
    return f"ส่วนที่ {thai.one_style(shown, thai_digits)} {title}"


FORM_OF = {"local": "แบบ ผ.02", "community": "แบบ ผ.02/1", "coordination": "แบบ ผ.02/2"}


def _span(years: list[int]) -> str:
    if not years:
        return "-"
    if years == list(range(years[0], years[-1] + 1)) and len(years) > 1:
        return f"{years[0]}–{years[-1]}"
    return ", ".join(map(str, years))


def edition_context(
    plan: Plan, edition: Edition, found: EditionItems | None, use_thai: bool
) -> dict[str, Any]:
    """What an edition's book and its ประกาศ show beyond the plan's: the editions before it,
    its items' list (ส่วนที่ ๑), the original's place of each changed item."""
    strategies = {s.id: s.name for s in plan.strategies}
    rows = []
    for item in [*(found.added if found else []), *(found.changed if found else [])]:
        q = item.now
        years = [y for y in plan.years if q.in_year(y)]
        if isinstance(q, Project):
            name, form = q.name, FORM_OF[q.kind]
        else:
            name, form = f"{q.type} {q.target}", "แบบ ผ.03"
        rows.append(
            {
                "name": name,
                "strategy": strategies.get(q.strategy or "", "-"),
                "form": form,
                "years": _span(years),
                "budget": sum(q.in_year(y) for y in plan.years),
                "changed": item.before is not None or item.change is not None,
            }
        )
    period = f"{plan.plan.period.first} – {plan.plan.period.last}"
    adopted = f"{plan.plan.title} (พ.ศ. {period})"

    def reference(item: Item) -> str:
        before = item.before
        source = before.amendment if before is not None and before.amendment else adopted
        parts = [source]
        if item.form:
            parts.append(item.form)
        if item.where:
            parts.append(item.where)
        if item.number:
            parts.append(f"ลำดับที่ {item.number}")
        if item.original_page:
            parts.append(f"หน้า {item.original_page}")
        if before is None:
            parts.append("(ไม่พบในฉบับที่อ้างอิง)")
        return thai.one_style(" ".join(parts), use_thai)

    return {
        "earlier_editions": earlier(plan, edition),
        "edition_rows": rows,
        "reference": reference,
    }


def edition_toc(
    plan: Plan,
    edition: Edition,
    found: EditionItems | None,
    forms: list[summary.Form],
    use_thai: bool,
) -> list[dict[str, Any]]:
    """The contents of an edition's book."""

    def d(value: object) -> str:
        return thai.one_style(value, use_thai)

    entries: list[tuple[int, str, str, str]] = [
        (1, "preface", "คำนำ", ""),
        (1, "part1", edition_part_title(1, use_thai), ""),
        *([(2, "reasons", "เหตุผลและความจำเป็น", "")] if edition.reasons else []),
        (2, "process", "ขั้นตอนการดำเนินการ", ""),
        (2, "items", f"บัญชีรายการที่{edition.kind}", ""),
    ]
    if forms:
        entries += [
            (1, "part4", edition_part_title(4, use_thai), ""),
            (2, "programmes", "ยุทธศาสตร์การพัฒนาและแผนงาน", ""),
        ]
        for form in forms:
            title = f"{form.title} {form.subtitle}" if form.subtitle else form.title
            entries.append((2, form.anchor, f"{title} ", f"({d(form.label)})"))
    if found is not None and found.changed:
        entries.append((2, "changes", f"รายละเอียดการ{edition.kind} (เดิม / ใหม่)", ""))
    if edition.appendices:  # its ภาคผนวก: the divider, then each appendix's first page
        entries.append((1, "appendices", "ภาคผนวก", ""))
        entries += [(2, f"appendix-{i}", a.title, "") for i, a in enumerate(edition.appendices, 1)]
    return [
        {
            "level": level,
            "id": anchor,
            "text": head + keep,
            "head": head,
            "keep": keep,
            "front": anchor in FRONT,
        }
        for level, anchor, head, keep in entries
    ]
