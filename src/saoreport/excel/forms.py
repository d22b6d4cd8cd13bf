"""What the workbook's sheets look like: titles, headings, columns, and how cells are read.

Shared by the reader and the writer so that an exported workbook imports back the same.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from saoreport.messages import _

DETAIL_TITLE = "รายละเอียดโครงการพัฒนา"
SUMMARY_TITLE = "บัญชีสรุปโครงการพัฒนา"
EQUIPMENT_TITLE = "บัญชีครุภัณฑ์"

# Form numbers per project kind: details, summary.
DETAIL_FORM = {"local": "ผ.02", "community": "ผ.02/1", "coordination": "ผ.02/2"}
SUMMARY_FORM = {"local": "ผ.01", "community": "ผ.01/1"}
EQUIPMENT_FORM = "ผ.03"
# The line under the title that says which projects a sheet lists (none for ผ.02).
KIND_LINE = {
    "community": "สำหรับ โครงการพัฒนาที่นำมาจากแผนพัฒนาหมู่บ้านและแผนชุมชน",
    "coordination": "สำหรับ ประสานโครงการพัฒนาจังหวัด",
}
_KIND_WORDS = (
    ("community", re.compile(r"ผ\.?\s*0?[12]\s*[/-]\s*1|แผนพัฒนาหมู่บ้าน|แผนชุมชน")),
    ("coordination", re.compile(r"ผ\.?\s*0?2\s*[/-]\s*2|ประสานโครงการ|ประสานแผน")),
)

LINK_KEYS = ("national", "master_plan", "nesdp", "province", "local")
LINK_LETTERS = ("ก", "ข", "ค", "ง", "จ")
LINK_WORDS = (  # what a line ก.–จ. begins with, when the letters are not the 2566 forms' five
    ("local", re.compile(r"ยุทธศาสตร์(?:การพัฒนา)?ของ\s*(?:อปท|องค์กรปกครองส่วนท้องถิ่น)")),
    ("province", re.compile(r"ยุทธศาสตร์(?:การพัฒนา)?(?:ของ)?จังหวัด")),
    ("national", re.compile(r"ยุทธศาสตร์ชาติ")),
    ("master_plan", re.compile(r"แผนแม่บท")),
    ("nesdp", re.compile(r"แผนพัฒนาเศรษฐกิจ")),
)

# Detail sheet (ผ.02): columns A-L, and M (hidden, outside the print area) for saoreport's id.
ID_HEADER = "saoreport id"
TEXT_FIELDS = ("name", "objective", "target", "kpi", "result", "unit")
DETAIL_HEADERS = {
    "number": "ที่",
    "name": "โครงการ",
    "objective": "วัตถุประสงค์",
    "target": "เป้าหมาย\n(ผลผลิตของโครงการ)",
    "budget": "งบประมาณ",
    "kpi": "ตัวชี้วัด\n(KPI)",
    "result": "ผลที่คาดว่า\nจะได้รับ",
    "unit": "หน่วยงาน\nที่รับผิดชอบหลัก",
}
EQUIPMENT_FIELDS = ("strategy", "programme", "category", "type", "target", "unit")
EQUIPMENT_HEADERS = {
    "number": "ที่",
    "strategy": "ยุทธศาสตร์",
    "programme": "แผนงาน",
    "category": "หมวด",
    "type": "ประเภท",
    "target": "เป้าหมาย\n(ผลผลิตของครุภัณฑ์)",
    "budget": "งบประมาณ",
    "unit": "หน่วยงาน\nรับผิดชอบหลัก",
}
ENACTED_HEADER = "งบประมาณตามเทศบัญญัติ"  # the 17-column sheets' second budget block
# Header words -> field, for reading any office's workbook (first match wins, in this order).
HEADER_WORDS = (
    ("kpi", re.compile(r"ตัวชี้วัด|KPI", re.I)),
    ("result", re.compile(r"ผลที่คาดว่า")),
    ("unit", re.compile(r"หน่วยงาน")),
    ("objective", re.compile(r"วัตถุประสงค์")),
    ("target", re.compile(r"เป้าหมาย")),
    ("strategy", re.compile(r"ยุทธศาสตร์")),
    ("programme", re.compile(r"แผนงาน")),
    ("category", re.compile(r"หมวด")),
    ("type", re.compile(r"ประเภท")),
    ("name", re.compile(r"โครงการ")),
    ("id", re.compile(re.escape(ID_HEADER), re.I)),
    ("number", re.compile(r"^ที่$")),
)

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
YEAR = re.compile(r"(?<!\d)(2[45]\d\d)(?!\d)")
AMENDMENT = re.compile(r"^(เพิ่มเติม|เปลี่ยนแปลง|ทบทวน|แก้ไข)\s*(?:ฉบับที่|ครั้งที่)\s*\S")
PERIOD = re.compile(r"\(\s*พ\.ศ\.\s*(\d{4})\s*[-–—]\s*(\d{4})\s*\)")
STRATEGY_NUMBERED = re.compile(r"^ยุทธศาสตร์(?:การพัฒนา)?ที่\s*(\d+)")
STRATEGY_LINE = re.compile(r"^(\d+)\s*[.)]\s*(\S.*)$", re.S)
TACTIC_LINE = re.compile(r"^(\d+)\.(\d+)\s*\.?\s*(\S.*)$", re.S)
PROGRAMME_LINE = re.compile(r"^\(\s*(\d+)\s*\)\s*(\S.*)$", re.S)
LINK_LINE = re.compile(r"^([กขคงจ])\s*\.\s*(\S.*)$", re.S)
TOTAL = re.compile(r"^\s*รวม")
ORG = re.compile(
    r"^((?:องค์การบริหารส่วนตำบล|องค์การบริหารส่วนจังหวัด|เทศบาลตำบล|เทศบาลเมือง|เทศบาลนคร)\S*)"
    r"(?:\s*อำเภอ\s*(\S+))?(?:\s*จังหวัด\s*(\S+))?\s*$"
)
NO_BUDGET = "-"


def arabic(text: str) -> str:
    return text.translate(_THAI_DIGITS)


def cell_text(value: object) -> str:
    """A cell's value as text: line breaks kept (as \\n), the outer spaces gone."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def one_line(text: str) -> str:
    return " ".join(text.split())


