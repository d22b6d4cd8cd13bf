"""The plan in forms: the overview, one form per part of plan.yaml (organisation, plan and
approvals, settings, vision with missions and goals) and one per row (strategies, their
tactics and indicators, projects, equipment), with the rows' tables (add, move, delete).

Every save: the form's hash of plan.yaml must be the file's (else the form is stale and
nothing is written); only the fields whose value changed are written, each over its own
characters (yamltext), to a trial file beside plan.yaml that is validated before it
replaces the plan (atomically). A problem in a field the save changed keeps the save from
being written and shows beside that field; problems elsewhere are listed.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route, Router

from saoreport.errors import PlanInvalid, Problem, SaoError
from saoreport.messages import _
from saoreport.output import PLAN_FILE, write_atomic
from saoreport.plan.loader import dotted
from saoreport.plan.narrative import FILES
from saoreport.thai import arabic_digits
from saoreport.web import yamltext
from saoreport.web.app_config import config_of
from saoreport.web.pages import page
from saoreport.web.paths import NotFound, Refused, plan_folder
from saoreport.web.work import in_thread, plan_lock

Loc = tuple[str | int, ...]
IMAGES = "images"  # the plan folder's images (web/narrative.py uploads them there)


def whole(text: str) -> int | None:
    """'2567', '๒๕๖๗' -> 2567; anything else None."""
    plain = arabic_digits(text.strip())
    return int(plain) if plain.isascii() and plain.isdigit() else None


# What each form holds -------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    key: str  # dotted, relative to the form's place: "executive.title"
    label: str
    kind: str = "text"  # text, long, choice, years (a value per plan year), numbers, list
    choices: tuple[tuple[str, str], ...] = ()
    text: bool = True  # a value that stays text where it spells a number (a name)
    required: bool = False

    def loc(self, base: Loc) -> Loc:
        return (*base, *self.key.split("."))


def _choices(*values: str) -> tuple[tuple[str, str], ...]:
    return tuple((v, v) for v in values)


def section_fields(section: str) -> tuple[str, Loc, list[Field]]:
    """The title, place and fields of a part of plan.yaml."""
    if section == "organization":
        return (
            _("Organisation"),
            ("organization",),
            [
                Field("name", _("Legal name"), required=True),
                Field("short_name", _("Short name"), required=True),
                Field(
                    "type",
                    _("Type"),
                    "choice",
                    _choices("อบต.", "เทศบาลตำบล", "เทศบาลเมือง", "เทศบาลนคร", "อบจ."),
                ),
                Field("district", _("District"), required=True),
                Field("province", _("Province"), required=True),
                Field("address", _("Address")),
                Field("website", _("Web site")),
                Field("logo", _("Logo (a file in the plan folder)")),
                Field("emblem", _("Garuda emblem (a file in the plan folder)")),
                Field("executive.title", _("Title of the chief executive"), required=True),
                Field("executive.name", _("Name of the chief executive")),
            ],
        )
    if section == "plan":
        return (
            _("Plan and approvals"),
            ("plan",),
            [
                Field("title", _("Title of the plan")),
                Field("period.first", _("First year of the plan"), text=False, required=True),
                Field("period.last", _("Last year of the plan"), text=False, required=True),
                Field("fiscal_year", _("Fiscal year of this edition"), text=False, required=True),
                Field("revision", _("Revision (such as เพิ่มเติม ครั้งที่ 1/2568)")),
                Field("prepared_by", _("Prepared by (the office)")),
                Field("approval.session", _("Council session of the approval")),
                Field("approval.meeting", _("Meeting of the approval")),
                Field("approval.date", _("Date of the approval"), text=False),
                Field("announced", _("Date of the announcement"), text=False),
            ],
        )
    if section == "settings":
        return (
            _("Settings"),
            ("settings",),
            [
                Field("digits", _("Digits"), "choice", _choices("thai", "arabic")),
                Field(
                    "money_digits",
                    _("Digits of the money columns"),
                    "choice",
                    _choices("", "thai", "arabic"),
                ),
                Field(
                    "bind_announcement",
                    _("Bind the announcement into the strategy document"),
                    "choice",
                    _choices("", "true", "false"),
                    text=False,
                ),
            ],
        )
    if section == "vision":
        return (
            _("Vision, missions and goals"),
            (),
            [
                Field("vision", _("Vision"), "long", required=True),
                Field("missions", _("Missions"), "list"),
                Field(
                    "goals_label",
                    _("Goals are called"),
                    "choice",
                    _choices("", "เป้าหมาย", "เป้าประสงค์"),
                ),
                Field("goals", _("Goals"), "list"),
            ],
        )
    raise NotFound(_("there is no such page: go back to the list of SAOs"))


SECTIONS = ("organization", "plan", "vision", "settings")
ROWS = ("strategies", "tactics", "indicators", "projects", "equipment", "editions")
EDITION_KINDS = ("เพิ่มเติม", "เปลี่ยนแปลง", "แก้ไข", "ทบทวน")
LINKS = (
    ("national", "ก. ยุทธศาสตร์ชาติ ๒๐ ปี"),
    ("master_plan", "ข. แผนแม่บทภายใต้ยุทธศาสตร์ชาติ"),
    ("nesdp", "ค. แผนพัฒนาเศรษฐกิจและสังคมแห่งชาติ ฉบับที่ ๑๓"),
    ("province", "ง. ยุทธศาสตร์จังหวัด"),
    ("local", "จ. ยุทธศาสตร์การพัฒนาขององค์กรปกครองส่วนท้องถิ่นในเขตจังหวัด"),
)


def edition_names(data: dict[str, Any]) -> list[str]:
    """The names of the plan's editions (เพิ่มเติม ครั้งที่ 1/2568), in the file's order."""
    names = []
    for e in data.get("editions") or []:
        if isinstance(e, dict) and e.get("kind") and e.get("number") and e.get("year"):
            names.append(f"{e['kind']} ครั้งที่ {e['number']}/{e['year']}")
    return names


def amendment_field(data: dict[str, Any]) -> Field:
    """The edition that added a project or an equipment row: a choice of the plan's editions
    (typed, as before, when the plan has none)."""
    label = _("Added by the amendment (such as เพิ่มเติม ครั้งที่ 1/2568)")
    names = edition_names(data)
    if not names:
        return Field("amendment", label)
    return Field("amendment", label, "choice", (("", _("(none)")), *((n, n) for n in names)))


def row_fields(kind: str, data: dict[str, Any]) -> list[Field]:
    strategies = [s for s in data.get("strategies") or [] if isinstance(s, dict)]
    strategy_choices = tuple(
        (str(s.get("id", "")), f"{s.get('id', '')} {s.get('name', '')}") for s in strategies
    )
    tactic_choices = (("", _("(none)")),) + tuple(
        (str(t.get("id", "")), f"{t.get('id', '')} {t.get('name', '')}")
        for s in strategies
        for t in s.get("tactics") or []
        if isinstance(t, dict)
    )
    if kind == "strategies":
        return [
            Field("id", _("Id"), required=True),
            Field("name", _("Name of the strategy"), "long", required=True),
            *(Field(f"links.{key}", label, "long") for key, label in LINKS),
            Field("goals", _("Goals it serves (numbers, such as 1, 2)"), "numbers", text=False),
            Field(
                "missions", _("Missions it serves (numbers, such as 1, 2)"), "numbers", text=False
            ),
        ]
    if kind == "tactics":
        return [
            Field("id", _("Id"), required=True),
            Field("name", _("Name of the tactic"), "long", required=True),
        ]
    if kind == "indicators":
        return [
            Field("name", _("Indicator"), required=True),
            Field("unit", _("Unit"), required=True),
            Field("targets", _("Target"), "years", text=False),
        ]
    if kind == "projects":
        return [
            Field("id", _("Id"), required=True),
            Field("strategy", _("Strategy"), "choice", strategy_choices),
            Field("tactic", _("Tactic"), "choice", tactic_choices),
            Field("programme", _("Programme (แผนงาน)"), required=True),
            Field("name", _("Name of the project"), required=True),
            Field("objective", _("Objective"), "long", required=True),
            Field("target", _("Target (output of the project)"), "long", required=True),
            Field("budget", _("Budget (baht)"), "years", text=False),
            Field("kpi", _("Indicator (KPI)"), "long", required=True),
            Field("result", _("Expected result"), "long", required=True),
            Field("unit", _("Responsible unit"), required=True),
            Field(
                "kind",
                _("Form"),
                "choice",
                (("", "ผ.02"), ("community", "ผ.02/1"), ("coordination", "ผ.02/2")),
            ),
            amendment_field(data),
        ]
    if kind == "equipment":
        return [
            Field("id", _("Id"), required=True),
            Field("strategy", _("Strategy"), "choice", (("", _("(none)")), *strategy_choices)),
            Field("programme", _("Programme (แผนงาน)"), required=True),
            Field("category", _("Category (หมวด)")),
            Field("type", _("Type (ประเภท)"), required=True),
            Field("target", _("Target"), "long", required=True),
            Field("budget", _("Budget (baht)"), "years", text=False),
            Field("unit", _("Responsible unit"), required=True),
            amendment_field(data),
        ]
    if kind == "editions":  # amendments and reviews (plan.models.Edition, issue 28)
        return [
            Field("kind", _("Kind of edition"), "choice", _choices(*EDITION_KINDS)),
            Field("number", _("Number (ครั้งที่)"), text=False, required=True),
            Field("year", _("Year of its name (พ.ศ.)"), text=False, required=True),
            Field("clause", _("Clause"), "choice", (("", "–"), ("22/2", "22/2"))),
            Field("base", _("Archived version it amends (such as v1 or 2568/v1)")),
            Field("reasons", _("Reasons (a Markdown file in the plan folder)")),
            Field("drafted", _("Drafted by the support committee on"), text=False),
            Field("committee", _("Considered by the development committee on"), text=False),
            Field("forum", _("Considered by the community forum on"), text=False),
            Field("council.session", _("Council session")),
            Field("council.meeting", _("Council meeting")),
            Field("council.date", _("Council date"), text=False),
            Field("approved", _("Approved by the executive on"), text=False),
            Field("announced", _("Announced on"), text=False),
        ]
    raise NotFound(_("there is no such page: go back to the list of SAOs"))


def kind_title(kind: str) -> str:
    return {
        "strategies": _("Strategies"),
        "tactics": _("Tactics"),
        "indicators": _("Indicators"),
        "projects": _("Projects"),
        "equipment": _("Equipment"),
        "editions": _("Editions"),
    }[kind]


# The file, as each request reads it -----------------------------------------------------------


@dataclass
class Source:
    folder: Path
    text: str
    root: Any  # the composed node tree
    data: dict[str, Any]  # every value as written

    @property
    def hash(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @property
    def years(self) -> list[int]:
        period = (
            self.data.get("plan", {}).get("period")
            if isinstance(self.data.get("plan"), dict)
            else None
        )
        if isinstance(period, dict):
            first, last = (
                whole(str(period.get("first"))),
                whole(str(period.get("last"))),
            )
            if isinstance(first, int) and isinstance(last, int) and 0 <= last - first <= 10:
                return list(range(first, last + 1))
        return []


def read_source(folder: Path) -> Source:
    from saoreport.plan import loader

    text = loader.read_text(folder / PLAN_FILE)
    try:
        root = yamltext.compose(text)
    except Exception:
        raise SaoError(
            _(
                "{file}: the file is not readable YAML: correct it in a text editor (saoreport"
                " validate names the line)",
                file=folder / PLAN_FILE,
            )
        ) from None
    data = yamltext.plain(root)
    return Source(folder, text, root, data if isinstance(data, dict) else {})


def _signature(folder: Path) -> tuple[tuple[str, int, int, int], ...]:
    """What validation reads, as the file system dates it: every file of the plan folder,
    parts/ and images/ (name, size, time, inode). A change made by any program changes it."""
    found = []
    for where in (folder, folder / "parts", folder / IMAGES):
        try:
            entries = list(os.scandir(where))
        except OSError:
            continue
        for entry in entries:
            try:
                st = entry.stat()
            except OSError:
                continue
            found.append((entry.path, st.st_size, st.st_mtime_ns, st.st_ino))
    return tuple(sorted(found))


# Validation's result per plan folder, kept only while no file of the folder changed: the page
# shown after a save (or the list of SAOs) does not validate a 1,000-project plan again.
_CHECKED: dict[Path, tuple[object, tuple[list[Problem], list[Problem]]]] = {}


def fresh(source: Source) -> Source:
    """*source* if plan.yaml still holds its text, else the file read again."""
    from saoreport.plan import loader

    if loader.read_text(source.folder / PLAN_FILE) == source.text:
        return source
    return read_source(source.folder)


def problems_of(folder: Path, file: Path | None = None) -> tuple[list[Problem], list[Problem]]:
    """(problems, warnings) of the plan in *folder* (or of the trial *file* in it)."""
    from saoreport.plan.validate import check

    key = folder.resolve()
    signature = _signature(folder) if file is None else None
    if signature is not None and key in _CHECKED and _CHECKED[key][0] == signature:
        return _CHECKED[key][1]
    try:
        checked = check(file or folder)
        result: tuple[list[Problem], list[Problem]] = ([], list(checked.warnings))
    except PlanInvalid as exc:
        result = (list(exc.problems), [])
    if signature is not None:
        _CHECKED[key] = (signature, result)
    return result


def remember(folder: Path, problems: list[Problem], warnings: list[Problem]) -> None:
    """Validation's result for the folder as it is now (just written and validated)."""
    _CHECKED[folder.resolve()] = (_signature(folder), (problems, warnings))


