"""Write a synthetic, valid plan of any size (and the shipped demo plan).

    python benchmarks/make_plan.py --projects 500 OUT_DIR
    python benchmarks/make_plan.py --demo plans/demo

The text is realistic Thai of realistic length, drawn from the kinds of projects Thai
SAOs plan; the organization is openly fictional ("องค์การบริหารส่วนตำบลตัวอย่าง").
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

STRATEGIES = [
    (
        "การพัฒนาด้านโครงสร้างพื้นฐาน",
        "แผนงานเคหะและชุมชน",
        "กองช่าง",
        [
            "ก่อสร้างถนนคอนกรีตเสริมเหล็ก",
            "ปรับปรุงถนนลูกรัง",
            "ก่อสร้างรางระบายน้ำ",
            "ขยายเขตไฟฟ้าสาธารณะ",
            "ขุดลอกลำห้วย",
            "ก่อสร้างฝายน้ำล้น",
            "ปรับปรุงระบบประปาหมู่บ้าน",
            "ติดตั้งไฟกิ่งโซลาร์เซลล์",
        ],
    ),
    (
        "การพัฒนาเศรษฐกิจและการเกษตร",
        "แผนงานการเกษตร",
        "สำนักปลัด",
        [
            "ส่งเสริมการปลูกพืชหลังนา",
            "อบรมการทำปุ๋ยอินทรีย์",
            "ส่งเสริมกลุ่มวิสาหกิจชุมชน",
            "พัฒนาตลาดนัดชุมชน",
            "ส่งเสริมการเลี้ยงปลาในบ่อดิน",
            "อบรมอาชีพการแปรรูปผลผลิตทางการเกษตร",
        ],
    ),
    (
        "การพัฒนาคุณภาพชีวิตและสังคม",
        "แผนงานสังคมสงเคราะห์",
        "กองสวัสดิการสังคม",
        [
            "สนับสนุนเบี้ยยังชีพผู้สูงอายุ",
            "ส่งเสริมสุขภาพผู้สูงอายุ",
            "ปรับปรุงที่อยู่อาศัยผู้ด้อยโอกาส",
            "ป้องกันและควบคุมโรคไข้เลือดออก",
            "รณรงค์ป้องกันยาเสพติด",
            "ฝึกอบรมอาสาสมัครป้องกันภัยฝ่ายพลเรือน",
        ],
    ),
    (
        "การพัฒนาการศึกษา ศาสนาและวัฒนธรรม",
        "แผนงานการศึกษา",
        "กองการศึกษา ศาสนาและวัฒนธรรม",
        [
            "สนับสนุนอาหารกลางวันศูนย์พัฒนาเด็กเล็ก",
            "จัดงานประเพณีบุญบั้งไฟ",
            "จัดงานวันเด็กแห่งชาติ",
            "ส่งเสริมการแข่งขันกีฬาต้านยาเสพติด",
            "อนุรักษ์ภูมิปัญญาท้องถิ่น",
            "จัดซื้อสื่อการเรียนการสอน",
        ],
    ),
    (
        "การบริหารจัดการทรัพยากรธรรมชาติและสิ่งแวดล้อม",
        "แผนงานสาธารณสุข",
        "กองสาธารณสุขและสิ่งแวดล้อม",
        [
            "ปลูกต้นไม้เฉลิมพระเกียรติ",
            "คัดแยกขยะต้นทาง",
            "จัดการขยะอันตรายชุมชน",
            "อนุรักษ์ป่าชุมชน",
            "ลดการเผาในที่โล่ง",
        ],
    ),
]
# Each kind of project under the standard budget programme (แผนงาน) it belongs to.
PROGRAMMES = {
    "แผนงานอุตสาหกรรมและการโยธา": [
        "ก่อสร้างถนนคอนกรีตเสริมเหล็ก",
        "ปรับปรุงถนนลูกรัง",
        "ก่อสร้างรางระบายน้ำ",
        "ขุดลอกลำห้วย",
        "ก่อสร้างฝายน้ำล้น",
    ],
    "แผนงานเคหะและชุมชน": [
        "ขยายเขตไฟฟ้าสาธารณะ",
        "ปรับปรุงระบบประปาหมู่บ้าน",
        "ติดตั้งไฟกิ่งโซลาร์เซลล์",
        "คัดแยกขยะต้นทาง",
        "จัดการขยะอันตรายชุมชน",
    ],
    "แผนงานการเกษตร": [
        "ส่งเสริมการปลูกพืชหลังนา",
        "อบรมการทำปุ๋ยอินทรีย์",
        "ส่งเสริมการเลี้ยงปลาในบ่อดิน",
        "ปลูกต้นไม้เฉลิมพระเกียรติ",
        "อนุรักษ์ป่าชุมชน",
        "ลดการเผาในที่โล่ง",
    ],
    "แผนงานสร้างความเข้มแข็งของชุมชน": [
        "ส่งเสริมกลุ่มวิสาหกิจชุมชน",
        "พัฒนาตลาดนัดชุมชน",
        "อบรมอาชีพการแปรรูปผลผลิตทางการเกษตร",
    ],
    "แผนงานสังคมสงเคราะห์": ["สนับสนุนเบี้ยยังชีพผู้สูงอายุ", "ปรับปรุงที่อยู่อาศัยผู้ด้อยโอกาส"],
    "แผนงานสาธารณสุข": ["ส่งเสริมสุขภาพผู้สูงอายุ", "ป้องกันและควบคุมโรคไข้เลือดออก"],
    "แผนงานการรักษาความสงบภายใน": ["รณรงค์ป้องกันยาเสพติด", "ฝึกอบรมอาสาสมัครป้องกันภัยฝ่ายพลเรือน"],
    "แผนงานการศึกษา": ["สนับสนุนอาหารกลางวันศูนย์พัฒนาเด็กเล็ก", "จัดซื้อสื่อการเรียนการสอน"],
    "แผนงานการศาสนาวัฒนธรรมและนันทนาการ": [
        "จัดงานประเพณีบุญบั้งไฟ",
        "จัดงานวันเด็กแห่งชาติ",
        "ส่งเสริมการแข่งขันกีฬาต้านยาเสพติด",
        "อนุรักษ์ภูมิปัญญาท้องถิ่น",
    ],
}
PROGRAMME_OF = {kind: programme for programme, kinds in PROGRAMMES.items() for kind in kinds}
TACTICS = [
    "แนวทางที่ {n} พัฒนาและปรับปรุง{topic}ให้ได้มาตรฐาน",
    "แนวทางที่ {n} ส่งเสริมการมีส่วนร่วมของประชาชนด้าน{topic}",
]
VILLAGES = ["บ้านตัวอย่าง หมู่ที่ {m}", "บ้านหนองสมมุติ หมู่ที่ {m}", "บ้านโนนทดลอง หมู่ที่ {m}", "ทุกหมู่บ้านในตำบล"]


def _yaml(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def make_plan(projects: int, seed: int = 2568, first: int = 2566) -> str:
    rng = random.Random(seed)
    years = list(range(first, first + 5))
    out = [
        "# A synthetic, openly fictional SAO made by benchmarks/make_plan.py.",
        "organization:",
        "  name: องค์การบริหารส่วนตำบลตัวอย่าง",
        "  short_name: อบต.ตัวอย่าง",
        "  type: อบต.",
        "  district: เมืองสมมุติ",
        "  province: อุบลราชธานี",
        "  logo: logo.svg",
        "  website: https://example.org/sao-tuayang",
        "  address: ๙๙ หมู่ที่ ๑ ตำบลตัวอย่าง อำเภอเมืองสมมุติ จังหวัดอุบลราชธานี ๓๔๐๐๐",
        "  executive:",
        "    name: นายสมมุติ ใจดี",
        "    title: นายกองค์การบริหารส่วนตำบลตัวอย่าง",
        "plan:",
        "  title: แผนพัฒนาท้องถิ่น",
        f"  period: {{first: {first}, last: {first + 4}}}",
        f"  fiscal_year: {first + 2}",
        f"  revision: เพิ่มเติม ครั้งที่ 1/{first + 2}",
        "  approval:",
        f"    session: สมัยสามัญ สมัยที่ 3 ประจำปี {first + 1}",
        "    meeting: ครั้งที่ 1",
        f"    date: {first + 1}-08-15",
        f"  announced: {first + 1}-09-01",
        "  prepared_by: งานนโยบายและแผน สำนักปลัด",
        "settings:",
        "  digits: thai",
        "vision: ตำบลน่าอยู่ เศรษฐกิจมั่นคง ประชาชนมีคุณภาพชีวิตที่ดี ร่วมใจอนุรักษ์สิ่งแวดล้อม",
        "missions:",
    ]
    missions = [f"{name}ให้ทั่วถึงและยั่งยืน" for name, *_ in STRATEGIES]
    out += [f"  - {m}" for m in missions]
    out += ["goals_label: เป้าประสงค์", "goals:"]
    out += [f"  - ประชาชนได้รับประโยชน์จาก{name}อย่างเท่าเทียม" for name, *_ in STRATEGIES]
    out.append("strategies:")
    for s, (name, _prog, _unit, _names) in enumerate(STRATEGIES, 1):
        topic = name.removeprefix("การพัฒนา").removeprefix("การ").removeprefix("ด้าน")
        out += [
            f"  - id: S{s}",
            f"    name: ยุทธศาสตร์{name}",
            f"    goals: [{s}]",
            f"    missions: [{s}]",
            "    indicators:",
            f"      - name: ร้อยละของประชาชนที่พึงพอใจต่อ{topic}",
            "        unit: ร้อยละ",
            "        targets: {"
            + ", ".join(f"{y}: {70 + 5 * i}" for i, y in enumerate(years))
            + "}",
            f"      - name: จำนวนโครงการด้าน{topic}ที่ดำเนินการแล้วเสร็จ",
            "        unit: โครงการ",
            "        targets: {" + ", ".join(f"{y}: {3 + i}" for i, y in enumerate(years)) + "}",
            "    tactics:",
        ]
        for t, tactic in enumerate(TACTICS, 1):
            out += [f"      - id: S{s}.{t}", f"        name: {tactic.format(n=t, topic=topic)}"]
    out.append("projects:")
    for p in range(1, projects + 1):
        s = (p - 1) % len(STRATEGIES)
        name, _prog, unit, names = STRATEGIES[s]
        village = rng.choice(VILLAGES).format(m=rng.randint(1, 12))
        kind = rng.choice(names)
        title = f"โครงการ{kind} {village}"
        budget = {}
        for y in rng.sample(years, rng.randint(1, 3)):
            budget[y] = rng.randrange(20_000, 2_500_000, 5_000)
        out += [
            f"  - id: P{p:04d}",
            f"    strategy: S{s + 1}",
            f"    tactic: S{s + 1}.{rng.randint(1, 2)}",
            f"    programme: {PROGRAMME_OF[kind]}",
            f"    name: {_yaml(title)}",
            f"    objective: เพื่อให้ประชาชน{village}ได้รับประโยชน์และมีคุณภาพชีวิตที่ดีขึ้น",
            f"    target: ดำเนินการ{rng.choice(names)} จำนวน ๑ แห่ง ตามแบบแปลนของ{unit}",
            "    budget: {" + ", ".join(f"{y}: {v}" for y, v in sorted(budget.items())) + "}",
            f"    kpi: ร้อยละ {rng.choice([80, 85, 90, 95])} ของประชาชนกลุ่มเป้าหมายพึงพอใจ",
            "    result: ประชาชนได้รับความสะดวก ปลอดภัย และมีคุณภาพชีวิตที่ดีขึ้น",
            f"    unit: {unit}",
        ]
    return "\n".join(out) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path, help="folder to write plan.yaml into")
    parser.add_argument("--projects", type=int, default=60)
    parser.add_argument("--seed", type=int, default=2568)
    parser.add_argument("--demo", action="store_true", help="the shipped plans/demo (60 projects)")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    text = make_plan(60 if args.demo else args.projects, args.seed)
    if not (args.out / "logo.svg").is_file():
        text = text.replace("  logo: logo.svg\n", "")  # only the demo has a logo
    if args.demo:  # the demo binds its announcement in, as many published plans do
        text = text.replace("  digits: thai\n", "  digits: thai\n  bind_announcement: true\n")
    (args.out / "plan.yaml").write_text(text, encoding="utf-8")
    if args.out.resolve() != DEMO.resolve():
        write_narrative(args.out)


DEMO = Path(__file__).resolve().parents[1] / "plans" / "demo"


def write_narrative(folder: Path) -> None:
    """The demo's narrative files (preface.md, parts/), so that a synthetic plan has every
    part of the book."""
    shutil.copy2(DEMO / "preface.md", folder / "preface.md")
    shutil.copytree(DEMO / "parts", folder / "parts", dirs_exist_ok=True)


if __name__ == "__main__":
    main()
