"""What a workbook gave -> plans/<slug>/plan.yaml: a new plan (placeholders marked CHECK for
what no form holds: vision, missions, goals, fiscal year), or merged into an existing plan
(`--into`), whose vision, narrative parts, settings, comments and order are kept.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString

from saoreport import thai
from saoreport.errors import PlanInvalid, SaoError
from saoreport.excel import forms
from saoreport.excel.read import INFO, LOST, Item, Note, Read, StrategyRead, read_workbook
from saoreport.messages import _, n_
from saoreport.output import write_atomic
from saoreport.plan.models import Equipment, Plan, Project, org_type
from saoreport.plan.validate import Checked, check
from saoreport.plan.wording import key_name

PLACEHOLDER = "-"


NOTES_FILE = "import-notes.txt"


@dataclass
class Imported:
    target: Path
    read: Read
    checked: Checked  # the plan as imported (written, or what would be written)
    changes: list[str] = dataclasses.field(default_factory=list)  # --into: what changes
    written: bool = True
    backup: Path | None = None
    notes_file: Path | None = None

    @property
    def notes(self) -> list[Note]:
        return self.read.notes

    @property
    def lost(self) -> list[Note]:
        return [n for n in self.read.notes if n.severity == LOST]


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.allow_unicode = True
    return yaml


def _text(value: str) -> str:
    return LiteralScalarString(value) if "\n" in value else value


_PLAIN = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`][^:#\n]*(?<![\s:])")


_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


def _scalar(value: object) -> str:
    """A YAML scalar: plain where that is safe (Thai text), else double-quoted."""
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if _PLAIN.fullmatch(text) and re.search(r"[\u0e00-\u0e7f]", text):
        return text
    if re.fullmatch(r"[A-Za-z][A-Za-z0-9_.\-]*", text) and text.lower() not in _WORDS:
        return text  # ids: P0001, S1.2
    return json.dumps(text, ensure_ascii=False)


def _flow_map(values: dict[str, Any]) -> str:
    """A mapping on one line, {edition: …, reason: …}: its text quoted where a plain one
    would end the mapping (a comma, a bracket or a brace in it)."""

    def one(value: object) -> str:
        text = _scalar(value)
        return json.dumps(str(value), ensure_ascii=False) if re.search(r"[,\[\]{}]", text) else text

    return "{" + ", ".join(f"{key}: {one(value)}" for key, value in values.items()) + "}"


def _block(nodes: Written) -> str:
    """The list under `projects:` or `equipment:`, written directly: ruamel.yaml's emitter
    takes seconds for a city's 1,200 projects, this a few hundredths."""
    if not nodes:
        return " []"
    lines = []
    for node, _v in nodes:
        for i, (key, value) in enumerate(node.items()):
            if isinstance(value, list):  # changed: one flow mapping a line
                lines.append(f"    {key}:" + ("" if value else " []"))
                lines += [f"      - {_flow_map(entry)}" for entry in value]
                continue
            if isinstance(value, dict):
                text = "{" + ", ".join(f"{y}: {b}" for y, b in value.items()) + "}"
            elif value is None:
                text = "null"
            else:
                text = _scalar(value)
            lines.append(f"{'  - ' if i == 0 else '    '}{key}: {text}")
    return "\n" + "\n".join(lines)


def _flow(values: dict[int, int]) -> CommentedMap:
    out = CommentedMap(sorted(values.items()))
    out.fa.set_flow_style()
    return out


def _strip_number(name: str) -> str:
    return re.sub(r"^\s*[0-9๐-๙]+\s*[.)]\s*", "", name)


@dataclass
class _Ids:
    strategy: dict[int, str]
    tactic: dict[tuple[int, int], str]