def value_at(data: Any, loc: Loc) -> Any:
    for key in loc:
        if isinstance(data, dict):
            found = next((v for k, v in data.items() if k == str(key)), None)
            data = found
        elif isinstance(data, list) and isinstance(key, int) and 0 <= key < len(data):
            data = data[key]
        else:
            return None
    return data


def field_id(name: str) -> str:
    return "f-" + re.sub(r"[^A-Za-z0-9_-]", "_", name)


def page_of(path: str, file: Path | None = None) -> str:
    """The page of the workspace where the problem at *path* (plan.yaml's keys) is edited."""
    if not path and file is not None:
        for key, name in FILES.items():
            if file.as_posix().endswith(name):
                return f"text/{key}"
        return ""
    head = re.match(r"^(\w+)(?:\[(\d+)\](?:\.(tactics|indicators)\[(\d+)\])?)?", path)
    if head is None:
        return ""
    key = head.group(1)
    if key in ("organization", "plan", "settings"):
        return f"edit/{key}"
    if key in ("vision", "missions", "goals", "goals_label"):
        return "edit/vision"
    if key in ("strategies", "projects", "equipment") and head.group(2) is not None:
        where = f"{key}.{head.group(2)}"
        if head.group(3):
            where += f".{head.group(3)}.{head.group(4)}"
        return f"row/{where}"
    return ""


