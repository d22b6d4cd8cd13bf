"""Figures from the plan's data, written into its narrative: `{{ จำนวนโครงการ ปี 2568 }}`.

An officer types a figure's name and, for some, which year, strategy or form, between double
braces; the book prints the value the forms print (plan/summary.py is their one source), so
the text and the forms cannot disagree. The syntax is a name and words `key value` or
`key=value`, nothing else: no code is run, and an unknown name or value is a located problem.

    {{ จำนวนโครงการ }}                      ผ.01's projects over the five years
    {{ จำนวนโครงการ ปี 2568 }}              … in 2568 (the column of ผ.01)
    {{ งบประมาณ ปี 2568 ยุทธศาสตร์ 1 }}     ผ.01's budget of strategy 1 (or its id, S1) in 2568
    {{ งบประมาณตัวอักษร ปี 2568 }}          the same in words: "…บาทถ้วน"
    {{ จำนวนโครงการ แบบ ผ.02/1 }}           the projects of ผ.02/1 (ผ.01/1); also ผ.02/2, ผ.03
    {{ จำนวนหมู่บ้าน }}                     the rows of ส่วนที่ ๑'s villages table (หมู่ที่ …)
    {{ รายชื่อหมู่บ้าน }}                    "หมู่ที่ 1 บ้าน…, หมู่ที่ 2 บ้าน…"
    {{ จำนวนยุทธศาสตร์ }}                   the plan's strategies

English names are accepted too (projects, budget, budget.words, villages, villages.names,
strategies; year, strategy, form). Values have Arabic digits here; the book sets them in the
plan's digits (settings.digits), as all its prose.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from saoreport import thai
from saoreport.errors import Problem
from saoreport.messages import _
from saoreport.plan import summary
from saoreport.plan.models import Plan, ProjectKind
from saoreport.plan.narrative import Narrative, printed_pieces, tokens

FIGURE = re.compile(r"\{\{([^{}\n]*)\}\}")  # a figure: no braces and no line end inside

# name as typed -> the figure it is
NAMES = {
    "จำนวนโครงการ": "projects",
    "projects": "projects",
    "projects.count": "projects",
    "งบประมาณ": "budget",
    "budget": "budget",
    "งบประมาณตัวอักษร": "words",
    "งบประมาณเป็นตัวอักษร": "words",
    "budget.words": "words",
    "จำนวนหมู่บ้าน": "villages",
    "villages": "villages",
    "villages.count": "villages",
    "รายชื่อหมู่บ้าน": "village_names",
    "villages.names": "village_names",
    "จำนวนยุทธศาสตร์": "strategies",
    "strategies": "strategies",
    "strategies.count": "strategies",
}
KEYS = {"ปี": "year", "year": "year", "ยุทธศาสตร์": "strategy", "strategy": "strategy"}
KEYS |= {"แบบ": "form", "form": "form"}
TAKES_KEYS = {"projects", "budget", "words"}
# form as typed (without "แบบ", spaces or dots) -> the summary's form code and its kind
FORMS = {
    "ผ01": "p01",
    "ผ02": "p01",
    "ผ01/1": "p01_1",
    "ผ02/1": "p01_1",
    "ผ02/2": "p02_2",
    "ผ03": "p03",
}


class FigureError(Exception):
    """A figure that cannot be worked out: its message says what to type instead."""


@dataclass(frozen=True)
class Village:
    number: int
    name: str


def _known_names() -> str:
    return ", ".join(n for n in NAMES if not n.isascii())


def _parse(expression: str) -> tuple[str, dict[str, str]]:
    """`จำนวนโครงการ ปี 2568 แบบ=ผ.02` -> ("projects", {"year": "2568", "form": "ผ.02"})."""
    words = expression.replace("=", " = ").split()
    if not words:
        raise FigureError(
            _(
                "an empty figure {braces}: write a name in it, such as {example}",
                braces="{{ }}",
                example=_example(),
            )
        )
    name = NAMES.get(words[0]) or NAMES.get(words[0].lower())
    if name is None:
        raise FigureError(
            _(
                "{name} is not a figure the plan has; the figures are {known}",
                name=repr(words[0]),
                known=_known_names(),
            )
        )
    args: dict[str, str] = {}
    rest = words[1:]
    while rest:
        word = rest[0]
        key = KEYS.get(word) or KEYS.get(word.lower())
        if key is None:
            raise FigureError(
                _(
                    "{word} is not understood here: after the name write ปี, ยุทธศาสตร์ or แบบ"
                    " and a value, such as {example}",
                    word=repr(word),
                    example=_example(),
                )
            )
        rest = rest[1:]
        if rest and rest[0] == "=":
            rest = rest[1:]
        if not rest or KEYS.get(rest[0]) or rest[0] == "=":
            raise FigureError(
                _(
                    "{key} has no value: write one after it, such as {example}",
                    key=word,
                    example=_example(),
                )
            )
        if name not in TAKES_KEYS:
            raise FigureError(
                _("{name} takes no ปี, ยุทธศาสตร์ or แบบ: write it alone", name=repr(words[0]))
            )
        if key in args:
            raise FigureError(_("{key} is given twice: give it once", key=word))
        args[key] = rest[0]
        rest = rest[1:]
    return name, args


def _example() -> str:
    return "{{ จำนวนโครงการ ปี 2568 }}"


class Figures:
    """The figures of one plan and its narrative."""

    def __init__(self, plan: Plan, narrative: Narrative) -> None:
        self.plan = plan
        self.narrative = narrative
        self._villages: list[Village] | None = None
        self._values: dict[str, str | FigureError] = {}

    @property
    def villages(self) -> list[Village]:
        """The villages of ส่วนที่ ๑'s table whose first column is หมู่ที่ (its rows with a
        number there), in its order."""
        if self._villages is None:
            self._villages = villages(self.narrative.sources.get("general", ""))
        return self._villages

    def value(self, expression: str) -> str:
        """The text *expression* (what is between the braces) prints, Arabic digits (each
        worked out once)."""
        if expression not in self._values:
            try:
                self._values[expression] = self._value(expression)
            except FigureError as exc:
                self._values[expression] = exc
        found = self._values[expression]
        if isinstance(found, FigureError):
            raise found
        return found

    def _value(self, expression: str) -> str:
        name, args = _parse(expression)
        if name == "strategies":
            return str(len(self.plan.strategies))
        if name in ("villages", "village_names"):
            if not self.villages:
                raise FigureError(
                    _(
                        "the plan has no villages table: add to parts/1-general.md a table whose"
                        " first column is หมู่ที่, one row per village"
                    )
                )
            if name == "villages":
                return str(len(self.villages))
            return ", ".join(f"หมู่ที่ {v.number} {v.name}".rstrip() for v in self.villages)
        row = self._row(args)
        year = self._year(args)
        count = row.counts.get(year, 0) if year else row.total_count
        budget = row.budgets.get(year, 0) if year else row.total_budget
        if name == "projects":
            return f"{count:,}"
        if name == "budget":
            return f"{budget:,}"
        return thai.baht_words(budget)

    def _year(self, args: dict[str, str]) -> int | None:
        if "year" not in args:
            return None
        year = _int(args["year"])
        if year not in self.plan.years:
            raise FigureError(
                _(
                    "ปี {year} is not a year of the plan: give one of {first} to {last}",
                    year=args["year"],
                    first=self.plan.plan.period.first,
                    last=self.plan.plan.period.last,
                )
            )
        return int(year)

    def _row(self, args: dict[str, str]) -> summary.Row:
        typed = args.get("form", "ผ.01")
        code = FORMS.get(re.sub(r"[\s.]", "", thai.arabic_digits(typed).removeprefix("แบบ")))
        if code is None:
            raise FigureError(
                _(
                    "แบบ {form} is not a form the figures count: give ผ.01, ผ.01/1, ผ.02,"
                    " ผ.02/1, ผ.02/2 or ผ.03",
                    form=typed,
                )
            )
        if code == "p03":
            if "strategy" in args:
                raise FigureError(_("ผ.03 is not split by strategy: leave ยุทธศาสตร์ out for ผ.03"))
            return summary.Row("", self.plan.years).extend(self.plan.equipment)
        kind: ProjectKind = KINDS[code]
        if "strategy" not in args:
            return summary.grand_total(self.plan, kind)
        number = self._strategy(args["strategy"])
        for block in summary.blocks(self.plan, kind, code):
            if block.number == number:
                return block.row
        return summary.Row("", self.plan.years)  # a strategy with no projects of the form

    def _strategy(self, typed: str) -> int:
        ids = [s.id for s in self.plan.strategies]
        if typed in ids:
            return ids.index(typed) + 1
        number = _int(typed)
        if isinstance(number, int) and 1 <= number <= len(ids):
            return number
        raise FigureError(
            _(
                "ยุทธศาสตร์ {strategy} is not in the plan: give its number (1 to {count}) or its"
                " id ({ids})",
                strategy=typed,
                count=len(ids),
                ids=", ".join(ids),
            )
        )

    def values(self, source: str) -> tuple[tuple[str, str], ...]:
        """Each figure of *source* (as typed, braces included) and its value; a figure that
        cannot be worked out is left as typed (validation reports it)."""
        out: dict[str, str] = {}
        for match in FIGURE.finditer(source):
            if match.group() not in out:
                try:
                    out[match.group()] = self.value(match.group(1))
                except FigureError:
                    continue
        return tuple(sorted(out.items()))

    def problems(self) -> list[Problem]:
        """Every figure of the narrative that cannot be worked out, at its place."""
        found = []
        for key, source in self.narrative.sources.items():
            file = self.narrative.files[key]
            for line, col, match in _figures(source):
                try:
                    self.value(match.group(1))
                except FigureError as exc:
                    found.append(Problem(file, line, col, "", str(exc)))
            lines = source.splitlines()
            for line, piece in printed_pieces(source, code=False):
                if "{{" in FIGURE.sub("", piece):
                    where = lines[line - 1] if 0 < line <= len(lines) else ""
                    col = FIGURE.sub(lambda m: " " * len(m.group()), where).find("{{") + 1
                    message = _(
                        "a figure begun with {open} is not closed on its line: end it with"
                        " {close}, such as {example}",
                        open="{{",
                        close="}}",
                        example=_example(),
                    )
                    found.append(Problem(file, line, max(col, 1), "", message))
        return found

    def warnings(self) -> list[Problem]:
        """Figures typed by hand that contradict the computed ones, where they can be told:
        a count of projects in a row of a year (a table of โครงการตามแผน by year, or a line
        naming one plan year and "ตามแผน"), and "ทั้ง N หมู่บ้าน" against the villages table."""
        found = []
        for key, source in self.narrative.sources.items():
            file = self.narrative.files[key]
            for line, col, typed, computed, what in self._typed(source):
                message = _(
                    "warning: {typed} here, but the plan has {computed}: write {figure} to"
                    " print the plan's own figure",
                    typed=typed,
                    computed=computed,
                    figure=what,
                )
                found.append(Problem(file, line, col, "", message))
        return found

    def _typed(self, source: str) -> Iterator[tuple[int, int, str, int, str]]:
        """(line, column, figure as typed, the plan's figure, the figure to write instead)."""
        lines = source.splitlines()
        totals = summary.grand_total(self.plan)
        for line, piece in printed_pieces(source, code=False):
            text = thai.arabic_digits(piece)
            where = lines[line - 1] if 0 < line <= len(lines) else ""
            if self.villages:
                for m in VILLAGES.finditer(text):
                    n = _int(m.group(1))
                    if isinstance(n, int) and n != len(self.villages):
                        col = _col(where, m.group(1), at=_col(where, text) - 1 + m.start(1))
                        yield line, col, m.group(1), len(self.villages), "{{ จำนวนหมู่บ้าน }}"
            # each stretch from a plan year to the next year: one count "N โครงการ" and
            # ตามแผน (ในแผน, บรรจุ) in it is the year's projects in the plan
            base = _col(where, text) - 1
            marks = list(YEAR.finditer(text))
            ends = [x.start() for x in marks[1:]] + [len(text)]
            for m, end in zip(marks, ends[: len(marks)], strict=True):
                year, stretch = int(m.group(1)), text[m.start() : end]
                counts = list(COUNT.finditer(stretch))
                if year not in self.plan.years or len(counts) != 1:
                    continue
                if not PLANNED.search(stretch):
                    continue
                n, computed = _int(counts[0].group(1)), totals.counts.get(year, 0)
                if n is not None and n != computed:
                    col = base + m.start() + counts[0].start(1) + 1
                    yield line, col, counts[0].group(1), computed, _projects_in(year)
        yield from self._table_rows(source, totals)

    def _table_rows(
        self, source: str, totals: summary.Row
    ) -> Iterator[tuple[int, int, str, int, str]]:
        """Rows of a table with a year column and a column of the projects in the plan."""
        lines = source.splitlines()
        for heads, row_line, cells in _table_cells(source):
            year_col = next((i for i, h in enumerate(heads) if "ปี" in h), None)
            count_col = next(
                (i for i, h in enumerate(heads) if "โครงการ" in h and "แผน" in h), None
            )
            if year_col is None or count_col is None or max(year_col, count_col) >= len(cells):
                continue
            year = _int(cells[year_col])
            count = _int(cells[count_col])
            if isinstance(year, int) and year in self.plan.years and isinstance(count, int):
                computed = totals.counts.get(year, 0)
                if count != computed:
                    where = lines[row_line - 1] if 0 < row_line <= len(lines) else ""
                    col = _col(where, cells[count_col], after=cells[year_col])
                    yield row_line, col, cells[count_col], computed, _projects_in(year)


KINDS: dict[str, ProjectKind] = {"p01": "local", "p01_1": "community", "p02_2": "coordination"}
DIGITS = r"[0-9][0-9,]*"
VILLAGES = re.compile(rf"(?:ออกเป็น|ทั้งหมด|ทั้ง|รวม)\s*({DIGITS})\s*หมู่บ้าน")
YEAR = re.compile(r"(?:ปี|พ\.\s*ศ\.)\s*(?:งบประมาณ\s*)?(?:พ\.\s*ศ\.\s*)?([0-9]{4})")
COUNT = re.compile(rf"({DIGITS})\s*โครงการ")
PLANNED = re.compile(r"ตามแผน|บรรจุ|ในแผน")


def _int(text: str) -> int | None:
    """A whole number as people write it: Thai or Arabic digits, commas between thousands."""
    plain = thai.arabic_digits(text.strip()).replace(",", "")
    return int(plain) if plain.isascii() and plain.isdigit() else None


def _projects_in(year: int) -> str:
    return "{{ จำนวนโครงการ ปี " + str(year) + " }}"


def _col(line: str, needle: str, after: str = "", at: int = 0) -> int:
    """The column (1-based) of *needle* on *line* (its digits Arabic or Thai), after *after*,
    from *at*."""
    plain = thai.arabic_digits(line)
    start = plain.find(after) + len(after) if after and after in plain else max(at, 0)
    found = plain.find(needle, start)
    return found + 1 if found >= 0 else 1


def _figures(source: str) -> Iterator[tuple[int, int, re.Match[str]]]:
    """Each figure in the text that prints (not in code), with its line and column."""
    lines = source.splitlines()
    last: dict[tuple[int, str], int] = {}  # where each figure was last found on its line
    for line, piece in printed_pieces(source, code=False):
        where = lines[line - 1] if 0 < line <= len(lines) else ""
        for match in FIGURE.finditer(piece):
            col = where.find(match.group(), last.get((line, match.group()), -1) + 1)
            last[line, match.group()] = col if col >= 0 else len(where)
            yield line, (col + 1 if col >= 0 else 1), match


def _table_cells(source: str) -> Iterator[tuple[list[str], int, list[str]]]:
    """Each body row of each table of *source*: its table's headings, its line, its cells
    (plain words, Arabic digits)."""
    heads: list[str] | None = None
    cells: list[str] | None = None  # the row being read, or None outside a row
    line = 0
    for token in tokens(source, False):
        if token.type == "table_open":
            heads = None
        elif token.type == "tr_open":
            cells, line = [], (token.map[0] + 1 if token.map else 0)
        elif token.type == "inline" and cells is not None:
            cells.append(thai.arabic_digits(_plain(token.content)))
        elif token.type == "tr_close" and cells is not None:
            if heads is None:
                heads = cells
            else:
                yield heads, line, cells
            cells = None


def villages(source: str) -> list[Village]:
    """The villages of the first table in *source* (Markdown) whose first heading is
    หมู่ที่: each row with a number in that column; the name from the column whose heading
    names it (ชื่อหมู่บ้าน, หมู่บ้าน), else the second."""
    out: list[Village] = []
    first: list[str] | None = None
    for heads, _line, cells in _table_cells(source):
        if not heads or not heads[0].startswith("หมู่"):
            continue
        if first is None:
            first = heads
        elif heads is not first:
            break  # the next such table
        name_col = next((i for i, h in enumerate(heads) if i and ("ชื่อ" in h or "หมู่บ้าน" in h)), 1)
        number = _int(cells[0]) if cells else None
        if isinstance(number, int):
            out.append(Village(number, cells[name_col] if name_col < len(cells) else ""))
    return out


def _plain(cell: str) -> str:
    """A cell's Markdown as plain words (bold and italic marks out)."""
    return re.sub(r"[*_`]", "", cell).strip()
