"""Plan -> HTML, through the Jinja templates (autoescaped, strict about undefined names)."""

from __future__ import annotations

import itertools
import re
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from saoreport import thai
from saoreport.document import markdown
from saoreport.fonts.family import FontFamily, font_family, page_dash
from saoreport.plan import summary
from saoreport.plan.models import Plan
from saoreport.plan.narrative import FILES, Narrative
from saoreport.resources import templates_dir

# Sizes in official points (TH Sarabun PSK): the one place they are set.
SIZES = {
    "body": 16,
    "h1": 20,
    "h2": 18,
    "h3": 16,
    "cover_title": 28,
    "cover_org": 24,
    "cover_sub": 20,
    "table": 14,
    "form": 13,
    "small": 12,
}
LINE = 1.3125  # baseline to baseline, as a multiple of the official size (16 pt -> 21 pt)

# Phrases that must not be broken across lines: a number with its word, e.g. "หมู่ที่ ๕".
KEEP_TOGETHER = re.compile(
    r"(?:หมู่ที่|ม\.|ครั้งที่|สมัยที่|ข้อ|มาตรา|ที่|พ\.ศ\.|ค\.ศ\.)\s?[0-9๐-๙][0-9๐-๙/.,]*|[^\s\u00a0]+(?:\u00a0[^\s\u00a0]+)+"
)