# Fields as a page shows them ------------------------------------------------------------------


@dataclass
class Shown:
    name: str  # the form field's name: plan.yaml's keys, dotted (projects[3].budget[2567])
    id: str
    label: str
    kind: str
    value: str
    choices: tuple[tuple[str, str], ...] = ()
    required: bool = False
    problems: list[str] = field(default_factory=list)
    parts: list[Shown] = field(default_factory=list)  # a value per year, or per list item


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


def shown_fields(
    fields: list[Field],
    base: Loc,
    source: Source,
    problems: list[Problem],
    submitted: FormData | None = None,
) -> list[Shown]:
    at: dict[str, list[str]] = {}
    for problem in problems:
        at.setdefault(problem.path, []).append(problem.message)

    def value(name: str, current: Any) -> str:
        if submitted is not None and name in submitted:
            given = submitted.get(name)
            return given if isinstance(given, str) else ""
        return _text(current)

    out = []
    for spec in fields:
        loc = spec.loc(base)
        name = dotted(loc)
        current = value_at(source.data, loc)
        mine = [m for path, ms in at.items() if path == name for m in ms]
        shown = Shown(
            name, field_id(name), spec.label, spec.kind, "", spec.choices, spec.required, mine
        )
        if spec.kind == "years":
            years = list(source.years)
            have = current if isinstance(current, dict) else {}
            for key in have:
                number = whole(str(key))
                if isinstance(number, int) and number not in years:
                    years.append(number)
            for year in years:
                written = next((v for k, v in have.items() if whole(str(k)) == year), None)
                part = dotted((*loc, year))
                shown.parts.append(
                    Shown(
                        part,
                        field_id(part),
                        str(year),
                        "text",
                        value(part, written),
                        problems=at.get(part, []),
                    )
                )
            shown.problems += [
                m
                for path, ms in at.items()
                if path.startswith(name + "[") and path not in {p.name for p in shown.parts}
                for m in ms
            ]
        elif spec.kind == "list":
            items = current if isinstance(current, list) else []
            for i, item in enumerate(items):
                part = dotted((*loc, i))
                shown.parts.append(
                    Shown(
                        part,
                        field_id(part),
                        f"{spec.label} {i + 1}",
                        "long",
                        value(part, item),
                        problems=at.get(part, []),
                    )
                )
            part = f"{name}[new]"
            label = _("{list}: a new item", list=spec.label)
            shown.parts.append(Shown(part, field_id(part), label, "long", value(part, "")))
        else:
            shown.value = value(name, current)
            shown.problems += [
                m for path, ms in at.items() if path.startswith(name + "[") for m in ms
            ]
        out.append(shown)
    return out