def _strategies(read: Read, existing: Plan | None, data: CommentedMap) -> _Ids:
    """Strategies by number: the n-th of an existing plan keeps its id, goals and indicators."""
    ids = _Ids({}, {})
    have = list(existing.strategies) if existing else []
    seq = data.get("strategies")
    if not isinstance(seq, CommentedSeq):
        seq = CommentedSeq()
    used = {s.id for s in have}
    for number in sorted(read.strategies):
        found: StrategyRead = read.strategies[number]
        if number <= len(have):
            node = seq[number - 1]
            sid = have[number - 1].id
            if node.get("name") != found.name:
                node["name"] = found.name
        else:
            sid = f"S{number}"
            while sid in used:
                sid += "x"
            used.add(sid)
            node = CommentedMap(id=sid, name=found.name)
            seq.append(node)
        ids.strategy[number] = sid
        if found.links:
            links = CommentedMap()
            for key in forms.LINK_KEYS:
                if key in found.links:
                    links[key] = found.links[key]
            old = node.get("links")
            if old is None or dict(old) != dict(links):
                if "links" in node:
                    node["links"] = links
                else:
                    node.insert(2, "links", links)
        tactics = node.get("tactics")
        if found.tactics and tactics is None:
            tactics = CommentedSeq()
            node["tactics"] = tactics
        for m in sorted(found.tactics):
            if tactics is not None and m <= len(tactics):
                if tactics[m - 1].get("name") != found.tactics[m]:
                    tactics[m - 1]["name"] = found.tactics[m]
                ids.tactic[number, m] = str(tactics[m - 1]["id"])
            else:
                tid = f"{sid}.{m}"
                assert tactics is not None
                tactics.append(CommentedMap(id=tid, name=found.tactics[m]))
                ids.tactic[number, m] = tid
    data["strategies"] = seq
    for n, strategy in enumerate(have, 1):  # a project matched by name keeps its tactic
        for m, tactic in enumerate(strategy.tactics, 1):
            ids.tactic.setdefault((n, m), tactic.id)
    return ids


def _field(kind: str, key: str) -> str:
    """A plan field's name for a person, as the validation messages say it."""
    return key_name("equipment" if kind == "equipment" else "projects", key) or key


def _filled(read: Read, item: Item, key: str) -> str:
    value = item.texts.get(key, "")
    if value:
        return value
    field = _field(item.kind, key)
    message = _(
        "no {field} given; written as {placeholder} (marked CHECK in plan.yaml): fill it in",
        field=field,
        placeholder=repr(PLACEHOLDER),
    )
    read.notes.append(Note(item.where, message))
    return PLACEHOLDER


def _id_list(read: Read, items: list[Item], prefix: str, width: int, order: list[str]) -> list[str]:
    """Ids as the workbook's hidden id column gives them; new ones for the rest, and a note
    for each id given that could not be kept (twice in the column, or not an id)."""
    out: list[str | None] = []
    seen: dict[str, str] = {}
    for item in items:
        ok = item.id and re.fullmatch(r"[\w.\-]+", item.id) and item.id not in seen
        out.append(item.id if ok else None)
        if ok and item.id:
            seen[item.id] = item.cells.get("id", item.where)
    used = set(seen) | set(order)
    n = 0
    final = []
    for item, given in zip(items, out, strict=True):
        if given is None:
            n += 1
            while f"{prefix}{n:0{width}d}" in used:
                n += 1
            given = f"{prefix}{n:0{width}d}"
            used.add(given)
            if item.id:
                where = item.cells.get("id", item.where)
                message = (
                    _(
                        "id {id} (also at {place}) in the id column: given the new id {new}",
                        id=repr(item.id),
                        place=seen[item.id],
                        new=given,
                    )
                    if item.id in seen
                    else _(
                        "id {id} (not an id) in the id column: given the new id {new}",
                        id=repr(item.id),
                        new=given,
                    )
                )
                read.notes.append(Note(where, message))
        final.append(given)
    return final


Written = list[tuple[CommentedMap, Item | None]]  # None: a plan's project kept as it is


def _ordered(nodes: Written, order: list[str]) -> Written:
    """Items the plan had, in the plan's order; new ones after them, in the workbook's order."""
    rank = {pid: i for i, pid in enumerate(order)}
    keyed = sorted(enumerate(nodes), key=lambda t: (rank.get(t[1][0]["id"], len(rank)), t[0]))
    return [pair for _k, pair in keyed]


def _projects(read: Read, ids: _Ids, order: list[str]) -> Written:
    nodes: Written = []
    for item, pid in zip(read.projects, _id_list(read, read.projects, "P", 4, order), strict=True):
        assert item.strategy is not None
        node = CommentedMap(id=pid, strategy=ids.strategy[item.strategy])
        if item.tactic is not None:
            node["tactic"] = ids.tactic[item.strategy, item.tactic]
        node["programme"] = _filled(read, item, "programme")
        for key in ("name", "objective", "target"):
            node[key] = _text(_filled(read, item, key))
        node["budget"] = _flow(item.budget)
        for key in ("kpi", "result", "unit"):
            node[key] = _text(_filled(read, item, key))
        if item.kind != "local":
            node["kind"] = item.kind
        if item.amendment:
            node["amendment"] = item.amendment
        if item.enacted:
            node["enacted"] = _flow(item.enacted)
        nodes.append((node, item))
    return _ordered(nodes, order)