def kind_of(text: str) -> str | None:
    """'community' or 'coordination' when *text* names those forms, else None."""
    for kind, pattern in _KIND_WORDS:
        if pattern.search(text):
            return kind
    return None


def amendment_label(text: str) -> str | None:
    """'เพิ่มเติม ครั้งที่ 5 / 2567' -> 'เพิ่มเติม ครั้งที่ 5/2567'; None if not a marker."""
    line = one_line(text)
    if not AMENDMENT.match(line):
        return None
    return re.sub(r"\s*/\s*", "/", line)


@dataclass(frozen=True)
class Unread:
    """A cell whose value the workbook does not hold (an error, a formula saved without its
    value): calamine gives it as an empty string; excel.guard finds it in the file."""

    what: str  # "the error #DIV/0!", "a formula (=SUM(E8:E9)) saved without its value"
    advice: str  # what to do

    def __str__(self) -> str:
        return ""


@dataclass(frozen=True)
class Money:
    """A budget cell read: baht, or None for none ('-', empty); error says why it is unreadable."""

    baht: int | None
    error: str | None = None


def money(value: object) -> Money:
    """Budget cells as offices type them: 1632820, ' 1,632,820 ', '10,500,000.00', '-', ' -  '."""
    if isinstance(value, Unread):
        return Money(
            None, _("holds {what}, not an amount: {advice}", what=value.what, advice=value.advice)
        )
    if value is None or isinstance(value, bool):
        return Money(None) if value is None else _not_baht(value)
    if isinstance(value, int | float):
        if not math.isfinite(value) or value < 0:  # NaN, infinite or negative
            return _not_baht(value)
        if float(value) != int(value):
            return _satang(value)
        return Money(int(value))
    text = arabic(str(value)).strip().replace("\u00a0", "")
    if text in ("", "-", "–", "—") or re.fullmatch(r"-\s*", text):
        return Money(None)
    plain = text.replace(",", "").replace(" ", "").removesuffix("บาท")
    if re.fullmatch(r"\d+(?:\.0+)?", plain):
        return Money(int(plain.split(".")[0]))
    if re.fullmatch(r"\d+\.\d+", plain):
        return _satang(text)
    return _not_baht(text)


def _not_baht(value: object) -> Money:
    return Money(
        None,
        _(
            "{value} is not an amount of baht (type it as a number, such as 150000)",
            value=repr(value),
        ),
    )


def _satang(value: object) -> Money:
    return Money(
        None,
        _("{value} has satang (the plan holds whole baht: round it)", value=repr(value)),
    )


def cell_name(row: int, col: int) -> str:
    """(0, 0) -> 'A1' (both 0-based)."""
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row + 1}"


def sheet_name(prefix: str, taken: set[str]) -> str:
    """A unique, legal sheet name (31 characters, no []:*?/\\), as offices abbreviate them."""
    name = prefix.replace("แผนงาน", "ผง.")
    name = re.sub(r"[\[\]:*?/\\]", "-", name)[:31].strip("'")
    candidate, n = name, 2
    while candidate.lower() in {t.lower() for t in taken}:
        suffix = f"~{n}"  # not " (2)": that is how Excel names a copied sheet
        candidate, n = name[: 31 - len(suffix)] + suffix, n + 1
    taken.add(candidate)
    return candidate


def org_line(name: str, district: str, province: str) -> str:
    return f"{name} อำเภอ{district} จังหวัด{province}"


def period_line(title: str, first: int, last: int, revision: str | None) -> str:
    line = f"{title} (พ.ศ. {first} - {last})"
    return f"{line} {revision}" if revision else line
