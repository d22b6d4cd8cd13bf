"""A new plan from the official skeleton: the organisation's names, the five plan years, and
every narrative part with its standard headings, ready to fill.

`start` is the one way in. When the command line's `saoreport new` is there
(saoreport.plan.skeleton, branch fid-figures), it writes the plan; the minimal skeleton here
is written only without it (and can go once that is merged)."""

from __future__ import annotations

import datetime as dt
import importlib
from pathlib import Path
from typing import Any

from saoreport.errors import SaoError
from saoreport.messages import _
from saoreport.output import write_atomic
from saoreport.plan.models import org_type
from saoreport.thai import arabic_digits, fiscal_year_of
from saoreport.web.yamltext import scalar

# The headings real books carry (NOTES.md, "Where real books differ from ours").
PARTS = {
    "preface.md": ["# คำนำ", ""],
    "parts/1-general.md": [
        "# ด้านกายภาพ",
        "# ด้านการเมือง/การปกครอง",
        "# ประชากร",
        "# สภาพทางสังคม",
        "# ระบบบริการพื้นฐาน",
        "# ระบบเศรษฐกิจ",
        "# เศรษฐกิจพอเพียงท้องถิ่น (ด้านการเกษตรและแหล่งน้ำ)",
        "# ศาสนา ประเพณี วัฒนธรรม",
        "# ทรัพยากรธรรมชาติ",
        "# อื่น ๆ",
    ],
    "parts/2-results.md": [
        "# สรุปสถานการณ์การพัฒนา",
        "# การประเมินผลการนำแผนพัฒนาท้องถิ่นไปปฏิบัติในเชิงปริมาณ",
        "# การประเมินผลการนำแผนพัฒนาท้องถิ่นไปปฏิบัติในเชิงคุณภาพ",
        "# ปัญหาอุปสรรคและแนวทางแก้ไข",
    ],
    "parts/3-analysis.md": ["# การวิเคราะห์สภาวการณ์และศักยภาพ"],
    "parts/5-monitoring.md": ["# การติดตามและประเมินผลยุทธศาสตร์"],
}


def _official() -> Any:
    """saoreport.plan.skeleton (`saoreport new`), where it is installed; else None."""
    try:
        return importlib.import_module("saoreport.plan.skeleton")
    except ImportError:
        return None


def start(folder: Path, values: dict[str, str], today: dt.date) -> Path:
    """Write *folder*/plan.yaml and the narrative parts; *values*: name, district, province,
    first (the plan's first year)."""
    name = values.get("name", "").strip()
    district = values.get("district", "").strip() or "(อำเภอ)"
    province = values.get("province", "").strip() or "(จังหวัด)"
    if not name:
        raise SaoError(_("give the organisation's legal name"))
    given = arabic_digits(values.get("first", "").strip())
    first = int(given) if given.isascii() and given.isdigit() else 0
    if not 2400 <= first <= 2700:
        raise SaoError(_("the first year of the plan is a Buddhist-era year, such as 2566"))
    official = _official()
    if official is not None and hasattr(official, "write"):
        folder.parent.mkdir(parents=True, exist_ok=True)
        official.write(folder, name, district, province, first)
        return folder / "plan.yaml"
    prefix, kind, short = org_type(name)
    fiscal = min(max(fiscal_year_of(today), first), first + 4)
    lines = [
        "# " + _("Started from the official skeleton: replace each text in brackets."),
        "organization:",
        f"  name: {scalar(name, 2)}",
        f"  short_name: {scalar(short + name.removeprefix(prefix), 2)}",
        f"  type: {kind}",
        f"  district: {scalar(district, 2)}",
        f"  province: {scalar(province, 2)}",
        "  executive:",
        f"    title: {scalar('นายก' + name, 4)}",
        "plan:",
        f"  period: {{first: {first}, last: {first + 4}}}",
        f"  fiscal_year: {fiscal}",
        "vision: (วิสัยทัศน์)",
        "missions:",
        "  - (พันธกิจ)",
        "goals:",
        "  - (เป้าประสงค์)",
        "strategies:",
        "  - id: S1",
        "    name: (ยุทธศาสตร์ที่ ๑)",
        "    tactics:",
        "      - id: S1.1",
        "        name: (แนวทางการพัฒนา)",
        "projects: []",
        "",
    ]
    for name_, headings in PARTS.items():
        body = "\n\n".join(headings) + "\n"
        write_atomic(folder / name_, body.encode("utf-8"))
    target = folder / "plan.yaml"
    write_atomic(target, "\n".join(lines).encode("utf-8"))
    return target
