"""The plan file, as pydantic models. Strict: unknown keys and wrong types are errors."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
)

from saoreport.messages import _
from saoreport.thai import plan_date, typed_date, typed_number


def _number(value: object) -> object:
    """๒๕๗๐ (Thai digits, which YAML reads as text) as the number 2570; else as it is."""
    if isinstance(value, str):
        number = typed_number(value)
        return value if number is None else number
    return value


def _date(value: object) -> object:
    """A date in the forms people type ('20/08/2569', '20 สิงหาคม 2569', Thai digits), and a
    YAML date that the calendar has in its own era (2568-02-29 does not exist: 2025)."""
    if isinstance(value, str):
        return typed_date(value)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return plan_date(value.year, value.month, value.day)
    return value


# Limits (README, "Limits"): generous for real plans, and what the documents can hold.
MAX_TEXT = 2000  # characters of one text: a vision, a mission, a strategy, an objective
MAX_NAME = 300  # names, titles, units, places
MAX_ID = 40
MAX_ITEMS = 50  # missions, goals, strategies
MAX_ROWS = 10_000  # projects, equipment
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_NAME)]
Id = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_ID)]
Url = Annotated[str, StringConstraints(pattern=r"^https?://\S+$", max_length=MAX_NAME)]
Year = Annotated[
    int, Field(ge=2400, le=2700, description="Buddhist-era year"), BeforeValidator(_number)
]
MAX_BAHT = 9_999_999_999  # ten digits: the money columns of every form hold this much
Baht = Annotated[int, Field(ge=0, le=MAX_BAHT), BeforeValidator(_number)]
MAX_TARGET = 1e12  # an indicator's target: a finite number of at most 13 digits
TARGET_DECIMALS = 4  # a target prints as written: 80.5, 0.25, not 1e-300


def _target(value: float) -> float:
    if round(value, TARGET_DECIMALS) != value:
        raise ValueError(
            _(
                "{value} has more than {limit} decimal places: write the target with at most"
                " {limit}, or as text",
                value=repr(value),
                limit=TARGET_DECIMALS,
            )
        )
    return value + 0.0  # -0.0 is 0


Target = Annotated[
    float,
    Field(allow_inf_nan=False, ge=-MAX_TARGET, le=MAX_TARGET),
    AfterValidator(_target),
]
PlanDate = Annotated[dt.date, BeforeValidator(_date)]
Number = Annotated[int, Field(ge=1, le=1000), BeforeValidator(_number)]  # a goal or mission


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


OrgType = Literal["อบต.", "เทศบาลตำบล", "เทศบาลเมือง", "เทศบาลนคร", "อบจ."]
# The legal name's first words for each type -> (type, first words of its short name).
ORG_TYPES: dict[str, tuple[OrgType, str]] = {
    "องค์การบริหารส่วนตำบล": ("อบต.", "อบต."),
    "องค์การบริหารส่วนจังหวัด": ("อบจ.", "อบจ."),
    "เทศบาลตำบล": ("เทศบาลตำบล", "ทต."),
    "เทศบาลเมือง": ("เทศบาลเมือง", "ทม."),
    "เทศบาลนคร": ("เทศบาลนคร", "ทน."),
}
# Misspellings of those words that real pages carry (บริการ for บริหาร) -> the legal words.
MISSPELT = {
    "องค์การบริการส่วนตำบล": "องค์การบริหารส่วนตำบล",
    "องค์การบริการส่วนจังหวัด": "องค์การบริหารส่วนจังหวัด",
}


def org_type(name: str) -> tuple[str, OrgType, str]:
    """The first words of *name* that give its type (a misspelling of them too), its type and
    the first words of its short name; an อบต. when nothing matches."""
    for prefix in [*ORG_TYPES, *MISSPELT]:
        if name.startswith(prefix):
            kind, short = ORG_TYPES[MISSPELT.get(prefix, prefix)]
            return prefix, kind, short
    return "องค์การบริหารส่วนตำบล", "อบต.", "อบต."


class Executive(Strict):
    name: Name | None = None  # without it, the signature block leaves a line to fill in
    title: Name


class Organization(Strict):
    name: Name
    short_name: Name
    type: OrgType
    district: Name
    province: Name
    logo: Name | None = None
    emblem: Name | None = Field(None, description="Garuda emblem image the user supplies")
    website: Url | None = None
    address: Name | None = None
    executive: Executive


class Period(Strict):
    first: Year
    last: Year


class Approval(Strict):
    session: Name = Field(description="e.g. สมัยสามัญ สมัยที่ ๓ ประจำปี ๒๕๖๗")
    meeting: Name = Field(description="e.g. ครั้งที่ ๑")
    date: PlanDate


class PlanInfo(Strict):
    title: Name = "แผนพัฒนาท้องถิ่น"
    period: Period
    fiscal_year: Year
    revision: Name | None = None
    prepared_by: Name | None = Field(
        None, description="the office that prepared the plan, e.g. งานนโยบายและแผน สำนักปลัด"
    )
    approval: Approval | None = None
    announced: PlanDate | None = None


class Settings(Strict):
    digits: Literal["thai", "arabic"] = "thai"
    money_digits: Literal["thai", "arabic"] | None = Field(
        default=None,
        description="digits of the forms' money columns (budgets, counts, totals); default:"
        " `digits`. Arabic is allowed there (cabinet resolution of 2543)",
    )
    font: Name | None = None
    poster_url: Url | None = None
    form_size: Literal[12, 14, 16] = Field(
        default=12,
        description="the forms' text, in official points (TH Sarabun PSK): 12 as a workbook"
        " printed one page wide, 14 or 16 as many printed books",
    )
    bind_announcement: bool = Field(
        default=False, description="bind the announcement (ประกาศ) in, after the cover"
    )


class Indicator(Strict):
    name: Name
    unit: Name
    targets: dict[Year, Annotated[Target | Name, BeforeValidator(_number)]] = Field(
        default_factory=dict
    )


class Tactic(Strict):
    id: Id
    name: Name


class MacroLinks(Strict):
    """The lines ก.–จ. above a strategy's forms: the macro plans the strategy serves."""

    national: Text | None = Field(None, description="ก. ยุทธศาสตร์ชาติ ๒๐ ปี")
    master_plan: Text | None = Field(None, description="ข. แผนแม่บทภายใต้ยุทธศาสตร์ชาติ")
    nesdp: Text | None = Field(None, description="ค. แผนพัฒนาเศรษฐกิจและสังคมแห่งชาติ ฉบับที่ ๑๓")
    province: Text | None = Field(None, description="ง. ยุทธศาสตร์จังหวัด")
    local: Text | None = Field(
        None, description="จ. ยุทธศาสตร์การพัฒนาขององค์กรปกครองส่วนท้องถิ่นในเขตจังหวัด"
    )