# Saving ---------------------------------------------------------------------------------------


class Stale(SaoError):
    status = 409


def _numbers(text: str) -> list[int | str]:
    out: list[int | str] = []
    for piece in re.split(r"[,\s]+", text.strip()):
        if piece:
            number = whole(piece)
            out.append(number if isinstance(number, int) else piece)
    return out


def changes(
    fields: list[Field], base: Loc, source: Source, form: FormData
) -> tuple[yamltext.Edits, list[str]]:
    """The edits the *form* makes to *source*, and the names of the fields changed."""
    edits = yamltext.Edits(source.text, source.root)
    changed: list[str] = []

    def given(name: str) -> str | None:
        value = form.get(name)
        return value.replace("\r\n", "\n").strip() if isinstance(value, str) else None

    for spec in fields:
        loc = spec.loc(base)
        name = dotted(loc)
        current = value_at(source.data, loc)
        if spec.kind == "years":
            have = current if isinstance(current, dict) else {}
            years = {whole(str(k)): k for k in have}
            for year in [
                *source.years,
                *(y for y in years if isinstance(y, int) and y not in source.years),
            ]:
                part = dotted((*loc, year))
                new = given(part)
                if new is None:
                    continue
                old = have.get(years.get(year), None) if year in years else None
                if new != _text(old).strip():
                    edits.set((*loc, year), new.replace(",", ""), text=False)
                    changed.append(part)
        elif spec.kind == "list":
            items = current if isinstance(current, list) else []
            removed = []
            for i, item in enumerate(items):
                part = dotted((*loc, i))
                new = given(part)
                if new is None or new == _text(item).strip():
                    continue
                if new == "":
                    removed.append(i)
                else:
                    edits.set((*loc, i), new, text=True)
                changed.append(part)
            for i in removed:
                edits.set((*loc, i), None)
            new = given(f"{name}[new]")
            if new:
                if items:
                    edits.set((*loc, len(items)), new, text=True)
                else:
                    edits.set_flow(loc, [new])
                changed.append(name)
        elif spec.kind == "numbers":
            new = given(name)
            if new is None or new == _text(current).strip():
                continue
            if new:
                edits.set_flow(loc, _numbers(new))
            else:
                edits.set(loc, None)
            changed.append(name)
        else:
            new = given(name)
            if new is None or new == _text(current).strip():
                continue
            if spec.kind == "choice" and new not in {value for value, _label in spec.choices}:
                raise Refused(_("{value} is not one of the choices", value=repr(new)))
            edits.set(loc, new, text=spec.text)
            changed.append(name)
    return edits, changed


