"""The forms of a plan and the figures they show, computed from its projects and equipment.

The forms of the 2566–2570 guideline, in the order the book prints them:

    แบบ ผ.01    บัญชีสรุปโครงการพัฒนา (the projects of ผ.02, per strategy and programme)
    แบบ ผ.01/1  บัญชีสรุปโครงการพัฒนา ที่นำมาจากแผนพัฒนาหมู่บ้านและแผนพัฒนาชุมชน (ผ.02/1)
    แบบ ผ.02    รายละเอียดโครงการพัฒนา (Project.kind "local")
    แบบ ผ.02/1  … ที่นำมาจากแผนพัฒนาหมู่บ้านและแผนพัฒนาชุมชน ("community")
    แบบ ผ.02/2  … สำหรับประสานโครงการพัฒนาจังหวัด ("coordination")
    แบบ ผ.03    บัญชีครุภัณฑ์ (Plan.equipment)

A form with no rows is left out. The detail forms group projects strategy → tactic →
programme (แผนงาน); each programme of a tactic is a table of its own that begins a page.
Projects an amendment added follow the others under a marker row, numbered from 1 again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from saoreport.plan.models import Equipment, Plan, Project, ProjectKind, Strategy, Tactic


@dataclass
class Row:
    """Number of projects and budget per plan year, and over the five years."""

    label: str
    years: list[int]
    counts: dict[int, int] = field(default_factory=dict)
    budgets: dict[int, int] = field(default_factory=dict)

    def add(self, project: Project | Equipment) -> None:
        for year in self.years:
            amount = project.in_year(year)
            if amount:
                self.counts[year] = self.counts.get(year, 0) + 1
                self.budgets[year] = self.budgets.get(year, 0) + amount

    def extend(self, projects: Iterable[Project | Equipment]) -> Row:
        for project in projects:
            self.add(project)
        return self

    @property
    def total_count(self) -> int:
        return sum(self.counts.values())

    @property
    def total_budget(self) -> int:
        return sum(self.budgets.values())


@dataclass
class Entry:
    """A row of a detail table: a project with its number, or an amendment's marker row."""

    number: int  # the project's number in its table (restarts after a marker); 0 for a marker
    project: Project | Equipment | None = None
    marker: str | None = None  # "เพิ่มเติม ครั้งที่ ๑/๒๕๖๘"


def _entries(projects: Sequence[Project | Equipment]) -> list[Entry]:
    """The projects of the plan first, then those of each amendment under its marker."""
    out: list[Entry] = []
    for amendment in dict.fromkeys(p.amendment for p in projects):
        group = [p for p in projects if p.amendment == amendment]
        if amendment is not None:
            out.append(Entry(0, marker=amendment))
        out += [Entry(n, p) for n, p in enumerate(group, 1)]
    return out


@dataclass
class Programme:
    number: int  # (๑), (๒) … under its tactic
    name: str
    projects: list[Project]
    entries: list[Entry]
    row: Row
    part: str  # the name pipeline/parts.py lays its table out under, e.g. "p02/1.2.1"


@dataclass
class TacticGroup:
    number: int  # 1-based place in the strategy's tactics; 0: projects without a tactic
    tactic: Tactic | None
    programmes: list[Programme]


@dataclass
class StrategyBlock:
    number: int  # place in plan.strategies, 1-based: the same in every form
    strategy: Strategy
    programmes: list[Programme]  # ผ.01: per programme (across tactics), in order of appearance
    tactics: list[TacticGroup]  # ผ.02: strategy → tactic → programme
    row: Row


FormKind = Literal["summary", "details", "equipment"]


