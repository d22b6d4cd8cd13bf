"""A new plan folder with every part of the official book and its standard headings.

`saoreport new SLUG` (and the workspace's "start a plan") call write(): plan.yaml with the
fields to fill, each value to replace marked CHECK, and the narrative files (preface.md,
parts/1-general.md, 2-results.md, 3-analysis.md, 5-monitoring.md) with the numbered headings
of the 2566–2570 guideline (ส่วนที่ ๑'s ten, ส่วนที่ ๒'s four, ส่วนที่ ๓'s sub-items, ส่วนที่ ๕.s
scoring tables), short guidance in comments (`<!-- … -->`, never printed) and a CHECK line under
each heading. Such a plan validates (with warnings for each CHECK) and builds, every page marked
ฉบับร่าง until the placeholders are replaced (plan/completeness.py).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import tempfile
from pathlib import Path

from saoreport.errors import SaoError, printable
from saoreport.messages import _, os_reason
from saoreport.thai import fiscal_year_of

PERIOD = 5  # years of a plan; periods start in 2566, 2571, …
FIRST_PERIOD = 2566


def current_period(today: dt.date) -> int:
    """The first year of the plan period the fiscal year of *today* (CE date) is in."""
    year = fiscal_year_of(today)
    return FIRST_PERIOD + (year - FIRST_PERIOD) // PERIOD * PERIOD


def _q(text: str) -> str:
    """*text* as a YAML double-quoted string."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def plan_yaml(name: str | None, district: str | None, province: str | None, first: int) -> str:
    org = name or "องค์การบริหารส่วนตำบล CHECK: ชื่อ"
    short = (
        "อบต." + org.removeprefix("องค์การบริหารส่วนตำบล") if name else "CHECK: ชื่อย่อ เช่น อบต.หนองบัว"
    )
    return f"""\
# A new plan (saoreport new). Replace every value marked CHECK, then run
# `saoreport validate` (it lists what is left) and `saoreport build`. Until every CHECK is
# gone and every part is written, each page of the book is marked ฉบับร่าง.
organization:
  name: {_q(org)}
  short_name: {_q(short)}
  type: อบต.  # or เทศบาลตำบล, เทศบาลเมือง, เทศบาลนคร, อบจ.
  district: {_q(district or "CHECK: อำเภอ")}
  province: {_q(province or "CHECK: จังหวัด")}
  # logo: logo.png  # the SAO's seal, a file in this folder
  executive:
    # name: นาย…  # without it the signature line is left blank
    title: {_q("นายก" + org)}
plan:
  title: แผนพัฒนาท้องถิ่น
  period: {{first: {first}, last: {first + PERIOD - 1}}}
  fiscal_year: {first}
  # revision: เพิ่มเติม ครั้งที่ 1/{first}
  prepared_by: งานนโยบายและแผน สำนักปลัด
  # approval: {{session: สมัยสามัญ สมัยที่ … ประจำปี …, meeting: ครั้งที่ …, date: …}}
  # announced: …
settings:
  digits: thai
vision: "CHECK: วิสัยทัศน์"
missions:
  - "CHECK: พันธกิจที่ 1"
goals_label: เป้าประสงค์
goals:
  - "CHECK: เป้าประสงค์ที่ 1"
strategies:
  - id: S1
    name: "CHECK: ยุทธศาสตร์ที่ 1"
    # links: the lines ก.–จ. of the forms (national, master_plan, nesdp, province, local)
    goals: [1]  # the numbers of the goals it serves
    missions: [1]
    indicators:
      - name: "CHECK: ตัวชี้วัด"
        unit: ร้อยละ
        targets: {{{first}: 0, {first + 1}: 0, {first + 2}: 0, {first + 3}: 0, {first + 4}: 0}}
    tactics:
      - id: S1.1
        name: "CHECK: กลยุทธ์ (แนวทางการพัฒนา)"
projects: []
# Each project (ส่วนที่ ๔, forms ผ.01 and ผ.02), for example:
#  - id: P001
#    strategy: S1
#    tactic: S1.1
#    programme: แผนงานเคหะและชุมชน
#    name: โครงการ…
#    objective: เพื่อ…
#    target: …
#    budget: {{{first}: 100000}}
#    kpi: …
#    result: …
#    unit: กองช่าง
equipment: []
"""