@dataclass
class Saved:
    written: bool
    problems: list[Problem]  # of the plan as saved (or as it would have been)
    blocking: list[Problem]  # those in the fields the save changed: nothing was written


def _under(path: str, names: list[str]) -> bool:
    return any(path == n or path.startswith((n + "[", n + ".")) for n in names)


def save_text(
    folder: Path, new_text: str, changed: list[str], page: list[str] | None = None
) -> Saved:
    """Validate *new_text* beside plan.yaml; write it (atomically) unless a field of *changed*
    has a problem, or a field of the *page* one it did not have before (a council date typed
    without its session)."""
    target = folder / PLAN_FILE
    trial = folder / f".{PLAN_FILE}.web"
    before = {(p.path, p.message) for p in problems_of(folder)[0]}
    write_atomic(trial, new_text.encode("utf-8"))
    try:
        problems, warnings = problems_of(folder, trial)
        problems = [replace(p, file=target) if p.file == trial else p for p in problems]
        blocking = [
            p
            for p in problems
            if _under(p.path, changed)
            or (_under(p.path, page or []) and (p.path, p.message) not in before)
        ]
        if blocking:
            return Saved(False, problems, blocking)
        os.replace(trial, target)
        remember(folder, problems, [replace(w, file=target) for w in warnings])
        return Saved(True, problems, [])
    finally:
        trial.unlink(missing_ok=True)


def check_fresh(source: Source, form: FormData) -> None:
    if form.get("hash") != source.hash:
        raise Stale(
            _(
                "Not saved: plan.yaml was changed since this page was opened (in another window"
                " or a text editor). Your changes are kept below: reload the page to see the file"
                " as it is now, then make them again."
            )
        )


# Pages ----------------------------------------------------------------------------------------


def _folder(request: Request) -> Path:
    return plan_folder(config_of(request).plans, request.path_params["slug"])


def _title(source: Source) -> str:
    org = source.data.get("organization")
    return str(org.get("name")) if isinstance(org, dict) and org.get("name") else source.folder.name


def overview(request: Request, form: FormData | None) -> Response:
    folder = _folder(request)
    problems, warnings = problems_of(folder)
    try:
        data = read_source(folder).data
    except SaoError:  # not YAML: the problems say where; the forms wait for a text editor
        data = {}
    org = data.get("organization")
    title = str(org.get("name")) if isinstance(org, dict) and org.get("name") else folder.name
    rows = {
        kind: len(data.get(kind) or []) if isinstance(data.get(kind), list) else 0
        for kind in ("strategies", "projects", "equipment", "editions")
    }
    parts = {key: (folder / name).is_file() for key, name in FILES.items()}
    listed = [(p, page_of(p.path, p.file)) for p in [*problems, *warnings]]
    return page(
        request,
        "plan.html",
        title=title,
        slug=folder.name,
        org=title,
        rows=rows,
        parts=parts,
        problems=problems,
        listed=listed,
        kind_title=kind_title,
    )


