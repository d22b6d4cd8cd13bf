"""An office's workbook (.xlsx, .xls or .ods) -> strategies, projects and equipment, and a note
for every cell that could not be placed, every budget that could not be read and every figure of
ผ.01 that the detail sheets do not give.

Sheets are recognised by their title rows, not their names: รายละเอียดโครงการพัฒนา (ผ.02, with
ผ.02/1 and ผ.02/2 told apart by their form number or title), บัญชีสรุปโครงการพัฒนา (ผ.01, ผ.01/1)
and บัญชีครุภัณฑ์ (ผ.03 / ผ.08). Read with python-calamine: values as saved, formulas by their
saved results.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import python_calamine

from saoreport.errors import SaoError
from saoreport.excel import forms, guard
from saoreport.excel.forms import cell_name, cell_text, money
from saoreport.plan.models import MAX_BAHT
from saoreport.resources import read_input

Row = list[object]


@dataclass(frozen=True)
class Note:
    where: str  # FILE:SHEET!CELL
    message: str
    lost: bool = False  # what the cell holds is not in the plan (the import exits 1)

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class StrategyRead:
    number: int
    name: str
    links: dict[str, str] = field(default_factory=dict)
    tactics: dict[int, str] = field(default_factory=dict)


@dataclass
class Item:
    """A project (ผ.02, ผ.02/1, ผ.02/2) or an equipment row (ผ.03), as the workbook gives it."""

    where: str
    kind: str  # local, community, coordination, equipment
    strategy: int | None
    tactic: int | None
    texts: dict[str, str]
    budget: dict[int, int] = field(default_factory=dict)
    amendment: str | None = None
    id: str | None = None
    cells: dict[str, str] = field(default_factory=dict)  # field or budget year -> FILE:SHEET!CELL

    def in_year(self, year: int) -> int:
        return self.budget.get(year, 0)


@dataclass
class Read:
    file: Path
    title: str | None = None
    period: tuple[int, int] | None = None
    revision: str | None = None
    org: tuple[str, str | None, str | None] | None = None  # name, district, province
    strategies: dict[int, StrategyRead] = field(default_factory=dict)
    projects: list[Item] = field(default_factory=list)
    equipment: list[Item] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    sheets: dict[str, str] = field(default_factory=dict)  # sheet -> what it was read as
    digest: str = ""  # sha256 of the file's bytes, as read
    unread: dict[str, dict[tuple[int, int], forms.Unread]] = field(default_factory=dict)


class _Sheet:
    def __init__(self, read: Read, name: str, rows: list[Row]) -> None:
        self.read, self.name, self.rows = read, name, rows

    def where(self, row: int, col: int | None = None) -> str:
        cell = cell_name(row, col) if col is not None else str(row + 1)
        return f"{self.read.file}:{self.name}!{cell}"

    def note(self, row: int, col: int | None, message: str, lost: bool = False) -> None:
        self.read.notes.append(Note(self.where(row, col), message, lost))

    def text(self, row: int, col: int | None) -> str:
        if col is None or row >= len(self.rows) or col >= len(self.rows[row]):
            return ""
        return cell_text(self.rows[row][col])

    def texts(self, row: int) -> list[tuple[int, str]]:
        return [(c, t) for c in range(len(self.rows[row])) if (t := self.text(row, c))]


# Cells of the header's lower rows: a year ("2566", "ปี 2566", "พ.ศ. 2566"), "(บาท)", a label.
_HEADER_CELL = re.compile(r"^\(?\s*(?:(?:ปี|พ\.ศ\.)\s*)?\d{4}\s*\)?$|บาท|งบประมาณ|เทศบัญญัติ|ที่ผ่านมา")


def _int(text: str) -> int | None:
    match = re.fullmatch(r"\s*(\d+)\s*\.?\s*", forms.arabic(text))
    return int(match.group(1)) if match else None


def _load(path: Path, read: Read) -> list[tuple[str, list[Row]]]:
    """The visible sheets' cells, each error or formula without its value as a forms.Unread;
    the file read once, within guard's limits (checked before calamine sees it)."""
    if path.suffix.lower() not in (".xlsx", ".xlsm", ".xls", ".ods"):
        raise SaoError(f"{path}: not a workbook (.xlsx, .xls or .ods)")
    data = read_input(path, guard.MAX_FILE, "plan workbook")
    read.digest = hashlib.sha256(data).hexdigest()
    scan = guard.check(path, data)
    read.unread = scan.unread
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(scan.data or data))
        sheets = book.sheets_metadata
    except (OSError, python_calamine.CalamineError, ValueError) as exc:
        raise SaoError(f"{path}: cannot read the workbook: {exc}") from None
    out: list[tuple[str, list[Row]]] = []
    for sheet in sheets:
        name = sheet.name
        if sheet.visible != python_calamine.SheetVisibleEnum.Visible:
            read.sheets[name] = "hidden"
            very = sheet.visible == python_calamine.SheetVisibleEnum.VeryHidden
            read.notes.append(
                Note(
                    f"{path}:{name}",
                    "a very hidden sheet (only a macro shows it): left out"
                    if very
                    else "a hidden sheet, usually an old copy: left out. If its projects are"
                    " current, unhide it (right-click a sheet tab, Unhide), save, and import"
                    " again",
                )
            )
            continue
        try:  # a chart sheet, or one calamine cannot read, is reported, not fatal
            rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except (python_calamine.CalamineError, ValueError) as exc:
            read.notes.append(Note(f"{path}:{name}", f"cannot read this sheet ({exc}); skipped"))
            continue
        table: list[Row] = [list(r) for r in rows]
        for (r, c), cell in read.unread.get(name, {}).items():
            if r < len(table) and c < len(table[r]):
                table[r][c] = cell
        out.append((name, table))
    return out