def _section(heading: str, guide: str, subs: tuple[str, ...] = ()) -> str:
    out = f"# {heading}\n\n<!-- {guide} -->\n\nCHECK: เขียน{heading.split(' ', 1)[-1]}\n"
    for sub in subs:
        out += f"\n## {sub}\n\n<!-- เขียนเรื่อง{sub.split(' ', 1)[-1]} -->\n"
    return out + "\n"


PREFACE = """\
<!-- คำนำ: เหตุที่จัดทำแผน ระเบียบที่ใช้ (ระเบียบกระทรวงมหาดไทยว่าด้วยการจัดทำแผนพัฒนาของ
องค์กรปกครองส่วนท้องถิ่น พ.ศ. ๒๕๔๘ และที่แก้ไขเพิ่มเติม) และผู้จัดทำ ลงท้ายด้วยชื่อหน่วยงาน -->

CHECK: เขียนคำนำ
"""

GENERAL = [
    (
        "๑. ด้านกายภาพ",
        "ที่ตั้ง อาณาเขต เนื้อที่ ภูมิประเทศ ภูมิอากาศ ดิน แหล่งน้ำ ป่าไม้ ใส่แผนที่ได้ด้วย ![แผนที่ตำบล](แผนที่.png)",
        (
            "๑.๑ ที่ตั้ง",
            "๑.๒ ลักษณะภูมิประเทศ",
            "๑.๓ ลักษณะภูมิอากาศ",
            "๑.๔ ลักษณะของดิน",
            "๑.๕ ลักษณะของแหล่งน้ำ",
            "๑.๖ ลักษณะของไม้และป่าไม้",
        ),
    ),
    (
        "๒. ด้านการเมือง/การปกครอง",
        "เขตการปกครอง (จำนวนหมู่บ้าน: พิมพ์ {{ จำนวนหมู่บ้าน }} แทนการพิมพ์ตัวเลขเอง) และการเลือกตั้ง",
        ("๒.๑ เขตการปกครอง", "๒.๒ การเลือกตั้ง"),
    ),
    (
        "๓. ประชากร",
        "ตารางหมู่บ้านด้านล่างเป็นที่มาของ {{ จำนวนหมู่บ้าน }} และ {{ รายชื่อหมู่บ้าน }}:"
        " คอลัมน์แรกต้องชื่อ หมู่ที่ หนึ่งแถวต่อหนึ่งหมู่บ้าน",
        ("๓.๑ ข้อมูลเกี่ยวกับจำนวนประชากร", "๓.๒ ช่วงอายุและจำนวนประชากร"),
    ),
    (
        "๔. สภาพทางสังคม",
        "การศึกษา สาธารณสุข อาชญากรรม ยาเสพติด การสังคมสงเคราะห์",
        ("๔.๑ การศึกษา", "๔.๒ สาธารณสุข", "๔.๓ อาชญากรรม", "๔.๔ ยาเสพติด", "๔.๕ การสังคมสงเคราะห์"),
    ),
    (
        "๕. ระบบบริการพื้นฐาน",
        "การคมนาคม ไฟฟ้า ประปา โทรศัพท์ ไปรษณีย์",
        (
            "๕.๑ การคมนาคมขนส่ง",
            "๕.๒ การไฟฟ้า",
            "๕.๓ การประปา",
            "๕.๔ โทรศัพท์",
            "๕.๕ ไปรษณีย์หรือการสื่อสารหรือการขนส่ง และวัสดุ ครุภัณฑ์",
        ),
    ),
    (
        "๖. ระบบเศรษฐกิจ",
        "อาชีพ รายได้ การเกษตร การปศุสัตว์ การบริการ การท่องเที่ยว อุตสาหกรรม การพาณิชย์ แรงงาน",
        (
            "๖.๑ การเกษตร",
            "๖.๒ การประมง",
            "๖.๓ การปศุสัตว์",
            "๖.๔ การบริการ",
            "๖.๕ การท่องเที่ยว",
            "๖.๖ อุตสาหกรรม",
            "๖.๗ การพาณิชย์และกลุ่มอาชีพ",
            "๖.๘ แรงงาน",
        ),
    ),
    (
        "๗. เศรษฐกิจพอเพียงท้องถิ่น (ด้านการเกษตรและแหล่งน้ำ)",
        "ข้อมูลพื้นฐานของหมู่บ้าน การเกษตร แหล่งน้ำทางการเกษตร แหล่งน้ำกิน น้ำใช้",
        (
            "๗.๑ ข้อมูลพื้นฐานของหมู่บ้านหรือชุมชน",
            "๗.๒ ข้อมูลด้านการเกษตร",
            "๗.๓ ข้อมูลด้านแหล่งน้ำทางการเกษตร",
            "๗.๔ ข้อมูลด้านแหล่งน้ำกิน น้ำใช้",
        ),
    ),
    (
        "๘. ศาสนา ประเพณี วัฒนธรรม",
        "การนับถือศาสนา ประเพณีและงานประจำปี ภูมิปัญญาท้องถิ่น สินค้าพื้นเมือง",
        (
            "๘.๑ การนับถือศาสนา",
            "๘.๒ ประเพณีและงานประจำปี",
            "๘.๓ ภูมิปัญญาท้องถิ่น ภาษาถิ่น",
            "๘.๔ สินค้าพื้นเมืองและของที่ระลึก",
        ),
    ),
    (
        "๙. ทรัพยากรธรรมชาติ",
        "น้ำ ป่าไม้ ภูเขา และคุณภาพของทรัพยากรธรรมชาติ",
        ("๙.๑ น้ำ", "๙.๒ ป่าไม้", "๙.๓ ภูเขา", "๙.๔ คุณภาพของทรัพยากรธรรมชาติ"),
    ),
    ("๑๐. อื่น ๆ", "ข้อมูลอื่นที่สำคัญ เช่น มวลชนจัดตั้ง", ()),
]

