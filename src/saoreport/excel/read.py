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
from saoreport.messages import _, n_
from saoreport.output import read_input
from saoreport.plan.models import MAX_BAHT

Row = list[object]


LOST, CHECK, INFO = "lost", "check", "info"


@dataclass(frozen=True)
class Note:
    """*severity*: LOST (a cell's figure or a project is not in the plan: the import exits 1
    unless the losses are accepted), CHECK (read, with a question), INFO (nothing lost)."""

    where: str  # FILE:SHEET!CELL
    message: str
    severity: str = CHECK
    summary: bool = False  # ผ.01's figure differs from the detail sheets' (folded in the notes)

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
    enacted: dict[int, int] = field(default_factory=dict)  # the เทศบัญญัติ block
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

    def note(self, row: int, col: int | None, message: str, severity: str = CHECK) -> None:
        self.read.notes.append(Note(self.where(row, col), message, severity))

    def text(self, row: int, col: int | None) -> str:
        if col is None or row >= len(self.rows) or col >= len(self.rows[row]):
            return ""
        return cell_text(self.rows[row][col])

    def texts(self, row: int) -> list[tuple[int, str]]:
        return [(c, t) for c in range(len(self.rows[row])) if (t := self.text(row, c))]


# Cells of the header's lower rows: a year ("2566", "ปี 2566", "พ.ศ. 2566"), "(บาท)", a label.
_HEADER_CELL = re.compile(r"^\(?\s*(?:(?:ปี|พ\.ศ\.)\s*)?\d{4}\s*\)?$|บาท|งบประมาณ|เทศบัญญัติ|ที่ผ่านมา")


def _int(text: str) -> int | None:
    match = re.fullmatch(r"\s*\(?\s*(\d+)\s*[.)]?\s*", forms.arabic(text))
    return int(match.group(1)) if match else None


def _load(path: Path, read: Read) -> list[tuple[str, list[Row]]]:
    """The visible sheets' cells, each error or formula without its value as a forms.Unread;
    the file read once, within guard's limits (checked before calamine sees it)."""
    if path.suffix.lower() not in (".xlsx", ".xlsm", ".xls", ".ods"):
        raise SaoError(
            _(
                "{file}: not a workbook: give an .xlsx, .xls or .ods file (in Excel or"
                " LibreOffice, save as .xlsx)",
                file=path,
            )
        )
    data = read_input(path, guard.MAX_FILE, "plan workbook")
    read.digest = hashlib.sha256(data).hexdigest()
    scan = guard.check(path, data)
    read.unread = scan.unread
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(scan.data or data))
        sheets = book.sheets_metadata
    except (OSError, python_calamine.CalamineError, ValueError):
        raise SaoError(
            _(
                "{file}: cannot read the workbook ({reason}): open it in Excel or LibreOffice,"
                " save it as .xlsx, and import again",
                file=path,
                reason=_("the file is damaged or incomplete"),
            )
        ) from None
    out: list[tuple[str, list[Row]]] = []
    for sheet in sheets:
        name = sheet.name
        if sheet.visible != python_calamine.SheetVisibleEnum.Visible:
            read.sheets[name] = "hidden"
            very = sheet.visible == python_calamine.SheetVisibleEnum.VeryHidden
            read.notes.append(
                Note(
                    f"{path}:{name}",
                    _("a very hidden sheet (only a macro shows it): left out")
                    if very
                    else _(
                        "a hidden sheet, usually an old copy: left out. If its projects are"
                        " current, unhide it (right-click a sheet tab, Unhide), save, and"
                        " import again"
                    ),
                )
            )
            continue
        try:  # a chart sheet, or one calamine cannot read, is reported, not fatal
            rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except (python_calamine.CalamineError, ValueError):
            read.notes.append(
                Note(
                    f"{path}:{name}",
                    _(
                        "cannot read this sheet (a chart, or damaged); skipped: if it holds"
                        " projects, copy them into a normal sheet and import again"
                    ),
                )
            )
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
                message = _(
                    "holds {what}, not a value: {advice}; left out",
                    what=cell.what,
                    advice=cell.advice,
                )
                read.notes.append(Note(where, message, LOST))


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
            sheet.note(
                0,
                0,
                _("a copy of sheet '{sheet}' with the same cells; skipped", sheet=copy.group(1)),
            )
            continue
        if copy and copy.group(1) in contents:
            sheet.note(
                0,
                0,
                _("a copy of sheet '{sheet}' with other cells; read as well", sheet=copy.group(1)),
            )
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
                _(
                    "not a form this importer reads (no รายละเอียดโครงการพัฒนา,"
                    " บัญชีสรุปโครงการพัฒนา or บัญชีครุภัณฑ์ in its first rows); skipped"
                ),
            )
    for sheet, kind in summaries:
        _summary(sheet, kind)
    _unread_notes(read)
    return read


