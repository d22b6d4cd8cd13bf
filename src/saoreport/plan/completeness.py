"""What a plan's book lacks against the official structure, and whether it prints as a draft.

The book of the 2566–2570 guideline has five parts (ส่วนที่ ๑–๕), each with standard numbered
headings (STANDARD). `validate` warns of a missing part, a standard heading missing from a
part, a strategy without goals or indicators, and placeholders (`CHECK:`, written by `import`
and `new`) left in. A book with placeholders, or without a required part, prints "ฉบับร่าง"
on every page (draft()) until they are resolved: a placeholder never reaches a council's book
as if final.

A plan that has only ส่วนที่ ๓ (no narrative file, no project or equipment: what `import`
makes of an SAO's web page) is an excerpt: its book is titled "ส่วนที่ ๓ ยุทธศาสตร์…" and
says it is taken from the plan (excerpt()). It is told from what the plan holds, not declared:
such a plan can be nothing else, and a plan that grows one more part becomes a whole book
(then a draft until its other parts are written) without a setting to remember.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from saoreport.errors import Problem
from saoreport.messages import _
from saoreport.plan.models import Plan
from saoreport.plan.narrative import FILES, Narrative, printed_pieces, tokens
from saoreport.thai import thai_digits

PLACEHOLDER = "CHECK"  # what marks a value to fill in (import, new)
PLACEHOLDER_RE = re.compile(r"\bCHECK\b")
REQUIRED = ("general", "results", "monitoring")  # ส่วนที่ ๑, ๒, ๕ (๓ and ๔ come from plan.yaml)
PART_OF = {"general": 1, "results": 2, "analysis": 3, "monitoring": 5}

# The standard headings of each narrative file: (heading as the guideline writes it, words
# any of which in a heading of the file stands for it).
STANDARD: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    "general": [
        ("ด้านกายภาพ", ("กายภาพ",)),
        ("ด้านการเมือง/การปกครอง", ("การเมือง", "การปกครอง")),
        ("ประชากร", ("ประชากร",)),
        ("สภาพทางสังคม", ("สังคม",)),
        ("ระบบบริการพื้นฐาน", ("บริการพื้นฐาน",)),
        ("ระบบเศรษฐกิจ", ("ระบบเศรษฐกิจ",)),
        ("เศรษฐกิจพอเพียงท้องถิ่น (ด้านการเกษตรและแหล่งน้ำ)", ("เศรษฐกิจพอเพียง",)),
        ("ศาสนา ประเพณี วัฒนธรรม", ("ศาสนา", "ประเพณี", "วัฒนธรรม")),
        ("ทรัพยากรธรรมชาติ", ("ทรัพยากรธรรมชาติ",)),
        ("อื่น ๆ", ("อื่น",)),
    ],
    "results": [
        ("สรุปสถานการณ์การพัฒนา", ("สถานการณ์",)),
        ("การประเมินผลการนำแผนพัฒนาท้องถิ่นไปปฏิบัติในเชิงปริมาณ", ("เชิงปริมาณ",)),
        ("การประเมินผลการนำแผนพัฒนาท้องถิ่นไปปฏิบัติในเชิงคุณภาพ", ("เชิงคุณภาพ",)),
        ("สรุปปัญหาอุปสรรคการดำเนินงานที่ผ่านมาและแนวทางการแก้ไข", ("แนวทางการแก้ไข", "แนวทางแก้ไข")),
    ],
    "analysis": [
        ("แผนพัฒนาภาค/แผนพัฒนากลุ่มจังหวัด", ("แผนพัฒนาภาค", "กลุ่มจังหวัด")),
        ("แผนพัฒนาอำเภอ", ("อำเภอ",)),
        ("นโยบายของผู้บริหารท้องถิ่น", ("นโยบาย",)),
        ("จุดยืนทางยุทธศาสตร์", ("จุดยืน",)),
        ("ความเชื่อมโยงของยุทธศาสตร์ในภาพรวม", ("ความเชื่อมโยง",)),
        ("การวิเคราะห์เพื่อพัฒนาท้องถิ่น", ("วิเคราะห์",)),
    ],
    "monitoring": [
        ("การติดตามและประเมินผลยุทธศาสตร์", ("ประเมินผลยุทธศาสตร์",)),
        ("การติดตามและประเมินผลโครงการ", ("ประเมินผลโครงการ",)),
        ("สรุปผลการพัฒนาท้องถิ่นในภาพรวม", ("ภาพรวม",)),
        ("ข้อเสนอแนะในการจัดทำแผนพัฒนาท้องถิ่นในอนาคต", ("ข้อเสนอแนะ",)),
    ],
}


NUMBERED = {"general", "results"}  # the guideline numbers these parts' headings 1, 2, …


def excerpt(plan: Plan, narrative: Narrative) -> bool:
    """Whether the plan is ส่วนที่ ๓ alone: no narrative file, no project, no equipment."""
    return not narrative.sources and not plan.projects and not plan.equipment


def _plan_strings(
    node: Any, loc: tuple[str | int, ...] = ()
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _plan_strings(value, (*loc, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _plan_strings(value, (*loc, i))
    elif isinstance(node, str):
        yield loc, node


def placeholders_in_plan(values: Any) -> list[tuple[str | int, ...]]:
    """Where the plan file's values (plain data) hold a placeholder."""
    return [loc for loc, text in _plan_strings(values) if PLACEHOLDER_RE.search(text)]