VILLAGES = """\
| หมู่ที่ | ชื่อหมู่บ้าน | ครัวเรือน | ชาย | หญิง | รวม |
| :-: | --- | --: | --: | --: | --: |
| 1 | CHECK: ชื่อหมู่บ้าน | | | | |

"""

RESULTS = [
    ("๑. สรุปสถานการณ์การพัฒนา", "สภาพปัญหาและการพัฒนาที่ผ่านมา แยกตามยุทธศาสตร์", ()),
    (
        "๒. การประเมินผลการนำแผนพัฒนาท้องถิ่นไปปฏิบัติในเชิงปริมาณ",
        "จำนวนโครงการตามแผนและที่ดำเนินการ แยกตามปีและยุทธศาสตร์: พิมพ์"
        " {{ จำนวนโครงการ ปี 2566 }} หรือ {{ งบประมาณ ปี 2566 ยุทธศาสตร์ 1 }}"
        " ให้ตรงกับแบบ ผ.01",
        (),
    ),
    (
        "๓. การประเมินผลการนำแผนพัฒนาท้องถิ่นไปปฏิบัติในเชิงคุณภาพ",
        "ผลที่เกิดกับประชาชน ความพึงพอใจ แยกตามยุทธศาสตร์",
        (),
    ),
    (
        "๔. สรุปปัญหาอุปสรรคการดำเนินงานที่ผ่านมาและแนวทางการแก้ไข",
        "ปัญหาอุปสรรคแต่ละข้อ และแนวทางการแก้ไขของแต่ละข้อ",
        (),
    ),
]

ANALYSIS = [
    (
        "ความสัมพันธ์ระหว่างแผนพัฒนาท้องถิ่นกับแผนพัฒนาระดับมหภาค",
        "ยุทธศาสตร์ชาติ แผนแม่บท แผนพัฒนาเศรษฐกิจฯ และยุทธศาสตร์จังหวัดของแต่ละยุทธศาสตร์"
        " ใส่ใน plan.yaml (links:) ส่วนนี้เขียนแผนระดับภาค อำเภอ และนโยบายผู้บริหาร",
        ("แผนพัฒนาภาค/แผนพัฒนากลุ่มจังหวัด", "แผนพัฒนาอำเภอ", "นโยบายของผู้บริหารท้องถิ่น"),
    ),
    ("จุดยืนทางยุทธศาสตร์", "จุดยืนทางยุทธศาสตร์ (Strategic Position) ขององค์กร", ()),
    (
        "ความเชื่อมโยงของยุทธศาสตร์ในภาพรวม",
        "แผนภาพความเชื่อมโยงของยุทธศาสตร์ในภาพรวม ใส่เป็นรูปได้ ![แผนภาพ](แผนภาพ.png)",
        (),
    ),
    (
        "การวิเคราะห์เพื่อพัฒนาท้องถิ่น",
        "การวิเคราะห์ SWOT และการประเมินสถานการณ์สภาพแวดล้อม",
        ("จุดแข็ง (Strength)", "จุดอ่อน (Weakness)", "โอกาส (Opportunity)", "อุปสรรค (Threat)"),
    ),
]

