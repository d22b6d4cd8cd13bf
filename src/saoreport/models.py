"""The plan file, as pydantic models. Strict: unknown keys and wrong types are errors."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Year = Annotated[int, Field(ge=2400, le=2700, description="Buddhist-era year")]
Baht = Annotated[int, Field(ge=0)]


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
    approval: Approval | None = None
    announced: dt.date | None = None


class Settings(Strict):
    digits: Literal["thai", "arabic"] = "thai"
    font: Text | None = None
    poster_url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = None


class Indicator(Strict):
    name: Text
    unit: Text
    targets: dict[Year, float | Text] = Field(default_factory=dict)


class Tactic(Strict):
    id: Text
    name: Text


class Strategy(Strict):
    id: Text
    name: Text
    goals: list[Annotated[int, Field(ge=1)]] = Field(default_factory=list)
    missions: list[Annotated[int, Field(ge=1)]] = Field(default_factory=list)
    indicators: list[Indicator] = Field(default_factory=list)
    tactics: list[Tactic] = Field(default_factory=list)


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

    @property
    def years(self) -> list[int]:
        return list(range(self.plan.period.first, self.plan.period.last + 1))

    @property
    def thai_digits(self) -> bool:
        return self.settings.digits == "thai"