def _render_form(
    request: Request,
    *,
    folder: Path,
    source: Source,
    heading: str,
    fields: list[Shown],
    action: str,
    status: int = 200,
    message: str = "",
    problems: list[Problem] | None = None,
    saved: bool = False,
    extra: dict[str, Any] | None = None,
) -> Response:
    if problems is None:
        problems, _warnings = problems_of(folder)
    on_page = {s.name for s in fields} | {p.name for s in fields for p in s.parts}
    others = [(p, page_of(p.path, p.file)) for p in problems if p.path not in on_page]
    return page(
        request,
        "form.html",
        status=status,
        title=heading,
        heading=heading,
        slug=folder.name,
        org=_title(source),
        fields=fields,
        action=action,
        hash=source.hash,
        message=message,
        saved=saved,
        others=others,
        **(extra or {}),
    )


def section(request: Request, form: FormData | None) -> Response:
    folder = _folder(request)
    name = request.path_params["section"]
    heading, base, specs = section_fields(name)
    source = read_source(folder)
    if request.method == "GET":
        problems, _w = problems_of(folder)
        fields = shown_fields(specs, base, source, problems)
        return _render_form(
            request,
            folder=folder,
            source=source,
            heading=heading,
            fields=fields,
            action=f"/plan/{folder.name}/edit/{name}",
            problems=problems,
            saved=request.query_params.get("saved") == "1",
        )
    assert form is not None
    action = f"/plan/{folder.name}/edit/{name}"
    return _save(request, form, source, heading, specs, base, action)


def _save(
    request: Request,
    form: FormData,
    source: Source,
    heading: str,
    specs: list[Field],
    base: Loc,
    action: str,
    extra: dict[str, Any] | None = None,
) -> Response:
    folder = source.folder
    with plan_lock(folder):
        source = fresh(source)
        try:
            check_fresh(source, form)
        except Stale as exc:
            problems, _w = problems_of(folder)
            fields = shown_fields(specs, base, source, problems, form)
            return _render_form(
                request,
                folder=folder,
                source=source,
                heading=heading,
                fields=fields,
                action=action,
                status=409,
                message=str(exc),
                problems=problems,
                extra=extra,
            )
        edits, changed = changes(specs, base, source, form)
        new_text = edits.apply()
        if new_text == source.text:
            return RedirectResponse(f"{action}?saved=1", status_code=303)
        saved = save_text(folder, new_text, changed, [dotted(f.loc(base)) for f in specs])
    if not saved.written:
        fields = shown_fields(specs, base, source, saved.blocking, form)
        return _render_form(
            request,
            folder=folder,
            source=source,
            heading=heading,
            fields=fields,
            action=action,
            status=422,
            message=_("Not saved: correct the fields marked below, then save again."),
            problems=saved.problems,
            extra=extra,
        )
    return RedirectResponse(f"{action}?saved=1", status_code=303)


# Rows: strategies (with their tactics and indicators), projects, equipment --------------------


def parse_where(where: str) -> Loc:
    """'projects.3' -> ('projects', 3); 'strategies.0.tactics.1' -> (…, 'tactics', 1);
    without the last number: the list itself."""
    parts = where.split(".")
    loc: list[str | int] = []
    for i, part in enumerate(parts):
        if i % 2 == 0:
            if part not in ROWS:
                raise NotFound(_("there is no such page: go back to the list of SAOs"))
            loc.append(part)
        else:
            if not part.isdigit() or len(part) > 6:
                raise NotFound(_("there is no such page: go back to the list of SAOs"))
            loc.append(int(part))
    kinds = [k for k in loc if isinstance(k, str)]
    allowed = (
        ["strategies"],
        ["projects"],
        ["equipment"],
        ["strategies", "tactics"],
        ["strategies", "indicators"],
        ["editions"],
    )
    if kinds not in allowed:
        raise NotFound(_("there is no such page: go back to the list of SAOs"))
    return tuple(loc)


def _where(loc: Loc) -> str:
    return ".".join(str(k) for k in loc)


def _label(kind: str, item: Any, number: int) -> str:
    if not isinstance(item, dict):
        return str(number)
    if kind == "equipment":
        return str(item.get("type") or item.get("id") or number)
    if kind == "editions":
        return f"{item.get('kind', '')} ครั้งที่ {item.get('number', '')}/{item.get('year', '')}"
    return str(item.get("name") or item.get("id") or number)