class Strategy(Strict):
    id: Id
    name: Text  # pages run a strategy's name and its explanation together
    links: MacroLinks | None = None
    goals: list[Number] = Field(default_factory=list, max_length=100)
    missions: list[Number] = Field(default_factory=list, max_length=100)
    indicators: list[Indicator] = Field(default_factory=list, max_length=100)
    tactics: list[Tactic] = Field(default_factory=list, max_length=100)


ProjectKind = Literal["local", "community", "coordination"]


# Editions (amendments) ----------------------------------------------------------------------
# The regulation (ระเบียบกระทรวงมหาดไทยว่าด้วยการจัดทำแผนพัฒนาขององค์กรปกครองส่วนท้องถิ่น พ.ศ. 2548
# as amended, ฉบับที่ 3 พ.ศ. 2561): each kind of edition rests on a clause, and each clause on a
# process. "22/2" (royal projects, state ceremonies, government or ministry policy) may be given
# for a เพิ่มเติม or a เปลี่ยนแปลง: the executive alone then approves it.
EditionKind = Literal["เพิ่มเติม", "เปลี่ยนแปลง", "แก้ไข", "ทบทวน"]
CLAUSES: dict[str, str] = {"เพิ่มเติม": "22", "เปลี่ยนแปลง": "22/1", "แก้ไข": "21", "ทบทวน": "17"}
# The bodies each clause asks for before the executive's approval (an อบต.'s council, มาตรา 46,
# only where the organisation is an อบต.): field -> asked.
PROCESS: dict[str, tuple[str, ...]] = {
    "22": ("drafted", "committee", "forum", "council"),
    "22/1": ("drafted", "committee", "council"),
    "22/2": (),
    "21": (),
    "17": ("drafted", "committee", "forum", "council"),
}
EDITION_NAME = re.compile(
    r"^\s*(เพิ่มเติม|เปลี่ยนแปลง|แก้ไข|ทบทวน)\s*(?:\(?\s*(?:ครั้งที่|ฉบับที่)\s*)?"
    r"([0-9๐-๙]+)\s*\)?\s*/\s*(?:พ\.ศ\.\s*)?([0-9๐-๙]{4})\s*$"
)


