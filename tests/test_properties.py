"""Property-based tests (Hypothesis): generated plans, valid ones and ones broken at random
places with random Unicode, bytes and sizes. Whatever the plan, saoreport exits 0 or 1, never
with a traceback; every problem names its file:line; nothing is written outside --out; a
failed build leaves the previous PDFs as they were; and a valid plan builds, with its text
extracted exactly.

Examples run per `make test` (fixed budget, derandomized so that every run is the same):
VALIDATE_EXAMPLES valid plans validated, BROKEN_EXAMPLES broken plans validated and built,
BUILD_EXAMPLES valid plans built with their text checked.
"""

from __future__ import annotations

import io
import re
import shutil
import tempfile
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from conftest import ROOT, pdftotext, squash
from saoreport.cli import main
from saoreport.thai import one_style

VALIDATE_EXAMPLES = 60
BROKEN_EXAMPLES = 120
BUILD_EXAMPLES = 8
COMMON = settings(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

WORDS = [
    "ชุมชน",
    "เข้มแข็ง",
    "น่าอยู่",
    "พัฒนา",
    "คุณภาพชีวิต",
    "ผู้สูงอายุ",
    "น้ำสะอาด",
    "ถนน",
    "การศึกษา",
    "เศรษฐกิจ",
    "พอเพียง",
    "สิ่งแวดล้อม",
    "ทุกหมู่บ้าน",
    "ตำบล",
    "หมู่ที่ ๕",
    "ครั้งที่ 1",
    "ร้อยละ 90",
    "OTOP",
    "Wi-Fi",
    "(ประชาชน)",
    "“ยั่งยืน”",
    "๒๕๖๘",
    "1,250",
]
text = st.lists(st.sampled_from(WORDS), min_size=1, max_size=14).map(lambda words: " ".join(words))
short = st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map(" ".join)


@st.composite
def plans(draw: Any) -> dict[str, Any]:
    first = draw(st.integers(2560, 2600))
    years = list(range(first, first + 5))
    missions = draw(st.lists(text, min_size=1, max_size=5))
    goals = draw(st.lists(text, min_size=1, max_size=5))
    strategies = []
    projects = []
    for s in range(1, draw(st.integers(0, 3)) + 1):
        tactics = [
            {"id": f"S{s}.{t}", "name": draw(short)} for t in range(1, draw(st.integers(0, 2)) + 1)
        ]
        strategies.append(
            {
                "id": f"S{s}",
                "name": draw(short),
                "goals": [draw(st.integers(1, len(goals)))],
                "missions": [draw(st.integers(1, len(missions)))],
                "indicators": [
                    {
                        "name": draw(short),
                        "unit": "ร้อยละ",
                        "targets": {y: draw(st.integers(0, 100)) for y in years[:3]},
                    }
                ],
                "tactics": tactics,
            }
        )
        for p in range(1, draw(st.integers(0, 3)) + 1):
            projects.append(
                {
                    "id": f"P{s}{p}",
                    "strategy": f"S{s}",
                    "programme": draw(st.sampled_from(["แผนงานเคหะและชุมชน", "แผนงานการศึกษา"])),
                    "name": draw(short),
                    "objective": draw(text),
                    "target": draw(short),
                    "budget": {
                        y: draw(st.integers(0, 9_999_999_999))
                        for y in draw(st.lists(st.sampled_from(years), max_size=5, unique=True))
                    },
                    "kpi": draw(short),
                    "result": draw(short),
                    "unit": "กองช่าง",
                }
            )
    plan: dict[str, Any] = {
        "organization": {
            "name": "องค์การบริหารส่วนตำบลทดสอบ",
            "short_name": "อบต.ทดสอบ",
            "type": "อบต.",
            "district": draw(short),
            "province": draw(short),
            "executive": {"title": "นายกองค์การบริหารส่วนตำบลทดสอบ"},
        },
        "plan": {
            "period": {"first": first, "last": first + 4},
            "fiscal_year": draw(st.sampled_from(years)),
        },
        "settings": {"digits": draw(st.sampled_from(["thai", "arabic"]))},
        "vision": draw(text),
        "missions": missions,
        "goals": goals,
        "strategies": strategies,
        "projects": projects,
    }
    return plan


def dump(plan: dict[str, Any]) -> str:
    out = io.StringIO()
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    yaml.dump(plan, out)
    return out.getvalue()


def run(*argv: str) -> tuple[int, str]:
    err, out = io.StringIO(), io.StringIO()
    with redirect_stderr(err), redirect_stdout(out):
        code = main(list(argv))
    return code, err.getvalue() + out.getvalue()


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes() if p.is_file() else b"")
        for p in sorted(folder.rglob("*"))
    }


def assert_well_behaved(code: int, said: str, plan_file: Path) -> None:
    assert code in (0, 1), said
    assert "Traceback" not in said and "internal error" not in said, said
    if code == 1:
        assert re.search(rf"^{re.escape(str(plan_file))}:\d+:\d+: ", said, re.M), said


