"""The plan file, as pydantic models. Strict: unknown keys and wrong types are errors."""

from __future__ import annotations

import datetime as dt
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
        None, description="the amendment that added it, e.g. เพิ่มเติม ครั้งที่ ๑/๒๕๖๘"
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
    amendment: Name | None = None

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
    programmes: list[Programme] = Field(default_factory=list, max_length=MAX_ROWS)

    @property
    def years(self) -> list[int]:
        return list(range(self.plan.period.first, self.plan.period.last + 1))

    @property
    def thai_digits(self) -> bool:
        return self.settings.digits == "thai"

    @property
    def thai_money(self) -> bool:
        """Thai digits in the money columns: `money_digits`, else `digits`."""
        return (self.settings.money_digits or self.settings.digits) == "thai"