def edition_key(text: str) -> tuple[str, int, int] | None:
    """The kind, number and year an edition's name gives ("เพิ่มเติม ครั้งที่ ๑/๒๕๖๘",
    "เพิ่มเติม ครั้งที่ 1 / 2568", "เพิ่มเติม (ฉบับที่ 1)/2568"), or None."""
    match = EDITION_NAME.match(text)
    if not match:
        return None
    arabic = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
    return (
        match.group(1),
        int(match.group(2).translate(arabic)),
        int(match.group(3).translate(arabic)),
    )


class Appendix(Strict):
    """A document the office supplies for the book's ภาคผนวก (minutes, an order, a map): a PDF
    or a JPEG or PNG image in the plan folder, appended after the book's body in the order of
    the list, each under its title in the contents and the bookmarks."""

    title: Name = Field(description="its title in the contents, e.g. รายงานการประชุมสภา")
    file: Name = Field(description="a .pdf, .jpg or .png file in the plan folder")


MAX_APPENDICES = 50


class Edition(Strict):
    """An amendment of the plan (or its review), as the office names it: "เพิ่มเติม ครั้งที่
    1/2568" (the counter restarts each year and each kind counts on its own)."""

    kind: EditionKind
    number: Number
    year: Year = Field(description="the Buddhist-era year of its name (ครั้งที่ 1/2568)")
    clause: Literal["22/2"] | None = Field(
        None,
        description="22/2 for a เพิ่มเติม or เปลี่ยนแปลง about royal projects, state ceremonies or"
        " government or ministry policy (the executive alone); otherwise the kind's clause",
    )
    base: Name | None = Field(
        None,
        description="the archived version it amends: v1 (this fiscal year's) or 2568/v1",
    )
    reasons: Name | None = Field(
        None, description="Markdown file beside plan.yaml: เหตุผลและความจำเป็น"
    )
    drafted: PlanDate | None = Field(
        None, description="the support committee's draft (คณะกรรมการสนับสนุนการจัดทำแผนฯ)"
    )
    committee: PlanDate | None = Field(None, description="considered by คณะกรรมการพัฒนาท้องถิ่น")
    forum: PlanDate | None = Field(None, description="considered by ประชาคมท้องถิ่น (เพิ่มเติม, ทบทวน)")
    council: Approval | None = Field(
        None, description="the council (สภา) meeting that agreed, for an อบต. (มาตรา 46)"
    )
    approved: PlanDate | None = Field(None, description="approved by the executive")
    announced: PlanDate | None = Field(None, description="announced by the executive")
    appendices: list[Appendix] = Field(
        default_factory=list,
        max_length=MAX_APPENDICES,
        description="its book's ภาคผนวก (the minutes of the bodies that considered it, the"
        " orders): PDFs and images, in this order",
    )

    @property
    def name(self) -> str:
        """ "เพิ่มเติม ครั้งที่ 1/2568" (Arabic digits: the templates set the plan's)."""
        return f"{self.kind} ครั้งที่ {self.number}/{self.year}"

    @property
    def key(self) -> tuple[str, int, int]:
        return self.kind, self.number, self.year

    @property
    def rule(self) -> str:
        """The clause of the regulation it rests on: 22, 22/1, 22/2, 21 or 17."""
        return self.clause or CLAUSES[self.kind]

    @property
    def code(self) -> str:
        """Its name in file names: add-1-2568, change-2-2568, fix-1-2568, review-1-2565."""
        word = {"เพิ่มเติม": "add", "เปลี่ยนแปลง": "change", "แก้ไข": "fix", "ทบทวน": "review"}
        return f"{word[self.kind]}-{self.number}-{self.year}"


class ItemChange(Strict):
    """An edition that changed a project or an equipment row, and why."""

    edition: Name = Field(description="the edition's name, e.g. เปลี่ยนแปลง ครั้งที่ 1/2568")
    reason: Text = Field(description="why it changed (เหตุผล)")
    page: Annotated[int, Field(ge=1, le=100_000), BeforeValidator(_number)] | None = Field(
        None, description="the page of the original in its book, when known"
    )


