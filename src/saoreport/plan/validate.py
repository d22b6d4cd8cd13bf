"""Plan file -> valid Plan, or every problem of the file at once, each with its location."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from saoreport.errors import PlanInvalid, Problem
from saoreport.fonts.family import font_family
from saoreport.fonts.glyphs import covered
from saoreport.plan import loader
from saoreport.plan.models import MISSPELT, Plan
from saoreport.plan.narrative import Narrative
from saoreport.plan.narrative import load as load_narrative
from saoreport.thai import be_iso, from_be

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


def _text_problems(data: Any, font_key: str | None) -> Iterator[tuple[Loc, str]]:
    family = font_family(font_key)
    cmap = covered(family.faces["regular"])
    for loc, text in _strings(data):
        bad = loader.BAD_CHARS.search(text)
        if bad:  # written as an escape ("\0", "\x1b", "\u2028") in a quoted string
            yield (
                loc,
                f"{loader.char_name(bad.group())} at position {bad.start() + 1}"
                " has no place in a plan",
            )
            continue
        for i, char in enumerate(text):
            if ord(char) not in cmap and not char.isspace():
                name = unicodedata.name(char, "unnamed")
                yield (
                    loc,
                    (
                        f"character {char!r} (U+{ord(char):04X} {name}) at position {i + 1}"
                        f" is not in the font {family.name}; it would print as a box"
                    ),
                )
        if unicodedata.normalize("NFC", text) != text:
            yield (
                loc,
                (
                    "marks typed out of order (for example ่ before ุ): the PDF will hold them in"
                    " Unicode's canonical order; retype them vowel first, then the tone mark"
                ),
            )
        for match in SPLIT_AM.finditer(text):
            yield (
                loc,
                (
                    f"'{match.group()}' at position {match.start() + 1} is NIKHAHIT (U+0E4D) +"
                    " SARA AA typed for SARA AM: write ำ (U+0E33) so the text can be searched"
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
        return f"{size:,} bytes; an image may have at most {MAX_IMAGE_BYTES:,}"
    if path.suffix.lower() == ".svg":
        return None  # drawn by WeasyPrint, which reads nothing outside the plan folder
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            if image.format not in IMAGE_FORMATS:
                return f"a {image.format} image; use PNG, JPEG or SVG"
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                return (
                    f"{width}×{height} pixels; an image may have at most"
                    f" {MAX_IMAGE_PIXELS:,} (4096×4096)"
                )
            image.load()  # decodes every pixel: a truncated file fails here
    except UnidentifiedImageError:
        return "not an image that can be read (PNG, JPEG or SVG)"
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        return f"the image cannot be read: {exc}"
    return None


def _duplicates(items: list[Any], loc: Loc, key: str = "id") -> Iterator[tuple[Loc, str]]:
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        value = getattr(item, key)
        if value in seen:
            yield (*loc, i, key), f"duplicate id {value!r} (first at {loc[-1]}[{seen[value]}])"
        seen.setdefault(value, i)


def _cross_checks(plan: Plan, folder: Path) -> Iterator[tuple[Loc, str]]:
    period, years = plan.plan.period, plan.years
    if period.last - period.first != 4:
        yield (
            ("plan", "period"),
            f"a plan covers five years; {period.first}-{period.last} is not five",
        )
    if plan.plan.fiscal_year not in years:
        yield ("plan", "fiscal_year"), f"{plan.plan.fiscal_year} is outside the period"
    for name in ("logo", "emblem"):
        value = getattr(plan.organization, name)
        if value is not None:
            path = (folder / value).resolve()
            if not path.is_relative_to(folder.resolve()):
                yield ("organization", name), f"{value!r} must be a file inside the plan folder"
            elif not path.is_file():
                yield ("organization", name), f"file {value!r} not found in {folder}"
            else:
                problem = image_problem(path)
                if problem:
                    yield ("organization", name), f"{value!r}: {problem}"
    info = plan.plan
    if info.announced and info.approval and from_be(info.announced) < from_be(info.approval.date):
        announced, approved = (from_be(d) for d in (info.announced, info.approval.date))
        yield (
            ("plan", "announced"),
            f"{be_iso(announced)} is before the council's approval ({be_iso(approved)});"
            " the plan is announced on or after the day it is approved",
        )
    if plan.settings.bind_announcement and plan.plan.approval is None:
        yield (
            ("settings", "bind_announcement"),
            "there is no announcement to bind in without plan.approval",
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
                    yield (*loc, key, i), f"there is no {key[:-1]} {number} (the plan has {count})"
        for i_i, indicator in enumerate(strategy.indicators):
            for year in indicator.targets:
                if year not in years:
                    yield (
                        (*loc, "indicators", i_i, "targets", year),
                        f"year {year} is outside the period",
                    )
    for p_i, project in enumerate(plan.projects):
        loc = ("projects", p_i)
        if project.strategy not in tactics:
            yield (*loc, "strategy"), f"no strategy has id {project.strategy!r}"
        elif project.tactic is not None and project.tactic not in tactics[project.strategy]:
            yield (
                (*loc, "tactic"),
                f"strategy {project.strategy!r} has no tactic {project.tactic!r}",
            )
        for year in project.budget:
            if year not in years:
                yield (
                    (*loc, "budget", year),
                    f"year {year} is outside the period {period.first}-{period.last}",
                )
    yield from _duplicates(plan.equipment, ("equipment",))
    for e_i, item in enumerate(plan.equipment):
        loc = ("equipment", e_i)
        if item.strategy is not None and item.strategy not in tactics:
            yield (*loc, "strategy"), f"no strategy has id {item.strategy!r}"
        for year in item.budget:
            if year not in years:
                yield (
                    (*loc, "budget", year),
                    f"year {year} is outside the period {period.first}-{period.last}",
                )


def _warnings(plan: Plan) -> Iterator[tuple[Loc, str]]:
    for key in ("name", "short_name"):
        value = getattr(plan.organization, key)
        for wrong, right in MISSPELT.items():
            if wrong in value:
                yield ("organization", key), f"{wrong!r} looks like a misspelling of {right!r}"


def check(folder: Path) -> Checked:
    """Load and validate the plan in *folder*; raise PlanInvalid listing every problem."""
    file = plan_file(folder)
    folder = file.parent
    values = plain(loader.load_data(file))
    if not isinstance(values, dict):
        loader.load(file)  # raises the located "must be a mapping" problem
    found: list[tuple[Loc, str, bool]] = []  # where, what, at the key rather than the value
    try:
        plan: Plan | None = Plan.model_validate(values)
    except ValidationError as exc:
        errors = [(_model_loc(tuple(e["loc"])), e) for e in exc.errors()]
        failed_at = [loc for loc, e in errors if e["type"] != "string_type"]
        for loc, error in errors:
            if error["type"] == "string_type" and loc in failed_at:
                continue  # a number's own error says more than "should be text" (a union)
            at_key = error["type"] == "extra_forbidden"  # point at the unknown key itself
            found.append((loc, error["msg"], at_key))
        plan = None
    settings = values.get("settings")
    font_key = settings.get("font") if isinstance(settings, dict) else None
    try:
        found += [(loc, msg, False) for loc, msg in _text_problems(values, font_key)]
    except Exception as exc:  # an unknown font is reported where it is named
        found.append((("settings", "font"), str(exc), False))
    if plan is not None:
        found += [(loc, msg, False) for loc, msg in _cross_checks(plan, folder)]
    warned = [(loc, "warning: " + msg) for loc, msg in _warnings(plan)] if plan else []
    narrative, located = load_narrative(folder)
    located += _narrative_text_problems(narrative, font_key)
    if not (found or warned or located or plan is None):
        return Checked(plan, folder, file, narrative=narrative)
    _, where = loader.load(file)  # positions, only when there is something to say
    problems = [where.problem(loc, msg, at_key=at_key) for loc, msg, at_key in found] + located
    if problems or plan is None:
        raise PlanInvalid(problems)
    warnings = [where.problem(loc, msg) for loc, msg in warned]
    return Checked(plan, folder, file, warnings, narrative)


def _narrative_text_problems(narrative: Narrative, font_key: str | None) -> list[Problem]:
    """The plan file's checks of characters, on every line of the narrative files."""
    found = []
    for key, text in narrative.sources.items():
        try:
            problems = list(_text_problems(text.splitlines(), font_key))
        except Exception:  # an unknown font: reported at settings.font already
            continue
        for loc, message in problems:
            line = int(loc[0]) + 1
            found.append(Problem(narrative.files[key], line, 1, "", message))
    return found


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
