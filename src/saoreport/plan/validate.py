"""Plan file -> valid Plan, or every problem of the file at once, each with its location."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markdown_it.common.utils import unescapeAll
from pydantic import ValidationError

from saoreport.errors import PlanInvalid, Problem
from saoreport.fonts.family import font_family
from saoreport.fonts.glyphs import covered
from saoreport.messages import _
from saoreport.plan import appendix, completeness, editions, loader
from saoreport.plan.figures import Figures
from saoreport.plan.models import MISSPELT, Appendix, Edition, Period, Plan
from saoreport.plan.narrative import Narrative, printed, with_file
from saoreport.plan.narrative import load as load_narrative
from saoreport.plan.wording import wording
from saoreport.thai import be_iso, from_be, typed_number

Loc = tuple[str | int, ...]
# ำ typed as ํ + า (perhaps with a tone mark between): it looks right but breaks search.
SPLIT_AM = re.compile("\u0e4d[\u0e48-\u0e4b]?\u0e32")


@dataclass
class Checked:
    plan: Plan
    folder: Path
    file: Path
    warnings: list[Problem] = field(default_factory=list)
    narrative: Narrative = field(default_factory=Narrative)  # preface.md, parts/*.md
    # what the book lacks against the official structure (plan/completeness.py): warned by
    # validate and build, not by import, which says "fill in the lines marked CHECK" itself
    lacking: list[Problem] = field(default_factory=list)

    @property
    def all_warnings(self) -> list[Problem]:
        return sorted(self.warnings + self.lacking)

    def appendix_files(self, edition: Edition | None = None) -> dict[str, Path]:
        """The files of the ภาคผนวก (plan.yaml `appendices`, or *edition*'s), by their name
        in plan.yaml."""
        listed = self.plan.appendices if edition is None else edition.appendices
        return {a.file: self.folder / a.file for a in listed}

    def all_appendix_files(self) -> dict[str, Path]:
        """The files of every ภาคผนวก: the plan's and its editions' (the plan folder's)."""
        files = self.appendix_files()
        for edition in self.plan.editions:
            files.update(self.appendix_files(edition))
        return files


def plan_file(folder: Path) -> Path:
    return folder / "plan.yaml" if folder.is_dir() else folder


def plain(node: Any) -> Any:
    """ruamel's commented containers and scalar types -> plain Python values."""
    if isinstance(node, dict):
        return {plain(k): plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [plain(v) for v in node]
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, dt.datetime):
        return node.date() if (node.hour, node.minute, node.second) == (0, 0, 0) else node
    if isinstance(node, str):
        return str(node)
    return node


def _strings(node: Any, loc: Loc = ()) -> Iterator[tuple[Loc, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(value, (*loc, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _strings(value, (*loc, i))
    elif isinstance(node, str):
        yield loc, node


# Characters that print as no glyph (line ends, a tab: the layout's white space). Any other
# space is drawn from the font (U+1680 OGHAM SPACE MARK, U+2003 EM SPACE) and must be in it.
UNPRINTED = "\t\n\r"


def _not_in_font(char: str, where: str, font: str) -> str:
    """*where*: the place, in the user's words ("at position 15", "written as &emsp;")."""
    values = {
        "char": repr(char),
        "code": f"{ord(char):04X}",
        "name": unicodedata.name(char, "unnamed"),
        "where": where,
        "font": font,
    }
    if char.isspace():
        return _(
            "the character {char} (U+{code} {name}) {where} is a space the font {font} does"
            " not have: type an ordinary space",
            **values,
        )
    return _(
        "the character {char} (U+{code} {name}) {where} is not in the font {font}: it would"
        " print as a box; remove or replace it",
        **values,
    )


def _text_problems(data: Any, font_key: str | None) -> Iterator[tuple[Loc, str]]:
    family = font_family(font_key)
    cmap = covered(family.faces["regular"])
    for loc, text in _strings(data):
        bad = loader.BAD_CHARS.search(text)
        if bad:  # written as an escape ("\0", "\x1b", "\u2028") in a quoted string
            yield (
                loc,
                _(
                    "{char} at position {position} has no place in a plan: remove it",
                    char=loader.char_name(bad.group()),
                    position=bad.start() + 1,
                ),
            )
            continue
        for i, char in enumerate(text):
            if ord(char) not in cmap and char not in UNPRINTED:
                where = _("at position {position}", position=i + 1)
                yield loc, _not_in_font(char, where, family.name)
        if unicodedata.normalize("NFC", text) != text:
            yield (
                loc,
                _(
                    "marks typed out of order (for example ่ before ุ): the PDF will hold them in"
                    " Unicode's canonical order; retype them vowel first, then the tone mark"
                ),
            )
        for match in SPLIT_AM.finditer(text):
            yield (
                loc,
                _(
                    "'{text}' at position {position} is NIKHAHIT (U+0E4D) + SARA AA typed for"
                    " SARA AM: write ำ (U+0E33) so that the text can be searched",
                    text=match.group(),
                    position=match.start() + 1,
                ),
            )


# Image limits (README, "Limits"): a logo or an emblem prints at most a few centimetres wide.
MAX_IMAGE_BYTES = 5_000_000
MAX_IMAGE_PIXELS = 4096 * 4096
IMAGE_FORMATS = {"PNG", "JPEG", "GIF", "WEBP"}


def image_problem(path: Path) -> str | None:
    """Why the image at *path* cannot be printed, or None: too large, not an image, not
    wholly readable (a truncated file), more pixels than MAX_IMAGE_PIXELS."""
    size = path.stat().st_size
    if size > MAX_IMAGE_BYTES:
        return _(
            "{size} bytes, where an image may have at most {limit}: save it smaller",
            size=f"{size:,}",
            limit=f"{MAX_IMAGE_BYTES:,}",
        )
    if path.suffix.lower() == ".svg":
        return None  # drawn by WeasyPrint, which reads nothing outside the plan folder
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            if image.format not in IMAGE_FORMATS:
                return _("a {kind} image: save it as PNG, JPEG or SVG", kind=image.format)
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                return _(
                    "{width}×{height} pixels, where an image may have at most {limit}"
                    " (4096×4096): save it smaller",
                    width=width,
                    height=height,
                    limit=f"{MAX_IMAGE_PIXELS:,}",
                )
            image.load()  # decodes every pixel: a truncated file fails here
    except UnidentifiedImageError:
        return _("not an image that can be read: save it as PNG, JPEG or SVG")
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return _(
            "the image cannot be read (damaged, or cut off): open it in an image editor and save"
            " it again"
        )
    return None


def _appendix_problem(folder: Path, name: str) -> str | None:
    """Why the ภาคผนวก file *name* cannot be appended, or None."""
    path = (folder / name).resolve()
    if not path.is_relative_to(folder.resolve()):
        return _("{file} must be a file inside the plan folder", file=repr(name))
    suffix = path.suffix.lower()
    if suffix not in appendix.PDF_SUFFIXES | appendix.IMAGE_SUFFIXES:
        return _(
            "{file}: an appendix is a PDF, or a JPEG or PNG image (.pdf, .jpg, .png): save it"
            " as one of those",
            file=repr(name),
        )
    if not path.is_file():
        return _(
            "the file {file} is not in {folder}: put it there, or correct the name",
            file=repr(name),
            folder=folder,
        )
    if suffix in appendix.PDF_SUFFIXES:
        problem = appendix.pdf_problem(path)
    else:
        problem = image_problem(path)
        if problem is None and not _jpeg_or_png(path):
            problem = _("not a JPEG or PNG image: save it as JPEG or PNG")
    return f"{name!r}: {problem}" if problem else None


def _jpeg_or_png(path: Path) -> bool:
    from PIL import Image

    with Image.open(path) as image:
        return image.format in ("JPEG", "PNG")


def _duplicates(items: list[Any], loc: Loc, key: str = "id") -> Iterator[tuple[Loc, str]]:
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        value = getattr(item, key)
        if value in seen:
            yield (
                (*loc, i, key),
                _(
                    "the id {id} is used twice (first at {first}): give each its own",
                    id=repr(value),
                    first=f"{loc[-1]}[{seen[value]}]",
                ),
            )
        seen.setdefault(value, i)


def _cross_checks(plan: Plan, folder: Path) -> Iterator[tuple[Loc, str]]:
    period, years = plan.plan.period, plan.years
    if period.last - period.first != 4:
        yield (
            ("plan", "period"),
            _(
                "a plan covers five years; {first}-{last} is not five",
                first=period.first,
                last=period.last,
            ),
        )
    if plan.plan.fiscal_year not in years:
        yield (
            ("plan", "fiscal_year"),
            _(
                "{year} is outside the plan's years {first}-{last}",
                year=plan.plan.fiscal_year,
                first=period.first,
                last=period.last,
            ),
        )
    for name in ("logo", "emblem"):
        value = getattr(plan.organization, name)
        if value is not None:
            path = (folder / value).resolve()
            if not path.is_relative_to(folder.resolve()):
                yield (
                    ("organization", name),
                    _("{file} must be a file inside the plan folder", file=repr(value)),
                )
            elif not path.is_file():
                yield (
                    ("organization", name),
                    _(
                        "the file {file} is not in {folder}: put it there, or correct the name",
                        file=repr(value),
                        folder=folder,
                    ),
                )
            else:
                problem = image_problem(path)
                if problem:
                    yield ("organization", name), f"{value!r}: {problem}"
    listed: list[tuple[Loc, list[Appendix]]] = [(("appendices",), plan.appendices)]
    listed += [(("editions", j, "appendices"), e.appendices) for j, e in enumerate(plan.editions)]
    for at, appended_list in listed:
        for i, appended in enumerate(appended_list):
            problem = _appendix_problem(folder, appended.file)
            if problem:
                yield (*at, i, "file"), problem
    info = plan.plan
    if info.announced and info.approval and from_be(info.announced) < from_be(info.approval.date):
        announced, approved = (from_be(d) for d in (info.announced, info.approval.date))
        yield (
            ("plan", "announced"),
            _(
                "{announced} is before the council's approval ({approved}): the plan is"
                " announced on or after the day it is approved",
                announced=be_iso(announced),
                approved=be_iso(approved),
            ),
        )
    if plan.settings.bind_announcement and plan.plan.approval is None:
        yield (
            ("settings", "bind_announcement"),
            _(
                "there is no announcement to bind in without the council's approval"
                " (plan.approval): add it, or remove bind_announcement"
            ),
        )
    yield from _duplicates(plan.strategies, ("strategies",))
    yield from _duplicates(plan.projects, ("projects",))
    tactics: dict[str, set[str]] = {}
    for s_i, strategy in enumerate(plan.strategies):
        loc: Loc = ("strategies", s_i)
        tactics[strategy.id] = {t.id for t in strategy.tactics}
        yield from _duplicates(strategy.tactics, (*loc, "tactics"))
        for key, count in (("goals", len(plan.goals)), ("missions", len(plan.missions))):
            for i, number in enumerate(getattr(strategy, key)):
                if number > count:
                    yield (
                        (*loc, key, i),
                        _(
                            "there is no {item} {number}: the plan has {count}",
                            item=_("goal") if key == "goals" else _("mission"),
                            number=number,
                            count=count,
                        ),
                    )
        for i_i, indicator in enumerate(strategy.indicators):
            for year in indicator.targets:
                if year not in years:
                    yield (*loc, "indicators", i_i, "targets", year), _outside(year, period)
    for p_i, project in enumerate(plan.projects):
        loc = ("projects", p_i)
        if project.strategy not in tactics:
            yield (*loc, "strategy"), _no_strategy(project.strategy, tactics)
        elif project.tactic is not None and project.tactic not in tactics[project.strategy]:
            yield (
                (*loc, "tactic"),
                _(
                    "strategy {strategy} has no tactic {tactic}; its tactics: {known}",
                    strategy=repr(project.strategy),
                    tactic=repr(project.tactic),
                    known=_known(tactics[project.strategy]),
                ),
            )
        for key, figures in (("budget", project.budget), ("enacted", project.enacted)):
            for year in figures:
                if year not in years:
                    yield (*loc, key, year), _outside(year, period)
    yield from _duplicates(plan.equipment, ("equipment",))
    for e_i, item in enumerate(plan.equipment):
        loc = ("equipment", e_i)
        if item.strategy is not None and item.strategy not in tactics:
            yield (*loc, "strategy"), _no_strategy(item.strategy, tactics)
        for year in item.budget:
            if year not in years:
                yield (*loc, "budget", year), _outside(year, period)
    yield from editions.problems(plan, folder)
    used = {p.programme for p in plan.projects} | {e.programme for e in plan.equipment}
    named: set[str] = set()
    for p_i, programme in enumerate(plan.programmes):
        if programme.name in named:
            message = _(
                "the programme {name} is described twice: keep one entry", name=repr(programme.name)
            )
            yield ("programmes", p_i, "name"), message
        elif programme.name not in used:
            message = _(
                "no project or equipment uses the programme {name}; they use {known}",
                name=repr(programme.name),
                known=_known(used),
            )
            yield ("programmes", p_i, "name"), message
        named.add(programme.name)


def _outside(year: int, period: Period) -> str:
    return _(
        "the year {year} is outside the plan's years {first}-{last}",
        year=year,
        first=period.first,
        last=period.last,
    )


def _known(ids: Iterable[str]) -> str:
    """The ids that exist, for a message about one that does not (the first ten)."""
    ordered = sorted(ids)
    shown = ", ".join(map(repr, ordered[:10]))
    return shown + (", …" if len(ordered) > 10 else "") if ordered else _("none")


def _no_strategy(given: str, tactics: dict[str, set[str]]) -> str:
    return _(
        "no strategy has the id {id}; the strategies are {known}",
        id=repr(given),
        known=_known(tactics),
    )


def _warnings(plan: Plan) -> Iterator[tuple[Loc, str]]:
    yield from editions.warnings(plan)
    for key in ("name", "short_name"):
        value = getattr(plan.organization, key)
        for wrong, right in MISSPELT.items():
            if wrong in value:
                yield (
                    ("organization", key),
                    _(
                        "{wrong} looks like a misspelling of {right}",
                        wrong=repr(wrong),
                        right=repr(right),
                    ),
                )


def check(folder: Path) -> Checked:
    """Load and validate the plan in *folder*; raise PlanInvalid listing every problem."""
    file = plan_file(folder)
    folder = file.parent
    values = plain(loader.load_data(file))
    if not isinstance(values, dict):
        loader.load(file)  # raises the located "must be a mapping" problem
    found: list[tuple[Loc, str, bool]] = []  # where, what, at the key rather than the value
    found += [(loc, message, True) for loc, message in _same_years(values)]
    try:
        plan: Plan | None = Plan.model_validate(values)
    except ValidationError as exc:
        errors = [(_model_loc(tuple(e["loc"])), e) for e in exc.errors()]
        failed_at = [loc for loc, e in errors if e["type"] != "string_type"]
        split = dict(_split_amounts(values))
        found += [(budget, _split_message(), False) for budget in split]
        for loc, error in errors:
            if error["type"] == "string_type" and loc in failed_at:
                continue  # a number's own error says more than "should be text" (a union)
            if loc[:3] in split and loc[3:4] and loc[3] in split[loc[:3]]:
                continue  # said once, for the whole budget, above
            at_key = error["type"] == "extra_forbidden"  # point at the unknown key itself
            found.append((loc, wording(error), at_key))
        plan = None
    settings = values.get("settings")
    font_key = settings.get("font") if isinstance(settings, dict) else None
    try:
        found += [(loc, msg, False) for loc, msg in _text_problems(values, font_key)]
    except Exception as exc:  # an unknown font is reported where it is named
        found.append((("settings", "font"), str(exc), False))
    if plan is not None:
        found += [(loc, msg, False) for loc, msg in _cross_checks(plan, folder)]
    warned = (
        [(loc, _("warning: {message}", message=m)) for loc, m in _warnings(plan)] if plan else []
    )
    narrative, located = load_narrative(folder)
    if plan is not None:
        for edition in plan.editions:
            reasons = edition.reasons
            path = (folder / reasons).resolve() if reasons else None
            readable = bool(
                reasons
                and path
                and path.is_relative_to(folder.resolve())
                and path.is_file()
                and path.suffix.lower() == ".md"
            )
            if reasons and readable and reasons not in narrative.sources:
                narrative, more = with_file(narrative, folder, reasons)
                located += more
    located += _narrative_text_problems(narrative, font_key)
    noted: list[Problem] = []  # warnings with their place already
    at_keys: list[tuple[Loc, str]] = []  # what the book lacks, at places of the plan file
    lacking: list[Problem] = []  # ... and in the narrative files
    if plan is not None and not located:  # (a narrative with problems fails anyway)
        figures = Figures(plan, narrative)
        located += figures.problems()
        noted += figures.warnings()
        at_keys, lacking = completeness.warnings(plan, narrative, values, file)
    if not (found or warned or located or at_keys or plan is None):
        return Checked(plan, folder, file, sorted(noted), narrative, sorted(lacking))
    _data, where = loader.load(file)  # positions, only when there is something to say
    problems = [where.problem(loc, msg, at_key=at_key) for loc, msg, at_key in found] + located
    if problems or plan is None:
        raise PlanInvalid(problems)
    warnings = sorted([where.problem(loc, msg) for loc, msg in warned] + noted)
    lacking = sorted([where.problem(loc, msg) for loc, msg in at_keys] + lacking)
    return Checked(plan, folder, file, warnings, narrative, lacking)


def _split_amounts(values: dict[str, Any]) -> Iterator[tuple[Loc, set[str | int]]]:
    """Budgets whose amounts were typed with commas: YAML reads {2566: 1,255,000} as
    {2566: 1, 255: None, 0: None}. Each budget, with the keys the commas made."""
    for kind in ("projects", "equipment"):
        items = values.get(kind)
        for i, item in enumerate(items if isinstance(items, list) else []):
            budget = item.get("budget") if isinstance(item, dict) else None
            if not isinstance(budget, dict):
                continue
            made: set[str | int] = {
                k for k, v in budget.items() if v is None and isinstance(k, int) and k < 2400
            }
            if made:
                yield (kind, i, "budget"), made


def _same_years(values: dict[str, Any]) -> Iterator[tuple[Loc, str]]:
    """A year written twice, once in Thai digits (YAML takes 2570 and ๒๕๗๐ for two keys, the
    model for one: the second would replace the first without a word)."""

    def by_year(loc: Loc, mapping: object) -> Iterator[tuple[Loc, str]]:
        if not isinstance(mapping, dict):
            return
        seen: dict[object, object] = {}
        for key in mapping:
            year = typed_number(key) if isinstance(key, str) else key
            if year in seen and year is not None:
                yield (
                    (*loc, key),
                    _(
                        "{first} and {second} are the same year: keep one of them",
                        first=seen[year],
                        second=key,
                    ),
                )
            seen.setdefault(year, key)

    for kind in ("projects", "equipment"):
        items = values.get(kind)
        for i, item in enumerate(items if isinstance(items, list) else []):
            for key in ("budget", "enacted"):
                if isinstance(item, dict):
                    yield from by_year((kind, i, key), item.get(key))
    strategies = values.get("strategies")
    for s_i, strategy in enumerate(strategies if isinstance(strategies, list) else []):
        indicators = strategy.get("indicators") if isinstance(strategy, dict) else None
        for i_i, indicator in enumerate(indicators if isinstance(indicators, list) else []):
            if isinstance(indicator, dict):
                loc: Loc = ("strategies", s_i, "indicators", i_i, "targets")
                yield from by_year(loc, indicator.get("targets"))


def _split_message() -> str:
    return _(
        "an amount is written with commas, which split it in pieces: write each amount in"
        " digits only, such as {example}",
        example="{2566: 1255000}",
    )


def _narrative_text_problems(narrative: Narrative, font_key: str | None) -> list[Problem]:
    """The plan file's checks of characters, on every line of the narrative files, and on
    the text as it prints: a character written as an entity (`&#x1F600;`) at the entity."""
    found = []
    for key, text in narrative.sources.items():
        try:
            problems = list(_text_problems(text.splitlines(), font_key))
            family = font_family(font_key)
        except Exception:  # an unknown font: reported at settings.font already
            continue
        file = narrative.files[key]
        for loc, message in problems:
            line = int(loc[0]) + 1
            found.append(Problem(file, line, 1, "", message))
        cmap, lines, seen = covered(family.faces["regular"]), text.splitlines(), set()
        for line, piece in printed(text):
            source = lines[line - 1] if 0 < line <= len(lines) else ""
            for char in dict.fromkeys(piece):
                if char in source or (line, char) in seen:
                    continue  # typed as it is: checked on its line above
                seen.add((line, char))
                col, entity = _entity(source, char)
                if loader.BAD_CHARS.match(char):
                    message = _(
                        "{char} written as {entity} has no place in a plan: remove it",
                        char=loader.char_name(char),
                        entity=entity,
                    )
                elif ord(char) not in cmap and char not in UNPRINTED:
                    message = _not_in_font(
                        char, _("written as {entity}", entity=entity), family.name
                    )
                else:
                    continue
                found.append(Problem(file, line, col, "", message))
    return found


ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def _entity(line: str, char: str) -> tuple[int, str]:
    """The column and text of the entity on *line* that prints as *char* (as markdown-it
    decodes it), or of the line's first entity."""
    entities = list(ENTITY.finditer(line))
    for match in entities:
        decoded = unescapeAll(match.group())
        if decoded == match.group() and decoded.startswith("&#"):
            decoded = "\ufffd"  # a code that is no character (`&#0;`)
        if char in decoded:
            return match.start() + 1, repr(match.group())
    return (entities[0].start() + 1, "an entity") if entities else (1, "an entity")


def _model_loc(loc: tuple[Any, ...]) -> Loc:
    """Drop pydantic's own steps (union member names like 'float', '[key]') from a loc."""
    out: list[str | int] = []
    for part in loc:
        if isinstance(part, str) and (
            part.startswith(("function-", "constrained-"))
            or part in {"float", "str", "int", "[key]"}
        ):
            continue
        if isinstance(part, str) and part.isdigit():
            out.append(int(part))
        else:
            out.append(part)
    return tuple(out)
