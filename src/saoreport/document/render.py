"""Plan -> HTML, through the Jinja templates (autoescaped, strict about undefined names)."""

from __future__ import annotations

import itertools
import re
from functools import cache
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from saoreport import thai
from saoreport.fonts.family import FontFamily, font_family, page_dash
from saoreport.plan import summary
from saoreport.plan.models import Plan
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

# Words a user joined with no-break spaces (U+00A0) stay on one line. WeasyPrint (Pango) breaks
# Thai across a no-break space, so the phrase goes into a span that does not wrap, with plain
# spaces. Numbered phrases ("หมู่ที่ ๕"), numbers with their units ("๑ แห่ง"), ฯลฯ and words are
# kept together by the line breaking itself (pdf/linebreak.py), which needs no markup.
KEEP_TOGETHER = re.compile(r"[^\s\u00a0]+(?:\u00a0[^\s\u00a0]+)+")


def prose(text: str, thai_digits: bool) -> Markup:
    """Escape *text*, set its digits, keep NBSP-joined words on a line."""
    text = thai.digits(text, thai_digits)
    out, last = [], 0
    for match in KEEP_TOGETHER.finditer(text):
        out.append(escape(text[last : match.start()]))
        kept = match.group().replace("\u00a0", " ")
        out.append(Markup('<span class="nobr">{}</span>').format(kept))
        last = match.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


def left_column(items: list[str]) -> int:
    """How many of *items* go into the left of two columns: as many as leave it no longer
    (in characters) than the right one, at least one. A PDF reader's reading order takes a
    left column that ends above the right one whole before the right; the other way round
    it reads the left column's foot after the right column."""
    total = sum(len(item) for item in items)
    k, left = 0, 0
    while k < len(items) - 1 and 2 * (left + len(items[k])) <= total:
        left += len(items[k])
        k += 1
    return max(k, 1)


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
    env.globals["left_column"] = left_column
    return env


def context(plan: Plan, family: FontFamily, **extra: Any) -> dict[str, Any]:
    use_thai = plan.thai_digits

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
        "toc": toc(plan),
        **extra,
    }


def toc(plan: Plan) -> list[dict[str, Any]]:
    """Entries of the table of contents: level, anchor id, text."""

    def d(value: object) -> str:
        return thai.digits(value, plan.thai_digits)

    goals = plan.goals_label
    entries = [
        (1, "part1", f"ส่วนที่ {d(1)} วิสัยทัศน์ พันธกิจ และ{goals}การพัฒนา"),
        (2, "vision", "วิสัยทัศน์"),
        (2, "missions", "พันธกิจ"),
        (2, "goals", goals),
    ]
    if plan.strategies:
        entries.append((1, "part2", f"ส่วนที่ {d(2)} ยุทธศาสตร์การพัฒนา"))
        for i, s in enumerate(plan.strategies, 1):
            name = thai.digits(s.name.removeprefix("ยุทธศาสตร์"), plan.thai_digits)
            entries.append((2, f"strategy-{i}", f"ยุทธศาสตร์ที่ {d(i)} {name}"))
    if summary.blocks(plan):
        entries.append((1, "part3", f"ส่วนที่ {d(3)} การนำแผนพัฒนาท้องถิ่นไปสู่การปฏิบัติ"))
        entries.append((2, "p01", "บัญชีสรุปโครงการพัฒนา (แบบ ผ.01)"))
        entries.append((2, "p02", "รายละเอียดโครงการพัฒนา (แบบ ผ.02)"))
    return [{"level": level, "id": anchor, "text": text} for level, anchor, text in entries]


def render(template: str, plan: Plan, **extra: Any) -> str:
    family = font_family(plan.settings.font)
    return environment().get_template(template).render(context(plan, family, **extra))