# Heading lines: wherever they stand above the table (and between its rows), numbered as
# offices number them: "1. ยุทธศาสตร์…", "ยุทธศาสตร์ที่ ๑ …", "ยุทธศาสตร์การพัฒนาที่ 1 : …";
# "1.1 กลยุทธ์…", "กลยุทธ์ที่ 1.1 …", "กลยุทธ์ที่ 2 …" (under the strategy above); "(1) แผนงาน…",
# "1.1 แผนงาน…", "แผนงาน…", "แผนงานที่ 1 แผนงาน…"; "ก. …" to "จ. …" (or "ก) …"), or the macro
# plans' lines by their words without a letter.
_STRATEGY_WORDS = re.compile(r"^ยุทธศาสตร์(?:การพัฒนา)?(?:ด้าน)?\s*(?:ที่)\s*(\d+)")
_STRATEGY_BARE = re.compile(r"^ยุทธศาสตร์(?:การพัฒนา)?\s+(\d+)\s*[:.)\-–]?\s")
_TACTIC_WORDS = re.compile(
    r"^(?:กลยุทธ์|แนวทาง(?:การพัฒนา)?)\s*(?:ที่)?\s*(\d+)(?:\.(\d+))?\s*[:.)\-–]?\s*"
)
_PROGRAMME_WORDS = re.compile(r"^แผนงาน\s*(?:ที่\s*\d+\s*)?[:.\-–]?\s*")
_LINK_LETTERED = re.compile(r"^([กขคงจ])\s*[.)]\s*(\S.*)$", re.S)
_PERIOD = re.compile(r"\(?\s*พ\.\s*ศ\.\s*(\d{4})\s*[-–—]\s*(\d{4})\s*\)?")
_NUMBER_WORD = re.compile(r"^(?:ที่|ลำดับ\s*(?:ที่)?|ลำดับ)$")


def _programme_name(text: str) -> str:
    """'แผนงานที่ 1 แผนงานการศึกษา', 'แผนงาน : การศึกษา', 'แผนงานการศึกษา' -> 'แผนงานการศึกษา'."""
    rest = _PROGRAMME_WORDS.sub("", text.strip(), count=1).strip()
    return rest if rest.startswith("แผนงาน") else "แผนงาน" + rest


@dataclass
class _Context:
    """Where the rows below a heading belong; ก.–จ. lines wait for their strategy."""

    strategy: StrategyRead | None = None
    tactic: int | None = None
    programme: str | None = None
    links: list[tuple[str | None, str, int]] = field(default_factory=list)  # letter, text, row

    def flush(self, sheet: _Sheet) -> None:
        if self.strategy is not None and self.links:
            lines = [(letter, text) for letter, text, _v in self.links]
            for key, value in _link_keys(lines).items():
                _same(sheet, self.links[0][2], None, self.strategy.links, key, value, "line")
            self.links = []


