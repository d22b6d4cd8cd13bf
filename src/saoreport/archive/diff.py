"""What changed between two plans: two plan files, two archived versions, or two fiscal years.

The order is always the older, then the newer (`saoreport diff OLDER NEWER`). Each side is
described (`Side`: an archived version with its number and the time it was frozen, or a plan
folder being edited), and `swapped` says why the "older" looks newer than the "newer": their
fiscal years, their version numbers in the archive, the plan's dates of approval and
announcement, its edition ("เพิ่มเติม ครั้งที่ 2/2568" after "ครั้งที่ 1/2568"), or an archived
copy named after the plan folder it was frozen from.

Two reports come out of one comparison: the terminal's (`Changes.lines`, in the user's
language, with the plan's ids) and the council's change summary (`council`, Thai only, as
the council reads it: names, strategies, baht and years in words, no ids, file names or
field names).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from saoreport import thai
from saoreport.archive.versions import MANIFEST, read_manifest, versions
from saoreport.errors import SaoError, printable
from saoreport.messages import _, in_language
from saoreport.plan.models import Equipment, Plan, Project
from saoreport.plan.narrative import FILES, Narrative
from saoreport.plan.validate import Checked, check
from saoreport.plan.wording import key_name
from saoreport.thai import be_iso, from_be, money


@dataclass(frozen=True)
class Side:
    """One side of a comparison: the path as given, its plan folder, and, for an archived
    version, its number, fiscal year and the time it was frozen (from its manifest)."""

    given: Path
    folder: Path
    version: int | None = None
    fiscal_year: int | None = None
    archived: dt.datetime | None = None
    slug: str | None = None

    @property
    def is_archived(self) -> bool:
        return self.version is not None


def _archived(version: Path) -> dict[str, Any]:
    """What the manifest of *version* says of it (nothing when it is damaged)."""
    record = read_manifest(version) or {}
    out: dict[str, Any] = {}
    if isinstance(record.get("version"), int):
        out["version"] = record["version"]
    if isinstance(record.get("fiscal_year"), int):
        out["fiscal_year"] = record["fiscal_year"]
    if isinstance(record.get("slug"), str):
        out["slug"] = record["slug"]
    with contextlib.suppress(KeyError, ValueError):
        out["archived"] = dt.datetime.fromisoformat(str(record["archived"]))
    if "version" not in out:  # a damaged manifest: the folder's name v<N> still tells
        found = re.fullmatch(r"v(\d+)", version.name)
        out["version"] = int(found.group(1)) if found else 0
    return out


def locate(path: Path) -> Side:
    """A plan folder, plan file, archived version, or archived fiscal year (its latest
    version) -> that side, with its plan folder."""
    if path.is_file():
        return Side(path, path.parent)
    if (path / "plan.yaml").is_file():
        return Side(path, path)
    if (path / MANIFEST).is_file():
        return Side(path, path / "plan", **_archived(path))
    found = versions(path)
    if found:
        return Side(path, found[-1] / "plan", **_archived(found[-1]))
    raise SaoError(
        _(
            "{path}: not a plan, an archived version or an archived fiscal year: name a plan"
            " folder or its plan.yaml, an archived version (archive/<slug>/<year>/v<N>) or an"
            " archived fiscal year (archive/<slug>/<year>)",
            path=printable(str(path)),
        )
    )


def resolve(path: Path) -> Path:
    """A plan folder, plan file, archived version, or archived fiscal year -> its plan folder."""
    return locate(path).folder


def describe(side: Side) -> str:
    """*side* for the terminal: the path as given, and what it is."""
    name = printable(str(side.given))
    if side.is_archived:
        when = side.archived.date().isoformat() if side.archived else "?"
        return _(
            "{path} (archived version {version}, frozen on {date})",
            path=name,
            version=side.version,
            date=when,
        )
    return _("{path} (the plan folder, not archived)", path=name)


# "เพิ่มเติม ครั้งที่ 2/2568", "แก้ไข (ฉบับที่ 3) ประจำปีงบประมาณ พ.ศ. 2565": its year and number.
_EDITION = re.compile(r"(?:ครั้งที่|ฉบับที่)\s*\(?\s*(\d+)\s*\)?\s*(?:/\s*(\d{4}))?")


def edition_order(revision: str | None) -> tuple[int, int] | None:
    """An edition's place among the plan's editions, (year, number); (0, 0) for the plan as
    first adopted (no edition); None when its name has no number."""
    if revision is None:
        return (0, 0)
    found = _EDITION.search(thai.one_style(revision, False))
    if found is None:
        return None
    return (int(found.group(2) or 0), int(found.group(1)))


def _plan_date(plan: Plan) -> dt.date | None:
    """The date a plan came into force: its announcement, else its approval."""
    info = plan.plan
    chosen = info.announced or (info.approval.date if info.approval else None)
    return from_be(chosen) if chosen else None


def swapped(older: tuple[Side, Plan], newer: tuple[Side, Plan]) -> str | None:
    """Why the "older" looks newer than the "newer" (in the user's language); None when the
    order looks right or nothing tells. The first of these that differs decides: fiscal year,
    version number in the archive (same SAO), the date the plan came into force, its
    edition, and an archived copy against the plan folder (which is being edited, so newer)."""
    (a, p), (b, q) = older, newer
    year_a, year_b = p.plan.fiscal_year, q.plan.fiscal_year
    if year_a != year_b:
        return (
            _("its fiscal year {first} is after {second}", first=year_a, second=year_b)
            if year_a > year_b
            else None
        )
    if a.is_archived and b.is_archived and a.slug == b.slug:
        assert a.version is not None and b.version is not None
        if a.version != b.version:
            return (
                _(
                    "it is archived version {first}, frozen after version {second}",
                    first=a.version,
                    second=b.version,
                )
                if a.version > b.version
                else None
            )
        if a.archived and b.archived and a.archived > b.archived:
            return _("it was frozen after the other")
    day_a, day_b = _plan_date(p), _plan_date(q)
    if day_a and day_b and day_a != day_b:
        return (
            _(
                "it came into force on {first}, after {second}",
                first=day_a.isoformat(),
                second=day_b.isoformat(),
            )
            if day_a > day_b
            else None
        )
    if (p.editions or q.editions) and len(p.editions) != len(q.editions):
        return (
            _(
                "its edition {first} comes after {second}",
                first=repr(p.revision),
                second=repr(q.revision) if q.revision else _("(none)"),
            )
            if len(p.editions) > len(q.editions)
            else None
        )
    edition_a, edition_b = edition_order(p.revision), edition_order(q.revision)
    if edition_a is not None and edition_b is not None and edition_a != edition_b:
        return (
            _(
                "its edition {first} comes after {second}",
                first=repr(p.revision),
                second=repr(q.revision) if q.revision else _("(none)"),
            )
            if edition_a > edition_b
            else None
        )
    if not a.is_archived and b.is_archived:
        return _("it is the plan folder being edited, and the other an archived copy")
    return None


@dataclass
class Change:
    """One change as the terminal report says it: "+" added, "-" removed, "~" changed."""

    kind: str  # "+", "-", "~"
    text: str
    part: str = ""  # a narrative change: its file's key (narrative.FILES), block and text
    number: int = 0
    body: str = ""


def section_names() -> dict[str, str]:
    """The report's sections, as the terminal report names them."""
    return {
        "vision": _("vision"),
        "missions": _("missions"),
        "goals": _("goals"),
        "strategies": _("strategies"),
        "projects": _("projects"),
        "equipment": _("equipment"),
        "plan": _("plan"),
        "narrative": _("narrative"),
    }


def _value(value: object) -> str:
    """A value as the terminal report quotes it: as typed, in quotes; none as none."""
    return _("(none)") if value is None else repr(value)


def _amounts(was: int, now: int) -> dict[str, str]:
    return {"before": money(was), "after": money(now), "change": f"{now - was:+,}"}


@dataclass
class Changes:
    a: Plan
    b: Plan
    sections: dict[str, list[Change]] = field(default_factory=dict)
    years: list[int] = field(default_factory=list)
    before: dict[int, int] = field(default_factory=dict)
    after: dict[int, int] = field(default_factory=dict)

    def lines(self) -> list[str]:
        """The terminal report, in the user's language."""
        names = section_names()
        out = []
        for section, changes in self.sections.items():
            name = names.get(section, section)
            if not changes:
                out.append(_("{section}: unchanged", section=name))
                continue
            out.append(f"{name}:")
            out += [f"  {c.kind} {c.text}" for c in changes]
        out.append(_("budget per year (baht), before -> after:"))
        for year in self.years:
            was, now = self.before.get(year, 0), self.after.get(year, 0)
            out.append(
                "  " + _("{year}: {before} -> {after} ({change})", year=year, **_amounts(was, now))
            )
        was, now = sum(self.before.values()), sum(self.after.values())
        out.append("  " + _("total: {before} -> {after} ({change})", **_amounts(was, now)))
        if any(self.sections.values()):
            out.append(_("(+ added, - removed, ~ changed)"))
        return out


def _texts(
    old: list[str], new: list[str], item: Callable[[int], str], part: str = ""
) -> list[Change]:
    """The items added and removed between two lists of texts; *item*: the words for item n
    (counted from 1); *part*: the narrative file's key they are blocks of."""
    changes = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)

    def change(kind: str, n: int, text: str) -> Change:
        return Change(kind, f"{item(n)}: {text}", part, n, text)

    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("replace", "delete"):
            changes += [change("-", i + 1, old[i]) for i in range(i1, i2)]
        if tag in ("replace", "insert"):
            changes += [change("+", j + 1, new[j]) for j in range(j1, j2)]
    return changes


