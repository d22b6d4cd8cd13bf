"""The plan's editions (เพิ่มเติม, เปลี่ยนแปลง, แก้ไข, ทบทวน): what each kind's process asks for,
checked at its line, and what an edition brought, found by comparing the plan with the plan it
amends (the archived version: the archive layer or the command line supplies it).

An edition's items are the projects and equipment rows whose `amendment` names it (added) or
whose `changed` names it (changed: the เดิม side is the same id in the base plan). Comparing
two Plan models lives here, below the pipeline, so that the documents can show an edition
without knowing where its base came from.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from saoreport.messages import _
from saoreport.plan import summary
from saoreport.plan.models import (
    PROCESS,
    Edition,
    Equipment,
    ItemChange,
    Plan,
    Project,
    edition_key,
)
from saoreport.thai import be_iso, from_be

Loc = tuple[str | int, ...]
BASE = re.compile(r"^\s*(?:([0-9]{4})\s*/\s*)?v([0-9]+)\s*$")
# The bodies of the process, in its order, and how a message names each.
BODIES = ("drafted", "committee", "forum", "council")


def body_name(field_name: str) -> str:
    names = {
        "drafted": _("the support committee's draft (drafted)"),
        "committee": _("the local development committee (committee)"),
        "forum": _("the local community forum (forum)"),
        "council": _("the council's meeting (council)"),
    }
    return names[field_name]


def asked(plan: Plan, edition: Edition) -> tuple[str, ...]:
    """The bodies *edition*'s clause asks for (the council only of an อบต.)."""
    return tuple(
        b for b in PROCESS[edition.rule] if b != "council" or plan.organization.type == "อบต."
    )


def base_version(text: str) -> tuple[int | None, int] | None:
    """ "v1" -> (None, 1); "2568/v2" -> (2568, 2); anything else None."""
    match = BASE.match(text)
    if not match:
        return None
    return (int(match.group(1)) if match.group(1) else None), int(match.group(2))


def _date_of(edition: Edition, body: str) -> dt.date | None:
    value = getattr(edition, body)
    if value is None:
        return None
    return from_be(value.date if body == "council" else value)


def problems(plan: Plan, folder: Path) -> Iterator[tuple[Loc, str]]:
    """Every problem of the plan's editions and of the items that name them."""
    counters: dict[tuple[str, int], int] = {}
    adopted = plan.plan.approval.date if plan.plan.approval else None
    for i, edition in enumerate(plan.editions):
        loc: Loc = ("editions", i)
        name = edition.name
        expected = counters.get((edition.kind, edition.year), 0) + 1
        if edition.number != expected:
            yield (
                (*loc, "number"),
                _(
                    "{edition}: the {kind} editions of {year} are numbered 1, 2, 3 … in order;"
                    " this one should be {expected}",
                    edition=name,
                    kind=edition.kind,
                    year=edition.year,
                    expected=expected,
                ),
            )
        counters[(edition.kind, edition.year)] = max(expected, edition.number)
        if edition.clause and edition.kind not in ("เพิ่มเติม", "เปลี่ยนแปลง"):
            yield (
                (*loc, "clause"),
                _(
                    "{edition}: clause 22/2 is for a เพิ่มเติม or a เปลี่ยนแปลง; a {kind} rests on"
                    " its own clause: remove clause",
                    edition=name,
                    kind=edition.kind,
                ),
            )
        for body in asked(plan, edition):
            if getattr(edition, body) is None:
                yield (
                    loc,
                    _(
                        "{edition}: a {kind} under clause {clause} is considered by {body}:"
                        " add its date",
                        edition=name,
                        kind=edition.kind,
                        clause=edition.rule,
                        body=body_name(body),
                    ),
                )
        if edition.approved is None:
            yield (
                loc,
                _(
                    "{edition} has no approval: add approved, the date the executive approved"
                    " it (its announcement cannot cite the plan's first approval)",
                    edition=name,
                ),
            )
        else:
            approved = from_be(edition.approved)
            for body in BODIES:
                when = _date_of(edition, body)
                if when is not None and when > approved:
                    where = (*loc, body, "date") if body == "council" else (*loc, body)
                    yield (
                        where,
                        _(
                            "{edition}: {date} is after its approval ({approved}): the bodies"
                            " consider an edition before the executive approves it",
                            edition=name,
                            date=be_iso(when),
                            approved=be_iso(approved),
                        ),
                    )
            if edition.announced is not None and from_be(edition.announced) < approved:
                yield (
                    (*loc, "announced"),
                    _(
                        "{edition}: announced {announced}, before its approval ({approved}):"
                        " an edition is announced on or after the day it is approved",
                        edition=name,
                        announced=be_iso(from_be(edition.announced)),
                        approved=be_iso(approved),
                    ),
                )
            if adopted is not None and approved < from_be(adopted):
                yield (
                    (*loc, "approved"),
                    _(
                        "{edition}: approved {approved}, before the plan itself ({adopted}):"
                        " an edition amends an adopted plan",
                        edition=name,
                        approved=be_iso(approved),
                        adopted=be_iso(from_be(adopted)),
                    ),
                )
        if edition.reasons is None:
            if edition.rule in ("22", "22/1", "17"):
                yield (
                    loc,
                    _(
                        "{edition}: a {kind} is drafted with its reasons (เหตุผลและความจำเป็น):"
                        " write them in a Markdown file beside plan.yaml and name it in reasons",
                        edition=name,
                        kind=edition.kind,
                    ),
                )
        else:
            path = (folder / edition.reasons).resolve()
            if not path.is_relative_to(folder.resolve()):
                yield (
                    (*loc, "reasons"),
                    _("{file} must be a file inside the plan folder", file=repr(edition.reasons)),
                )
            elif not path.is_file():
                yield (
                    (*loc, "reasons"),
                    _(
                        "the file {file} is not in {folder}: put it there, or correct the name",
                        file=repr(edition.reasons),
                        folder=folder,
                    ),
                )
            elif path.suffix.lower() != ".md":
                yield (
                    (*loc, "reasons"),
                    _(
                        "{file}: the reasons are a Markdown file (.md): rename it",
                        file=repr(edition.reasons),
                    ),
                )
        if edition.base is not None and base_version(edition.base) is None:
            yield (
                (*loc, "base"),
                _(
                    "{base} is not an archived version: write v1 (this fiscal year's first"
                    " version) or 2568/v1",
                    base=repr(edition.base),
                ),
            )
    if plan.editions and plan.plan.revision is not None:
        latest = plan.editions[-1]
        if edition_key(plan.plan.revision) != latest.key:
            yield (
                ("plan", "revision"),
                _(
                    "{revision} is not the latest edition ({latest}): remove revision (the"
                    " editions give it) or correct it",
                    revision=repr(plan.plan.revision),
                    latest=latest.name,
                ),
            )
    for p_i, project in enumerate(plan.projects):
        yield from _item_problems(plan, ("projects", p_i), project)
    for e_i, row in enumerate(plan.equipment):
        yield from _item_problems(plan, ("equipment", e_i), row)