def _heading_line(sheet: _Sheet, r: int, col: int, line: str, ctx: _Context, above: bool) -> bool:
    """Read one heading line into *ctx*; False if it is none. Above the table every line is
    read (the plan, the organization, the form); between the table's rows only the strategy,
    tactic, programme and ก.–จ. lines, and only in their unmistakable forms."""
    read = sheet.read
    flat = forms.one_line(line)
    head = forms.arabic(flat[:24]) + flat[24:]
    if above:
        if forms.DETAIL_TITLE in flat or forms.EQUIPMENT_TITLE in flat:
            return True
        if re.fullmatch(r"แบบ\s*ผ\.?\s*\S+", flat) or forms.kind_of(flat) and "สำหรับ" in flat:
            return True
        if m := _PERIOD.search(forms.arabic(flat)):
            if read.period is None:
                read.period = (int(m.group(1)), int(m.group(2)))
                read.title = flat[: flat.find("(")].strip() if "(" in flat else None
                end_at = forms.arabic(flat).find(")", m.start()) + 1
                read.revision = flat[end_at:].strip() if end_at else None
                read.revision = read.revision or None
                read.title = read.title or None
            return True
        if m := forms.ORG.match(flat):
            if read.org is None:
                read.org = (m.group(1), m.group(2), m.group(3))
            return True
    if m := _LINK_LETTERED.match(flat):
        ctx.links.append((m.group(1), m.group(2), r))
        return True
    linked = any(words.match(flat) for _k, words in forms.LINK_WORDS)
    if linked and not _STRATEGY_WORDS.match(head) and (above or "ยุทธศาสตร์การพัฒนา" not in flat):
        ctx.links.append((None, flat, r))
        return True
    if m := _TACTIC_WORDS.match(head):
        first, second = int(m.group(1)), m.group(2)
        name = head[m.end() :].strip() or flat
        pair = (
            (first, int(second)) if second else (ctx.strategy.number if ctx.strategy else 0, first)
        )
        return _tactic(sheet, r, col, ctx, pair, name)
    if m := forms.TACTIC_LINE.match(head):
        rest = m.group(3)
        if rest.startswith("แผนงาน"):  # "1.1 แผนงาน…": the 2561 forms' programme
            ctx.programme = _programme_name(rest)
            return True
        if above or re.match(r"กลยุทธ์|แนวทาง", rest):
            return _tactic(sheet, r, col, ctx, (int(m.group(1)), int(m.group(2))), rest)
        return False
    if m := forms.PROGRAMME_LINE.match(head):
        if above or m.group(2).startswith("แผนงาน"):
            ctx.programme = _programme_name(m.group(2))
            return True
        return False
    if flat.startswith("แผนงาน"):
        ctx.programme = _programme_name(flat)
        return True
    m = forms.STRATEGY_LINE.match(head)
    if m and m.group(2).startswith("แผนงาน"):  # "1) แผนงาน…"
        ctx.programme = _programme_name(m.group(2))
        return True
    if m and not above and "ยุทธศาสตร์" not in m.group(2):
        return False
    words = _STRATEGY_WORDS.match(head) or _STRATEGY_BARE.match(head)
    if m or words:
        number = int((m or words).group(1))  # type: ignore[union-attr]
        name = m.group(2) if m else flat
        ctx.strategy = read.strategies.setdefault(number, StrategyRead(number, name))
        ctx.tactic, ctx.programme = None, None
        if ctx.strategy.name != name:
            sheet.note(
                r,
                col,
                _(
                    "strategy {number} is named '{name}' elsewhere",
                    number=number,
                    name=ctx.strategy.name,
                ),
            )
        return True
    if above:
        sheet.note(
            r, col, _("a heading this importer cannot place: {text}; left out", text=repr(flat))
        )
        return True
    return False


def _tactic(
    sheet: _Sheet, r: int, col: int, ctx: _Context, number: tuple[int, int], name: str
) -> bool:
    if ctx.strategy is None:
        sheet.note(
            r, col, _("tactic {name} has no strategy line above it; left out", name=repr(name))
        )
    elif ctx.strategy.number != number[0]:
        sheet.note(
            r,
            col,
            _(
                "tactic {tactic} is not under strategy {strategy}",
                tactic=f"{number[0]}.{number[1]}",
                strategy=number[0],
            ),
        )
    else:
        ctx.tactic = number[1]
        _same(sheet, r, col, ctx.strategy.tactics, number[1], name, "tactic")
    return True


