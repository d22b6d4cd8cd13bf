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
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString

from saoreport import thai
from saoreport.errors import PlanInvalid, SaoError
from saoreport.excel import forms
from saoreport.excel.read import Item, Note, Read, StrategyRead, read_workbook
from saoreport.output import write_atomic
from saoreport.plan.models import Plan, org_type
from saoreport.plan.validate import Checked, check

PLACEHOLDER = "-"


@dataclass
class Imported:
    target: Path
    read: Read
    checked: Checked

    @property
    def notes(self) -> list[Note]:
        return self.read.notes


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


def _block(nodes: Written) -> str:
    """The list under `projects:` or `equipment:`, written directly: ruamel.yaml's emitter
    takes seconds for a city's 1,200 projects, this a few hundredths."""
    if not nodes:
        return " []"
    lines = []
    for node, _ in nodes:
        for i, (key, value) in enumerate(node.items()):
            if isinstance(value, dict):
                text = "{" + ", ".join(f"{y}: {b}" for y, b in value.items()) + "}"
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
    return ids


def _filled(read: Read, item: Item, key: str) -> str:
    value = item.texts.get(key, "")
    if value:
        return value
    read.notes.append(Note(item.where, f"no {key} given; written as {PLACEHOLDER!r} (CHECK)"))
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
                why = f"also at {seen[item.id]}" if item.id in seen else "not an id"
                where = item.cells.get("id", item.where)
                message = f"id {item.id!r} ({why}) in the id column: given the new id {given}"
                read.notes.append(Note(where, message))
        final.append(given)
    return final


Written = list[tuple[CommentedMap, Item]]


def _ordered(nodes: Written, order: list[str]) -> Written:
    """Items the plan had, in the plan's order; new ones after them, in the workbook's order."""
    rank = {pid: i for i, pid in enumerate(order)}
    keyed = sorted(enumerate(nodes), key=lambda t: (rank.get(t[1][0]["id"], len(rank)), t[0]))
    return [pair for _, pair in keyed]


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
                    Note(item.where, f"strategy {strategy!r} is not one of the plan's; left out")
                )
            else:
                node["strategy"] = sid
        node["programme"] = _filled(read, item, "programme")
        if item.texts.get("category"):
            node["category"] = item.texts["category"]
        else:
            read.notes.append(Note(item.where, "no หมวด given; written as ค่าครุภัณฑ์ (CHECK)"))
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


def import_workbook(
    source: Path,
    slug: str,
    out: Path,
    today: dt.date,
    into: Path | None = None,
    force: bool = False,
    accept_losses: bool = False,
) -> Imported:
    """Write *out*/*slug*/plan.yaml (or *into*/plan.yaml) from the workbook *source*; with
    a cell that could not be read (a note marked lost), nothing unless *accept_losses*."""
    read = read_workbook(source)
    if not read.projects and not read.equipment and not read.strategies:
        raise SaoError(f"{source}: found no ผ.01, ผ.02 or ผ.03 sheet with anything to import")
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
                    f"the workbook's period {first}-{last} differs from the plan's"
                    f" {existing.plan.period.first}-{existing.plan.period.last}; the plan's kept",
                )
            )
    else:
        target = out / slug / "plan.yaml"
        if target.exists() and not force:
            raise SaoError(f"{target} exists; use --force to replace it, or --into to merge")
        data = _new_plan(read, source, today)
    ids = _strategies(read, existing, data)
    blocks: dict[str, str] = {}
    placed = [p for p in read.projects if p.strategy in ids.strategy]
    read.projects = placed
    written: dict[str, Written] = {}
    if read.projects or "ผ.02" in read.sheets.values():
        order = [p.id for p in existing.projects] if existing else []
        written["projects"] = _projects(read, ids, order)
    if read.equipment or "ผ.03" in read.sheets.values():
        order = [e.id for e in existing.equipment] if existing else []
        written["equipment"] = _equipment(read, ids, order)
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
    lost = [note for note in read.notes if note.lost]
    if lost and not accept_losses:
        raise LossesRefused(read, lost)
    if read.notes and into is None:
        text += "\n# Not imported, or imported with a question (FILE:SHEET!CELL: why):\n"
        text += "".join(f"#   {' '.join(str(n).split())}\n" for n in read.notes)
    return Imported(target, read, _write_checked(target, text, written))


class LossesRefused(SaoError):
    """Cells that could not be read: the plan would lose them, and is not written."""

    def __init__(self, read: Read, lost: list[Note]) -> None:
        self.read = read
        cells = "a cell" if len(lost) == 1 else f"{len(lost)} cells"
        super().__init__(
            "\n".join(str(note) for note in lost)
            + f"\n{read.file}: nothing written: {cells} could not be read (above). Correct"
            " them in the workbook and import again, or import without them: --accept-losses"
        )


_PATH = re.compile(r"^(projects|equipment)\[(\d+)\](?:\.(\w+))?(?:\[(\d+)\])?")


def _write_checked(target: Path, text: str, written: dict[str, Written]) -> Checked:
    """Validate the plan before it replaces anything; a problem in an imported project is
    reported at the workbook's cell as well as the plan's path."""
    trial = target.with_name(f".{target.name}.import")
    write_atomic(trial, text.encode("utf-8"))
    try:
        checked = check(trial)
    except PlanInvalid as exc:
        trial.unlink(missing_ok=True)
        lines = []
        for problem in exc.problems:
            found = _PATH.match(problem.path)
            where = f"{target} (not written)"
            if found and int(found.group(2)) < len(written.get(found.group(1), [])):
                item = written[found.group(1)][int(found.group(2))][1]
                where = item.cells.get(found.group(4) or found.group(3) or "", item.where)
            lines.append(f"{where}: {problem.path}: {problem.message}")
        raise SaoError("\n".join(lines)) from None
    except BaseException:
        trial.unlink(missing_ok=True)
        raise
    os.replace(trial, target)
    warnings = [dataclasses.replace(w, file=target) for w in checked.warnings]
    return dataclasses.replace(checked, file=target, warnings=warnings)


def import_and_report(
    source: Path,
    slug: str,
    out: Path,
    into: Path | None,
    force: bool = False,
    accept_losses: bool = False,
) -> int:
    """`saoreport import WORKBOOK`: write the plan, print every note, then what was imported;
    cells that could not be read: exit 1 and nothing written, unless *accept_losses*."""
    import sys

    try:
        done = import_workbook(source, slug, out, dt.date.today(), into, force, accept_losses)
    except LossesRefused as exc:
        for note in exc.read.notes:
            if not note.lost:
                print(note, file=sys.stderr)
        raise
    for note in done.notes:
        print(note, file=sys.stderr)
    for warning in done.checked.warnings:
        print(warning, file=sys.stderr)
    plan = done.checked.plan
    print(
        f"{done.target}: {len(plan.strategies)} strategies, {len(plan.projects)} projects,"
        f" {len(plan.equipment)} equipment rows from {len(done.read.sheets)} sheets;"
        f" {len(done.notes)} notes" + ("" if into else "; fill in the lines marked CHECK")
    )
    return 0
