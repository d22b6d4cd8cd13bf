"""What changed between two plans: two plan files, two archived versions, or two fiscal years."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from saoreport.archive.versions import MANIFEST, versions
from saoreport.errors import SaoError
from saoreport.plan.models import Plan, Project
from saoreport.plan.narrative import FILES, Narrative
from saoreport.plan.validate import Checked, check
from saoreport.thai import money


def resolve(path: Path) -> Path:
    """A plan folder, plan file, archived version, or archived fiscal year -> its plan folder."""
    if path.is_file():
        return path.parent
    if (path / "plan.yaml").is_file():
        return path
    if (path / MANIFEST).is_file():
        return path / "plan"
    found = versions(path)
    if found:
        return found[-1] / "plan"
    raise SaoError(f"{path}: not a plan, an archived version or an archived fiscal year")


@dataclass
class Change:
    kind: str  # "+", "-", "~"
    what: str
    detail: str = ""


@dataclass
class Changes:
    a: Plan
    b: Plan
    sections: dict[str, list[Change]] = field(default_factory=dict)
    years: list[int] = field(default_factory=list)
    before: dict[int, int] = field(default_factory=dict)
    after: dict[int, int] = field(default_factory=dict)

    def lines(self) -> list[str]:
        out = []
        for section, changes in self.sections.items():
            if not changes:
                out.append(f"{section}: unchanged")
                continue
            out.append(f"{section}:")
            for c in changes:
                out.append(f"  {c.kind} {c.what}" + (f": {c.detail}" if c.detail else ""))
        out.append("budget per year (baht), before -> after:")
        for year in self.years:
            a, b = self.before.get(year, 0), self.after.get(year, 0)
            out.append(f"  {year}: {money(a)} -> {money(b)} ({b - a:+,})")
        a, b = sum(self.before.values()), sum(self.after.values())
        out.append(f"  total: {money(a)} -> {money(b)} ({b - a:+,})")
        return out


def _texts(name: str, old: list[str], new: list[str]) -> list[Change]:
    changes = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("replace", "delete"):
            changes += [Change("-", f"{name}[{i + 1}]", old[i]) for i in range(i1, i2)]
        if tag in ("replace", "insert"):
            changes += [Change("+", f"{name}[{j + 1}]", new[j]) for j in range(j1, j2)]
    return changes


def _budget(project: Project, years: list[int]) -> str:
    return ", ".join(f"{y}: {money(project.in_year(y))}" for y in years if project.in_year(y))


def _projects(a: Plan, b: Plan, years: list[int]) -> list[Change]:
    old, new = {p.id: p for p in a.projects}, {p.id: p for p in b.projects}
    changes = [
        Change("-", f"{i} {old[i].name}", _budget(old[i], years)) for i in old if i not in new
    ]
    changes += [
        Change("+", f"{i} {new[i].name}", _budget(new[i], years)) for i in new if i not in old
    ]
    for i in (i for i in new if i in old):
        p, q = old[i], new[i]
        details = [
            f"{key} {getattr(p, key)!r} -> {getattr(q, key)!r}"
            for key in (
                "name",
                "strategy",
                "tactic",
                "programme",
                "objective",
                "target",
                "kpi",
                "result",
                "unit",
            )
            if getattr(p, key) != getattr(q, key)
        ]
        for y in (y for y in years if p.in_year(y) != q.in_year(y)):
            was, now = p.in_year(y), q.in_year(y)
            details.append(f"budget {y}: {money(was)} -> {money(now)} ({now - was:+,})")
        if details:
            changes.append(Change("~", f"{i} {q.name}", "; ".join(details)))
    return changes


def _strategies(a: Plan, b: Plan) -> list[Change]:
    old, new = {s.id: s for s in a.strategies}, {s.id: s for s in b.strategies}
    changes = [Change("-", f"{i} {old[i].name}") for i in old if i not in new]
    changes += [Change("+", f"{i} {new[i].name}") for i in new if i not in old]
    for i in (i for i in new if i in old and old[i] != new[i]):
        what = "name" if old[i].name != new[i].name else "goals, missions, indicators or tactics"
        changes.append(Change("~", f"{i} {new[i].name}", f"{what} changed"))
    return changes


def _plan_data(a: Plan, b: Plan) -> list[Change]:
    """The plan's own data: whose plan, which years, its revision and approval."""
    fields: dict[str, Callable[[Plan], object]] = {
        "organization": lambda p: p.organization.name,
        "fiscal_year": lambda p: p.plan.fiscal_year,
        "period": lambda p: f"{p.plan.period.first}-{p.plan.period.last}",
        "title": lambda p: p.plan.title,
        "revision": lambda p: p.plan.revision,
        "approval": lambda p: (
            None
            if p.plan.approval is None
            else f"{p.plan.approval.session}, {p.plan.approval.meeting},"
            f" {p.plan.approval.date.isoformat()}"
        ),
        "announced": lambda p: p.plan.announced.isoformat() if p.plan.announced else None,
        "goals_label": lambda p: p.goals_label,
    }
    return [
        Change("~", name, f"{get(a)!r} -> {get(b)!r}")
        for name, get in fields.items()
        if get(a) != get(b)
    ]