def _line_of(sheet: _Sheet, r: int) -> tuple[int, str] | None:
    """A row that holds one line of text (in one cell, or merged across): (column, text)."""
    cells = sheet.texts(r)
    if not cells or len({t for _k, t in cells}) != 1:
        return None
    return cells[0][0], cells[0][1]


def _link_keys(lines: list[tuple[str | None, str]]) -> dict[str, str]:
    """Lines ก.–จ. -> MacroLinks keys: by letter when all five are there (the 2566 forms);
    else by their words (the 2561 forms had two: ก. the province's, ข. the local one)."""
    letters = dict(zip(forms.LINK_LETTERS, forms.LINK_KEYS, strict=True))
    if {letter for letter, _v in lines} == set(letters) and len(lines) == 5:
        return {letters[letter]: text for letter, text in lines if letter}
    out: dict[str, str] = {}
    for letter, text in lines:
        key = next((k for k, words in forms.LINK_WORDS if words.match(text)), None)
        key = key or (letters[letter] if letter else None)
        if key:
            out.setdefault(key, text)
    return out


def _same(
    sheet: _Sheet, r: int, c: int | None, into: dict[Any, str], key: object, value: str, what: str
) -> None:
    if key in into and into[key] != value:
        sheet.note(
            r,
            c,
            _(
                "{what} is '{value}' on another sheet; this sheet's is left out",
                what=_("tactic {number}", number=key)
                if what == "tactic"
                else _("line {key}", key=key),
                value=into[key],
            ),
        )
    into.setdefault(key, value)


@dataclass
class _Columns:
    fields: dict[str, int]
    years: list[tuple[int, int]]  # (column, year) of the plan budget
    enacted: list[tuple[int, int]]  # (column, year) of the เทศบัญญัติ block, the plan's years
    extra: list[int]  # any other block of years: no place in the plan
    unknown: dict[int, str]
    first_data: int


def _table(sheet: _Sheet) -> tuple[int, int] | None:
    """(first header row, first row after the header): the header is every row from the
    first row of three or more cells, two of them naming columns (ที่, โครงการ, งบประมาณ…),
    to the first project row — a row whose ที่ is a number, or whose name is a project's — or
    the first heading line or amendment row under it."""
    rows = sheet.rows
    start = None
    for r in range(min(len(rows), 80)):
        cells = sheet.texts(r)
        labels = [forms.one_line(t) for _k, t in cells]
        naming = [t for t in labels if _names_a_column(t)]
        if len(cells) >= 3 and len(naming) >= 2 and _int(labels[0]) is None:
            start = r
            break
    if start is None:
        return None
    number_col = next(
        (
            c
            for r in range(start, min(start + 4, len(rows)))
            for c, t in sheet.texts(r)
            if _NUMBER_WORD.match(forms.one_line(t))
        ),
        None,
    )
    for r in range(start + 1, min(start + 10, len(rows))):
        if number_col is not None and _int(sheet.text(r, number_col)) is not None:
            return start, r
        if any(_project_name(t) for _k, t in sheet.texts(r)):
            return start, r
        line = _line_of(sheet, r)
        if line and (forms.amendment_label(line[1]) or forms.TOTAL.match(line[1])):
            return start, r
        if line and _looks_like_heading(line[1]):
            return start, r
    filled = [r for r in range(start, min(start + 4, len(rows))) if sheet.texts(r)]
    return start, filled[-1] + 1  # a table without rows (a tactic without projects)


def _names_a_column(label: str) -> bool:
    """A header cell: ที่, a field's words, งบประมาณ, a year."""
    return bool(
        _NUMBER_WORD.match(label)
        or re.search("งบประมาณ|ครุภัณฑ์", label)
        or any(pattern.search(label) for _k, pattern in forms.HEADER_WORDS)
        or len(forms.YEAR.findall(forms.arabic(label))) == 1
        and len(label) <= 40
    )