class Project(Strict):
    id: Id
    strategy: Id
    tactic: Id | None = None
    programme: Name
    name: Name
    objective: Text
    target: Text
    budget: dict[Year, Baht]
    kpi: Text
    result: Text
    unit: Name
    kind: ProjectKind = Field(
        "local",
        description="local: form ผ.02; community: from village and community plans (ผ.02/1);"
        " coordination: to coordinate with the province (ผ.02/2)",
    )
    amendment: Name | None = Field(
        None, description="the edition that added it, e.g. เพิ่มเติม ครั้งที่ ๑/๒๕๖๘"
    )
    changed: list[ItemChange] = Field(
        default_factory=list, max_length=100, description="editions that changed it, with why"
    )
    enacted: dict[Year, Baht] = Field(
        default_factory=dict,
        description="งบประมาณตามเทศบัญญัติ (ข้อบัญญัติ): what the budget ordinance gave it, per"
        " year; the second budget block of a 17-column ผ.02 sheet (kept and exported, not printed)",
    )

    def in_year(self, year: int) -> int:
        return self.budget.get(year, 0)


class Equipment(Strict):
    """A row of the equipment list (บัญชีครุภัณฑ์, form ผ.03; ผ.08 in older guidelines)."""

    id: Id
    strategy: Id | None = None
    programme: Name = Field(description="แผนงาน")
    category: Name = Field("ค่าครุภัณฑ์", description="หมวด")
    type: Name = Field(description="ประเภท, e.g. ครุภัณฑ์สำนักงาน")
    target: Text = Field(description="เป้าหมาย (ผลผลิตของครุภัณฑ์)")
    budget: dict[Year, Baht]
    unit: Name = Field(description="หน่วยงานรับผิดชอบหลัก")
    amendment: Name | None = Field(None, description="the edition that added it")
    changed: list[ItemChange] = Field(
        default_factory=list, max_length=100, description="editions that changed it, with why"
    )

    def in_year(self, year: int) -> int:
        return self.budget.get(year, 0)


class Programme(Strict):
    """A programme (แผนงาน) as the table of ส่วนที่ ๔ shows it: its area (ด้าน) and the units
    that support the units running it."""

    name: Name = Field(description="the แผนงาน, as the projects and equipment name it")
    area: Name | None = Field(
        None, description="ด้าน; default: the area of the budget's classification (summary.AREAS)"
    )
    support: list[Name] = Field(default_factory=list, max_length=100, description="หน่วยงานสนับสนุน")


class Plan(Strict):
    organization: Organization
    plan: PlanInfo
    settings: Settings = Settings()
    vision: Text
    missions: list[Text] = Field(min_length=1, max_length=MAX_ITEMS)
    goals_label: Literal["เป้าหมาย", "เป้าประสงค์"] = "เป้าหมาย"
    goals: list[Text] = Field(min_length=1, max_length=MAX_ITEMS)
    strategies: list[Strategy] = Field(default_factory=list, max_length=MAX_ITEMS)
    projects: list[Project] = Field(default_factory=list, max_length=MAX_ROWS)
    equipment: list[Equipment] = Field(default_factory=list, max_length=MAX_ROWS)
    editions: list[Edition] = Field(
        default_factory=list,
        max_length=MAX_ROWS,
        description="the plan's amendments and reviews, oldest first",
    )
    appendices: list[Appendix] = Field(
        default_factory=list,
        max_length=MAX_APPENDICES,
        description="ภาคผนวก: PDFs and images appended to the book, in this order",
    )
    programmes: list[Programme] = Field(default_factory=list, max_length=MAX_ROWS)

    @property
    def years(self) -> list[int]:
        return list(range(self.plan.period.first, self.plan.period.last + 1))

    def edition(self, name: str | None) -> Edition | None:
        """The edition *name* names ("เพิ่มเติม ครั้งที่ ๑/๒๕๖๘"), or None."""
        key = edition_key(name) if name else None
        return next((e for e in self.editions if e.key == key), None)

    @property
    def revision(self) -> str | None:
        """The edition the plan is at: its latest edition's name, else plan.revision."""
        return self.editions[-1].name if self.editions else self.plan.revision

    @property
    def thai_digits(self) -> bool:
        return self.settings.digits == "thai"

    @property
    def thai_money(self) -> bool:
        """Thai digits in the money columns: `money_digits`, else `digits`."""
        return (self.settings.money_digits or self.settings.digits) == "thai"