def _known(plan: Plan) -> str:
    return ", ".join(e.name for e in plan.editions) or _("none")


def _item_problems(plan: Plan, loc: Loc, item: Project | Equipment) -> Iterator[tuple[Loc, str]]:
    if item.amendment is not None and plan.editions and plan.edition(item.amendment) is None:
        yield (
            (*loc, "amendment"),
            _(
                "no edition is named {name}: the editions are {known}; correct it, or add the"
                " edition to editions",
                name=repr(item.amendment),
                known=_known(plan),
            ),
        )
    for c_i, change in enumerate(item.changed):
        edition = plan.edition(change.edition)
        if edition is None:
            yield (
                (*loc, "changed", c_i, "edition"),
                _(
                    "no edition is named {name}: the editions are {known}; correct it, or add"
                    " the edition to editions",
                    name=repr(change.edition),
                    known=_known(plan),
                ),
            )
        elif edition.kind == "เพิ่มเติม":
            yield (
                (*loc, "changed", c_i, "edition"),
                _(
                    "{edition} adds items and changes none: name the เปลี่ยนแปลง or แก้ไข that"
                    " changed it",
                    edition=edition.name,
                ),
            )


def warnings(plan: Plan) -> Iterator[tuple[Loc, str]]:
    """Bodies an edition names that its clause does not ask for (kept, and printed)."""
    for i, edition in enumerate(plan.editions):
        wanted = PROCESS[edition.rule]
        for body in BODIES:
            if getattr(edition, body) is not None and body not in wanted:
                yield (
                    ("editions", i, body),
                    _(
                        "{edition}: clause {clause} does not ask for {body}; it is printed as"
                        " given",
                        edition=edition.name,
                        clause=edition.rule,
                        body=body_name(body),
                    ),
                )
    if not plan.editions and plan.plan.revision is not None:
        yield (
            ("plan", "revision"),
            _(
                "{revision} has no entry in editions: the announcement announces the plan as"
                " adopted; add the edition to editions to announce it and to make its book",
                revision=repr(plan.plan.revision),
            ),
        )


# What an edition brought -------------------------------------------------------------------


@dataclass
class Item:
    """A project or an equipment row an edition brought: added, or changed from *before*."""

    now: Project | Equipment
    before: Project | Equipment | None = None  # the same id in the base plan
    change: ItemChange | None = None  # the plan's record of the change (its reason)
    form: str = ""  # the original's form label, "แบบ ผ.02"
    number: int = 0  # the original's number in its table
    where: str = ""  # the original's table, "ยุทธศาสตร์ที่ 1 (1) แผนงานเคหะและชุมชน"
    fields: list[str] = field(default_factory=list)  # what changed: "name", "budget", …
    page: int | None = None  # the original's printed page in its book, found there (archive)

    @property
    def original_page(self) -> int | None:
        """The page the reference cites: as typed (changed[].page), else as found."""
        return self.change.page if self.change is not None and self.change.page else self.page