def _total(item: Any) -> int:
    budget = item.get("budget") if isinstance(item, dict) else None
    if not isinstance(budget, dict):
        return 0
    total = 0
    for value in budget.values():
        number = whole(str(value))
        total += number if isinstance(number, int) else 0
    return total


def rows(request: Request, form: FormData | None) -> Response:
    """The table of a list: projects by strategy and programme, equipment by programme,
    strategies, a strategy's tactics or indicators."""
    folder = _folder(request)
    loc = parse_where(request.path_params["where"])
    if isinstance(loc[-1], int):
        raise NotFound(_("there is no such page: go back to the list of SAOs"))
    source = read_source(folder)
    items = value_at(source.data, loc)
    items = items if isinstance(items, list) else []
    kind = str(loc[-1])
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for i, item in enumerate(items):
        data = item if isinstance(item, dict) else {}
        if kind == "projects":
            key = (str(data.get("strategy", "")), str(data.get("programme", "")))
        elif kind == "equipment":
            key = ("", str(data.get("programme", "")))
        else:
            key = ("", "")
        groups.setdefault(key, []).append(
            {
                "index": i,
                "id": str(data.get("id", "")),
                "label": _label(kind, data, i + 1),
                "total": _total(data),
            }
        )
    names = {
        str(s.get("id")): str(s.get("name", ""))
        for s in source.data.get("strategies") or []
        if isinstance(s, dict)
    }
    heading = kind_title(kind)
    if len(loc) > 1:
        heading = (
            f"{heading}: {_label('strategies', value_at(source.data, loc[:2]), int(loc[1]) + 1)}"
        )
    return page(
        request,
        "rows.html",
        title=heading,
        heading=heading,
        slug=folder.name,
        org=_title(source),
        kind=kind,
        where=_where(loc),
        groups=groups,
        names=names,
        hash=source.hash,
        budgets=kind in ("projects", "equipment"),
        saved=request.query_params.get("saved") == "1",
    )


def row(request: Request, form: FormData | None) -> Response:
    folder = _folder(request)
    loc = parse_where(request.path_params["where"])
    if not isinstance(loc[-1], int):
        raise NotFound(_("there is no such page: go back to the list of SAOs"))
    source = read_source(folder)
    item = value_at(source.data, loc)
    if not isinstance(item, dict):
        raise NotFound(_("there is no such row: it may have been removed; go back to its list"))
    kind = str(loc[-2])
    specs = row_fields(kind, source.data)
    heading = f"{kind_title(kind)}: {_label(kind, item, int(loc[-1]) + 1)}"
    action = f"/plan/{folder.name}/row/{_where(loc)}"
    extra: dict[str, Any] = {
        "list_url": f"/plan/{folder.name}/rows/{_where(loc[:-1])}",
        "list_title": kind_title(kind),
    }
    if kind == "strategies":
        extra["sublists"] = [
            (
                f"/plan/{folder.name}/rows/{_where((*loc, sub))}",
                kind_title(sub),
                len(item.get(sub) or []),
            )
            for sub in ("tactics", "indicators")
        ]
    if request.method == "GET":
        problems, _w = problems_of(folder)
        fields = shown_fields(specs, loc, source, problems)
        return _render_form(
            request,
            folder=folder,
            source=source,
            heading=heading,
            fields=fields,
            action=action,
            problems=problems,
            saved=request.query_params.get("saved") == "1",
            extra=extra,
        )
    assert form is not None
    return _save(request, form, source, heading, specs, loc, action, extra)


def _new_id(kind: str, items: list[Any], parent: Any) -> str:
    ids = {str(i.get("id")) for i in items if isinstance(i, dict)}
    if kind == "tactics":
        prefix = f"{parent.get('id', 'S')}." if isinstance(parent, dict) else "T"
    else:
        prefix = {"strategies": "S", "projects": "P", "equipment": "E"}.get(kind, "X")
    width = {"projects": 4, "equipment": 3}.get(kind, 0)
    n = len(items) + 1
    while f"{prefix}{n:0{width}d}" in ids:
        n += 1
    return f"{prefix}{n:0{width}d}"


