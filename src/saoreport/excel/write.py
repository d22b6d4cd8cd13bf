"""A plan -> the workbook SAO offices keep: ผ.01, one ผ.02 sheet per strategy.tactic + programme
(ผ.02/1 and ผ.02/2 for community and coordination projects), ผ.03 equipment.

Each sheet prints on landscape A4, one page wide, its table header repeated on every page.
Totals are formulas with their values saved, so Excel and LibreOffice recalculate them and a
reader that does not (python-calamine) still sees the figures.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from saoreport import thai
from saoreport.excel import forms
from saoreport.output import write_atomic
from saoreport.plan.models import Equipment, Plan, Project, Strategy

FONT = "TH SarabunPSK"  # the official font offices have; others substitute a Thai font
DETAIL_WIDTHS = (5, 30, 26, 26, *([16] * 5), 24, 24, 14)  # characters; years hold 9,999,999,999
EQUIPMENT_WIDTHS = (5, 24, 22, 14, 20, 30, *([16] * 5), 16)
# TH SarabunPSK 14 pt, measured with fontTools on TLWG Laksaman (its design at 1.503 times the
# size): 0.36 em a Thai character without its marks, lines 1.30 em (18 pt) apart. A column w
# characters wide is 7w + 5 pixels of the default font: about 1.05 w Thai characters at 14 pt.
# Where TH SarabunPSK is missing, LibreOffice draws a fallback font about 1.5 times larger; the
# rows are sized between the two (in TH SarabunPSK they have air, in a fallback some clip).
CHARS_PER_WIDTH = 0.85
LINE_PT = 20.0
HEADING_PT = 24.0  # the title rows, 16 pt


def _lines(text: str, width: float) -> int:
    """Lines *text* takes in a column *width* characters wide, wrapped at the cell's edge."""
    per_line = max(1, int(width * CHARS_PER_WIDTH))
    total = 0
    for part in text.split("\n"):
        visible = sum(
            1 for c in part if not ("\u0e31" <= c <= "\u0e3a" or "\u0e47" <= c <= "\u0e4e")
        )
        total += max(1, -(-visible // per_line))
    return total


def _fit_row(sheet: Worksheet, row: int, cells: Iterable[tuple[str, float]]) -> None:
    """Set the row's height to its tallest cell: LibreOffice keeps the default height else."""
    lines = max((_lines(text, width) for text, width in cells), default=1)
    sheet.set_row(row, LINE_PT * lines + 4)


@dataclass
class Exported:
    path: Path
    sheets: list[str]
    projects: int
    equipment: int


class _Formats:
    def __init__(self, book: xlsxwriter.Workbook) -> None:
        base: dict[str, Any] = {"font_name": FONT, "font_size": 14, "valign": "top"}
        self.title = book.add_format({**base, "font_size": 16, "bold": True, "align": "center"})
        self.form = book.add_format({**base, "font_size": 14, "align": "right", "border": 1})
        self.line = book.add_format({**base, "bold": True})
        self.head = book.add_format(
            {**base, "bold": True, "align": "center", "valign": "vcenter", "border": 1}
            | {"text_wrap": True}
        )
        self.text = book.add_format({**base, "text_wrap": True, "border": 1})
        self.number = book.add_format({**base, "align": "center", "border": 1})
        self.money = book.add_format({**base, "num_format": "#,##0", "border": 1})
        self.none = book.add_format({**base, "align": "center", "border": 1})
        self.marker = book.add_format({**base, "bold": True, "border": 1, "text_wrap": True})
        self.total = book.add_format({**base, "bold": True, "border": 1, "align": "center"})
        self.total_money = book.add_format(
            {**base, "bold": True, "border": 1, "num_format": "#,##0"}
        )
        self.id = book.add_format({**base, "font_size": 10})


def _print_setup(sheet: Worksheet, header: tuple[int, int], last_row: int, last_col: int) -> None:
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.set_margins(left=0.5, right=0.4, top=0.6, bottom=0.6)
    sheet.repeat_rows(*header)
    sheet.print_area(0, 0, last_row, last_col)
    sheet.fit_to_pages(1, 0)
    sheet.center_horizontally()
    sheet.set_footer("&C&P / &N")


def _heading(
    sheet: Worksheet,
    f: _Formats,
    plan: Plan,
    title: str,
    form: str,
    kind_line: str | None,
    last_col: int,
) -> int:
    """Title, form number, kind, plan and organization lines; returns the next row."""
    sheet.set_default_row(LINE_PT)  # rows of one line; taller ones are set where written
    sheet.merge_range(0, 0, 0, last_col - 1, title, f.title)
    sheet.write_string(0, last_col, f"แบบ {form}", f.form)
    sheet.set_row(0, HEADING_PT)
    row = 1
    info = plan.plan
    org = plan.organization
    lines = [
        *([kind_line] if kind_line else []),
        forms.period_line(info.title, info.period.first, info.period.last, plan.revision),
        forms.org_line(org.name, org.district, org.province),
    ]
    for line in lines:
        sheet.merge_range(row, 0, row, last_col, line, f.title)
        sheet.set_row(row, HEADING_PT)
        row += 1
    return row


def _budget_cells(
    sheet: Worksheet, f: _Formats, row: int, col: int, years: Sequence[int], budget: dict[int, int]
) -> None:
    for i, year in enumerate(years):
        if year in budget:
            sheet.write_number(row, col + i, budget[year], f.money)
        else:
            sheet.write_string(row, col + i, forms.NO_BUDGET, f.none)


def _totals(
    sheet: Worksheet,
    f: _Formats,
    row: int,
    col: int,
    years: Sequence[int],
    first: int,
    items: Sequence[Project | Equipment],
    last_col: int,
) -> int:
    """The rows รวมงบประมาณ and รวมจำนวนโครงการ: formulas, with their values saved."""
    for label, counting in (("รวมงบประมาณ", False), ("รวมจำนวนโครงการ", True)):
        sheet.write_string(row, 0, "", f.total)
        sheet.merge_range(row, 1, row, col - 1, label, f.total)
        for i, year in enumerate(years):
            top = xl_rowcol_to_cell(first, col + i)
            bottom = xl_rowcol_to_cell(max(first, row - 1 - counting), col + i)
            if counting:
                value: int = sum(1 for item in items if item.in_year(year))
                formula = f'=COUNTIF({top}:{bottom},">0")'
            else:
                value = sum(item.in_year(year) for item in items)
                formula = f"=SUM({top}:{bottom})"
            sheet.write_formula(row, col + i, formula, f.total_money, value)
        for c in range(col + len(years), last_col + 1):
            sheet.write_string(row, c, "", f.total)
        row += 1
    return row


def _marker(sheet: Any, f: _Formats, row: int, last_col: int, label: str | None) -> int:
    """The amendment marker row before the items an amendment added (none for the base
    plan's); the next free row."""
    if label is None:
        return row
    sheet.write_string(row, 0, "", f.marker)
    sheet.merge_range(row, 1, row, last_col, label, f.marker)
    return row + 1


def _grouped_by_amendment(items: Sequence[Any]) -> list[tuple[str | None, list[Any]]]:
    """Items of the base plan first, then each amendment's, in order of first appearance."""
    labels = list(dict.fromkeys(item.amendment for item in items))
    labels.sort(key=lambda label: label is not None)
    return [(label, [i for i in items if i.amendment == label]) for label in labels]


def _detail_sheet(
    book: xlsxwriter.Workbook,
    f: _Formats,
    plan: Plan,
    name: str,
    kind: str,
    number: int,
    strategy: Strategy,
    tactic_number: int | None,
    programme_number: int,
    programme: str,
    projects: list[Project],
) -> None:
    sheet = book.add_worksheet(name)
    years = plan.years
    # The เทศบัญญัติ block (17 columns) when any project of the plan has one.
    block = len(years) if any(p.enacted for p in plan.projects) else 0
    tail = 4 + len(years) + block  # kpi, result, unit
    last_col = tail + 2
    widths_all = [*DETAIL_WIDTHS[:4], *[16] * (len(years) + block), *DETAIL_WIDTHS[-3:]]
    for c, width in enumerate(widths_all):
        sheet.set_column(c, c, width)
    sheet.set_column(last_col + 1, last_col + 1, 10, None, {"hidden": True})
    row = _heading(
        sheet,
        f,
        plan,
        forms.DETAIL_TITLE,
        forms.DETAIL_FORM[kind],
        forms.KIND_LINE.get(kind),
        last_col,
    )
    links = strategy.links
    for key, letter in zip(forms.LINK_KEYS, forms.LINK_LETTERS, strict=True):
        value = getattr(links, key) if links else None
        if value:
            sheet.merge_range(row, 0, row, last_col, f"{letter}. {value}", f.line)
            sheet.set_row(row, LINE_PT)
            row += 1
    lines = [f"{number}. {strategy.name}"]
    if tactic_number is not None:
        lines.append(f"{number}.{tactic_number} {strategy.tactics[tactic_number - 1].name}")
    if programme:  # none on the sheet of a tactic without projects
        lines.append(f"({programme_number}) {programme}")
    for line in lines:
        sheet.write_string(row, 0, line, f.line)
        sheet.set_row(row, LINE_PT)
        row += 1
    header = row
    h = forms.DETAIL_HEADERS
    for c, key in enumerate(("number", "name", "objective", "target")):
        sheet.merge_range(row, c, row + 2, c, h[key], f.head)
    sheet.merge_range(row, 4, row, 3 + len(years), h["budget"], f.head)
    if block:
        sheet.merge_range(row, 4 + len(years), row, tail - 1, forms.ENACTED_HEADER, f.head)
    for i, year in enumerate([*years, *years][: len(years) + block]):
        sheet.write_string(row + 1, 4 + i, str(year), f.head)
        sheet.write_string(row + 2, 4 + i, "(บาท)", f.head)
    for c, key in enumerate(("kpi", "result", "unit"), tail):
        sheet.merge_range(row, c, row + 2, c, h[key], f.head)
    sheet.write_string(row, last_col + 1, forms.ID_HEADER, f.id)
    row += 3
    first = row
    for label, group in _grouped_by_amendment(projects):
        row = _marker(sheet, f, row, last_col, label)
        for n, project in enumerate(group, 1):
            sheet.write_number(row, 0, n, f.number)
            for c, key in enumerate(("name", "objective", "target"), 1):
                sheet.write_string(row, c, getattr(project, key), f.text)
            _budget_cells(sheet, f, row, 4, years, project.budget)
            if block:
                _budget_cells(sheet, f, row, 4 + len(years), years, project.enacted)
            for c, key in enumerate(("kpi", "result", "unit"), tail):
                sheet.write_string(row, c, getattr(project, key), f.text)
            sheet.write_string(row, last_col + 1, project.id, f.id)
            texts = [project.name, project.objective, project.target, project.kpi]
            widths = [widths_all[c] for c in (1, 2, 3, tail)]
            texts += [project.result, project.unit]
            widths += [widths_all[c] for c in (tail + 1, tail + 2)]
            _fit_row(sheet, row, zip(texts, widths, strict=True))
            row += 1
    if projects:
        row = _totals(sheet, f, row, 4, years, first, projects, last_col)
    _print_setup(sheet, (header, header + 2), row - 1, last_col)


def _summary_sheet(
    book: xlsxwriter.Workbook, f: _Formats, plan: Plan, kind: str, taken: set[str]
) -> None:
    form = forms.SUMMARY_FORM[kind]
    sheet = book.add_worksheet(forms.sheet_name(form.replace("/", "-"), taken))
    years = plan.years
    last_col = 2 * len(years) + 2
    sheet.set_column(0, 0, 48)
    for i in range(len(years) + 1):
        sheet.set_column(1 + 2 * i, 1 + 2 * i, 9)
        sheet.set_column(2 + 2 * i, 2 + 2 * i, 18)
    row = _heading(sheet, f, plan, forms.SUMMARY_TITLE, form, forms.KIND_LINE.get(kind), last_col)
    header = row
    sheet.merge_range(row, 0, row + 1, 0, "ยุทธศาสตร์", f.head)
    for i, label in enumerate([f"ปี {y}" for y in years] + [f"รวม {len(years)} ปี"]):
        sheet.merge_range(row, 1 + 2 * i, row, 2 + 2 * i, label, f.head)
        sheet.write_string(row + 1, 1 + 2 * i, "จำนวน\nโครงการ", f.head)
        sheet.write_string(row + 1, 2 + 2 * i, "งบประมาณ\n(บาท)", f.head)
    sheet.set_row(row, LINE_PT)
    sheet.set_row(row + 1, 2 * LINE_PT + 4)
    row += 2
    projects = [p for p in plan.projects if p.kind == kind]
    strategy_totals: list[int] = []
    grand: dict[int, int] = {}

    def figures(at: int, items: Iterable[Project], fmt: Format, fmt_money: Format) -> list[int]:
        values = []
        items = list(items)
        for i, year in enumerate(years):
            count = sum(1 for p in items if p.in_year(year))
            budget = sum(p.in_year(year) for p in items)
            values += [count, budget]
            sheet.write_number(at, 1 + 2 * i, count, fmt)
            sheet.write_number(at, 2 + 2 * i, budget, fmt_money)
        n = len(years)
        for j, col in enumerate((1 + 2 * n, 2 + 2 * n)):
            cells = ",".join(xl_rowcol_to_cell(at, 1 + 2 * i + j) for i in range(n))
            total = sum(values[j::2])
            sheet.write_formula(at, col, f"=SUM({cells})", fmt_money if j else fmt, total)
        return values

    for number, strategy in enumerate(plan.strategies, 1):
        sheet.write_string(row, 0, f"{number}. {strategy.name}", f.line)
        row += 1
        own = [p for p in projects if p.strategy == strategy.id]
        first = row
        for k, programme in enumerate(dict.fromkeys(p.programme for p in own), 1):
            sheet.write_string(row, 0, f"{number}.{k} {programme}", f.text)
            figures(row, [p for p in own if p.programme == programme], f.number, f.money)
            row += 1
        sheet.write_string(row, 0, "รวม", f.total)
        values = figures(row, own, f.total, f.total_money)
        if row > first:  # the strategy's total as a formula over its programmes
            for c in range(1, 1 + 2 * len(years)):
                top, bottom = xl_rowcol_to_cell(first, c), xl_rowcol_to_cell(row - 1, c)
                fmt = f.total_money if c % 2 == 0 else f.total
                sheet.write_formula(row, c, f"=SUM({top}:{bottom})", fmt, values[c - 1])
        for c, value in enumerate(values, 1):
            grand[c] = grand.get(c, 0) + value
        strategy_totals.append(row)
        row += 1
    sheet.write_string(row, 0, "รวมทั้งสิ้น", f.total)
    for c in range(1, last_col + 1):
        if c <= 2 * len(years):
            cells = "+".join(xl_rowcol_to_cell(r, c) for r in strategy_totals) or "0"
            value = grand.get(c, 0)
        else:  # the five-year totals
            cells = ",".join(xl_rowcol_to_cell(row, c - 2 * i) for i in range(1, len(years) + 1))
            cells = f"SUM({cells})"
            value = sum(grand.get(c - 2 * i, 0) for i in range(1, len(years) + 1))
        fmt = f.total_money if c % 2 == 0 else f.total
        sheet.write_formula(row, c, f"={cells}", fmt, value)
    _print_setup(sheet, (header, header + 1), row, last_col)


def _equipment_sheet(book: xlsxwriter.Workbook, f: _Formats, plan: Plan, name: str) -> None:
    sheet = book.add_worksheet(name)
    years = plan.years
    last_col = 6 + len(years)
    for c, width in enumerate(EQUIPMENT_WIDTHS):
        sheet.set_column(c, c, width)
    sheet.set_column(last_col + 1, last_col + 1, 10, None, {"hidden": True})
    row = _heading(sheet, f, plan, forms.EQUIPMENT_TITLE, forms.EQUIPMENT_FORM, None, last_col)
    header = row
    h = forms.EQUIPMENT_HEADERS
    keys = ("number", "strategy", "programme", "category", "type", "target")
    for c, key in enumerate(keys):
        sheet.merge_range(row, c, row + 2, c, h[key], f.head)
    sheet.merge_range(row, 6, row, 5 + len(years), h["budget"], f.head)
    for i, year in enumerate(years):
        sheet.write_string(row + 1, 6 + i, str(year), f.head)
        sheet.write_string(row + 2, 6 + i, "(บาท)", f.head)
    sheet.merge_range(row, last_col, row + 2, last_col, h["unit"], f.head)
    sheet.write_string(row, last_col + 1, forms.ID_HEADER, f.id)
    row += 3
    first = row
    names = {s.id: s.name for s in plan.strategies}
    for label, group in _grouped_by_amendment(plan.equipment):
        row = _marker(sheet, f, row, last_col, label)
        for n, item in enumerate(group, 1):
            sheet.write_number(row, 0, n, f.number)
            strategy = names.get(item.strategy, "") if item.strategy else ""
            values = (strategy, item.programme, item.category, item.type, item.target)
            for c, value in enumerate(values, 1):
                sheet.write_string(row, c, value, f.text)
            _budget_cells(sheet, f, row, 6, years, item.budget)
            sheet.write_string(row, last_col, item.unit, f.text)
            sheet.write_string(row, last_col + 1, item.id, f.id)
            texts = [*values, item.unit]
            widths = [*EQUIPMENT_WIDTHS[1:6], EQUIPMENT_WIDTHS[6 + len(years)]]
            _fit_row(sheet, row, zip(texts, widths, strict=True))
            row += 1
    row = _totals(sheet, f, row, 6, years, first, plan.equipment, last_col)
    _print_setup(sheet, (header, header + 2), row - 1, last_col)


def workbook_bytes(plan: Plan, date: dt.date) -> tuple[bytes, list[str]]:
    """The workbook of *plan*, dated *date* (no clock: the same plan gives the same bytes)."""
    out = io.BytesIO()
    options = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    book = xlsxwriter.Workbook(out, options)
    stamp = dt.datetime.combine(date, dt.time(0, 0))
    book.set_properties(
        {"title": f"{plan.plan.title} {plan.organization.name}", "created": stamp}
        | {"author": plan.organization.name, "comments": "saoreport export"}
    )
    f = _Formats(book)
    taken: set[str] = set()
    kinds = [k for k in forms.DETAIL_FORM if any(p.kind == k for p in plan.projects)]
    _summary_sheet(book, f, plan, "local", taken)
    if "community" in kinds:
        _summary_sheet(book, f, plan, "community", taken)
    for kind in kinds:
        prefix = {"local": "", "community": "ผ02-1 ", "coordination": "ผ02-2 "}[kind]
        for number, strategy in enumerate(plan.strategies, 1):
            own = [p for p in plan.projects if p.kind == kind and p.strategy == strategy.id]
            tactic_numbers: list[int | None] = [None] + list(range(1, len(strategy.tactics) + 1))
            for m in tactic_numbers:
                tactic_id = strategy.tactics[m - 1].id if m else None
                group = [p for p in own if p.tactic == tactic_id]
                programmes = list(dict.fromkeys(p.programme for p in group))
                for k, programme in enumerate(programmes, 1):
                    where = f"{number}.{m}" if m else f"{number}"
                    name = forms.sheet_name(f"{prefix}ยุทธ{where}{programme}", taken)
                    projects = [p for p in group if p.programme == programme]
                    _detail_sheet(
                        book, f, plan, name, kind, number, strategy, m, k, programme, projects
                    )
    for number, strategy in enumerate(plan.strategies, 1):  # a tactic without projects
        for m, tactic in enumerate(strategy.tactics, 1):  # keeps its place and number
            if not any(p.tactic == tactic.id for p in plan.projects):
                name = forms.sheet_name(f"ยุทธ{number}.{m} ไม่มีโครงการ", taken)
                _detail_sheet(book, f, plan, name, "local", number, strategy, m, 1, "", [])
    if plan.equipment:
        _equipment_sheet(book, f, plan, forms.sheet_name("ผ03 ครุภัณฑ์", taken))
    book.close()
    return out.getvalue(), [s.name for s in book.worksheets()]


def plan_date(plan: Plan) -> dt.date:
    """The date a plan's files carry: announcement, approval, else the fiscal year's start."""
    info = plan.plan
    if info.announced:
        return thai.from_be(info.announced)
    if info.approval:
        return thai.from_be(info.approval.date)
    return thai.fiscal_year_span(info.fiscal_year)[0]


def export_plan(plan: Plan, out: Path) -> Exported:
    data, sheets = workbook_bytes(plan, plan_date(plan))
    write_atomic(out, data)
    return Exported(out, sheets, len(plan.projects), len(plan.equipment))


def export_and_report(folder: Path, out: Path) -> int:
    """`saoreport export PLAN_DIR --xlsx OUT`: validate the plan, write the workbook."""
    from saoreport.messages import _, n_
    from saoreport.plan.validate import check

    checked = check(folder)
    done = export_plan(checked.plan, out)
    print(
        _(
            "{file}: {sheets}, {projects}, {equipment}",
            file=out,
            sheets=n_("{count} sheet", "{count} sheets", len(done.sheets), count=len(done.sheets)),
            projects=n_("{count} project", "{count} projects", done.projects, count=done.projects),
            equipment=n_(
                "{count} equipment row",
                "{count} equipment rows",
                done.equipment,
                count=done.equipment,
            ),
        )
    )
    return 0