@settings(COMMON, max_examples=VALIDATE_EXAMPLES)
@given(plan=plans())
def test_generated_plans_are_valid(plan: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "sao"
        folder.mkdir()
        (folder / "plan.yaml").write_text(dump(plan), encoding="utf-8")
        code, said = run("validate", str(folder))
        assert code == 0, said


# Ways to break a plan file, each at a place Hypothesis chooses.
unicode_text = st.text(min_size=1, max_size=40)
junk_bytes = st.binary(min_size=1, max_size=60)


@st.composite
def broken(draw: Any) -> bytes:
    data = dump(draw(plans())).encode()
    at = draw(st.integers(0, len(data)))
    how = draw(
        st.sampled_from(
            [
                "insert text",
                "insert bytes",
                "delete",
                "truncate",
                "replace value",
                "huge",
                "deep",
                "repeat",
            ]
        )
    )
    if how == "insert text":
        return data[:at] + draw(unicode_text).encode("utf-8", "surrogatepass") + data[at:]
    if how == "insert bytes":
        return data[:at] + draw(junk_bytes) + data[at:]
    if how == "delete":
        return data[:at] + data[at + draw(st.integers(1, 200)) :]
    if how == "truncate":
        return data[:at]
    lines = data.split(b"\n")
    line = draw(st.integers(0, max(0, len(lines) - 2)))
    key, sep, _ = lines[line].partition(b": ")
    value = {
        "replace value": draw(
            st.sampled_from(
                [
                    ".nan",
                    "-.inf",
                    "1e400",
                    "10000000000000000000000000000000",
                    "[]",
                    "{}",
                    "null",
                    "~",
                    "!!binary AAAA",
                    "&a x",
                    "*nothing",
                    "'unterminated",
                    "2567-02-30",
                    "2567-02-29",
                    "-1",
                    "0x7fffffffffffffff",
                    "[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]",
                ]
            )
        ).encode(),
        "huge": b'"' + "ก".encode() * draw(st.integers(900, 1500)) + b'"',
        "deep": b"[" * draw(st.integers(10, 300)) + b"]" * 300,
        "repeat": b"",
    }[how]
    if how == "repeat":  # a whole line again, at another place: duplicate keys and odd indents
        lines.insert(draw(st.integers(0, len(lines))), lines[line])
    elif sep:
        lines[line] = key + sep + value
    else:
        lines[line] = lines[line] + b" " + value
    return b"\n".join(lines)


@pytest.fixture(scope="module")
def previous(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An output folder that already holds the PDFs of a valid plan of the slug 'sao'."""
    base = tmp_path_factory.mktemp("previous")
    folder = base / "sao"
    shutil.copytree(ROOT / "plans" / "nong-hang", folder)
    out = base / "out"
    code, said = run("build", str(folder), "--out", str(out), "-j", "1")
    assert code == 0, said
    return out


@settings(COMMON, max_examples=BROKEN_EXAMPLES)
@given(data=broken(), build=st.integers(0, 9))
def test_broken_plans_are_refused_cleanly(previous: Path, data: bytes, build: int) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        base = Path(scratch)
        folder = base / "sao"
        folder.mkdir()
        plan_file = folder / "plan.yaml"
        plan_file.write_bytes(data)
        code, said = run("validate", str(folder))
        assert_well_behaved(code, said, plan_file)
        event(f"validate exit {code}")  # --hypothesis-show-statistics counts them
        if code == 0 and build:
            return  # still valid (the damage hit a comment or a value's text): built below
        out = base / "out"
        shutil.copytree(previous, out)
        before_out, before_base = (
            tree(out),
            {k: v for k, v in tree(base).items() if not k.startswith("out")},
        )
        code, said = run("build", str(folder), "--out", str(out), "-j", "1")
        assert_well_behaved(code, said, plan_file)
        event(f"build exit {code}")
        after_base = {k: v for k, v in tree(base).items() if not k.startswith("out")}
        assert after_base == before_base  # nothing written outside --out
        if code == 1:
            assert tree(out) == before_out  # the previous PDFs are as they were


@settings(COMMON, max_examples=BUILD_EXAMPLES, phases=[Phase.explicit, Phase.generate])
@given(plan=plans())
def test_valid_plans_build_with_exact_text(plan: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        base = Path(scratch)
        folder = base / "sao"
        folder.mkdir()
        (folder / "plan.yaml").write_text(dump(plan), encoding="utf-8")
        out = base / "out"
        code, said = run("build", str(folder), "--out", str(out), "-j", "1")
        if code == 1:  # only a poster may fail to fit; then it says so
            assert "do not fit" in said, said
        made = out / "sao" / str(plan["plan"]["fiscal_year"])
        # In content order (-raw): a table cell's lines are not interleaved with its row's.
        strategy = squash(pdftotext(made / "strategy.pdf", "-raw"))
        thai = plan["settings"]["digits"] == "thai"  # one digit rule: every digit printed so
        for item in [plan["vision"], *plan["missions"], *plan["goals"]]:
            assert squash(one_style(item, thai)) in strategy
        for project in plan["projects"]:
            assert squash(one_style(project["objective"], thai)) in strategy
        assert {p.relative_to(base).parts[0] for p in base.rglob("*")} == {"sao", "out"}