def _unread_notes(read: Read) -> None:
    """Every error or formula without its value in a sheet that was read, not yet noted
    where it is read (a budget, a total): its cell, what it holds, what to do."""
    noted = {note.where for note in read.notes}
    for name, cells in read.unread.items():
        if read.sheets.get(name) in (None, "hidden", "skipped", "empty"):
            continue
        for (r, c), cell in sorted(cells.items()):
            where = f"{read.file}:{name}!{cell_name(r, c)}"
            if where not in noted:
                message = f"holds {cell.what}, not a value: {cell.advice}; left out"
                read.notes.append(Note(where, message, lost=True))


def _top_text(rows: list[Row], count: int = 6) -> str:
    return " ".join(cell_text(v) for r in rows[:count] for v in r if cell_text(v))


def read_workbook(path: Path) -> Read:
    read = Read(path)
    sheets = _load(path, read)
    contents = {name: rows for name, rows in sheets}
    summaries: list[tuple[_Sheet, str]] = []
    for name, rows in sheets:
        sheet = _Sheet(read, name, rows)
        copy = re.fullmatch(r"(.*\S)\s*\((\d+)\)", name)
        if copy and contents.get(copy.group(1)) == rows:
            read.sheets[name] = "skipped"
            sheet.note(0, 0, f"a copy of sheet '{copy.group(1)}' with the same cells; skipped")
            continue
        if copy and copy.group(1) in contents:
            sheet.note(0, 0, f"a copy of sheet '{copy.group(1)}' with other cells; read as well")
        top = _top_text(rows)
        if not top:
            read.sheets[name] = "empty"
            continue
        if forms.SUMMARY_TITLE in top:
            kind = forms.kind_of(top) or "local"
            summaries.append((sheet, kind))
            read.sheets[name] = forms.SUMMARY_FORM.get(kind, "ผ.01")
        elif forms.EQUIPMENT_TITLE in top:
            read.sheets[name] = "ผ.03"
            _details(sheet, "equipment")
        elif forms.DETAIL_TITLE in top:
            kind = forms.kind_of(top) or forms.kind_of(name) or "local"
            read.sheets[name] = forms.DETAIL_FORM[kind]
            _details(sheet, kind)
        else:
            read.sheets[name] = "skipped"
            sheet.note(
                0,
                0,
                "not a form this importer reads (no รายละเอียดโครงการพัฒนา, บัญชีสรุปโครงการพัฒนา"
                " or บัญชีครุภัณฑ์ in its first rows); skipped",
            )
    for sheet, kind in summaries:
        _summary(sheet, kind)
    _unread_notes(read)
    return read