MONITORING = [
    (
        "๑. การติดตามและประเมินผลยุทธศาสตร์",
        "วิธีติดตามและประเมินผลยุทธศาสตร์"
        " (ตารางเกณฑ์ ๑๐๐ คะแนนของกรมส่งเสริมการปกครองท้องถิ่นพิมพ์ให้ท้ายส่วนที่ ๕ เอง)",
        (),
    ),
    (
        "๒. การติดตามและประเมินผลโครงการ",
        "วิธีติดตามและประเมินผลโครงการ (ตารางเกณฑ์ ๑๐๐ คะแนนของโครงการพัฒนาพิมพ์ให้เอง)",
        (),
    ),
    (
        "๓. สรุปผลการพัฒนาท้องถิ่นในภาพรวม",
        "ติดตามและประเมินผลอย่างน้อยปีละหนึ่งครั้งภายในเดือนธันวาคม และประกาศผลภายในสิบห้าวัน",
        (),
    ),
    ("๔. ข้อเสนอแนะในการจัดทำแผนพัฒนาท้องถิ่นในอนาคต", "ข้อเสนอแนะจากการติดตามและประเมินผล", ()),
]


def _before(text: str, marker: str, insert: str) -> str:
    """*text* with *insert* put before the first *marker* (a heading), which must be there."""
    at = text.index(marker)
    return text[:at] + "\n" + insert + text[at + 1 :]


def files(
    name: str | None = None,
    district: str | None = None,
    province: str | None = None,
    first: int | None = None,
) -> dict[str, str]:
    """The new plan's files, by their names in the plan folder, and their text."""
    first = first or current_period(dt.date.today())
    general = _before("".join(_section(*s) for s in GENERAL), "\n## ๓.๒", VILLAGES)
    monitoring = "".join(_section(*s) for s in MONITORING)
    return {
        "plan.yaml": plan_yaml(name, district, province, first),
        "preface.md": PREFACE,
        "parts/1-general.md": general,
        "parts/2-results.md": "".join(_section(*s) for s in RESULTS),
        "parts/3-analysis.md": "".join(_section(*s) for s in ANALYSIS),
        "parts/5-monitoring.md": monitoring,
    }


def write(
    folder: Path,
    name: str | None = None,
    district: str | None = None,
    province: str | None = None,
    first: int | None = None,
) -> Path:
    """Write a new plan into *folder*, which must not exist (its parent must): every file
    or none. Returns *folder*."""
    if folder.exists() or folder.is_symlink():
        raise SaoError(
            _(
                "{folder} exists already: choose another name, or edit the plan there",
                folder=printable(str(folder)),
            )
        )
    parent = folder.parent
    if not parent.is_dir():
        raise SaoError(
            _(
                "{folder} does not exist: create it first, or name another folder",
                folder=printable(str(parent)),
            )
        )
    content = files(name, district, province, first)
    try:
        work = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=parent))
    except OSError as exc:
        raise SaoError(
            _(
                "cannot write in {folder}: {reason}",
                folder=printable(str(parent)),
                reason=os_reason(exc),
            )
        ) from None
    try:
        (work / "parts").mkdir()
        for rel, text in content.items():
            (work / rel).write_text(text, encoding="utf-8")
        os.chmod(work, 0o777 & ~_umask())
        os.rename(work, folder)  # refuses a folder made meanwhile (not empty: ours is not)
    except OSError as exc:
        with contextlib.suppress(OSError):
            shutil.rmtree(work)
        raise SaoError(
            _(
                "cannot write {folder}: {reason}",
                folder=printable(str(folder)),
                reason=os_reason(exc),
            )
        ) from None
    return folder


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