def add_row(request: Request, form: FormData | None) -> Response:
    """A new row: the first fields filled (its id, its strategy and programme); the row is
    written after the last of its group and opened in its form."""
    folder = _folder(request)
    loc = parse_where(request.path_params["where"])
    if isinstance(loc[-1], int):
        raise NotFound(_("there is no such page: go back to the list of SAOs"))
    kind = str(loc[-1])
    assert form is not None
    with plan_lock(folder):
        source = read_source(folder)
        check_fresh(source, form)
        items = value_at(source.data, loc)
        items = items if isinstance(items, list) else []
        parent = value_at(source.data, loc[:-1]) if len(loc) > 1 else None
        if len(loc) > 1 and not isinstance(parent, dict):
            raise NotFound(_("there is no such row: it may have been removed; go back to its list"))
        values: dict[str, Any] = {"id": _new_id(kind, items, parent)}
        after = None
        strategy = str(form.get("strategy") or "")
        programme = str(form.get("programme") or "").strip()
        placeholder = _("(to fill in)")
        if kind == "strategies" or kind == "tactics":
            values["name"] = placeholder
        elif kind == "editions":
            info = source.data.get("plan")
            year = str(info.get("fiscal_year", "")) if isinstance(info, dict) else ""
            earlier = [
                e
                for e in items
                if isinstance(e, dict) and e.get("kind") == "เพิ่มเติม" and str(e.get("year")) == year
            ]
            values = {"kind": "เพิ่มเติม", "number": str(len(earlier) + 1), "year": year or "2568"}
        elif kind == "indicators":
            values = {"name": placeholder, "unit": placeholder}
        elif kind in ("projects", "equipment"):
            strategies = [s for s in source.data.get("strategies") or [] if isinstance(s, dict)]
            if kind == "projects":
                if not strategy and strategies:
                    strategy = str(strategies[0].get("id"))
                values["strategy"] = strategy
                values["programme"] = programme or placeholder
                values["name"] = placeholder
                for key in ("objective", "target"):
                    values[key] = placeholder
                values["budget"] = {}
                for key in ("kpi", "result", "unit"):
                    values[key] = placeholder
            else:
                values["programme"] = programme or placeholder
                values["type"] = placeholder
                values["target"] = placeholder
                values["budget"] = {}
                values["unit"] = placeholder
            same = [
                i
                for i, item in enumerate(items)
                if isinstance(item, dict)
                and str(item.get("programme", "")) == values["programme"]
                and (kind == "equipment" or str(item.get("strategy", "")) == strategy)
            ]
            after = same[-1] if same else None
        new_text = yamltext.insert_row(source.text, loc, values, after)
        index = (after + 1) if after is not None else len(items)
        write_atomic(folder / PLAN_FILE, new_text.encode("utf-8"))
    return RedirectResponse(f"/plan/{folder.name}/row/{_where((*loc, index))}", status_code=303)


def change_row(request: Request, form: FormData | None) -> Response:
    """Move a row up or down within its group, or delete it."""
    folder = _folder(request)
    loc = parse_where(request.path_params["where"])
    action = request.path_params["action"]
    if not isinstance(loc[-1], int) or action not in ("up", "down", "delete"):
        raise NotFound(_("there is no such page: go back to the list of SAOs"))
    seq, i = loc[:-1], int(loc[-1])
    assert form is not None
    with plan_lock(folder):
        source = read_source(folder)
        check_fresh(source, form)
        items = value_at(source.data, seq)
        items = items if isinstance(items, list) else []
        if not 0 <= i < len(items):
            raise NotFound(_("there is no such row: it may have been removed; go back to its list"))
        if action == "delete":
            new_text = yamltext.delete_row(source.text, seq, i)
        else:
            kind = str(seq[-1])

            def group(item: Any) -> tuple[str, str]:
                data = item if isinstance(item, dict) else {}
                if kind == "projects":
                    return (str(data.get("strategy", "")), str(data.get("programme", "")))
                if kind == "equipment":
                    return ("", str(data.get("programme", "")))
                return ("", "")

            mine = [j for j, item in enumerate(items) if group(item) == group(items[i])]
            at = mine.index(i) + (-1 if action == "up" else 1)
            if not 0 <= at < len(mine):
                return RedirectResponse(f"/plan/{folder.name}/rows/{_where(seq)}", status_code=303)
            new_text = yamltext.move_row(source.text, seq, i, mine[at])
        write_atomic(folder / PLAN_FILE, new_text.encode("utf-8"))
    return RedirectResponse(f"/plan/{folder.name}/rows/{_where(seq)}?saved=1", status_code=303)


router = Router(
    [
        Route("/plan/{slug}", in_thread(overview)),
        Route("/plan/{slug}/edit/{section}", in_thread(section), methods=["GET", "POST"]),
        Route("/plan/{slug}/rows/{where}", in_thread(rows)),
        Route("/plan/{slug}/rows/{where}/add", in_thread(add_row), methods=["POST"]),
        Route("/plan/{slug}/row/{where}", in_thread(row), methods=["GET", "POST"]),
        Route("/plan/{slug}/row/{where}/{action}", in_thread(change_row), methods=["POST"]),
    ]
)