def _looks_like_heading(text: str) -> bool:
    """A strategy, tactic, programme or ก.–จ. line in one of its unmistakable forms."""
    flat = forms.one_line(text)
    head = forms.arabic(flat[:24]) + flat[24:]
    numbered = forms.STRATEGY_LINE.match(head)
    return bool(
        _LINK_LETTERED.match(flat)
        or _STRATEGY_WORDS.match(head)
        or _TACTIC_WORDS.match(head)
        or flat.startswith("แผนงาน")
        or (m := forms.TACTIC_LINE.match(head))
        and re.match("กลยุทธ์|แนวทาง|แผนงาน", m.group(3))
        or (m := forms.PROGRAMME_LINE.match(head))
        and m.group(2).startswith("แผนงาน")
        or numbered
        and re.match("ยุทธศาสตร์|แผนงาน", numbered.group(2))
    )


def _project_name(text: str) -> bool:
    """A project's name, as a row without a number gives it: 'โครงการก่อสร้าง…'."""
    flat = forms.one_line(text)
    return flat.startswith("โครงการ") and len(flat) > 15 and "/" not in flat[:12]


def _columns(sheet: _Sheet, start: int, end: int, words: Sequence[str]) -> _Columns:
    """Columns named by all their header cells together (rows *start* to *end* - 1), merged or
    not; the years wherever they stand, as numbers or text, Arabic or Thai digits."""
    header = range(start, end)
    year_cols: list[tuple[int, int]] = []
    for r in header:
        for c, t in sheet.texts(r):
            found = forms.YEAR.findall(forms.arabic(t))
            short = len(found) == 1 and len(forms.one_line(t)) <= 40
            if short and all(c != yc for yc, _v in year_cols):
                year_cols.append((c, int(found[0])))
    year_cols.sort()
    blocks: list[list[tuple[int, int]]] = []
    for c, y in year_cols:
        if blocks and c == blocks[-1][-1][0] + 1 and y > blocks[-1][-1][1]:
            blocks[-1].append((c, y))
        else:
            blocks.append([(c, y)])
    budget = blocks[0] if blocks else []
    # A second block of the same years: what the budget ordinance (เทศบัญญัติ) gave.
    same = len(blocks) > 1 and {y for _k, y in blocks[1]} <= {y for _k, y in budget}
    enacted = blocks[1] if same else []
    extra = [c for b in blocks[2 if same else 1 :] for c, _v in b]
    fields: dict[str, int] = {}
    unknown: dict[int, str] = {}
    taken = {c for c, _v in year_cols}
    width = max(len(sheet.rows[r]) for r in header)
    for c in range(width):
        if c in taken:
            continue
        label = forms.one_line(" ".join(sheet.text(r, c) for r in header))
        if not label:
            continue
        if "number" in words and "number" not in fields and _NUMBER_WORD.match(label):
            fields["number"] = c
            continue
        for key, pattern in forms.HEADER_WORDS:
            if key in words and key not in fields and pattern.search(label):
                fields[key] = c
                break
        else:
            unknown[c] = label
    return _Columns(fields, budget, enacted, extra, unknown, end)