def _budget(row: Project | Equipment, years: list[int]) -> str:
    return ", ".join(f"{y}: {money(row.in_year(y))}" for y in years if row.in_year(y))


PROJECT_FIELDS: tuple[str, ...] = ("name", "strategy", "tactic", "programme", "objective")
PROJECT_FIELDS += ("target", "kpi", "result", "unit", "kind", "amendment")
EQUIPMENT_FIELDS = ("programme", "category", "type", "target", "unit", "strategy", "amendment")


def _field(parent: str | None, key: str, old: object, new: object) -> str:
    """A field changed, as the terminal report says it ("the target: 'a' -> 'b'")."""
    name = key_name(parent, key) or key
    return _("{field}: {old} -> {new}", field=name, old=_value(old), new=_value(new))


def _rows(
    a: list[Any], b: list[Any], fields: tuple[str, ...], parent: str, years: list[int]
) -> list[Change]:
    """Projects or equipment rows, matched by id: removed, added, changed."""
    old, new = {r.id: r for r in a}, {r.id: r for r in b}

    def title(row: Any) -> str:
        return f"{row.id} {row.name if parent == 'projects' else row.type}"

    changes = [
        Change("-", f"{title(old[i])}: {_budget(old[i], years)}") for i in old if i not in new
    ]
    changes += [
        Change("+", f"{title(new[i])}: {_budget(new[i], years)}") for i in new if i not in old
    ]
    for i in (i for i in new if i in old):
        p, q = old[i], new[i]
        said = [
            _field(parent, k, getattr(p, k), getattr(q, k))
            for k in fields
            if getattr(p, k) != getattr(q, k)
        ]
        for y in (y for y in years if p.in_year(y) != q.in_year(y)):
            was, now = p.in_year(y), q.in_year(y)
            said.append(
                _("budget {year}: {before} -> {after} ({change})", year=y, **_amounts(was, now))
            )
        if said:
            changes.append(Change("~", f"{title(q)}: " + "; ".join(said)))
    return changes