def _heading(sheet: _Sheet, end: int) -> tuple[int | None, int | None, str | None]:
    """The rows above the table: plan, organization, ก.–จ., strategy, tactic, programme."""
    read = sheet.read
    strategy: StrategyRead | None = None
    tactic: int | None = None
    programme: str | None = None
    links: dict[str, str] = {}
    for r in range(end):
        cells = sheet.texts(r)
        if not cells:
            continue
        col, line = cells[0]
        line = " ".join(t for _, t in cells) if len(cells) > 1 else line
        if forms.DETAIL_TITLE in line or forms.EQUIPMENT_TITLE in line:
            continue
        if re.fullmatch(r"แบบ\s*ผ\.\s*\S+", line) or forms.kind_of(line) and "สำหรับ" in line:
            continue
        if m := forms.PERIOD.search(forms.arabic(line)):
            first, last = int(m.group(1)), int(m.group(2))
            if read.period is None:
                read.period = (first, last)
                read.title = line[: line.find("(")].strip() or None
                end_at = forms.arabic(line).find(")", m.start()) + 1
                read.revision = line[end_at:].strip() or None
            continue
        if m := forms.ORG.match(line):
            if read.org is None:
                read.org = (m.group(1), m.group(2), m.group(3))
            continue
        if m := forms.LINK_LINE.match(line):
            links[m.group(1)] = m.group(2)
            continue
        head = forms.arabic(line[:14]) + line[14:]
        m = forms.TACTIC_LINE.match(head)
        if m and m.group(3).startswith("แผนงาน"):  # "1.1 แผนงาน…": the 2561 forms' programme
            programme = m.group(3)
            continue
        if m:
            number = int(m.group(1))
            if strategy is None or strategy.number != number:
                sheet.note(r, col, f"tactic {number}.{m.group(2)} is not under strategy {number}")
            else:
                tactic = int(m.group(2))
                _same(sheet, r, col, strategy.tactics, tactic, m.group(3), "tactic")
            continue
        if m := forms.PROGRAMME_LINE.match(line):
            programme = m.group(2)
            continue
        if line.startswith("แผนงาน"):
            programme = line
            continue
        m = forms.STRATEGY_LINE.match(head)
        numbered = forms.STRATEGY_NUMBERED.match(head)
        if m or numbered:
            number = int((m or numbered).group(1))  # type: ignore[union-attr]
            name = m.group(2) if m else line
            strategy = read.strategies.setdefault(number, StrategyRead(number, name))
            if strategy.name != name:
                sheet.note(r, col, f"strategy {number} is named '{strategy.name}' elsewhere")
            continue
        sheet.note(r, col, f"a heading this importer cannot place: {line!r}; left out")
    if strategy is not None:
        for key, value in _link_keys(links).items():
            _same(sheet, 0, None, strategy.links, key, value, "line")
    elif sheet.read.sheets[sheet.name] != "ผ.03":
        sheet.note(0, None, "no strategy line ('1. ยุทธศาสตร์…') above the table")
    return (strategy.number if strategy else None), tactic, programme


def _link_keys(lines: dict[str, str]) -> dict[str, str]:
    """Lines ก.–จ. -> MacroLinks keys: by letter when all five are there (the 2566 forms);
    else by their words (the 2561 forms had two: ก. the province's, ข. the local one)."""
    letters = dict(zip(forms.LINK_LETTERS, forms.LINK_KEYS, strict=True))
    if set(lines) == set(letters):
        return {letters[letter]: text for letter, text in lines.items()}
    out = {}
    for letter, text in lines.items():
        key = next((k for k, words in forms.LINK_WORDS if words.match(text)), letters[letter])
        out[key] = text
    return out


def _same(
    sheet: _Sheet, r: int, c: int | None, into: dict[Any, str], key: object, value: str, what: str
) -> None:
    if key in into and into[key] != value:
        sheet.note(
            r, c, f"{what} {key} is '{into[key]}' on another sheet; this sheet's is left out"
        )
    into.setdefault(key, value)


