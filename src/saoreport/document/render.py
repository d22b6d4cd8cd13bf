"""Plan -> HTML, through the Jinja templates (autoescaped, strict about undefined names)."""

from __future__ import annotations

import itertools
import re
from functools import cache, lru_cache
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from saoreport import thai
from saoreport.document import columns
from saoreport.fonts.family import FontFamily, font_family, page_dash
from saoreport.plan import summary
from saoreport.plan.models import Equipment, Plan, Project
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
    "form": 13,
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
KEEP_TOGETHER = re.compile(r"[^\s\u00a0]+(?:\u00a0[^\s\u00a0]+)+")


def prose(text: str, thai_digits: bool) -> Markup:
    """Escape *text*, set its digits, keep NBSP-joined words on a line."""
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


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(templates_dir()),
        autoescape=select_autoescape(["html", "j2"], default_for_string=True, default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["money"] = thai.money
    env.filters["thai_digits"] = thai.thai_digits
    env.globals["left_column"] = left_column
    return env


def css_string(text: str) -> str:
    """*text* as a CSS string literal (for string-set)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _kept(text: str) -> list[str]:
    """The phrases of *text* that prose() keeps on one line."""
    return [m.group().replace("\u00a0", " ") for m in KEEP_TOGETHER.finditer(text)]


def form_widths(
    form: summary.Form, plan: Plan, family: FontFamily, table: summary.Programme | None = None
) -> list[float]:
    """The column widths of *form*'s table, in percent, measured from what it prints; of a
    detail form, those of one *table* (a programme's, which begins a page of its own: an
    edit to a project changes only its table, and a rebuild lays out only that table)."""

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
        header += [[f"{d(y)} (บาท)"] for y in years] + [["หน่วยงาน", "รับผิดชอบหลัก"]]
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
        header += [[f"{d(y)} (บาท)"] for y in years]
        header += [["ตัวชี้วัด", "(KPI)"], ["ผลที่คาดว่า", "จะได้รับ"], ["หน่วยงาน", "รับผิดชอบหลัก"]]
    return _measured(
        tuple(tuple(d(c) for c in r) for r in rows),
        tuple(wraps),
        tuple(tuple(h) for h in header),
        family.key,
    )


@lru_cache(maxsize=16)
def _measured(
    rows: tuple[tuple[str, ...], ...],
    wraps: tuple[bool, ...],
    header: tuple[tuple[str, ...], ...],
    font: str,
) -> list[float]:
    """Column widths for these cells (kept: every part of a long document asks again)."""
    family = font_family(font)
    size = family.pt(SIZES["form"])
    cols = [
        columns.Column(
            [r[i] for r in rows],
            wraps[i],
            list(header[i]),
            max([0.0] + [columns.text_width(k, family, size) for r in rows for k in _kept(r[i])]),
        )
        for i in range(len(wraps))
    ]
    return columns.widths(cols, family, size, FORM_WIDTH, KEEP_TOGETHER)


def context(plan: Plan, family: FontFamily, **extra: Any) -> dict[str, Any]:
    use_thai = plan.thai_digits

    def d(value: object) -> str:
        return thai.one_style(value, use_thai)

    def m(amount: int) -> str:
        return thai.money(amount, plan.thai_money)

    forms = summary.forms(plan)
    measured: dict[str, list[float]] = {}

    def widths(form: summary.Form, table: summary.Programme | None = None) -> list[float]:
        key = table.part if table else form.code
        if key not in measured:
            measured[key] = form_widths(form, plan, family, table)
        return measured[key]

    numbers = itertools.count()
    counter_style = "thai-digits" if use_thai else "decimal"
    dash = page_dash(family)
    return {
        "next_dist": lambda: next(numbers),  # ids of blocks justify.py distributes
        "plan": plan,
        "org": plan.organization,
        "info": plan.plan,
        "family": family,
        "size": {k: family.pt(v) for k, v in SIZES.items()},
        "lead": {k: round(v * LINE, 2) for k, v in SIZES.items()},
        "d": d,
        "m": m,
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
        "toc": toc(plan),
        **extra,
    }


def toc(plan: Plan) -> list[dict[str, Any]]:
    """Entries of the table of contents: level, anchor id, text."""

    def d(value: object) -> str:
        return thai.one_style(value, plan.thai_digits)

    goals = plan.goals_label
    entries = [
        (1, "part1", f"ส่วนที่ {d(1)} วิสัยทัศน์ พันธกิจ และ{goals}การพัฒนา"),
        (2, "vision", "วิสัยทัศน์"),
        (2, "missions", "พันธกิจ"),
        (2, "goals", goals),
    ]
    if plan.strategies:
        entries.append((1, "part2", f"ส่วนที่ {d(2)} ยุทธศาสตร์การพัฒนา"))
        for i, s in enumerate(plan.strategies, 1):
            name = thai.one_style(s.name.removeprefix("ยุทธศาสตร์"), plan.thai_digits)
            entries.append((2, f"strategy-{i}", f"ยุทธศาสตร์ที่ {d(i)} {name}"))
    forms = summary.forms(plan)
    if forms:
        entries.append((1, "part3", f"ส่วนที่ {d(3)} การนำแผนพัฒนาท้องถิ่นไปสู่การปฏิบัติ"))
        for form in forms:
            title = f"{form.title} {form.subtitle}" if form.subtitle else form.title
            entries.append((2, form.anchor, f"{title} ({d(form.label)})"))
    return [{"level": level, "id": anchor, "text": text} for level, anchor, text in entries]


def render(template: str, plan: Plan, **extra: Any) -> str:
    family = font_family(plan.settings.font)
    return environment().get_template(template).render(context(plan, family, **extra))