def _equipment(read: Read, ids: _Ids, order: list[str]) -> Written:
    by_name = {s.name: ids.strategy[n] for n, s in read.strategies.items()}
    nodes: Written = []
    for item, eid in zip(
        read.equipment, _id_list(read, read.equipment, "E", 3, order), strict=True
    ):
        node = CommentedMap(id=eid)
        strategy = item.texts.get("strategy", "")
        if strategy:
            number = re.match(r"^\s*(\d+)\s*[.)]", forms.arabic(strategy))
            sid = by_name.get(_strip_number(strategy)) or (
                ids.strategy.get(int(number.group(1))) if number else None
            )
            if sid is None:
                read.notes.append(
                    Note(
                        item.where,
                        _(
                            "strategy {strategy} is not one of the plan's; left out",
                            strategy=repr(strategy),
                        ),
                    )
                )
            else:
                node["strategy"] = sid
        node["programme"] = _filled(read, item, "programme")
        if item.texts.get("category"):
            node["category"] = item.texts["category"]
        else:
            read.notes.append(
                Note(
                    item.where,
                    _("no หมวด given; written as ค่าครุภัณฑ์ (marked CHECK in plan.yaml)"),
                )
            )
        for key in ("type", "target"):
            node[key] = _text(_filled(read, item, key))
        node["budget"] = _flow(item.budget)
        node["unit"] = _text(_filled(read, item, "unit"))
        if item.amendment:
            node["amendment"] = item.amendment
        nodes.append((node, item))
    return _ordered(nodes, order)


def _check(node: CommentedMap, key: str, comment: str) -> None:
    node.yaml_add_eol_comment(f"CHECK: {comment}", key)


