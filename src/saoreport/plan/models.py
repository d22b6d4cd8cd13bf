"""The plan file, as pydantic models. Strict: unknown keys and wrong types are errors."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Year = Annotated[int, Field(ge=2400, le=2700, description="Buddhist-era year")]
MAX_BAHT = 9_999_999_999  # ten digits: the money columns of every form hold this much
Baht = Annotated[int, Field(ge=0, le=MAX_BAHT)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


OrgType = Literal["อบต.", "เทศบาลตำบล", "เทศบาลเมือง", "เทศบาลนคร", "อบจ."]


class Executive(Strict):
    name: Text | None = None  # without it, the signature block leaves a line to fill in
    title: Text


class Organization(Strict):
    name: Text
    short_name: Text
    type: OrgType
    district: Text
    province: Text
    logo: Text | None = None
    emblem: Text | None = Field(None, description="Garuda emblem image the user supplies")
    website: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = None
    address: Text | None = None
    executive: Executive


class Period(Strict):
    first: Year
    last: Year


class Approval(Strict):
    session: Text = Field(description="e.g. สมัยสามัญ สมัยที่ ๓ ประจำปี ๒๕๖๗")
    meeting: Text = Field(description="e.g. ครั้งที่ ๑")
    date: dt.date


class PlanInfo(Strict):
    title: Text = "แผนพัฒนาท้องถิ่น"
    period: Period
    fiscal_year: Year
    revision: Text | None = None
    prepared_by: Text | None = Field(
        None, description="the office that prepared the plan, e.g. งานนโยบายและแผน สำนักปลัด"
    )
    approval: Approval | None = None
    announced: dt.date | None = None


class Settings(Strict):
    digits: Literal["thai", "arabic"] = "thai"
    money_digits: Literal["thai", "arabic"] | None = Field(
        default=None,
        description="digits of the forms' money columns (budgets, counts, totals); default:"
        " `digits`. Arabic is allowed there (cabinet resolution of 2543)",
    )
    font: Text | None = None
    poster_url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = None
    bind_announcement: bool = Field(
        default=False, description="bind the announcement (ประกาศ) in, after the cover"
    )


class Indicator(Strict):
    name: Text
    unit: Text
    targets: dict[Year, float | Text] = Field(default_factory=dict)


class Tactic(Strict):
    id: Text
    name: Text


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
    id: Text
    name: Text
    links: MacroLinks | None = None
    goals: list[Annotated[int, Field(ge=1)]] = Field(default_factory=list)
    missions: list[Annotated[int, Field(ge=1)]] = Field(default_factory=list)
    indicators: list[Indicator] = Field(default_factory=list)
    tactics: list[Tactic] = Field(default_factory=list)


ProjectKind = Literal["local", "community", "coordination"]


class Project(Strict):
    id: Text
    strategy: Text
    tactic: Text | None = None
    programme: Text
    name: Text
    objective: Text
    target: Text
    budget: dict[Year, Baht]
    kpi: Text
    result: Text
    unit: Text
    kind: ProjectKind = Field(
        "local",
        description="local: form ผ.02; community: from village and community plans (ผ.02/1);"
        " coordination: to coordinate with the province (ผ.02/2)",
    )
    amendment: Text | None = Field(
        None, description="the amendment that added it, e.g. เพิ่มเติม ครั้งที่ ๑/๒๕๖๘"
    )

    def in_year(self, year: int) -> int:
        return self.budget.get(year, 0)


class Equipment(Strict):
    """A row of the equipment list (บัญชีครุภัณฑ์, form ผ.03; ผ.08 in older guidelines)."""

    id: Text
    strategy: Text | None = None
    programme: Text = Field(description="แผนงาน")
    category: Text = Field("ค่าครุภัณฑ์", description="หมวด")
    type: Text = Field(description="ประเภท, e.g. ครุภัณฑ์สำนักงาน")
    target: Text = Field(description="เป้าหมาย (ผลผลิตของครุภัณฑ์)")
    budget: dict[Year, Baht]
    unit: Text = Field(description="หน่วยงานรับผิดชอบหลัก")
    amendment: Text | None = None

    def in_year(self, year: int) -> int:
        return self.budget.get(year, 0)


class Plan(Strict):
    organization: Organization
    plan: PlanInfo
    settings: Settings = Settings()
    vision: Text
    missions: list[Text] = Field(min_length=1)
    goals_label: Literal["เป้าหมาย", "เป้าประสงค์"] = "เป้าหมาย"
    goals: list[Text] = Field(min_length=1)
    strategies: list[Strategy] = Field(default_factory=list)
    projects: list[Project] = Field(default_factory=list)
    equipment: list[Equipment] = Field(default_factory=list)

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