def _strategies(a: Plan, b: Plan) -> list[Change]:
    old, new = {s.id: s for s in a.strategies}, {s.id: s for s in b.strategies}
    changes = [Change("-", f"{i} {old[i].name}") for i in old if i not in new]
    changes += [Change("+", f"{i} {new[i].name}") for i in new if i not in old]
    for i in (i for i in new if i in old and old[i] != new[i]):
        if old[i].name != new[i].name:
            said = _("name changed")
        else:
            said = _("goals, missions, indicators or tactics changed")
        changes.append(Change("~", f"{i} {new[i].name}: {said}"))
    return changes


def _approval(p: Plan) -> str | None:
    approval = p.plan.approval
    if approval is None:
        return None
    return f"{approval.session}, {approval.meeting}, {be_iso(from_be(approval.date))}"


# The plan's own data: whose plan, which years, its edition and approval; each with its key
# in the plan file (its parent and name, which wording.key_name names) and its value.
PLAN_DATA: dict[str, tuple[str | None, str, Callable[[Plan], object]]] = {
    "organization": ("organization", "name", lambda p: p.organization.name),
    "fiscal_year": ("plan", "fiscal_year", lambda p: p.plan.fiscal_year),
    "period": ("plan", "period", lambda p: f"{p.plan.period.first}-{p.plan.period.last}"),
    "title": ("plan", "title", lambda p: p.plan.title),
    "revision": ("plan", "revision", lambda p: p.revision),
    "approval": ("plan", "approval", _approval),
    "announced": (
        "plan",
        "announced",
        lambda p: be_iso(from_be(p.plan.announced)) if p.plan.announced else None,
    ),
    "goals_label": (None, "goals_label", lambda p: p.goals_label),
    "appendices": (None, "appendices", lambda p: " / ".join(a.title for a in p.appendices) or None),
}