def _paragraphs(markdown: str) -> list[str]:
    """A Markdown text's blocks (paragraphs, headings, lists, tables), as written."""
    return [" ".join(block.split()) for block in re.split(r"\n\s*\n", markdown) if block.strip()]


def _narrative(a: Narrative, b: Narrative) -> list[Change]:
    """The narrative files (คำนำ, ส่วนที่ ๑, ๒, ๓, ๕): added, removed, or their changed
    blocks, numbered from 1 in each file."""
    changes = []
    for key, name in FILES.items():
        old, new = a.sources.get(key), b.sources.get(key)
        if old == new:
            continue
        if old is None or new is None:
            changes.append(Change("+" if old is None else "-", name))
            continue
        changes += _texts(name, _paragraphs(old), _paragraphs(new))
    return changes


def other_sao(a: Plan, b: Plan) -> str | None:
    """A warning when the two plans are not of the same SAO."""
    if a.organization.name == b.organization.name:
        return None
    return (
        f"warning: these are the plans of two different SAOs: {a.organization.name}"
        f" and {b.organization.name}"
    )


def compare(a: Plan, b: Plan, narratives: tuple[Narrative, Narrative] | None = None) -> Changes:
    """What changed from plan *a* to plan *b* (and from narrative to narrative, if given)."""
    years = sorted(set(a.years) | set(b.years))
    result = Changes(a, b, years=years)
    vision = (
        []
        if a.vision == b.vision
        else [Change("-", "vision", a.vision), Change("+", "vision", b.vision)]
    )
    result.sections = {
        "vision": vision,
        "missions": _texts("missions", a.missions, b.missions),
        "goals": _texts("goals", a.goals, b.goals),
        "strategies": _strategies(a, b),
        "projects": _projects(a, b, years),
        "plan": _plan_data(a, b),
    }
    if narratives is not None:
        result.sections["narrative"] = _narrative(*narratives)
    for plan, totals in ((a, result.before), (b, result.after)):
        for project in plan.projects:
            for year, amount in project.budget.items():
                totals[year] = totals.get(year, 0) + amount
    return result


def load_pair(first: Path, second: Path) -> tuple[Checked, Checked]:
    return check(resolve(first)), check(resolve(second))


THAI_WORDS = {  # the longer phrases first
    "goals, missions, indicators or tactics changed": "แก้ไขเป้าหมาย พันธกิจ ตัวชี้วัด หรือแนวทาง",
    "name changed": "แก้ไขชื่อ",
    "budget ": "งบประมาณ ปี ",
    " -> ": " → ",
    "name ": "ชื่อโครงการ ",
    "strategy ": "ยุทธศาสตร์ ",
    "tactic ": "แนวทาง ",
    "programme ": "แผนงาน ",
    "objective ": "วัตถุประสงค์ ",
    "target ": "เป้าหมาย ",
    "kpi ": "ตัวชี้วัด ",
    "result ": "ผลที่คาดว่าจะได้รับ ",
    "unit ": "หน่วยงาน ",
}


def what_in_thai(what: str) -> tuple[str, str]:
    """A change's subject for the council: its id or file name (kept as typed: "P0002",
    "S1", "parts/2-results.md") apart from the rest, which follows the plan's digits;
    "missions[2]" reads "พันธกิจ ข้อ 2"."""
    for english, thai in (("missions", "พันธกิจ"), ("goals", "เป้าประสงค์"), ("vision", "วิสัยทัศน์")):
        if what.startswith(english):
            what = thai + what[len(english) :]
    what = re.sub(r"\[(\d+)\]$", r" ข้อ \1", what)
    found = re.match(r"([A-Za-z][\w./-]*\d[\w./-]*)(?: (.*))?$", what)
    return (found.group(1), found.group(2) or "") if found else ("", what)


# A value as the details quote it (Python's repr of a string): left as it was typed.
_QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")


def in_thai(detail: str) -> str:
    """A change's detail worded in Thai, for the council's change summary: its labels and
    arrows, not the values it quotes (a project named "Road target survey" keeps its name)."""
    out, at = [], 0
    for quoted in [*_QUOTED.finditer(detail), None]:
        words = detail[at : quoted.start() if quoted else len(detail)]
        for english, thai in THAI_WORDS.items():
            words = words.replace(english, thai)
        out.append(words)
        if quoted:
            out.append(quoted.group())
            at = quoted.end()
    return "".join(out)
