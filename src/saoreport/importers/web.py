"""A saved "วิสัยทัศน์ / พันธกิจ" web page (text or HTML) -> a plan file that validates.

The page's words are kept exactly; only list numbering, bullets, quotes around the vision
and non-breaking spaces go. The website boilerplate that defines the words (วิสัยทัศน์
หมายถึง …) is left out, and said so. Whatever cannot be placed is reported with its line and
kept as a comment in the plan file: nothing is dropped silently. Nothing is corrected; a
suspected misspelling of the organization's type is flagged for the user to decide.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from saoreport import thai
from saoreport.errors import SaoError

HEADINGS = {
    "vision": r"วิสัยทัศน์(?:การพัฒนา)?",
    "missions": r"พันธกิจ(?:การพัฒนา)?",
    "goals": r"เป้าหมาย(?:การพัฒนา)?|เป้าประสงค์(?:การพัฒนา)?|จุดมุ่งหมายเพื่อการพัฒนา",
    "strategies": r"ยุทธศาสตร์(?:การพัฒนา)?",
}
_HEADING = {
    key: re.compile(rf"^(?:{words})\s*(?:\((?:[A-Za-z ]+)\))?\s*:?$", re.I)
    for key, words in HEADINGS.items()
}
_INLINE = {
    key: re.compile(rf"^(?:{words})\s*(?:\((?:[A-Za-z ]+)\))?\s*[:：]\s*(\S.*)$", re.I)
    for key, words in HEADINGS.items()
}
_DEFINITION = re.compile(r"หมายถึง")
_MARKER = re.compile(r"^(?:(?:[•\-\*–·▪●○◦]|\(?[0-9๐-๙]{1,3}\)|[0-9๐-๙]{1,3}\.(?![0-9๐-๙]))\s*)+")
_QUOTES = "\"“”'‘’«»"
_ORG = re.compile(
    r"((?:องค์การบริ[หก]ารส่วนตำบล|เทศบาลตำบล|เทศบาลเมือง|เทศบาลนคร)\S+)"
    r"\s*อำเภอ\s*(\S+)\s*จังหวัด\s*(\S+)"
)
TYPES = {
    "องค์การบริหารส่วนตำบล": ("อบต.", "อบต."),
    "องค์การบริการส่วนตำบล": ("อบต.", "อบต."),
    "เทศบาลตำบล": ("เทศบาลตำบล", "ทต."),
    "เทศบาลเมือง": ("เทศบาลเมือง", "ทม."),
    "เทศบาลนคร": ("เทศบาลนคร", "ทน."),
}
MISSPELT = {"องค์การบริการส่วนตำบล": "องค์การบริหารส่วนตำบล"}
_BLOCKS = {"p", "div", "li", "br", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "ul", "ol"}


class _Text(HTMLParser):
    """HTML -> text, one block element per line (list items keep a bullet)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.skip += 1
        elif tag in _BLOCKS:
            self.parts.append("\n- " if tag == "li" else "\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skip -= 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data.replace("\n", " "))


def page_lines(source: str) -> list[str]:
    if re.search(r"<(?:html|body|p|div|li|br)\b", source, re.I):
        parser = _Text()
        parser.feed(source)
        source = "".join(parser.parts)
    return source.replace("\u00a0", " ").replace("\r\n", "\n").split("\n")


@dataclass
class Found:
    """What the page gave, each with the line (1-based) it came from."""

    org: tuple[str, str, str, int] | None = None  # name, district, province, line
    vision: list[tuple[int, str]] = field(default_factory=list)
    missions: list[tuple[int, str]] = field(default_factory=list)
    goals: list[tuple[int, str]] = field(default_factory=list)
    goals_label: str = "เป้าหมาย"
    strategies: list[tuple[int, str]] = field(default_factory=list)
    left_out: list[tuple[int, str, str]] = field(default_factory=list)  # line, why, text
    flags: list[tuple[int, str]] = field(default_factory=list)


def _heading(line: str) -> tuple[str, str] | None:
    """(section, text after the heading on the same line) if *line* is a heading."""
    for key, pattern in _HEADING.items():
        if pattern.match(line):
            return key, ""
    for key, pattern in _INLINE.items():
        match = pattern.match(line)
        if match and "หมายถึง" not in line:
            return key, match.group(1)
    return None


def read_page(source: str) -> Found:
    found = Found()
    section: str | None = None
    current: list[tuple[int, str]] | None = None  # the list the last item went into
    for number, raw in enumerate(page_lines(source), 1):
        line = " ".join(raw.split())
        if not line:
            continue
        for wrong, right in MISSPELT.items():
            if wrong in line:
                found.flags.append((number, f"'{wrong}' looks like a misspelling of '{right}'"))
        match = _ORG.search(line)
        if match and found.org is None:
            found.org = (match.group(1), match.group(2), match.group(3), number)
        heading = _heading(line)
        if heading is not None:
            section, current = heading[0], None
            if section == "goals":
                found.goals_label = "เป้าประสงค์" if line.startswith("เป้าประสงค์") else "เป้าหมาย"
            line = heading[1]
            if not line:
                continue
        if section is None:
            why = "introduction (the name, district and province come from it)" if match else None
            found.left_out.append((number, why or "before the first heading", line))
            continue
        if _DEFINITION.search(line) and re.match(HEADINGS[section], line):
            found.left_out.append((number, "the website's definition of the heading", line))
            continue
        marker = _MARKER.match(line)
        text = line[marker.end() :].strip() if marker else line
        if section == "vision":
            if found.vision and marker:
                why = "explains the vision (the plan holds one vision)"
                found.left_out.append((number, why, line))
            elif found.vision:
                found.left_out.append((number, "after the vision", line))
            else:
                found.vision.append((number, text.strip(_QUOTES).strip()))
            continue
        target: list[tuple[int, str]] = getattr(found, section)
        if marker or current is None:
            target.append((number, text))
            current = target
        else:  # a line without a marker continues the item before it
            start, before = current[-1]
            current[-1] = (start, f"{before} {text}")
    return found


def _yaml(text: str) -> str:
    """A YAML scalar for *text*: plain where that is safe, else double-quoted."""
    plain = re.fullmatch(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`][^:#]*(?<![\s:])", text)
    if plain and text.lower() not in ("yes", "no", "true", "false", "null", "~"):
        return text
    return json.dumps(text, ensure_ascii=False)


def plan_yaml(found: Found, source: Path, today: dt.date) -> str:
    if not (found.vision and found.missions and found.goals):
        missing = [k for k in ("vision", "missions", "goals") if not getattr(found, k)]
        raise SaoError(f"{source}: found no {', '.join(missing)} on this page")
    digest = hashlib.sha256(source.read_bytes()).hexdigest()[:16]
    fiscal_year = thai.fiscal_year_of(today)
    first = 2566 + 5 * ((fiscal_year - 2566) // 5)
    unknown = ("(ชื่อองค์กรปกครองส่วนท้องถิ่น)", "(อำเภอ)", "(จังหวัด)", 0)
    name, district, province, _ = found.org or unknown
    prefix = next((p for p in TYPES if name.startswith(p)), "องค์การบริหารส่วนตำบล")
    kind, short = TYPES[prefix]
    suffix = name.removeprefix(prefix)
    out = [
        f"# Imported by `saoreport import` from {source.name} (sha256 {digest}…)"
        f" on {today.isoformat()}.",
        "# Vision, missions and goals are the page's words; lines marked CHECK are placeholders",
        "# the page does not give: replace them before the plan goes to the council.",
        "organization:",
        f"  name: {_yaml(name)}" + ("" if found.org else "  # CHECK: not on the page"),
        f"  short_name: {_yaml(short + suffix)}",
        f"  type: {kind}",
        f"  district: {_yaml(district)}",
        f"  province: {_yaml(province)}",
        "  executive:",
        f"    title: {_yaml('นายก' + name)}  # CHECK: add `name:` of the chief executive",
        "plan:",
        f"  period: {{first: {first}, last: {first + 4}}}  # CHECK: the plan's five years",
        f"  fiscal_year: {fiscal_year}  # CHECK",
        f"vision: {_yaml(found.vision[0][1])}",
        "missions:",
        *(f"  - {_yaml(text)}" for _, text in found.missions),
        f"goals_label: {found.goals_label}",
        "goals:",
        *(f"  - {_yaml(text)}" for _, text in found.goals),
    ]
    if found.strategies:
        out.append("strategies:")
        for i, (_, text) in enumerate(found.strategies, 1):
            out += [f"  - id: S{i}", f"    name: {_yaml(text)}"]
    if found.left_out:
        out.append("")
        out.append("# Left out of the plan (line of the page: why: text):")
        out += [f"#   {n}: {why}: {text}" for n, why, text in found.left_out]
    return "\n".join(out) + "\n"


def import_page(
    source: Path, slug: str, out: Path, today: dt.date, force: bool = False
) -> tuple[Path, Found]:
    """Write *out*/*slug*/plan.yaml from the page saved in *source*."""
    try:
        text = source.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise SaoError(f"{source}: cannot read: {exc}") from None
    found = read_page(text)
    target = out / slug / "plan.yaml"
    if target.exists() and not force:
        raise SaoError(f"{target} exists; use --force to replace it")
    content = plan_yaml(found, source, today)
    from saoreport.output import write_atomic

    write_atomic(target, content.encode("utf-8"))
    return target, found