@dataclass
class Form:
    """One form of the plan: what the contents, the bookmarks and the templates need."""

    code: str  # "p01", "p01_1", "p02", "p02_1", "p02_2", "p03": template part and anchor
    label: str  # "แบบ ผ.01"
    title: str  # "บัญชีสรุปโครงการพัฒนา"
    subtitle: str | None  # "ที่นำมาจากแผนพัฒนาหมู่บ้านและแผนพัฒนาชุมชน"
    kind: FormKind
    blocks: list[StrategyBlock] = field(default_factory=list)
    equipment: list[Entry] = field(default_factory=list)  # ผ.03's rows
    total: Row | None = None

    @property
    def anchor(self) -> str:
        """The html id of the form's first heading."""
        return self.code

    @property
    def tables(self) -> list[Programme]:
        """A detail form's tables, in order (each begins a page); none for the others."""
        if self.kind != "details":
            return []
        return [p for b in self.blocks for t in b.tactics for p in t.programmes]


COMMUNITY = "ที่นำมาจากแผนพัฒนาหมู่บ้านและแผนพัฒนาชุมชน"
COORDINATION = "สำหรับประสานโครงการพัฒนาจังหวัด"
_SUMMARIES: list[tuple[str, str, str | None, ProjectKind]] = [
    ("p01", "แบบ ผ.01", None, "local"),
    ("p01_1", "แบบ ผ.01/1", COMMUNITY, "community"),
]
_DETAILS: list[tuple[str, str, str | None, ProjectKind]] = [
    ("p02", "แบบ ผ.02", None, "local"),
    ("p02_1", "แบบ ผ.02/1", COMMUNITY, "community"),
    ("p02_2", "แบบ ผ.02/2", COORDINATION, "coordination"),
]


def _programmes(plan: Plan, projects: list[Project], part: str) -> list[Programme]:
    names = list(dict.fromkeys(p.programme for p in projects))
    return [
        Programme(
            n, name, group, _entries(group), Row(name, plan.years).extend(group), f"{part}.{n}"
        )
        for n, name in enumerate(names, 1)
        for group in [[p for p in projects if p.programme == name]]
    ]


def blocks(plan: Plan, kind: ProjectKind = "local", code: str = "p02") -> list[StrategyBlock]:
    """Strategies that have projects of *kind*, in plan order, each with its programmes
    (for the summary) and its tactics' programmes (for the details)."""
    out = []
    for number, strategy in enumerate(plan.strategies, 1):
        projects = [p for p in plan.projects if p.strategy == strategy.id and p.kind == kind]
        if not projects:
            continue
        tactics = [(i, t) for i, t in enumerate(strategy.tactics, 1)]
        groups = []
        for t_number, tactic in [(0, None), *tactics]:
            wanted = tactic.id if tactic else None
            mine = [p for p in projects if p.tactic == wanted]
            if mine:
                part = f"{code}/{number}.{t_number}"
                groups.append(TacticGroup(t_number, tactic, _programmes(plan, mine, part)))
        row = Row(strategy.name, plan.years).extend(projects)
        summary = _programmes(plan, projects, f"{code}/{number}")
        out.append(StrategyBlock(number, strategy, summary, groups, row))
    return out


# The area (ด้าน) of each programme in the local budget's classification (the Department of
# Local Administration's budget structure: ด้านบริหารทั่วไป, ด้านบริการชุมชนและสังคม,
# ด้านการเศรษฐกิจ, ด้านการดำเนินงานอื่น). A plan's `programmes` may say otherwise.
AREAS = {
    "แผนงานบริหารงานทั่วไป": "ด้านบริหารทั่วไป",
    "แผนงานการรักษาความสงบภายใน": "ด้านบริหารทั่วไป",
    "แผนงานการศึกษา": "ด้านบริการชุมชนและสังคม",
    "แผนงานสาธารณสุข": "ด้านบริการชุมชนและสังคม",
    "แผนงานสังคมสงเคราะห์": "ด้านบริการชุมชนและสังคม",
    "แผนงานเคหะและชุมชน": "ด้านบริการชุมชนและสังคม",
    "แผนงานสร้างความเข้มแข็งของชุมชน": "ด้านบริการชุมชนและสังคม",
    "แผนงานการศาสนาวัฒนธรรมและนันทนาการ": "ด้านบริการชุมชนและสังคม",
    "แผนงานอุตสาหกรรมและการโยธา": "ด้านการเศรษฐกิจ",
    "แผนงานการเกษตร": "ด้านการเศรษฐกิจ",
    "แผนงานการพาณิชย์": "ด้านการเศรษฐกิจ",
    "แผนงานงบกลาง": "ด้านการดำเนินงานอื่น",
}