@dataclass
class EditionItems:
    edition: Edition
    added: list[Item]
    changed: list[Item]
    notes: list[str]  # differences from the base that the plan does not record

    @property
    def items(self) -> list[Project | Equipment]:
        return [i.now for i in self.added + self.changed]


COMPARED = {  # the fields a change shows, in the order of the forms' columns
    "project": ("name", "objective", "target", "budget", "kpi", "result", "unit"),
    "equipment": ("programme", "category", "type", "target", "budget", "unit"),
}


def _where(base: Plan, item: Project | Equipment) -> tuple[str, int, str]:
    """The form, number and table of *item* in *base*'s forms (as its book prints them)."""
    for form in summary.forms(base):
        if form.kind == "equipment":
            for entry in form.equipment:
                if entry.project is not None and entry.project.id == item.id:
                    return form.label, entry.number, ""
        for block in form.blocks if form.kind == "details" else []:
            for group in block.tactics:
                for programme in group.programmes:
                    for entry in programme.entries:
                        if entry.project is not None and entry.project.id == item.id:
                            tactic = f" กลยุทธ์ {block.number}.{group.number}" if group.tactic else ""
                            table = (
                                f"ยุทธศาสตร์ที่ {block.number}{tactic}"
                                f" ({programme.number}) {programme.name}"
                            )
                            return form.label, entry.number, table
    return "", 0, ""


def items(plan: Plan, edition: Edition, base: Plan | None) -> EditionItems:
    """What *edition* brought: the items that name it, each changed one with its เดิม side
    from *base* (the plan it amends; None: no base, the changes have no เดิม side)."""
    added: list[Item] = []
    changed: list[Item] = []
    notes: list[str] = []
    for kind, now_items, base_items in (
        ("project", plan.projects, base.projects if base else []),
        ("equipment", plan.equipment, base.equipment if base else []),
    ):
        before_by_id: dict[str, Project | Equipment] = {b.id: b for b in base_items}
        for item in now_items:
            before = before_by_id.get(item.id)
            change = next((c for c in item.changed if edition_key(c.edition) == edition.key), None)
            fields = [f for f in COMPARED[kind] if before and _value(before, f) != _value(item, f)]
            if change is not None:
                where = _where(base, before) if base and before else ("", 0, "")
                changed.append(Item(item, before, change, *where, fields))
                if base is not None and before is None:
                    notes.append(
                        _(
                            "{name}: {edition} changes it, but the archived plan it amends has"
                            " no item {id}: check the id, or record it as added (amendment)",
                            name=_name(item),
                            edition=edition.name,
                            id=repr(item.id),
                        )
                    )
                elif base is not None and not fields:
                    notes.append(
                        _(
                            "{name}: {edition} changes it, but it is the same as in the"
                            " archived plan it amends",
                            name=_name(item),
                            edition=edition.name,
                        )
                    )
            elif item.amendment and edition_key(item.amendment) == edition.key:
                added.append(Item(item))
                if base is not None and before is not None:
                    notes.append(
                        _(
                            "{name}: {edition} adds it, but the archived plan it amends has it"
                            " already (id {id})",
                            name=_name(item),
                            edition=edition.name,
                            id=repr(item.id),
                        )
                    )
            elif (
                base is not None and before is not None and fields and edition is plan.editions[-1]
            ):
                notes.append(
                    _(
                        "{name} differs from the archived plan ({fields}) but names no edition"
                        " that changed it: add changed with {edition} and the reason",
                        name=_name(item),
                        fields=", ".join(fields),
                        edition=edition.name,
                    )
                )
            elif (
                base is not None
                and before is None
                and edition is plan.editions[-1]
                and item.amendment is None
            ):
                notes.append(
                    _(
                        "{name} is not in the archived plan but names no edition that"
                        " added it: add amendment: {edition}",
                        name=_name(item),
                        edition=edition.name,
                    )
                )
    return EditionItems(edition, added, changed, notes)


def _name(item: Project | Equipment) -> str:
    return repr(item.name if isinstance(item, Project) else item.type)


def _value(item: Project | Equipment, name: str) -> object:
    return getattr(item, name)


def edition_plan(plan: Plan, found: EditionItems) -> Plan:
    """*plan* with only the edition's items (their new side), each without its amendment
    marker: the forms of the edition's book, made by the forms of the whole plan."""
    ids = {id(i) for i in found.items}
    projects = [p.model_copy(update={"amendment": None}) for p in plan.projects if id(p) in ids]
    equipment = [e.model_copy(update={"amendment": None}) for e in plan.equipment if id(e) in ids]
    return plan.model_copy(update={"projects": projects, "equipment": equipment})


def earlier(plan: Plan, edition: Edition) -> list[Edition]:
    """The editions before *edition*, in the plan's order."""
    index = next(i for i, e in enumerate(plan.editions) if e is edition)
    return plan.editions[:index]
