"""Figures the forms show, computed from the projects: ผ.01 counts and budgets, ผ.02 groups."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from saoreport.plan.models import Plan, Project, Strategy


@dataclass
class Row:
    """Number of projects and budget per plan year, and over the five years."""

    label: str
    years: list[int]
    counts: dict[int, int] = field(default_factory=dict)
    budgets: dict[int, int] = field(default_factory=dict)

    def add(self, project: Project) -> None:
        for year in self.years:
            amount = project.in_year(year)
            if amount:
                self.counts[year] = self.counts.get(year, 0) + 1
                self.budgets[year] = self.budgets.get(year, 0) + amount

    def extend(self, projects: Iterable[Project]) -> Row:
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
class Programme:
    name: str
    projects: list[Project]
    row: Row


@dataclass
class StrategyBlock:
    number: int
    strategy: Strategy
    programmes: list[Programme]
    row: Row


def _programmes(plan: Plan, projects: list[Project]) -> list[Programme]:
    names = list(dict.fromkeys(p.programme for p in projects))
    return [
        Programme(name, group, Row(name, plan.years).extend(group))
        for name in names
        for group in [[p for p in projects if p.programme == name]]
    ]


def blocks(plan: Plan) -> list[StrategyBlock]:
    """Strategies that have projects, in plan order, each with its programmes."""
    out = []
    for number, strategy in enumerate(plan.strategies, 1):
        projects = [p for p in plan.projects if p.strategy == strategy.id]
        if projects:
            row = Row(strategy.name, plan.years).extend(projects)
            out.append(StrategyBlock(number, strategy, _programmes(plan, projects), row))
    return out


def grand_total(plan: Plan) -> Row:
    return Row("รวม", plan.years).extend(plan.projects)


# --- Minimal stand-in (issue 13, book): the forms developer (issue 11) replaces this with the
# real list of forms (ผ.01, ผ.01/1, ผ.02, ผ.02/1, ผ.02/2, ผ.03). Expect it to be replaced on merge.
@dataclass(frozen=True)
class Form:
    """A form of ส่วนที่ ๔ that the plan fills: where it starts, its number, its title."""

    anchor: str
    label: str
    title: str


def forms(plan: Plan) -> list[Form]:
    """The forms with rows, in the book's order (a form with no rows is left out)."""
    if not blocks(plan):
        return []
    return [
        Form("p01", "แบบ ผ.01", "บัญชีสรุปโครงการพัฒนา"),
        Form("p02", "แบบ ผ.02", "รายละเอียดโครงการพัฒนา"),
    ]