@dataclass
class PlanRow:
    """A row of ส่วนที่ ๔'s table: a programme of a strategy, its area, the units that run its
    projects and equipment, and the units that support them."""

    programme: str
    area: str
    units: list[str]
    support: list[str]


@dataclass
class PlanBlock:
    number: int  # the strategy's number; 0: equipment no strategy names or uses
    strategy: Strategy | None
    rows: list[PlanRow]


def programme_plan(plan: Plan) -> list[PlanBlock]:
    """ส่วนที่ ๔'s table: per strategy, every programme its projects (of every form) and its
    equipment use, in the order they first appear. Equipment without a strategy goes to
    the first strategy whose projects use its programme, else to a last block of its own."""
    infos = {p.name: p for p in plan.programmes}
    found: dict[str, dict[str, list[str]]] = {s.id: {} for s in plan.strategies}
    left: dict[str, list[str]] = {}
    for p in plan.projects:
        found[p.strategy].setdefault(p.programme, []).append(p.unit)
    for e in plan.equipment:
        where = e.strategy or next((s for s, progs in found.items() if e.programme in progs), None)
        (found[where] if where else left).setdefault(e.programme, []).append(e.unit)

    def rows(progs: dict[str, list[str]]) -> list[PlanRow]:
        out = []
        for name, units in progs.items():
            info = infos.get(name)
            area = info.area if info and info.area else AREAS.get(name, "")
            out.append(
                PlanRow(name, area, list(dict.fromkeys(units)), info.support if info else [])
            )
        return out

    blocks = [
        PlanBlock(n, s, rows(found[s.id])) for n, s in enumerate(plan.strategies, 1) if found[s.id]
    ]
    if left:
        blocks.append(PlanBlock(0, None, rows(left)))
    return blocks


def grand_total(plan: Plan, kind: ProjectKind = "local") -> Row:
    return Row("รวม", plan.years).extend(p for p in plan.projects if p.kind == kind)


_LAST: list[tuple[Plan, list[Form]]] = []  # the last plan's forms (a plan is immutable)


def forms(plan: Plan) -> list[Form]:
    """The forms present in *plan*, in the book's order (a form with no rows is left out).
    Every part of a long document asks again: the last plan's forms are kept."""
    if _LAST and _LAST[0][0] is plan:
        return _LAST[0][1]
    out = _forms(plan)
    _LAST[:] = [(plan, out)]
    return out


def _forms(plan: Plan) -> list[Form]:
    out: list[Form] = []
    kinds: list[tuple[FormKind, str, list[tuple[str, str, str | None, ProjectKind]]]] = [
        ("summary", "บัญชีสรุปโครงการพัฒนา", _SUMMARIES),
        ("details", "รายละเอียดโครงการพัฒนา", _DETAILS),
    ]
    for form, title, table in kinds:
        for code, label, subtitle, kind in table:
            found = blocks(plan, kind, code)
            if found:
                total = grand_total(plan, kind)
                out.append(Form(code, label, title, subtitle, form, found, [], total))
    if plan.equipment:
        total = Row("รวม", plan.years).extend(plan.equipment)
        out.append(
            Form(
                "p03",
                "แบบ ผ.03",
                "บัญชีครุภัณฑ์",
                None,
                "equipment",
                [],
                _entries(plan.equipment),
                total,
            )
        )
    return out