def _details(sheet: _Sheet, kind: str) -> None:
    rows = sheet.rows
    found = _table(sheet)
    if found is None:
        sheet.note(0, None, _("no table header (a row with ที่ and โครงการ); sheet left out"), LOST)
        return
    start, first = found
    ctx = _Context()
    for r in range(start):
        line = _line_of(sheet, r)
        cells = sheet.texts(r)
        if cells:
            text = line[1] if line else " ".join(t for _k, t in cells)
            _heading_line(sheet, r, cells[0][0], text, ctx, above=True)
    equipment = kind == "equipment"
    words = (
        ("number", "strategy", "programme", "category", "type", "target", "unit", "id")
        if equipment
        else ("number", "name", "objective", "target", "kpi", "result", "unit", "id")
    )
    cols = _columns(sheet, start, first, words)
    if equipment:  # the equipment list has no place for a second block
        cols.extra, cols.enacted = [c for c, _v in cols.enacted] + cols.extra, []
    name_key = "programme" if equipment else "name"
    if not cols.years or ("number" not in cols.fields and name_key not in cols.fields):
        sheet.note(
            start,
            None,
            _("the table header has no ที่ or โครงการ column, or no years; left out"),
            LOST,
        )
        return
    texts = (
        ("strategy", "programme", "category", "type", "target", "unit")
        if equipment
        else forms.TEXT_FIELDS
    )
    number_col = cols.fields.get("number")
    name_col = cols.fields.get(name_key, (number_col or 0) + 1)
    items: list[Item] = []
    since_total: dict[bool, int] = {False: 0, True: 0}  # first item counted by the next total
    current: Item | None = None
    amendment: str | None = None
    expected = 1
    extra: list[str] = []
    orphans: list[int] = []
    skipping = False  # inside a header repeated further down
    unknown: dict[int, list[str]] = {}
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
        if _NUMBER_WORD.match(forms.one_line(number_text)):
            skipping, current = True, None
            continue
        line = _line_of(sheet, r)
        # An amendment row: its label alone on the row (in ที่, โครงการ or merged across).
        marker = forms.amendment_label(line[1]) if line else None
        if marker:
            amendment, expected, current, skipping = marker, 1, None, False
            continue
        if line and _int(number_text) is None and line[0] <= name_col:
            before = (ctx.strategy, ctx.tactic, ctx.programme)
            if _heading_line(sheet, r, line[0], line[1], ctx, above=False):
                if (ctx.strategy, ctx.tactic, ctx.programme) != before:
                    expected, current, skipping = 1, None, False
                continue
        number = _int(number_text)
        if number is None and number_text:
            sheet.note(
                r,
                number_col,
                _("cannot place {text} (not a number); row left out", text=repr(number_text)),
                LOST,
            )
            current = None
            continue
        if number is None and (number_col is None or skipping) and _project_name(name_text):
            number = expected
        if number is None and skipping:
            continue
        skipping = False
        values = {key: sheet.text(r, cols.fields[key]) for key in texts if key in cols.fields}
        if number is not None:
            if not any(values.values()) and not _has_budget(sheet, r, cols):
                sheet.note(
                    r, number_col, _("number {number} without a project; left out", number=number)
                )
                continue
            if number != expected:
                sheet.note(
                    r,
                    number_col,
                    _(
                        "numbered {number} where {expected} was expected",
                        number=number,
                        expected=expected,
                    ),
                )
            expected = number + 1
            if not equipment and (ctx.strategy is None or ctx.programme is None):
                orphans.append(r)
                current = None
                continue
            ctx.flush(sheet)
            strategy = ctx.strategy.number if ctx.strategy else None
            current = Item(
                sheet.where(r), kind, strategy, ctx.tactic, dict(values), amendment=amendment
            )
            current.cells = {k: sheet.where(r, cols.fields[k]) for k in values}
            if ctx.programme is not None and not equipment:
                current.texts["programme"] = ctx.programme
            if "id" in cols.fields:
                current.id = sheet.text(r, cols.fields["id"]) or None
                current.cells["id"] = sheet.where(r, cols.fields["id"])
            items.append(current)
        elif current is None:
            if orphans and r > orphans[-1]:
                continue  # the rest of a project left out above
            for c, t in cells:
                sheet.note(
                    r, c, _("cannot place {text}: no project above it on this sheet", text=repr(t))
                )
            continue
        else:  # a continuation row: its text goes on the project's next line
            for key, value in values.items():
                if value:
                    before_text = current.texts.get(key, "")
                    current.texts[key] = f"{before_text}\n{value}" if before_text else value
        blocks = [("budget", c, y, current.budget) for c, y in cols.years]
        blocks += [("เทศบัญญัติ", c, y, current.enacted) for c, y in cols.enacted]
        for what, c, year, figures in blocks:
            read = money(rows[r][c] if c < len(rows[r]) else None)
            label = (
                _("budget {year}", year=year)
                if what == "budget"
                else _("enacted budget (เทศบัญญัติ) {year}", year=year)
            )
            if read.error:
                sheet.note(
                    r,
                    c,
                    _("{what}: {error}; left out of the plan", what=label, error=read.error),
                    LOST,
                )
            elif read.baht is not None and read.baht > MAX_BAHT:
                sheet.note(
                    r,
                    c,
                    _(
                        "{what}: {amount} is more than ten digits; left out: check the amount",
                        what=label,
                        amount=f"{read.baht:,}",
                    ),
                    LOST,
                )
            elif read.baht is not None:
                if year in figures:
                    sheet.note(
                        r,
                        c,
                        _("a second {what} for the project above; left out", what=label),
                        LOST,
                    )
                else:
                    figures[year] = read.baht
                    key = str(year) if what == "budget" else f"enacted {year}"
                    current.cells[key] = sheet.where(r, c)
        for c in cols.extra:
            if sheet.text(r, c) and sheet.text(r, c) != forms.NO_BUDGET:
                extra.append(cell_name(r, c))
        for c in cols.unknown:
            if sheet.text(r, c):
                unknown.setdefault(c, []).append(cell_name(r, c))
    ctx.flush(sheet)
    if ctx.strategy is None and not equipment and not items:
        sheet.note(start, None, _("no strategy line ('1. ยุทธศาสตร์…') above the table"))
    if orphans:
        sheet.note(
            orphans[0],
            None,
            n_(
                "no strategy line ('1. ยุทธศาสตร์…') above these rows: {count} project is left"
                " out; add the line above it",
                "no strategy line ('1. ยุทธศาสตร์…') above these rows: {count} projects are"
                " left out; add the line above them",
                len(orphans),
                count=len(orphans),
            )
            if ctx.strategy is None
            else n_(
                "no programme line ('(1) แผนงาน…') above these rows: {count} project is left"
                " out; add the line above it",
                "no programme line ('(1) แผนงาน…') above these rows: {count} projects are left"
                " out; add the line above them",
                len(orphans),
                count=len(orphans),
            ),
            LOST,
        )
    for c, where in unknown.items():
        shown = ", ".join(where[:5]) + (", …" if len(where) > 5 else "")
        # Amounts under a header with no year it can read: budgets lost, not a remark.
        money_label = re.search(r"บาท|งบ|ปี|พ\.\s*ศ|[0-9๐-๙]", cols.unknown[c])
        amounts = bool(money_label) and any(
            (money(rows[r][c]).baht or 0) > 0
            for r in range(cols.first_data, len(rows))
            if c < len(rows[r]) and c != number_col
        )
        sheet.note(
            start,
            c,
            (
                n_(
                    "column '{column}' has no place in the plan: {count} cell left out ({cells});"
                    " its amounts are under no year the importer can read",
                    "column '{column}' has no place in the plan: {count} cells left out"
                    " ({cells}); its amounts are under no year the importer can read",
                    len(where),
                    column=cols.unknown[c],
                    count=len(where),
                    cells=shown,
                )
                if amounts
                else n_(
                    "column '{column}' has no place in the plan: {count} cell left out ({cells})",
                    "column '{column}' has no place in the plan: {count} cells left out ({cells})",
                    len(where),
                    column=cols.unknown[c],
                    count=len(where),
                    cells=shown,
                )
            ),
            LOST if amounts else CHECK,
        )
    if extra:
        sheet.note(
            start,
            cols.extra[0],
            n_(
                "the second budget block (columns {first}–{last}) has no place in the plan:"
                " {count} cell left out ({cells})",
                "the second budget block (columns {first}–{last}) has no place in the plan:"
                " {count} cells left out ({cells})",
                len(extra),
                first=cell_name(0, cols.extra[0])[:-1],
                last=cell_name(0, cols.extra[-1])[:-1],
                count=len(extra),
                cells=", ".join(extra[:5]) + (", …" if len(extra) > 5 else ""),
            ),
        )
    target = sheet.read.equipment if equipment else sheet.read.projects
    target.extend(items)