@dataclass
class _Columns:
    fields: dict[str, int]
    years: list[tuple[int, int]]  # (column, year) of the plan budget
    extra: list[int]  # a second budget block (เทศบัญญัติ)
    unknown: dict[int, str]
    first_data: int


def _columns(sheet: _Sheet, header: int, words: Sequence[str]) -> _Columns:
    end = header
    for r in range(header + 1, min(header + 4, len(sheet.rows))):
        cells = sheet.texts(r)
        if not cells or not all(_HEADER_CELL.search(forms.arabic(t)) for _, t in cells):
            break
        end = r
    year_cols: list[tuple[int, int]] = []
    for r in range(header, end + 1):
        for c, t in sheet.texts(r):
            if r > header or not any(w in t for w in ("งบประมาณ",)):
                m = forms.YEAR.search(forms.arabic(t))
                if m and all(c != yc for yc, _ in year_cols):
                    year_cols.append((c, int(m.group(1))))
    year_cols.sort()
    blocks: list[list[tuple[int, int]]] = []
    for c, y in year_cols:
        if blocks and c == blocks[-1][-1][0] + 1 and y > blocks[-1][-1][1]:
            blocks[-1].append((c, y))
        else:
            blocks.append([(c, y)])
    budget = blocks[0] if blocks else []
    extra = [c for b in blocks[1:] for c, _ in b]
    fields: dict[str, int] = {}
    unknown: dict[int, str] = {}
    taken = {c for c, _ in year_cols}
    width = max(len(sheet.rows[r]) for r in range(header, end + 1))
    for c in range(width):
        if c in taken:
            continue
        label = " ".join(sheet.text(r, c) for r in range(header, end + 1)).strip()
        if not label or "งบประมาณ" in label or re.fullmatch(r"\(?บาท\)?", label):
            continue
        for key, pattern in forms.HEADER_WORDS:
            if key in words and key not in fields and pattern.search(" ".join(label.split())):
                fields[key] = c
                break
        else:
            unknown[c] = label
    return _Columns(fields, budget, extra, unknown, end + 1)