def _plan_data(a: Plan, b: Plan) -> list[Change]:
    return [
        Change("~", _field(holder, key, get(a), get(b)))
        for holder, key, get in PLAN_DATA.values()
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
            changes.append(Change("+" if old is None else "-", name, key))
            continue
        changes += _texts(_paragraphs(old), _paragraphs(new), partial(_paragraph, name), key)
    return changes


def _paragraph(file: str, n: int) -> str:
    return _("{file}[{number}]", file=file, number=n)


def other_sao(a: Plan, b: Plan) -> str | None:
    """A warning when the two plans are not of the same SAO."""
    if a.organization.name == b.organization.name:
        return None
    return _(
        "warning: these are the plans of two different SAOs: {first} and {second}; check"
        " that you named the plans you meant",
        first=a.organization.name,
        second=b.organization.name,
    )


def compare(a: Plan, b: Plan, narratives: tuple[Narrative, Narrative] | None = None) -> Changes:
    """What changed from plan *a* (the older) to plan *b* (the newer), and from narrative to
    narrative if given."""
    years = sorted(set(a.years) | set(b.years))
    result = Changes(a, b, years=years)
    vision = []
    if a.vision != b.vision:
        name = section_names()["vision"]
        vision = [Change("-", f"{name}: {a.vision}"), Change("+", f"{name}: {b.vision}")]
    result.sections = {
        "vision": vision,
        "missions": _texts(a.missions, b.missions, _mission),
        "goals": _texts(a.goals, b.goals, _goal),
        "strategies": _strategies(a, b),
        "projects": _rows(a.projects, b.projects, PROJECT_FIELDS, "projects", years),
        "equipment": _rows(a.equipment, b.equipment, EQUIPMENT_FIELDS, "equipment", years),
        "plan": _plan_data(a, b),
    }
    if narratives is not None:
        result.sections["narrative"] = _narrative(*narratives)
    for plan, totals in ((a, result.before), (b, result.after)):
        for project in plan.projects:
            for year, amount in project.budget.items():
                totals[year] = totals.get(year, 0) + amount
    return result


def _mission(n: int) -> str:
    return _("missions[{number}]", number=n)


def _goal(n: int) -> str:
    return _("goals[{number}]", number=n)


def load_pair(first: Path, second: Path) -> tuple[Checked, Checked]:
    return check(resolve(first)), check(resolve(second))


# The council's change summary ------------------------------------------------------------


@dataclass
class Table:
    """A section of the council's summary: its heading, column heads and rows; a cell is a
    text or a list of lines."""

    title: str
    head: list[str]
    rows: list[list[str | list[str]]] = field(default_factory=list)
    widths: list[int] = field(default_factory=list)  # per cent, the last column takes the rest


@dataclass
class Council:
    """The council's change summary, in Thai and the newer plan's digits."""

    before: str  # "ฉบับที่ ๓ (จัดเก็บเมื่อ ...)"
    after: str
    tables: list[Table]
    unchanged: list[str]  # the sections with no change
    years: list[tuple[str, str, str, str]]  # year, before, after, difference
    total: tuple[str, str, str]


# Parts of the book, as the council names them (narrative.FILES's keys).
PART_NAMES = {
    "preface": "คำนำ",
    "general": "ส่วนที่ 1 สภาพทั่วไปและข้อมูลพื้นฐาน",
    "results": "ส่วนที่ 2 สรุปผลการพัฒนาท้องถิ่นตามแผนพัฒนาท้องถิ่นที่ผ่านมา",
    "analysis": "ส่วนที่ 3 ยุทธศาสตร์ขององค์กรปกครองส่วนท้องถิ่น (การวิเคราะห์)",
    "monitoring": "ส่วนที่ 5 การติดตามและประเมินผล",
}
KINDS = {"local": "แบบ ผ.02", "community": "แบบ ผ.02/1", "coordination": "แบบ ผ.02/2"}


def side_in_thai(side: Side, plan: Plan) -> str:
    """A side as the council's summary names it: the archived version and when it was frozen,
    or the plan as it is now; its edition and fiscal year. No path."""
    d = partial(thai.one_style, thai=plan.thai_digits)
    if side.is_archived:
        when = (
            f" จัดเก็บเมื่อวันที่ {thai.thai_date(side.archived.date(), plan.thai_digits)}"
            if side.archived
            else ""
        )
        words = f"ฉบับที่จัดเก็บ ครั้งที่ {d(side.version)}{when}"
    else:
        words = "ฉบับปัจจุบัน (ยังไม่ได้จัดเก็บ)"
    edition = f" {d(plan.revision)}" if plan.revision else ""
    return f"{words} ปีงบประมาณ {d(plan.plan.fiscal_year)}{edition}"


def council(changes: Changes, before: Side, after: Side) -> Council:
    """The council's change summary of *changes*: Thai whatever the user's language."""
    with in_language("th"):
        return _council(changes, before, after)


def _council(changes: Changes, before: Side, after: Side) -> Council:
    a, b = changes.a, changes.b
    use_thai, thai_money = b.thai_digits, b.thai_money

    def d(value: object) -> str:
        return thai.one_style(value, use_thai)

    def baht(amount: int) -> str:
        return f"{thai.money(amount, thai_money)} บาท" if amount else "ไม่มีงบประมาณ"

    def quoted(value: object) -> str:
        return "ไม่มี" if value is None or value == "" else f"“{d(value)}”"

    def strategy(plan: Plan, sid: str | None) -> str:
        for n, s in enumerate(plan.strategies, 1):
            if s.id == sid:
                return f"ยุทธศาสตร์ที่ {d(n)} {d(s.name.removeprefix('ยุทธศาสตร์'))}"
        return "ไม่ระบุยุทธศาสตร์"

    def tactic(plan: Plan, sid: str, tid: str | None) -> str:
        for s in plan.strategies:
            for t in s.tactics if s.id == sid else ():
                if t.id == tid:
                    return d(t.name)
        return "ไม่ระบุ"

    def budget(row: Project | Equipment, years: list[int]) -> list[str]:
        lines = [f"ปี {d(y)}: {baht(row.in_year(y))}" for y in years if row.in_year(y)]
        return lines or ["ไม่มีงบประมาณ"]

    def value(plan: Plan, key: str, row: Any) -> str:
        raw = getattr(row, key)
        if key == "strategy":
            return strategy(plan, raw) if raw else "ไม่ระบุ"
        if key == "tactic":
            return tactic(plan, row.strategy, raw)
        if key == "kind":
            return d(KINDS.get(str(raw), str(raw)))
        return quoted(raw)

    def differences(parent: str, fields: tuple[str, ...], p: Any, q: Any) -> list[str]:
        lines = []
        for key in fields:
            if getattr(p, key) == getattr(q, key):
                continue
            name = key_name(parent, key) or key
            was, now = value(a, key, p), value(b, key, q)
            lines.append(f"{name}: จาก {was} เป็น {now}")
        for y in changes.years:
            was, now = p.in_year(y), q.in_year(y)
            if was != now:
                more = "เพิ่มขึ้น" if now > was else "ลดลง"
                step = thai.money(abs(now - was), thai_money)
                lines.append(
                    f"งบประมาณปี {d(y)}: จาก {baht(was)} เป็น {baht(now)} ({more} {step} บาท)"
                )
        return lines

    tables: list[Table] = []
    unchanged: list[str] = []

    def add(*group: Table, name: str = "") -> None:
        """The tables of *group* that have rows; a section none of whose tables has rows is
        said to be unchanged (by *name*, else its table's title)."""
        found = [table for table in group if table.rows]
        tables.extend(found)
        if not found:
            unchanged.append(name or group[0].title)

    if a.vision != b.vision:
        add(Table("วิสัยทัศน์", ["เดิม", "ใหม่"], [[d(a.vision), d(b.vision)]], [50]))
    else:
        unchanged.append("วิสัยทัศน์")
    for title, old, new in (("พันธกิจ", a.missions, b.missions), (b.goals_label, a.goals, b.goals)):
        rows: list[list[str | list[str]]] = []
        matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag in ("replace", "delete"):
                rows += [["ตัดออก", f"ข้อ {d(i + 1)} (เดิม)", d(old[i])] for i in range(i1, i2)]
            if tag in ("replace", "insert"):
                rows += [["เพิ่ม", f"ข้อ {d(j + 1)} (ใหม่)", d(new[j])] for j in range(j1, j2)]
        add(Table(title, ["รายการ", "ข้อ", "ข้อความ"], rows, [14, 18]))

    old_s, new_s = {s.id: s for s in a.strategies}, {s.id: s for s in b.strategies}
    rows = [["ตัดออก", strategy(a, i)] for i in old_s if i not in new_s]
    rows += [["เพิ่ม", strategy(b, i)] for i in new_s if i not in old_s]
    for i in (i for i in new_s if i in old_s and old_s[i] != new_s[i]):
        if old_s[i].name != new_s[i].name:
            rows.append(["แก้ไข", f"{strategy(a, i)} เป็น {strategy(b, i)}"])
        else:
            rows.append(["แก้ไข", f"{strategy(b, i)}: แก้ไขเป้าหมาย พันธกิจ ตัวชี้วัด หรือกลยุทธ์"])
    add(Table("ยุทธศาสตร์", ["รายการ", "ยุทธศาสตร์"], rows, [14]))

    def listed(plan: Plan, row: Any, projects: bool) -> list[str | list[str]]:
        if projects:
            where = [strategy(plan, row.strategy), d(row.programme), d(KINDS.get(row.kind, ""))]
            return [d(row.name), where, budget(row, changes.years)]
        return [f"{d(row.type)}: {d(row.target)}", [d(row.programme)], budget(row, changes.years)]

    for rows_a, rows_b, projects in (
        (a.projects, b.projects, True),
        (a.equipment, b.equipment, False),
    ):
        what = "โครงการ" if projects else "ครุภัณฑ์"
        where = "ยุทธศาสตร์ แผนงาน และแบบ" if projects else "แผนงาน"
        old_r, new_r = {r.id: r for r in rows_a}, {r.id: r for r in rows_b}
        head = ["ที่", what, where, "งบประมาณ"]
        added = [listed(b, new_r[i], projects) for i in new_r if i not in old_r]
        removed = [listed(a, old_r[i], projects) for i in old_r if i not in new_r]
        numbered = [[d(n), *row] for n, row in enumerate(added, 1)]
        added_table = Table(f"{what}ที่เพิ่ม", head, numbered, [7, 33, 30])
        numbered = [[d(n), *row] for n, row in enumerate(removed, 1)]
        removed_table = Table(f"{what}ที่ตัดออก", head, numbered, [7, 33, 30])
        fields = PROJECT_FIELDS if projects else EQUIPMENT_FIELDS
        parent = "projects" if projects else "equipment"
        changed: list[list[str | list[str]]] = []
        for i in (i for i in new_r if i in old_r):
            lines = differences(parent, fields, old_r[i], new_r[i])
            if lines:
                row = new_r[i]
                name = d(row.name if isinstance(row, Project) else row.type)
                changed.append([d(len(changed) + 1), name, lines])
        changed_head = ["ที่", what, "การแก้ไข (จาก เดิม เป็น ใหม่)"]
        changed_table = Table(f"{what}ที่แก้ไข", changed_head, changed, [7, 33])
        add(added_table, removed_table, changed_table, name=what)

    rows = []
    for holder, key, get in PLAN_DATA.values():
        was, now = get(a), get(b)
        if was != now:
            rows.append(
                [key_name(holder, key) or key, _plan_value(key, was, a), _plan_value(key, now, b)]
            )
    add(Table("ข้อมูลของแผน", ["เรื่อง", "เดิม", "ใหม่"], rows, [24, 38]))

    narrative_rows: list[list[str | list[str]]] = []
    for change in changes.sections.get("narrative", []):
        narrative_rows.append(_narrative_row(change, d))
    if "narrative" in changes.sections:
        add(
            Table(
                "ส่วนบรรยาย (คำนำ ส่วนที่ ๑ ๒ ๓ และ ๕)",
                ["รายการ", "ส่วน", "ข้อความ"],
                narrative_rows,
                [14, 30],
            )
        )

    def signed(amount: int) -> str:
        sign = "+" if amount > 0 else ("-" if amount < 0 else "")
        return sign + thai.money(abs(amount), thai_money) if amount else "-"

    years = []
    for y in changes.years:
        was, now = changes.before.get(y, 0), changes.after.get(y, 0)
        years.append(
            (d(y), thai.money(was, thai_money), thai.money(now, thai_money), signed(now - was))
        )
    was, now = sum(changes.before.values()), sum(changes.after.values())
    total = (thai.money(was, thai_money), thai.money(now, thai_money), signed(now - was))
    return Council(side_in_thai(before, a), side_in_thai(after, b), tables, unchanged, years, total)


def _plan_value(key: str, value: object, plan: Plan) -> str:
    """One of the plan's own data as the council reads it."""
    use_thai = plan.thai_digits
    if value is None:
        return "ไม่มี"
    if key == "approval" and plan.plan.approval:
        approval = plan.plan.approval
        day = thai.thai_date(from_be(approval.date), use_thai)
        return thai.one_style(f"{approval.session} {approval.meeting} เมื่อวันที่ {day}", use_thai)
    if key == "announced" and plan.plan.announced:
        return thai.thai_date(from_be(plan.plan.announced), use_thai)
    if key == "period":
        return thai.one_style(f"{plan.plan.period.first} – {plan.plan.period.last}", use_thai)
    return thai.one_style(value, use_thai)


def _narrative_row(change: Change, d: Callable[[object], str]) -> list[str | list[str]]:
    """A narrative change for the council: the part by its Thai name, the block by number."""
    kind = {"+": "เพิ่ม", "-": "ตัดออก", "~": "แก้ไข"}[change.kind]
    part = d(PART_NAMES.get(change.part, ""))
    if not change.number:  # a whole file added or removed
        return [kind, part, "ทั้งส่วน"]
    return [kind, f"{part} ย่อหน้าที่ {d(change.number)}", d(change.body)]