def _has_budget(sheet: _Sheet, r: int, cols: _Columns) -> bool:
    return any(
        money(sheet.rows[r][c] if c < len(sheet.rows[r]) else None).baht for c, _v in cols.years
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
            sheet.note(r, c, _("total {year}: {error}; not checked", year=year, error=read.error))
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
            sheet.note(
                r,
                c,
                n_(
                    "total {year} says {given} project; the rows above give {found}",
                    "total {year} says {given} projects; the rows above give {found}",
                    given,
                    year=year,
                    given=f"{given:,}",
                    found=f"{figures[0]:,}",
                )
                if counting
                else _(
                    "total {year} says {given} baht; the rows above give {found}",
                    year=year,
                    given=f"{given:,}",
                    found=f"{figures[0]:,}",
                ),
            )


def _summary(sheet: _Sheet, kind: str) -> None:
    """Check ผ.01 (or ผ.01/1) against the detail sheets; take strategy names it lists."""
    read = sheet.read
    rows = sheet.rows
    header = next(
        (r for r in range(min(len(rows), 40)) if any(t == "ยุทธศาสตร์" for _k, t in sheet.texts(r))),
        None,
    )
    if header is None:
        sheet.note(0, None, _("no header row (ยุทธศาสตร์ | ปี …); not checked"), INFO)
        return
    pairs: list[tuple[int, int | None]] = []  # (first column of the pair, year or None = total)
    for c, t in sheet.texts(header):
        m = forms.YEAR.search(forms.arabic(t))
        if m:
            pairs.append((c, int(m.group(1))))
        elif t.startswith("รวม"):
            pairs.append((c, None))
    below = dict(sheet.texts(header + 1)) if header + 1 < len(rows) else {}
    swapped = {c: "งบประมาณ" in below.get(c, "") for c, _v in pairs}
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
            group, what = projects, _("all strategies")
        elif label.startswith("รวม"):
            group = [p for p in projects if p.strategy == current]
            what = _("strategy {number}", number=current)
        elif (
            m := forms.STRATEGY_LINE.match(forms.arabic(label[:4]) + label[4:])
        ) and not forms.TACTIC_LINE.match(forms.arabic(label[:8])):
            current = int(m.group(1))
            known = read.strategies.setdefault(current, StrategyRead(current, m.group(2)))
            if known.name != m.group(2):
                sheet.note(
                    r,
                    0,
                    _(
                        "strategy {number} is '{name}' on the detail sheets",
                        number=current,
                        name=known.name,
                    ),
                )
            if len(cells) > 1:
                group = [p for p in projects if p.strategy == current]
                what = _("strategy {number}", number=current)
        if group is None and current is not None and "แผนงาน" in label:
            name = label[label.find("แผนงาน") :]
            group = [p for p in projects if p.strategy == current and _prog(p) == name]
            what = _("strategy {number}, {programme}", number=current, programme=name)
            if not group:
                sheet.note(
                    r,
                    0,
                    _(
                        "no detail sheet lists projects of strategy {number}, {programme}",
                        number=current,
                        programme=name,
                    ),
                )
        if group is None:
            if not (forms.STRATEGY_LINE.match(forms.arabic(label[:4]) + label[4:])):
                for c, t in cells:
                    sheet.note(
                        r, c, _("cannot place {text} in ผ.01; not checked", text=repr(t)), INFO
                    )
            continue
        for c, year in pairs:
            count_col, budget_col = (c + 1, c) if swapped[c] else (c, c + 1)
            for col, counting in ((count_col, True), (budget_col, False)):
                value = rows[r][col] if col < len(rows[r]) else None
                given = money(value)
                if cell_text(value) == "" and given.error is None:
                    continue
                if given.error:
                    sheet.note(r, col, _("{error}; not checked", error=given.error), INFO)
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
                    span = _("year {year}", year=year) if year else _("all years")
                    values = {
                        "given": f"{given.baht or 0:,}",
                        "what": what,
                        "span": span,
                        "found": f"{figure:,}",
                    }
                    message = (
                        n_(
                            "ผ.01 gives {given} project ({what}, {span}); the detail sheets"
                            " give {found}",
                            "ผ.01 gives {given} projects ({what}, {span}); the detail sheets"
                            " give {found}",
                            given.baht or 0,
                            **values,
                        )
                        if counting
                        else _(
                            "ผ.01 gives {given} baht ({what}, {span}); the detail sheets give"
                            " {found}",
                            **values,
                        )
                    )
                    sheet.read.notes.append(Note(sheet.where(r, col), message, INFO, summary=True))


def _prog(item: Item) -> str:
    return item.texts.get("programme", "")