def _details(sheet: _Sheet, kind: str) -> None:
    rows = sheet.rows
    header = next(
        (
            r
            for r in range(min(len(rows), 40))
            if any(t == "ที่" for _, t in sheet.texts(r))
            and any(("โครงการ" in t or "ครุภัณฑ์" in t or "แผนงาน" in t) for _, t in sheet.texts(r))
        ),
        None,
    )
    if header is None:
        sheet.note(0, None, "no table header (a row with ที่ and โครงการ); sheet left out")
        return
    strategy, tactic, programme = _heading(sheet, header)
    equipment = kind == "equipment"
    words = (
        ("number", "strategy", "programme", "category", "type", "target", "unit", "id")
        if equipment
        else ("number", "name", "objective", "target", "kpi", "result", "unit", "id")
    )
    cols = _columns(sheet, header, words)
    if "number" not in cols.fields or not cols.years:
        sheet.note(header, None, "the table header has no ที่ column or no year columns; left out")
        return
    if not equipment and (strategy is None or programme is None):
        count = sum(1 for r in range(cols.first_data, len(rows)) if _int(sheet.text(r, 0)))
        what = (
            "strategy line ('1. ยุทธศาสตร์…')"
            if strategy is None
            else "programme line ('(1) แผนงาน…')"
        )
        sheet.note(header, None, f"no {what} above the table: its {count} projects are left out")
        return
    texts = (
        ("strategy", "programme", "category", "type", "target", "unit")
        if equipment
        else forms.TEXT_FIELDS
    )
    number_col = cols.fields["number"]
    name_col = cols.fields.get("programme" if equipment else "name", number_col + 1)
    items: list[Item] = []
    since_total: dict[bool, int] = {False: 0, True: 0}  # first item counted by the next total
    current: Item | None = None
    amendment: str | None = None
    expected = 1
    extra: list[str] = []
    for r in range(cols.first_data, len(rows)):
        cells = sheet.texts(r)
        if not cells:
            continue
        number_text, name_text = sheet.text(r, number_col), sheet.text(r, name_col)
        label = number_text or name_text
        if forms.TOTAL.match(label) or (not number_text and forms.TOTAL.match(cells[0][1])):
            label = label if forms.TOTAL.match(label) else cells[0][1]
            counting = "จำนวน" in label
            _check_total(sheet, r, cols, items, since_total[counting], counting)
            since_total[counting] = len(items)
            current = None
            continue
        # An amendment row: its label alone on the row (in ที่, โครงการ or merged across).
        marker = forms.amendment_label(cells[0][1]) if len(cells) == 1 else None
        if marker:
            amendment, expected, current = marker, 1, None
            continue
        number = _int(number_text)
        if number is None and number_text:
            sheet.note(r, number_col, f"cannot place {number_text!r} (not a number); row left out")
            current = None
            continue
        values = {key: sheet.text(r, cols.fields[key]) for key in texts if key in cols.fields}
        if number is not None:
            if not any(values.values()) and not _has_budget(sheet, r, cols):
                sheet.note(r, number_col, f"number {number} without a project; left out")
                continue
            if number != expected:
                sheet.note(r, number_col, f"numbered {number} where {expected} was expected")
            expected = number + 1
            current = Item(
                sheet.where(r), kind, strategy, tactic, dict(values), amendment=amendment
            )
            current.cells = {k: sheet.where(r, cols.fields[k]) for k in values}
            if programme is not None and not equipment:
                current.texts["programme"] = programme
            if "id" in cols.fields:
                current.id = sheet.text(r, cols.fields["id"]) or None
                current.cells["id"] = sheet.where(r, cols.fields["id"])
            items.append(current)
        elif current is None:
            for c, t in cells:
                sheet.note(r, c, f"cannot place {t!r}: no project above it on this sheet")
            continue
        else:  # a continuation row: its text goes on the project's next line
            for key, value in values.items():
                if value:
                    before = current.texts.get(key, "")
                    current.texts[key] = f"{before}\n{value}" if before else value
        for c, year in cols.years:
            read = money(rows[r][c] if c < len(rows[r]) else None)
            if read.error:
                sheet.note(r, c, f"budget {year}: {read.error}; left out of the plan", lost=True)
            elif read.baht is not None and read.baht > MAX_BAHT:
                message = f"budget {year}: {read.baht:,} is more than ten digits; left out"
                sheet.note(r, c, message, lost=True)
            elif read.baht is not None:
                if year in current.budget:
                    message = f"a second budget {year} for the project above; left out"
                    sheet.note(r, c, message, lost=True)
                else:
                    current.budget[year] = read.baht
                    current.cells[str(year)] = sheet.where(r, c)
        for c in cols.extra:
            if sheet.text(r, c) and sheet.text(r, c) != forms.NO_BUDGET:
                extra.append(cell_name(r, c))
        for c in cols.unknown:
            if t := sheet.text(r, c):
                sheet.note(
                    r, c, f"column '{cols.unknown[c]}' has no place in the plan: {t!r} left out"
                )
    if extra:
        sheet.note(
            header,
            cols.extra[0],
            f"the second budget block (columns {cell_name(0, cols.extra[0])[:-1]}–"
            f"{cell_name(0, cols.extra[-1])[:-1]}) has no place in the plan: {len(extra)}"
            f" cells left out ({', '.join(extra[:5])}{', …' if len(extra) > 5 else ''})",
        )
    target = sheet.read.equipment if equipment else sheet.read.projects
    target.extend(items)


def _has_budget(sheet: _Sheet, r: int, cols: _Columns) -> bool:
    return any(
        money(sheet.rows[r][c] if c < len(sheet.rows[r]) else None).baht for c, _ in cols.years
    )


def _check_total(
    sheet: _Sheet, r: int, cols: _Columns, items: list[Item], since: int, counting: bool
) -> None:
    for c, year in cols.years:
        value = sheet.rows[r][c] if c < len(sheet.rows[r]) else None
        if counting and isinstance(value, str):
            digits = re.search(r"\d+", forms.arabic(value))
            value = int(digits.group()) if digits else value
        read = money(value)
        if cell_text(value) == "" and read.error is None:
            continue
        if read.error:
            sheet.note(r, c, f"total {year}: {read.error}; not checked")
            continue
        given = read.baht or 0
        figures = []
        for group in (items[since:], items):
            figures.append(
                sum(1 for i in group if i.in_year(year))
                if counting
                else sum(i.in_year(year) for i in group)
            )
        if given not in figures:
            what = "projects" if counting else "baht"
            sheet.note(
                r, c, f"total {year} says {given:,} {what}; the rows above give {figures[0]:,}"
            )