def placeholders_in_narrative(narrative: Narrative) -> Iterator[tuple[str, int, int]]:
    """(key, line, column) of each placeholder in the narrative's printed text."""
    for key, source in narrative.sources.items():
        lines = source.splitlines()
        for line, piece in printed_pieces(source):
            if PLACEHOLDER_RE.search(piece):
                where = lines[line - 1] if 0 < line <= len(lines) else ""
                found = PLACEHOLDER_RE.search(where)
                yield key, line, (found.start() + 1 if found else 1)


_LAST: list[tuple[Plan, Narrative, bool]] = []  # the last plan's answer (both immutable)


def draft(plan: Plan, narrative: Narrative) -> bool:
    """Whether the book prints "ฉบับร่าง" on every page: a placeholder left in the plan or
    its narrative, or (a whole book, not an excerpt) a required part missing. Every part
    of a long document asks again: the last plan's answer is kept."""
    if _LAST and _LAST[0][0] is plan and _LAST[0][1] is narrative:
        return _LAST[0][2]
    found = _draft(plan, narrative)
    _LAST[:] = [(plan, narrative, found)]
    return found


def _draft(plan: Plan, narrative: Narrative) -> bool:
    if placeholders_in_plan(plan.model_dump(mode="json")):
        return True
    if next(placeholders_in_narrative(narrative), None) is not None:
        return True
    return bool(missing_parts(plan, narrative))


def missing_parts(plan: Plan, narrative: Narrative) -> list[int]:
    """The required parts (numbers) a whole book lacks; none for an excerpt."""
    if excerpt(plan, narrative):
        return []
    missing = [PART_OF[key] for key in REQUIRED if key not in narrative.sources]
    if not plan.projects:
        missing.append(4)
    return sorted(missing)


def _headings(source: str) -> list[str]:
    parsed = tokens(source)
    return [parsed[i + 1].content for i, t in enumerate(parsed[:-1]) if t.type == "heading_open"]


def missing_headings(narrative: Narrative) -> dict[str, list[str]]:
    """Each narrative file's standard headings it has no heading for, numbered as the
    guideline numbers them ("๗ เศรษฐกิจพอเพียงท้องถิ่น …")."""
    out: dict[str, list[str]] = {}
    for key, source in narrative.sources.items():
        heads = _headings(source)
        numbered = key in NUMBERED
        lacking = [
            f"{thai_digits(n)}. {label}" if numbered else label
            for n, (label, words) in enumerate(STANDARD.get(key, []), 1)
            if not any(w in h for h in heads for w in words)
        ]
        if lacking:
            out[key] = lacking
    return out


Loc = tuple[str | int, ...]


def warnings(
    plan: Plan, narrative: Narrative, values: Any, plan_file: Path
) -> tuple[list[tuple[Loc, str]], list[Problem]]:
    """What the book lacks: warnings at places in the plan file (loc, message), and
    warnings located in the narrative files or naming the plan file."""
    at_keys: list[tuple[Loc, str]] = []
    located: list[Problem] = []
    if excerpt(plan, narrative):
        located.append(
            Problem(
                plan_file,
                1,
                1,
                "",
                _(
                    "warning: the plan has only ส่วนที่ ๓ (no narrative files, no projects): its"
                    " book is printed as an excerpt, titled ส่วนที่ ๓; write the other parts to"
                    " make it the whole plan"
                ),
            )
        )
    for number in missing_parts(plan, narrative):
        if number == 4:
            message = _(
                "warning: ส่วนที่ ๔ is missing: the plan has no projects; add them under"
                " projects: (the book prints ฉบับร่าง on every page until then)"
            )
        else:
            key = next(k for k, n in PART_OF.items() if n == number)
            message = _(
                "warning: ส่วนที่ {number} is missing: write {file} (saoreport new writes it"
                " with its standard headings); the book prints ฉบับร่าง on every page until"
                " then",
                number=thai_digits(number),
                file=FILES[key],
            )
        located.append(Problem(plan_file, 1, 1, "", message))
    for key, lacking in missing_headings(narrative).items():
        located.append(
            Problem(
                narrative.files[key],
                1,
                1,
                "",
                _(
                    "warning: ส่วนที่ {number} lacks the standard headings {headings}: add"
                    " them, each as a line starting with #",
                    number=thai_digits(PART_OF[key]),
                    headings=", ".join(lacking),
                ),
            )
        )
    for i, strategy in enumerate(plan.strategies):
        if not strategy.goals:
            at_keys.append(
                (
                    ("strategies", i, "name"),
                    _(
                        "warning: this strategy has no goals: list the numbers of the goals it"
                        " serves under goals:"
                    ),
                )
            )
        if not strategy.indicators:
            at_keys.append(
                (
                    ("strategies", i, "name"),
                    _(
                        "warning: this strategy has no indicators: add its indicators and"
                        " their targets under indicators:"
                    ),
                )
            )
    for loc in placeholders_in_plan(values):
        at_keys.append(
            (
                loc,
                _(
                    "warning: a placeholder (CHECK) is left here: write the real text; the"
                    " book prints ฉบับร่าง on every page until then"
                ),
            )
        )
    for key, line, col in placeholders_in_narrative(narrative):
        located.append(
            Problem(
                narrative.files[key],
                line,
                col,
                "",
                _(
                    "warning: a placeholder (CHECK) is left here: write the real text; the"
                    " book prints ฉบับร่าง on every page until then"
                ),
            )
        )
    return at_keys, located