def prose(text: str, thai_digits: bool) -> Markup:
    """Escape *text*, set its digits, keep numbered phrases and NBSP-joined words on a line."""
    text = thai.digits(text, thai_digits)
    out, last = [], 0
    for match in KEEP_TOGETHER.finditer(text):
        out.append(escape(text[last : match.start()]))
        kept = match.group().replace("\u00a0", " ")
        out.append(Markup('<span class="nobr">{}</span>').format(kept))
        last = match.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(templates_dir()),
        autoescape=select_autoescape(["html", "j2"], default_for_string=True, default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["money"] = thai.money
    env.filters["thai_digits"] = thai.thai_digits
    return env


def context(
    plan: Plan, family: FontFamily, narrative: Narrative | None = None, **extra: Any
) -> dict[str, Any]:
    use_thai = plan.thai_digits
    book = narrative_html(plan, narrative or Narrative())
    forms = summary.forms(plan)

    def d(value: object) -> str:
        return thai.digits(value, use_thai)

    numbers = itertools.count()
    counter_style = "thai-digits" if use_thai else "decimal"
    dash = page_dash(family)
    return {
        "next_dist": lambda: next(numbers),  # ids of blocks justify.py distributes
        "plan": plan,
        "org": plan.organization,
        "info": plan.plan,
        "family": family,
        "size": {k: family.pt(v) for k, v in SIZES.items()},
        "lead": {k: round(v * LINE, 2) for k, v in SIZES.items()},
        "d": d,
        "t": lambda text: prose(str(text), use_thai),
        "date": lambda value: thai.thai_date(thai.from_be(value), use_thai),
        "baht_words": thai.baht_words,
        "blocks": summary.blocks(plan),
        "grand": summary.grand_total(plan),
        "counter_style": counter_style,
        # The page number "- ๒ -", as CSS content (with 0.2 em word spacing, poppler reads
        # its spaces); see resources.page_dash.
        "page_number": Markup(f'"{dash}\\00a0" counter(page, {counter_style}) "\\00a0{dash}"'),
        "toc": toc(plan, book, forms),
        "book": book,
        "forms": forms,
        "part_title": lambda number: part_title(number, use_thai),
        "macro": MACRO,
        **extra,
    }


# The parts of the official book (แผนพัฒนาท้องถิ่น, guideline of the 2566-2570 plans), by number.
PARTS = {
    1: "สภาพทั่วไปและข้อมูลพื้นฐาน",
    2: "สรุปผลการพัฒนาท้องถิ่นตามแผนพัฒนาท้องถิ่นที่ผ่านมา",
    3: "ยุทธศาสตร์ขององค์กรปกครองส่วนท้องถิ่น",
    4: "การนำแผนพัฒนาท้องถิ่นไปสู่การปฏิบัติ",
    5: "การติดตามและประเมินผล",
}
# Lines ก.–จ.: the macro plans a strategy serves (models.MacroLinks), in the official order
# (digits set by the plan's settings).
MACRO = {
    "national": "ก. ยุทธศาสตร์ชาติ 20 ปี",
    "master_plan": "ข. แผนแม่บทภายใต้ยุทธศาสตร์ชาติ",
    "nesdp": "ค. แผนพัฒนาเศรษฐกิจและสังคมแห่งชาติ ฉบับที่ 13",
    "province": "ง. ยุทธศาสตร์จังหวัด",
    "local": "จ. ยุทธศาสตร์การพัฒนาขององค์กรปกครองส่วนท้องถิ่นในเขตจังหวัด",
}
DIST_BLOCK = 100_000  # justified blocks of narrative file k are numbered from k * DIST_BLOCK


def part_title(number: int, thai_digits: bool) -> str:
    return f"ส่วนที่ {thai.digits(number, thai_digits)} {PARTS[number]}"


@lru_cache(maxsize=64)
def _markdown(source: str, key: str, base: Path, use_thai: bool) -> markdown.Rendered:
    numbers = itertools.count((list(FILES).index(key) + 1) * DIST_BLOCK)
    return markdown.render(
        source,
        key,
        base,
        text=lambda value: prose(value, use_thai),
        digits=lambda value: thai.digits(value, use_thai),
        dist=lambda: next(numbers),
    )


def narrative_html(plan: Plan, narrative: Narrative) -> dict[str, markdown.Rendered]:
    """Each narrative file of the plan as HTML, with its headings (cached: every part of a
    long document renders the same files)."""
    return {
        key: _markdown(source, key, narrative.files[key].parent, plan.thai_digits)
        for key, source in narrative.sources.items()
    }


def toc(
    plan: Plan,
    book: dict[str, markdown.Rendered] | None = None,
    forms: list[summary.Form] | None = None,
) -> list[dict[str, Any]]:
    """Entries of the table of contents, in the book's order: level, anchor id, text."""
    book = book or {}
    forms = summary.forms(plan) if forms is None else forms
    digits = plan.thai_digits

    def part(number: int) -> tuple[int, str, str]:
        return (1, f"part{number}", part_title(number, digits))

    def sections(key: str) -> list[tuple[int, str, str]]:
        found = book[key].headings if key in book else ()
        return [(2, h.id, h.text) for h in found if h.level == 2]

    entries = [(1, "preface", "คำนำ")] if "preface" in book else []
    if "general" in book:
        entries += [part(1), *sections("general")]
    if "results" in book:
        entries += [part(2), *sections("results")]
    entries.append(part(3))
    if any(s.links for s in plan.strategies):
        entries.append((2, "links", "ความเชื่อมโยงกับแผนพัฒนาระดับมหภาค"))
    goals = plan.goals_label
    entries += [(2, "vision", "วิสัยทัศน์"), (2, "missions", "พันธกิจ"), (2, "goals", goals)]
    for i, s in enumerate(plan.strategies, 1):
        name = thai.digits(s.name.removeprefix("ยุทธศาสตร์"), digits)
        entries.append((2, f"strategy-{i}", f"ยุทธศาสตร์ที่ {thai.digits(i, digits)} {name}"))
    entries += sections("analysis")
    if forms:
        entries += [part(4), (2, "programmes", "ยุทธศาสตร์การพัฒนาและแผนงาน")]
        entries += [(2, f.anchor, f"{f.title} ({f.label})") for f in forms]
    if "monitoring" in book:
        entries += [part(5), *sections("monitoring")]
    return [{"level": level, "id": anchor, "text": text} for level, anchor, text in entries]


def render(template: str, plan: Plan, **extra: Any) -> str:
    """*template* filled from *plan*; *extra* may hold its `narrative` (plan.narrative)."""
    family = font_family(plan.settings.font)
    return environment().get_template(template).render(context(plan, family, **extra))