def _summary(sheet: _Sheet, kind: str) -> None:
    """Check ผ.01 (or ผ.01/1) against the detail sheets; take strategy names it lists."""
    read = sheet.read
    rows = sheet.rows
    header = next(
        (r for r in range(min(len(rows), 40)) if any(t == "ยุทธศาสตร์" for _, t in sheet.texts(r))),
        None,
    )
    if header is None:
        sheet.note(0, None, "no header row (ยุทธศาสตร์ | ปี …); not checked")
        return
    pairs: list[tuple[int, int | None]] = []  # (first column of the pair, year or None = total)
    for c, t in sheet.texts(header):
        m = forms.YEAR.search(forms.arabic(t))
        if m:
            pairs.append((c, int(m.group(1))))
        elif t.startswith("รวม"):
            pairs.append((c, None))
    below = dict(sheet.texts(header + 1)) if header + 1 < len(rows) else {}
    swapped = {c: "งบประมาณ" in below.get(c, "") for c, _ in pairs}
    projects = [p for p in read.projects if p.kind == kind]
    current: int | None = None
    for r in range(header + 2, len(rows)):
        cells = sheet.texts(r)
        if not cells:
            continue
        label = sheet.text(r, 0)
        group: list[Item] | None = None
        what = ""
        if label.startswith("รวมทั้งสิ้น") or (label.startswith("รวม") and current is None):
            group, what = projects, "all strategies"
        elif label.startswith("รวม"):
            group = [p for p in projects if p.strategy == current]
            what = f"strategy {current}"
        elif (
            m := forms.STRATEGY_LINE.match(forms.arabic(label[:4]) + label[4:])
        ) and not forms.TACTIC_LINE.match(forms.arabic(label[:8])):
            current = int(m.group(1))
            known = read.strategies.setdefault(current, StrategyRead(current, m.group(2)))
            if known.name != m.group(2):
                sheet.note(r, 0, f"strategy {current} is '{known.name}' on the detail sheets")
            if len(cells) > 1:
                group = [p for p in projects if p.strategy == current]
                what = f"strategy {current}"
        if group is None and current is not None and "แผนงาน" in label:
            name = label[label.find("แผนงาน") :]
            group = [p for p in projects if p.strategy == current and _prog(p) == name]
            what = f"strategy {current}, {name}"
            if not group:
                sheet.note(r, 0, f"no detail sheet lists projects of strategy {current}, {name}")
        if group is None:
            if not (forms.STRATEGY_LINE.match(forms.arabic(label[:4]) + label[4:])):
                for c, t in cells:
                    sheet.note(r, c, f"cannot place {t!r} in ผ.01; not checked")
            continue
        for c, year in pairs:
            count_col, budget_col = (c + 1, c) if swapped[c] else (c, c + 1)
            for col, counting in ((count_col, True), (budget_col, False)):
                value = rows[r][col] if col < len(rows[r]) else None
                given = money(value)
                if cell_text(value) == "" and given.error is None:
                    continue
                if given.error:
                    sheet.note(r, col, f"{given.error}; not checked")
                    continue
                years = [year] if year is not None else None
                if counting:
                    figure = sum(
                        1
                        for p in group
                        for y in p.budget
                        if (years is None or y in years) and p.budget[y]
                    )
                else:
                    figure = sum(
                        v for p in group for y, v in p.budget.items() if years is None or y in years
                    )
                if (given.baht or 0) != figure:
                    unit = "projects" if counting else "baht"
                    span = f"ปี {year}" if year else "all years"
                    sheet.note(
                        r,
                        col,
                        f"ผ.01 gives {given.baht or 0:,} {unit} ({what}, {span});"
                        f" the detail sheets give {figure:,}",
                    )


def _prog(item: Item) -> str:
    return item.texts.get("programme", "")