def _new_plan(read: Read, source: Path, today: dt.date) -> CommentedMap:
    unknown = "(ชื่อองค์กรปกครองส่วนท้องถิ่น)"
    name, district, province = read.org or (unknown, None, None)
    prefix, kind, short = org_type(name)
    org = CommentedMap(name=name, short_name=short + name.removeprefix(prefix), type=kind)
    org["district"] = district or "(อำเภอ)"
    org["province"] = province or "(จังหวัด)"
    org["executive"] = CommentedMap(title="นายก" + name)
    if read.org is None:
        _check(org, "name", "no organization line in the workbook")
    for key, value in (("district", district), ("province", province)):
        if value is None:
            _check(org, key, "not in the workbook")
    _check(org, "executive", "add `name:` of the chief executive")
    fiscal = thai.fiscal_year_of(today)
    first, last = read.period or (2566 + 5 * ((fiscal - 2566) // 5),) * 2
    if read.period is None:
        last = first + 4
    info = CommentedMap()
    if read.title and read.title != "แผนพัฒนาท้องถิ่น":
        info["title"] = read.title
    period = CommentedMap(first=first, last=last)
    period.fa.set_flow_style()
    info["period"] = period
    if read.period is None:
        _check(info, "period", "the plan's five years: no '(พ.ศ. …)' line in the workbook")
    info["fiscal_year"] = min(max(fiscal, first), last)
    _check(info, "fiscal_year", "the fiscal year this edition is for")
    if read.revision:
        info["revision"] = read.revision
    data = CommentedMap(organization=org, plan=info)
    data["vision"] = "(วิสัยทัศน์)"
    _check(data, "vision", "a workbook has no vision: write it here")
    data["missions"] = CommentedSeq(["(พันธกิจ)"])
    _check(data, "missions", "a workbook has no missions")
    data["goals"] = CommentedSeq(["(เป้าประสงค์)"])
    _check(data, "goals", "a workbook has no goals")
    digest = read.digest[:16]  # of the bytes read: the file is not read twice
    data.yaml_set_start_comment(
        f"Imported by `saoreport import` from {source.name} (sha256 {digest}…) on {today}.\n"
        "Strategies, projects and equipment are the workbook's; lines marked CHECK are\n"
        "placeholders for what no form holds: replace them before the plan goes to the council."
    )
    return data


# What a workbook covers ---------------------------------------------------------------------
# A project of the plan is replaced or removed only when the workbook covers it: a sheet of the
# same kind, strategy, tactic and programme (as `export` writes one sheet per such group) lists
# projects. Any other project of the plan stays as it is, and the preview says so.

Cover = tuple[str, int, int | None, str]


def _item_cover(item: Item) -> Cover:
    assert item.strategy is not None
    programme = forms.one_line(item.texts.get("programme", ""))
    return (item.kind, item.strategy, item.tactic, programme)


def _numbers(plan: Plan) -> tuple[dict[str, int], dict[str, int]]:
    strategy = {s.id: n for n, s in enumerate(plan.strategies, 1)}
    tactic = {t.id: m for s in plan.strategies for m, t in enumerate(s.tactics, 1)}
    return strategy, tactic


def _project_cover(project: Project, numbers: tuple[dict[str, int], dict[str, int]]) -> Cover:
    strategy, tactic = numbers
    m = tactic.get(project.tactic) if project.tactic else None
    return (project.kind, strategy[project.strategy], m, forms.one_line(project.programme))


def _match_by_name(read: Read, existing: Plan) -> set[int]:
    """A workbook without saoreport's id column: a project of the same group and name as one
    of the plan's keeps that project's id (so the preview says "changed", not removed+added).
    A sheet without tactic lines (the older forms) matches by strategy, programme and name, and
    the project keeps its tactic; such a match covers no group (returns those items' id())."""
    given = {i.id for i in read.projects if i.id}
    numbers = _numbers(existing)
    free: dict[tuple[Cover, str], list[Project]] = {}
    loose: dict[tuple[str, int, str, str], list[Project]] = {}
    for p in existing.projects:
        if p.id not in given:
            cover = _project_cover(p, numbers)
            name = forms.one_line(p.name)
            free.setdefault((cover, name), []).append(p)
            loose.setdefault((cover[0], cover[1], cover[3], name), []).append(p)
    taken: set[str] = set()
    loosely: set[int] = set()
    for exact in (True, False):
        for item in read.projects:
            if item.id or item.strategy is None or (not exact and item.tactic is not None):
                continue
            cover, name = _item_cover(item), forms.one_line(item.texts.get("name", ""))
            found = (
                free.get((cover, name), [])
                if exact
                else loose.get((cover[0], cover[1], cover[3], name), [])
            )
            match = next((p for p in found if p.id not in taken), None)
            if match is not None:
                item.id = match.id
                taken.add(match.id)
                if not exact:
                    item.tactic = _project_cover(match, numbers)[2]
                    loosely.add(id(item))
    return loosely


# What an item of the plan holds that the workbook does not: the editions that changed it,
# with why (the forms show an item as it is now).
NOT_IN_WORKBOOK = ("changed",)


def _carry(new: Written, items: Sequence[Project | Equipment], seq: Any) -> None:
    """The workbook's items that are the plan's (by id) keep what the workbook does not
    carry (NOT_IN_WORKBOOK), as the plan file writes it."""
    at = {item.id: i for i, item in enumerate(items)}
    for node, _item in new:
        i = at.get(str(node["id"]))
        if i is None or seq is None or i >= len(seq):
            continue
        for key in NOT_IN_WORKBOOK:
            if key in seq[i]:
                node[key] = seq[i][key]


def _kept(
    kind: str,
    new: Written,
    existing: Plan,
    data: CommentedMap,
    covered: set[object],
    remove_missing: bool,
) -> tuple[Written, list[str]]:
    """The plan's items the workbook does not give: kept (as they are) unless the workbook
    covers their group; returns the kept nodes and the removed ids."""
    given = {str(node["id"]) for node, _v in new}
    numbers = _numbers(existing)
    items: list[Project | Equipment] = [
        *(existing.projects if kind == "projects" else existing.equipment)
    ]
    seq = data.get(kind) or []
    kept: Written = []
    removed: list[str] = []
    for i, item in enumerate(items):
        if item.id in given:
            continue
        if isinstance(item, Project):
            group: object = _project_cover(item, numbers)
        else:
            group = forms.one_line(item.programme)
        if remove_missing or group in covered:
            removed.append(item.id)
        else:
            kept.append((seq[i], None))
    return kept, removed


# The change, shown before it is made ---------------------------------------------------------


def _short(value: object, width: int = 60) -> str:
    text = " ".join(str(value).split())
    return repr(text if len(text) <= width else text[: width - 1] + "…")


def _field_changes(kind: str, old: dict[str, object], new: dict[str, object]) -> list[str]:
    out = []
    for key in dict.fromkeys([*old, *new]):
        a, b = old.get(key), new.get(key)
        if a == b:
            continue
        if key == "budget" and isinstance(a, dict) and isinstance(b, dict):
            for year in sorted({*a, *b}):
                if a.get(year) != b.get(year):
                    out.append(
                        _(
                            "{field} {year}: {was} -> {now}",
                            field=_field(kind, key),
                            year=year,
                            was=f"{a[year]:,}" if year in a else _("none"),
                            now=f"{b[year]:,}" if year in b else _("none"),
                        )
                    )
        else:
            out.append(
                _(
                    "{field}: {was} -> {now}",
                    field=_field(kind, key),
                    was=_short(a),
                    now=_short(b),
                )
            )
    return out


def _changes(
    old: Plan, new: Plan, removed: dict[str, list[str]], kept: dict[str, Written]
) -> list[str]:
    lines: list[str] = []
    before = {s.id: s for s in old.strategies}
    for s in new.strategies:
        if s.id not in before:
            lines.append(_("strategy {id} added: {name}", id=s.id, name=_short(s.name)))
            continue
        was = before[s.id]
        if was.name != s.name:
            lines.append(
                _(
                    "strategy {id}, its name: {was} -> {now}",
                    id=s.id,
                    was=_short(was.name),
                    now=_short(s.name),
                )
            )
        if was.links != s.links:
            lines.append(_("strategy {id}, its lines ก.–จ.: changed", id=s.id))
        tactics = {t.id: t.name for t in was.tactics}
        for t in s.tactics:
            if t.id not in tactics:
                lines.append(_("tactic {id} added: {name}", id=t.id, name=_short(t.name)))
            elif tactics[t.id] != t.name:
                lines.append(
                    _(
                        "tactic {id}, its name: {was} -> {now}",
                        id=t.id,
                        was=_short(tactics[t.id]),
                        now=_short(t.name),
                    )
                )
    counts: list[str] = []
    for kind in ("projects", "equipment"):
        olds: dict[str, Project | Equipment] = {p.id: p for p in getattr(old, kind)}
        news: dict[str, Project | Equipment] = {p.id: p for p in getattr(new, kind)}
        projects = kind == "projects"
        kept_ids = {str(node["id"]) for node, _v in kept.get(kind, [])}
        added = changed = same = 0
        for pid, item in news.items():
            label = item.name if isinstance(item, Project) else item.type
            if pid not in olds:
                added += 1
                lines.append(
                    _("added project {id}: {name}", id=pid, name=_short(label))
                    if projects
                    else _("added equipment {id}: {name}", id=pid, name=_short(label))
                )
                continue
            fields = _field_changes(kind, olds[pid].model_dump(), item.model_dump())
            if fields:
                changed += 1
                values = {"id": pid, "name": _short(label, 40), "fields": "; ".join(fields)}
                lines.append(
                    _("changed project {id} {name}: {fields}", **values)
                    if projects
                    else _("changed equipment {id} {name}: {fields}", **values)
                )
            elif pid not in kept_ids:
                same += 1
        for pid in removed.get(kind, []):
            item = olds[pid]
            label = item.name if isinstance(item, Project) else item.type
            lines.append(
                _(
                    "removed project {id}: {name} (the workbook lists its sheet without it)",
                    id=pid,
                    name=_short(label),
                )
                if projects
                else _(
                    "removed equipment {id}: {name} (the workbook lists its programme without it)",
                    id=pid,
                    name=_short(label),
                )
            )
        groups: dict[str, int] = {}
        for pid in sorted(kept_ids, key=list(olds).index):
            item = olds[pid]
            strategy = getattr(item, "tactic", None) or getattr(item, "strategy", None) or ""
            group = f"{strategy} {item.programme}".strip()
            groups[group] = groups.get(group, 0) + 1
        if groups:
            listed = ", ".join(f"{g}: {n}" for g, n in list(groups.items())[:8])
            if len(groups) > 8:
                listed = _("{listed}, and {count} more", listed=listed, count=len(groups) - 8)
            n = len(kept_ids)
            lines.append(
                n_(
                    "kept as they are: {count} project the workbook does not cover ({groups});"
                    " --remove-missing removes it",
                    "kept as they are: {count} projects the workbook does not cover"
                    " ({groups}); --remove-missing removes them",
                    n,
                    count=n,
                    groups=listed,
                )
                if projects
                else n_(
                    "kept as they are: {count} equipment row the workbook does not cover"
                    " ({groups}); --remove-missing removes it",
                    "kept as they are: {count} equipment rows the workbook does not cover"
                    " ({groups}); --remove-missing removes them",
                    n,
                    count=n,
                    groups=listed,
                )
            )
        totals = {
            "added": added,
            "changed": changed,
            "removed": len(removed.get(kind, [])),
            "same": same,
            "kept": len(kept_ids),
        }
        counts.append(
            _(
                "projects: {added} added, {changed} changed, {removed} removed, {same} unchanged,"
                " {kept} kept (not in the workbook)",
                **totals,
            )
            if projects
            else _(
                "equipment: {added} added, {changed} changed, {removed} removed, {same}"
                " unchanged, {kept} kept (not in the workbook)",
                **totals,
            )
        )
    return lines + counts


# Notes, by severity ---------------------------------------------------------------------------


def _heading(severity: str) -> str:
    if severity == LOST:
        return _("Lost: not in the plan (the import exits 1 unless --accept-losses is given):")
    if severity == INFO:
        return _("For information: nothing lost:")
    return _("To check: imported, with a question:")


def note_lines(notes: list[Note]) -> list[str]:
    """The notes grouped by severity, each group under its heading; ผ.01's figures that differ
    from the detail sheets (a summary not updated: often every one of them) folded into one
    line per sheet."""
    out: list[str] = []
    for severity in (LOST, "check", INFO):
        group = [n for n in notes if n.severity == severity]
        if not group:
            continue
        lines: list[str] = []
        stale: dict[str, list[Note]] = {}
        for note in group:
            if note.summary:
                sheet = note.where.rsplit("!", 1)[0]
                if sheet not in stale:
                    lines.append(sheet)  # the folded line's place
                stale.setdefault(sheet, []).append(note)
            else:
                lines.append(" ".join(str(note).split()))
        for sheet, folded in stale.items():
            cells = [n.where.rsplit("!", 1)[1] for n in folded]
            shown = ", ".join(cells[:6]) + (", …" if len(cells) > 6 else "")
            first = " ".join(folded[0].message.split())
            line = (
                _(
                    "{sheet}: {count} figures differ from the detail sheets ({cells}); the"
                    " first, {cell}: {first}",
                    sheet=sheet,
                    count=len(folded),
                    cells=shown,
                    cell=cells[0],
                    first=first,
                )
                if len(folded) > 1
                else f"{sheet}!{cells[0]}: {first}"
            )
            lines[lines.index(sheet)] = line
        out.append(_heading(severity))
        out += [f"  {line}" for line in lines]
    return out


def _notes_text(read: Read, today: dt.date, changes: list[str]) -> str:
    source, notes, digest = read.file, read.notes, read.digest[:16]  # the bytes as read
    lines = [
        _(
            "saoreport import {file} (sha256 {digest}…) on {date}",
            file=source.name,
            digest=digest,
            date=today,
        )
    ]
    if changes:
        lines += ["", _("What the import changed:"), *(f"  {line}" for line in changes)]
    lines += ["", *(note_lines(notes) or [_("No notes: every cell was read.")])]
    return "\n".join(lines) + "\n"


def _backup(target: Path, now: dt.datetime) -> Path:
    """plan.yaml -> plan.yaml.2026-12-07T221003.bak beside it (never one already there)."""
    stamp = now.strftime("%Y-%m-%dT%H%M%S")
    data = target.read_bytes()
    n = 1
    while True:
        path = target.with_name(f"{target.name}.{stamp}{'' if n == 1 else f'-{n}'}.bak")
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            n += 1
            continue
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        return path


def import_workbook(
    source: Path,
    slug: str,
    out: Path,
    today: dt.date,
    into: Path | None = None,
    force: bool = False,
    *,
    dry_run: bool = False,
    accept_losses: bool = True,
    remove_missing: bool = False,
    now: dt.datetime | None = None,
) -> Imported:
    """Write *out*/*slug*/plan.yaml (or *into*/plan.yaml) from the workbook *source*.

    Nothing is written with *dry_run*, nor when a cell could not be read and *accept_losses*
    is false (`Imported.written` says). With *into*, the plan's projects the workbook does not
    cover stay as they are (all not in the workbook are removed with *remove_missing*), the
    previous plan.yaml is kept beside it as plan.yaml.DATE.bak, and `Imported.changes` says
    what changed; the notes go into import-notes.txt beside the plan."""
    read = read_workbook(source)
    if not read.projects and not read.equipment and not read.strategies:
        raise SaoError(
            _(
                "{file}: found no ผ.01, ผ.02 or ผ.03 sheet with anything to import: check that"
                " this is the plan's workbook",
                file=source,
            )
        )
    yaml = _yaml()
    existing: Plan | None = None
    if into is not None:
        target = into / "plan.yaml"
        existing = check(into).plan
        data = yaml.load(target.read_text(encoding="utf-8"))
        if read.period and read.period != (existing.plan.period.first, existing.plan.period.last):
            first, last = read.period
            read.notes.append(
                Note(
                    f"{source}",
                    _(
                        "the workbook's period {period} differs from the plan's {plan}; the"
                        " plan's kept",
                        period=f"{first}-{last}",
                        plan=f"{existing.plan.period.first}-{existing.plan.period.last}",
                    ),
                    INFO,
                )
            )
    else:
        target = out / slug / "plan.yaml"
        if target.exists() and not force:
            raise SaoError(
                _(
                    "{file} exists; use --force to replace it, or --into to merge",
                    file=target,
                )
            )
        data = _new_plan(read, source, today)
    ids = _strategies(read, existing, data)
    placed = [p for p in read.projects if p.strategy in ids.strategy]
    read.projects = placed
    written: dict[str, Written] = {}
    kept: dict[str, Written] = {}
    removed: dict[str, list[str]] = {}
    if existing is not None:
        loosely = _match_by_name(read, existing)
        order = [p.id for p in existing.projects]
        new = _projects(read, ids, order)
        covered: set[object] = {_item_cover(i) for i in read.projects if id(i) not in loosely}
        details = any(k.startswith("ผ.02") for k in read.sheets.values())
        kept["projects"], removed["projects"] = _kept(
            "projects", new, existing, data, covered, remove_missing and details
        )
        _carry(new, existing.projects, data.get("projects"))
        written["projects"] = _ordered(new + kept["projects"], order)
        order = [e.id for e in existing.equipment]
        new = _equipment(read, ids, order)
        _carry(new, existing.equipment, data.get("equipment"))
        covered = {forms.one_line(i.texts.get("programme", "")) for i in read.equipment}
        listed = "ผ.03" in read.sheets.values()
        kept["equipment"], removed["equipment"] = _kept(
            "equipment", new, existing, data, covered, remove_missing and listed
        )
        written["equipment"] = _ordered(new + kept["equipment"], order)
        if not written["equipment"] and "equipment" not in data:
            del written["equipment"]
    else:
        if read.projects or "ผ.02" in read.sheets.values():
            written["projects"] = _projects(read, ids, [])
        if read.equipment or "ผ.03" in read.sheets.values():
            written["equipment"] = _equipment(read, ids, [])
    blocks = {key: _block(nodes) for key, nodes in written.items()}
    for key in blocks:
        data[key] = f"SAOREPORT-BLOCK-{key}"
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    text = buffer.getvalue()
    for key, block in blocks.items():  # the key's own comment, if any, stays on its line
        line = re.compile(rf"^{key}: SAOREPORT-BLOCK-{key}([^\n]*)$", re.M)
        found = line.search(text)
        assert found is not None
        comment = found.group(1)
        lines = f"{key}: []{comment}" if block == " []" else f"{key}:{comment}{block}"
        text = text[: found.start()] + lines + text[found.end() :]
        assert f"SAOREPORT-BLOCK-{key}" not in text
    if read.notes and into is None:
        text += "\n# " + _("Not imported, or imported with a question (FILE:SHEET!CELL: why):")
        text += "\n"
        text += "".join(f"# {line}\n" for line in note_lines(read.notes))
    losses = any(n.severity == LOST for n in read.notes)
    write = not dry_run and (accept_losses or not losses)
    made = _missing(target.parent)
    trial, checked = _trial(target, text, written)
    done = Imported(target, read, checked, written=write)
    if existing is not None:
        done.changes = _changes(existing, checked.plan, removed, kept)
    if not write:
        trial.unlink(missing_ok=True)
        _remove(made)
        return done
    if target.exists():  # --into, or --force over a plan: the previous one kept beside it
        done.backup = _backup(target, now or dt.datetime.now())
    os.replace(trial, target)
    done.notes_file = target.with_name(NOTES_FILE)
    write_atomic(done.notes_file, _notes_text(read, today, done.changes).encode())
    return done


def _missing(folder: Path) -> list[Path]:
    """The folders that writing into *folder* would make, deepest first."""
    out = []
    while not folder.exists() and folder != folder.parent:
        out.append(folder)
        folder = folder.parent
    return out


def _remove(folders: list[Path]) -> None:
    """Remove the folders an import made and left empty (nothing written: no trace)."""
    for folder in folders:
        try:
            folder.rmdir()
        except OSError:
            return


_PATH = re.compile(r"^(projects|equipment)\[(\d+)\](?:\.(\w+))?(?:\[(\d+)\])?")


def _trial(target: Path, text: str, written: dict[str, Written]) -> tuple[Path, Checked]:
    """Validate the plan beside *target* before it replaces anything; a problem in an imported
    project is reported at the workbook's cell as well as the plan's path."""
    trial = target.with_name(f".{target.name}.import")
    made = _missing(target.parent)
    write_atomic(trial, text.encode("utf-8"))
    try:
        checked = check(trial)
    except PlanInvalid as exc:
        trial.unlink(missing_ok=True)
        _remove(made)
        lines = []
        for problem in exc.problems:
            found = _PATH.match(problem.path)
            where = _("{file} (not written)", file=target)
            if found and int(found.group(2)) < len(written.get(found.group(1), [])):
                item = written[found.group(1)][int(found.group(2))][1]
                if item is not None:
                    where = item.cells.get(found.group(4) or found.group(3) or "", item.where)
            lines.append(f"{where}: {problem.path}: {problem.message}")
        raise SaoError("\n".join(lines)) from None
    except BaseException:
        trial.unlink(missing_ok=True)
        raise
    warnings = [dataclasses.replace(w, file=target) for w in checked.warnings]
    return trial, dataclasses.replace(checked, file=target, warnings=warnings)


def import_and_report(
    source: Path,
    slug: str,
    out: Path,
    into: Path | None,
    force: bool = False,
    *,
    dry_run: bool = False,
    accept_losses: bool = False,
    remove_missing: bool = False,
) -> int:
    """`saoreport import WORKBOOK`: the change (with --into), the notes by severity, then what
    was imported; exit 1 when a cell could not be read and the losses were not accepted."""
    import sys

    done = import_workbook(
        source,
        slug,
        out,
        dt.date.today(),
        into,
        force,
        dry_run=dry_run,
        accept_losses=accept_losses,
        remove_missing=remove_missing,
    )
    for line in note_lines(done.notes):
        print(line, file=sys.stderr)
    for warning in done.checked.warnings:
        print(warning, file=sys.stderr)
    if into is not None:
        print(
            _("{file}: what the import changed:", file=done.target)
            if done.written
            else _("{file}: what the import would change:", file=done.target)
        )
        for line in done.changes or [_("nothing")]:
            print(f"  {line}")
    plan = done.checked.plan
    counts = _(
        "{strategies}, {projects}, {equipment} from {sheets}; {notes}",
        strategies=n_(
            "{count} strategy",
            "{count} strategies",
            len(plan.strategies),
            count=len(plan.strategies),
        ),
        projects=n_(
            "{count} project", "{count} projects", len(plan.projects), count=len(plan.projects)
        ),
        equipment=n_(
            "{count} equipment row",
            "{count} equipment rows",
            len(plan.equipment),
            count=len(plan.equipment),
        ),
        sheets=n_(
            "{count} sheet", "{count} sheets", len(done.read.sheets), count=len(done.read.sheets)
        ),
        notes=n_("{count} note", "{count} notes", len(done.notes), count=len(done.notes)),
    )
    lost = len(done.lost)
    if done.written:
        if done.backup:
            line = _(
                "{file}: {counts} (in {notes}); the previous plan kept as {backup}",
                file=done.target,
                counts=counts,
                notes=NOTES_FILE,
                backup=done.backup.name,
            )
        elif into:
            line = _(
                "{file}: {counts} (in {notes})", file=done.target, counts=counts, notes=NOTES_FILE
            )
        else:
            line = _(
                "{file}: {counts} (in {notes}); fill in the lines marked CHECK",
                file=done.target,
                counts=counts,
                notes=NOTES_FILE,
            )
        print(line)
        return 0
    if lost and not accept_losses:
        print(
            n_(
                "{file}: not written: {count} cell could not be read (listed above under"
                " Lost); correct it in the workbook, or run again with --accept-losses to"
                " import without it",
                "{file}: not written: {count} cells could not be read (listed above under"
                " Lost); correct them in the workbook, or run again with --accept-losses to"
                " import without them",
                lost,
                file=done.target,
                count=lost,
            ),
            file=sys.stderr,
        )
        return 1
    print(_("{file}: not written (--dry-run): {counts}", file=done.target, counts=counts))
    return 0
