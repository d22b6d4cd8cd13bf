"""Messages in the officer's language: the catalog is complete and current, Thai is the
default, English is there on request, and what a user reads says what to do."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from conftest import ROOT
from saoreport import messages
from saoreport.cli import main
from saoreport.plan.models import Plan
from saoreport.thai import MONTHS, MONTHS_SHORT, from_be, thai_digits

CATALOG = messages.LOCALE_DIR / "th" / "LC_MESSAGES" / "saoreport.po"
COMPILED = CATALOG.with_suffix(".mo")
KEYWORDS = {"_": None, "n_": (1, 2)}  # as the Makefile's `make messages` extracts them
PLACEHOLDER = re.compile(r"\{(\w*)[^}]*\}|(%(?:\(\w+\))?[rsd])")  # {name}; argparse's %s


def _catalog():  # type: ignore[no-untyped-def]
    with CATALOG.open("rb") as file:
        return read_po(file)


def _in_code() -> set[str | tuple[str, ...]]:
    found = extract_from_dir(str(ROOT / "src" / "saoreport"), keywords=KEYWORDS)
    return {message for _file, _line, message, _comments, _context in found}


def test_every_message_of_the_code_has_thai_and_no_entry_is_stale() -> None:
    catalog = _catalog()
    entries = {m.id: m for m in catalog if m.id}
    code = _in_code()
    missing = sorted(map(str, code - entries.keys()))
    stale = sorted(map(str, entries.keys() - code))
    assert missing == [], "not in the catalog: run `make messages`, then translate them"
    assert stale == [], "in the catalog, no longer in the code: run `make messages`"
    untranslated = [m.id for m in entries.values() if m.fuzzy or not all(_strings(m.string))]
    assert untranslated == [], "no Thai (or a fuzzy Thai) for these"


def _strings(string: str | tuple[str, ...]) -> tuple[str, ...]:
    return string if isinstance(string, tuple) else (string,)


def test_every_translation_keeps_the_placeholders_of_its_message() -> None:
    for message in _catalog():
        if not message.id:
            continue
        english = {name for text in _strings(message.id) for name in PLACEHOLDER.findall(text)}
        for thai in _strings(message.string):
            assert set(PLACEHOLDER.findall(thai)) == english, message.id


def test_the_compiled_catalog_is_the_catalog() -> None:
    made = io.BytesIO()
    write_mo(made, _catalog())
    assert COMPILED.read_bytes() == made.getvalue(), "stale saoreport.mo: run `make messages`"


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({}, "th"),
        ({"LANG": "C.UTF-8"}, "th"),
        ({"LANG": "th_TH.UTF-8"}, "th"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LC_ALL": "en_GB.UTF-8", "LANG": "th_TH.UTF-8"}, "en"),
        ({"LANG": "en_US.UTF-8", "SAOREPORT_LANG": "th"}, "th"),
        ({"LANG": "th_TH.UTF-8", "SAOREPORT_LANG": "en"}, "en"),
    ],
)
def test_the_language_is_thai_unless_english_is_asked_for(
    monkeypatch: pytest.MonkeyPatch, environment: dict[str, str], expected: str
) -> None:
    for name in ("SAOREPORT_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    messages.set_language(None)
    assert messages.language() == expected


def _edited(tmp_path: Path, slug: str, edits: list[tuple[str, str]]) -> Path:
    """A copy of a shipped plan with each (old, new) made once; each old must be there."""
    folder = tmp_path / slug
    shutil.copytree(ROOT / "plans" / slug, folder)
    plan = folder / "plan.yaml"
    text = plan.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    plan.write_text(text, encoding="utf-8")
    return folder


def _plan(tmp_path: Path, old: str, new: str) -> Path:
    return _edited(tmp_path, "khi-lek", [(old, new)])


def _validate(folder: Path, capsys: pytest.CaptureFixture[str], *options: str) -> str:
    assert main(["validate", str(folder), *options]) == 1
    return capsys.readouterr().err


@pytest.mark.parametrize(
    ("old", "new", "thai", "english"),
    [
        (
            "fiscal_year: 2570",
            "fiscal_year: '2570'",
            "ปีงบประมาณ (plan.fiscal_year): ต้องเป็นจำนวนเต็ม เขียนด้วยตัวเลขล้วน เช่น 1200000",
            "plan.fiscal_year: should be a whole number in digits only, such as 1200000",
        ),
        (
            "fiscal_year: 2570",
            "fiscal_year: 2300",
            "ปีงบประมาณ (plan.fiscal_year): ต้องไม่น้อยกว่า 2400 (พบ 2300)",
            "plan.fiscal_year: should be at least 2400; found 2300",
        ),
        (
            "fiscal_year: 2570",
            "fiscal_year: 2570\n  colour: red",
            "แผน (plan.colour): ไม่รู้จักหัวข้อนี้: ตรวจการสะกด หรือลบออก",
            "plan.colour: this key is not known: check its spelling, or remove it",
        ),
        (
            "  district: ",
            "  place: ",
            "อำเภอ (organization.district): ต้องมีข้อมูลนี้: โปรดเพิ่ม",
            "organization.district: this is required: add it",
        ),
    ],
)
def test_a_validation_problem_is_in_thai_by_default_and_in_english_on_request(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    old: str,
    new: str,
    thai: str,
    english: str,
) -> None:
    folder = _plan(tmp_path, old, new)
    monkeypatch.delenv("SAOREPORT_LANG")
    err = _validate(folder, capsys)
    assert re.search(r"plan\.yaml:\d+:\d+: " + re.escape(thai), err), err
    assert "should" not in err and "Input" not in err
    assert re.search(
        r"plan\.yaml:\d+:\d+: " + re.escape(english), _validate(folder, capsys, "--lang", "en")
    )


def test_a_problem_names_the_item_as_a_person_counts_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Items counted from 1 with Thai digits and named by their name; the keys still follow."""
    edit = ("budget: {2567: 468000}", "budget: {2567: -5}")
    folder = _edited(tmp_path, "demo", [edit])
    monkeypatch.setenv("SAOREPORT_LANG", "th")
    err = _validate(folder, capsys)
    assert (
        "โครงการที่ ๒ 'โครงการก่อสร้างถนนคอนกรีตเสริมเหล็ก ซอย…', งบประมาณปี ๒๕๖๗"
        " (projects[1].budget[2567]): ต้องไม่น้อยกว่า 0 (พบ -5)" in err
    ), err
    monkeypatch.setenv("SAOREPORT_LANG", "en")
    assert (
        "plan.yaml:226:20: projects[1].budget[2567]: should be at least 0; found -5"
        in _validate(folder, capsys)
    )


@pytest.mark.parametrize("where", ["before", "after"])
def test_lang_is_understood_before_and_after_the_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], where: str
) -> None:
    folder = _plan(tmp_path, "fiscal_year: 2570", "fiscal_year: 2300")
    words = ["validate", str(folder)]
    words = ["--lang", "th", *words] if where == "before" else [*words, "--lang=th"]
    assert main(words) == 1
    assert "ต้องไม่น้อยกว่า 2400 (พบ 2300)" in capsys.readouterr().err


def test_help_offers_lang_in_thai(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--lang", "th", "build", "--help"])
    assert "ภาษาของข้อความ: th (ค่าเริ่มต้น) หรือ en" in capsys.readouterr().out


def test_a_wrong_lang_is_refused_in_the_language_of_the_environment(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SAOREPORT_LANG", "th")
    assert main(["validate", "--lang", "fr"]) == 2
    assert "--lang ใช้ได้เฉพาะ th หรือ en ไม่ใช่ fr" in capsys.readouterr().err


def test_a_closed_pipe_ends_quietly() -> None:
    """`saoreport schema | head -c 0`: the reader is gone before saoreport writes; saoreport
    ends without a word (no 'Broken pipe', no traceback), with the shell's status for it."""
    command = f"{sys.executable} -m saoreport schema | head -c 0; exit ${{PIPESTATUS[0]}}"
    done = subprocess.run(["bash", "-c", command], capture_output=True, text=True)
    assert done.stderr == ""
    assert done.returncode == 141


# Read what people type: Thai digits, Thai dates, amounts with commas ---------------------

BASE = {
    "organization": {
        "name": "องค์การบริหารส่วนตำบลทดสอบ",
        "short_name": "อบต.ทดสอบ",
        "type": "อบต.",
        "district": "เมือง",
        "province": "ขอนแก่น",
        "executive": {"title": "นายกองค์การบริหารส่วนตำบลทดสอบ"},
    },
    "plan": {"period": {"first": 2566, "last": 2570}, "fiscal_year": 2568},
    "vision": "ตำบลน่าอยู่",
    "missions": ["พัฒนา"],
    "goals": ["ประชาชนมีความสุข"],
    "strategies": [{"id": "S1", "name": "ยุทธศาสตร์", "goals": [1], "tactics": []}],
    "projects": [
        {
            "id": "P1",
            "strategy": "S1",
            "programme": "แผนงานเคหะและชุมชน",
            "name": "โครงการ",
            "objective": "เพื่อ",
            "target": "๑ แห่ง",
            "budget": {2566: 1255000},
            "kpi": "ร้อยละ",
            "result": "ดี",
            "unit": "กองช่าง",
        }
    ],
}


def _with(**changes: object) -> dict[str, object]:
    import copy

    plan = copy.deepcopy(BASE)
    for dotted, value in changes.items():
        *path, last = dotted.split("__")
        node: dict[str, object] = plan
        for key in path:
            node = node[int(key)] if key.isdigit() else node[key]  # type: ignore[index,assignment]
        node[last] = value
    return plan


def _thai(n: object) -> str:
    return thai_digits(str(n))


@given(
    year=st.integers(2400, 2700),
    amount=st.integers(0, 9_999_999_999),
    target=st.integers(-1000, 10**12)
    | st.floats(0, 1000, allow_nan=False).map(lambda f: round(f, 2)),
)
def test_thai_digits_validate_to_the_same_plan_as_arabic(
    year: int, amount: int, target: float
) -> None:
    arabic = _with(
        plan__fiscal_year=year,
        projects__0__budget={2566: amount},
        strategies__0__indicators=[{"name": "ร้อยละ", "unit": "ร้อยละ", "targets": {2567: target}}],
    )
    thai = _with(
        plan__fiscal_year=_thai(year),
        projects__0__budget={_thai(2566): _thai(amount)},
        strategies__0__goals=[_thai(1)],
        strategies__0__indicators=[
            {"name": "ร้อยละ", "unit": "ร้อยละ", "targets": {_thai(2567): _thai(target)}}
        ],
    )
    results = []
    for values in (arabic, thai):
        try:
            results.append(Plan.model_validate(values))
        except ValidationError as exc:
            results.append(sorted((tuple(e["loc"])[:2], e["type"]) for e in exc.errors()))
    assert results[0] == results[1]


MONTH_FORMS = [
    lambda d, y: f"{y}-{d.month:02}-{d.day:02}",
    lambda d, y: f"{y}-{d.month}-{d.day}",
    lambda d, y: f"{d.day:02}/{d.month:02}/{y}",
    lambda d, y: f"{d.day}/{d.month}/{y}",
    lambda d, y: f"{d.day} {MONTHS[d.month - 1]} {y}",
    lambda d, y: f"วันที่ {d.day} {MONTHS[d.month - 1]} พ.ศ. {y}",
    lambda d, y: f"{d.day} {MONTHS_SHORT[d.month - 1]} {y}",
]


@given(
    day=st.dates(dt.date(1990, 1, 1), dt.date(2150, 12, 31)),
    form=st.sampled_from(range(len(MONTH_FORMS))),
    thai=st.booleans(),
)
def test_thai_date_forms_validate_to_the_same_plan_as_the_iso_date(
    day: dt.date, form: int, thai: bool
) -> None:
    """The YAML date 2569-08-20 (read by the plan file's reader) and every form people type
    give one plan; 29 February of a Buddhist year whose number is no leap year included."""
    be = day.year + 543
    typed = MONTH_FORMS[form](day, be)
    typed = _thai(typed) if thai else typed
    iso = load_data_text(f"d: {be}-{day.month:02}-{day.day:02}\n")["d"]
    one = Plan.model_validate(_with(plan__announced=iso))
    other = Plan.model_validate(_with(plan__announced=typed))
    assert one == other
    assert from_be(other.plan.announced) == day  # type: ignore[arg-type]


def load_data_text(text: str) -> dict[str, object]:
    import tempfile

    from saoreport.plan.loader import load_data

    with tempfile.TemporaryDirectory() as folder:
        file = Path(folder) / "plan.yaml"
        file.write_text(text, encoding="utf-8")
        return load_data(file)  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("typed", "thai"),
    [
        (
            "29/02/2568",
            "วันที่ประกาศ (plan.announced): ไม่มีวันนี้ในปฏิทิน: เดือนกุมภาพันธ์ 2568 มี 28 วัน เขียนวันที่ 1 ถึง 28",
        ),
        ("2568-02-29", "ไม่มีวันนี้ในปฏิทิน: เดือนกุมภาพันธ์ 2568 มี 28 วัน เขียนวันที่ 1 ถึง 28"),
        (
            "20/08/69",
            "วันที่ประกาศ (plan.announced): '20/08/69' ไม่ใช่วันที่: เขียนเป็น 2569-08-20, 20/08/2569 หรือ 20 สิงหาคม 2569",
        ),
        ("20 August 2026", "วันที่ประกาศ (plan.announced): '20 August 2026' ไม่ใช่วันที่"),
        (
            "20 สิงหาคม ค.ศ. 2569",
            "วันที่ประกาศ (plan.announced): '20 สิงหาคม ค.ศ. 2569': ปีไม่ตรงกับศักราชที่เขียนไว้",
        ),
    ],
)
def test_a_date_that_is_not_one_is_located_with_the_forms_expected(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    typed: str,
    thai: str,
) -> None:
    folder = _plan(tmp_path, "fiscal_year: 2570", f"fiscal_year: 2570\n  announced: {typed}")
    monkeypatch.setenv("SAOREPORT_LANG", "th")
    err = _validate(folder, capsys)
    assert re.search(r"plan\.yaml:\d+:\d+: " + re.escape(thai), err), err


def test_an_amount_with_commas_is_one_problem_saying_to_remove_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    edit = ("budget: {2566: 1290000}", "budget: {2566: 1,290,000}")
    folder = _edited(tmp_path, "demo", [edit])
    plan = folder / "plan.yaml"
    monkeypatch.setenv("SAOREPORT_LANG", "th")
    err = _validate(folder, capsys)
    problems = [line for line in err.splitlines() if "plan.yaml:" in line]
    assert problems == [
        f"{plan}:215:13: โครงการที่ ๑ 'โครงการก่อสร้างถนนคอนกรีตเสริมเหล็ก บ้า…', งบประมาณ (projects[0].budget): จำนวนเงินเขียนมีเครื่องหมายจุลภาค"
        " ซึ่งทำให้ตัวเลขถูกแยกเป็นหลายส่วน: เขียนจำนวนเงินด้วยตัวเลขล้วน เช่น {2566: 1255000}"
    ]


def test_a_plan_in_thai_digits_and_thai_dates_builds_as_its_arabic_twin(tmp_path: Path) -> None:
    """The whole demo plan with its years, budgets and dates typed in Thai digits and Thai date
    forms: the same plan as the shipped one."""
    from saoreport.plan.validate import check

    folder = tmp_path / "demo"
    shutil.copytree(ROOT / "plans" / "demo", folder)
    plan = folder / "plan.yaml"
    text = plan.read_text(encoding="utf-8")
    thai = re.sub(
        r"(budget|targets): \{([^}]*)\}",
        lambda m: f"{m.group(1)}: {{{_thai(m.group(2))}}}",
        text,
    )
    thai = thai.replace("date: 2567-08-15", "date: ๑๕ ส.ค. ๒๕๖๗")
    thai = re.sub(r"fiscal_year: (\d+)", lambda m: f"fiscal_year: {_thai(m.group(1))}", thai)
    assert thai != text and "๒๕๖๖" in thai
    plan.write_text(thai, encoding="utf-8")
    assert check(folder).plan == check(ROOT / "plans" / "demo").plan


def test_argparse_speaks_thai_too(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its headings and its errors (a missing argument, an unknown option) come from the
    catalog: argparse's English never reaches a Thai user."""
    monkeypatch.setenv("SAOREPORT_LANG", "th")
    assert main(["export"]) == 2
    assert capsys.readouterr().err == (
        "saoreport export: ต้องระบุ: PLAN_DIR, --xlsx\n(ดูวิธีใช้: saoreport export --help)\n"
    )
    assert main(["build", "--jobs", "x"]) == 2
    assert capsys.readouterr().err == (
        "saoreport build: --jobs/-j: 'x' ไม่ใช่ตัวเลข: ระบุ 1 ถึง 256\n(ดูวิธีใช้: saoreport build --help)\n"
    )
    with pytest.raises(SystemExit):
        main(["validate", "--help"])
    out = capsys.readouterr().out
    assert out.startswith("วิธีใช้: saoreport validate") and "\nตัวเลือก:\n" in out
    assert "แสดงคำอธิบายนี้แล้วจบ" in out and "usage" not in out and "options:" not in out


# No English reaches a Thai user ------------------------------------------------------------

# What may stand in Latin letters in a Thai line: what the user typed or named (file names and
# paths, keys in parentheses, quoted values, options), and names that are names in Thai too.
_LATIN_KEPT = re.compile(
    r"'[^']*'|\"[^\"]*\"|`[^`]*`|\([^()]*[\[\].][^()]*\)|--?[a-z][\w-]*|\S*/\S*|\S+\.(?:yaml|md|MD|pdf|xlsx|"
    r"xls|ods|html|txt|json|jsonl|pem|png|jpg|jpeg|svg)\b|U\+[0-9A-F]{4,6}[A-Z -]*|\b[a-z_]+(?:\[\d+\])?"
    r"(?:\.[a-z_]+(?:\[\d+\])?)+\b"
)
_NAMES = {
    "saoreport",
    "YAML",
    "UTF",
    "PDF",
    "PNG",
    "JPEG",
    "SVG",
    "Excel",
    "LibreOffice",
    "xlsx",  # a file type, as in "save as .xlsx"
    "xls",
    "ods",
    "bak",  # plan.yaml.DATE.bak, a backup's file name
    "sha",  # sha256, the digest's name
    "Markdown",
    "Sarabun",
    "Unicode",
    "NIKHAHIT",
    "SARA",
    "AA",
    "AM",
    "nong",
    "bua",
    "slug",
    "plan",
    "yaml",
    "help",
    "true",
    "false",
    "inf",
    "nan",
    "organization",
    "bind_announcement",
    "approval",
    "CONTROL",
    "CHARACTER",
    "control",
    "character",
    "GRINNING",
    "FACE",
    "locale",
    "SAOREPORT_LANG",  # sha256, the name of the checksum
}


_COMMANDS = {"validate", "build", "import", "export", "archive", "diff", "schema", "verify"}
_PLACE = re.compile(r"^\S+:\d+:\d+: (?:[\w.\[\]]+: )?")  # file:line:col: and a bare key


def _english_words(line: str) -> list[str]:
    kept = _LATIN_KEPT.sub(" ", _PLACE.sub("", line))
    words = re.findall(r"[A-Za-z][A-Za-z_]{2,}", kept)
    return [w for w in words if w not in _NAMES | _COMMANDS and not re.fullmatch(r"[A-Z_]+", w)]


def _broken_plan(tmp_path: Path) -> Path:
    folder = _edited(
        tmp_path,
        "demo",
        [
            ("fiscal_year: 2568", "fiscal_year: '2568'\n  colour: red"),
            ("date: 2567-08-15", "date: 30/02/2567"),
            ("budget: {2566: 1290000}", "budget: {2566: 1,290,000, 2572: 335000}"),
            ("    strategy: S1\n", "    strategy: S9\n"),
            ("  type: อบต.", "  type: อบจ"),
            ("  district: เมืองสมมุติ\n", ""),
            ("\nvision: ", "\nvision2: ''\nvision: "),
        ],
    )
    return folder


def test_no_english_reaches_a_thai_user(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every line the converted commands print under Thai holds no English word: only ids, file
    names, keys and values in Latin letters. (The commands still in English are converted
    module by module; each joins this list as it is.)"""
    monkeypatch.setenv("SAOREPORT_LANG", "th")
    broken = _broken_plan(tmp_path)
    bad_yaml = tmp_path / "bad-yaml"
    bad_yaml.mkdir()
    (bad_yaml / "plan.yaml").write_text("organization:\n  name: [a\n- b: c\n", encoding="utf-8")
    utf16 = tmp_path / "utf16"
    utf16.mkdir()
    (utf16 / "plan.yaml").write_bytes("vision: ก".encode("utf-16"))
    runs = [
        ["validate", str(broken)],
        ["validate", str(bad_yaml), str(utf16)],
        ["validate", str(ROOT / "plans" / "khi-lek")],
        ["validate", str(tmp_path / "nowhere")],
        ["export"],
        ["build", "--jobs", "0"],
        ["--lang", "xx", "validate"],
        ["build", str(ROOT / "plans" / "khi-lek"), "--out", str(tmp_path / "out"), "-j", "1"],
        ["build", str(ROOT / "plans" / "khi-lek"), "--out", str(tmp_path / "out"), "-j", "1"],
        ["build", str(broken), "--out", str(tmp_path / "out"), "-j", "1"],
        ["build", str(ROOT / "plans" / "khi-lek"), "--out", str(ROOT / "plans" / "khi-lek")],
    ]
    said: list[str] = []
    for words in runs:
        with contextlib.suppress(SystemExit):
            main(words)
        captured = capsys.readouterr()
        said += (captured.out + captured.err).splitlines()
    for words in (["--help"], ["validate", "--help"], ["build", "--help"]):
        with pytest.raises(SystemExit):
            main(words)
        said += [
            line
            for line in capsys.readouterr().out.splitlines()
            if line.startswith(("วิธีใช้", "สิ่งที่", "ตัวเลือก", "  -h", "  --lang", "  --version"))
        ]
    assert len(said) > 15
    english = [(line, words) for line in said if (words := _english_words(line))]
    monkeypatch.setenv("SAOREPORT_LANG", "en")  # the check itself finds English where it is
    main(["validate", str(broken)])
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) > 5 and all(_english_words(line) for line in lines)
    assert english == [], "\n".join(f"{w}: {line}" for line, w in english)


# The archive and the diff report in Thai --------------------------------------------------


@pytest.fixture(scope="module")
def archived_khi_lek(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """plans/khi-lek archived once: (plan folder, archive root)."""
    base = tmp_path_factory.mktemp("archived")
    folder = base / "khi-lek"
    shutil.copytree(ROOT / "plans" / "khi-lek", folder)
    root = base / "archive"
    assert main(["archive", str(folder), "--root", str(root)]) == 0
    return folder, root


def _archive_copy(archived: tuple[Path, Path], tmp_path: Path) -> Path:
    root = tmp_path / "archive"
    shutil.copytree(archived[1], root)
    for p in [root, *root.rglob("*")]:
        p.chmod(0o755 if p.is_dir() else 0o644)
    return root


def test_archive_verify_says_in_thai_which_files_are_damaged_and_what_to_do(
    archived_khi_lek: tuple[Path, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = _archive_copy(archived_khi_lek, tmp_path)
    v1 = root / "khi-lek" / "2570" / "v1"
    (v1 / "poster-a4.pdf").write_bytes(b"%PDF-1.7 not the archived one")
    (v1 / "poster-a3.pdf").unlink()
    (v1 / "notes.txt").write_text("x")
    index = root / "khi-lek" / "index.jsonl"
    index.write_bytes(index.read_bytes()[:-5])  # its last line cut off
    monkeypatch.setenv("SAOREPORT_LANG", "th")
    capsys.readouterr()
    assert main(["archive", "verify", str(root), "--no-rebuild"]) == 1
    said = capsys.readouterr()
    problems = said.err.splitlines()
    assert problems == [
        f"{index}:1: บรรทัดสุดท้ายขาดหาย (ทะเบียนฉบับเสียหาย): นำทะเบียนฉบับคืนจากสำเนาสำรอง",
        f"{index}:1: ไม่ใช่รายการของทะเบียนฉบับ: นำทะเบียนฉบับคืนจากสำเนาสำรอง",
        f"{v1}: ไม่มีชื่ออยู่ใน {index}: ฉบับนี้หรือทะเบียนฉบับถูกแก้ไข นำทั้งสองคืนจากสำเนาสำรอง",
        f"{v1 / 'poster-a3.pdf'}: ไฟล์หายไป: นำไฟล์นี้คืนจากสำเนาสำรอง",
        f"{v1 / 'poster-a4.pdf'}: ไฟล์เสียหาย (ค่าตรวจสอบของไฟล์ไม่ตรงกับที่ manifest.json"
        " บันทึกไว้): นำไฟล์นี้คืนจากสำเนาสำรอง",
        f"{v1 / 'notes.txt'}: ไฟล์เกินมา ไม่อยู่ในรายการของ manifest.json: ย้ายไฟล์นี้ออกจากที่เก็บฉบับ",
    ]


def test_archive_list_and_a_refused_freeze_are_in_thai(
    archived_khi_lek: tuple[Path, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder, _root = archived_khi_lek
    root = _archive_copy(archived_khi_lek, tmp_path)
    monkeypatch.setenv("SAOREPORT_LANG", "th")
    capsys.readouterr()
    assert main(["archive", "list", "--root", str(root)]) == 0
    listed = capsys.readouterr().out
    assert re.fullmatch(
        r"khi-lek  ปีงบประมาณ 2570  v1  เก็บเมื่อ \S+  poster-a3\.pdf, poster-a4\.pdf,"
        r" strategy\.pdf\n",
        listed,
    ), listed
    (root / "khi-lek" / "index.jsonl").unlink()
    assert main(["archive", str(folder), "--root", str(root)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{root / 'khi-lek' / 'index.jsonl'}: ไฟล์หายไป: ทะเบียนฉบับของ อบต. นี้หายไป"
        " นำไฟล์นี้คืนจากสำเนาสำรอง",
        f"{folder}: ยังไม่ได้เก็บฉบับ เพราะที่เก็บฉบับที่จะเพิ่มเข้าไปเสียหาย:"
        " นำไฟล์ที่เสียหายคืนจากสำเนาสำรอง แล้วสั่ง saoreport archive verify"
        f" {root / 'khi-lek'} จากนั้นสั่งเก็บฉบับอีกครั้ง",
    ]


# A later edition of the demo (a correction, the executive alone): makes a copy the newer.
LATER_EDITION = "  - {kind: แก้ไข, number: 1, year: 2568, base: v3, approved: 2568-07-01, announced: 2568-07-02}\n"


def test_diff_reports_in_thai(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = ROOT / "plans" / "demo"
    after = tmp_path / "demo"
    shutil.copytree(before, after)
    plan = after / "plan.yaml"
    text = plan.read_text(encoding="utf-8")
    for old, new in (
        ("budget: {2566: 1290000}", "budget: {2566: 1295000}"),
        ("    announced: 2568-06-12\n", "    announced: 2568-06-12\n" + LATER_EDITION),
    ):
        assert old in text
        text = text.replace(old, new, 1)
    plan.write_text(text, encoding="utf-8")
    monkeypatch.setenv("SAOREPORT_LANG", "th")
    capsys.readouterr()
    assert main(["diff", str(before), str(after)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[:2] == [
        f"ฉบับเดิม (ก่อนเปลี่ยน): {before} (โฟลเดอร์แผน ยังไม่ได้เก็บ)",
        f"ฉบับใหม่ (หลังเปลี่ยน): {after} (โฟลเดอร์แผน ยังไม่ได้เก็บ)",
    ]
    lines = lines[2:]
    assert lines[:10] == [
        "วิสัยทัศน์: ไม่เปลี่ยนแปลง",
        "พันธกิจ: ไม่เปลี่ยนแปลง",
        "เป้าประสงค์: ไม่เปลี่ยนแปลง",
        "ยุทธศาสตร์: ไม่เปลี่ยนแปลง",
        "โครงการ:",
        "  ~ P0001 โครงการก่อสร้างถนนคอนกรีตเสริมเหล็ก บ้านตัวอย่าง หมู่ที่ 1 (สายบ้านตัวอย่าง – บ้านโนนงาม):"
        " งบประมาณปี 2566: 1,290,000 → 1,295,000 (+5,000)",
        "ครุภัณฑ์: ไม่เปลี่ยนแปลง",
        "ข้อมูลของแผน:",
        "  ~ ฉบับของแผน: 'เปลี่ยนแปลง ครั้งที่ 1/2568' → 'แก้ไข ครั้งที่ 1/2568'",
        "ส่วนบรรยาย: ไม่เปลี่ยนแปลง",
    ]
    assert lines[10] == "งบประมาณรายปี (บาท) เดิม → ใหม่:"
    assert "  ปี 2566: 7,036,000 → 7,041,000 (+5,000)" in lines
    assert any(re.fullmatch(r"  รวม: [\d,]+ → [\d,]+ \(\+5,000\)", line) for line in lines)
    assert lines[-1] == "(+ เพิ่ม, - ตัดออก, ~ แก้ไข)"
    assert not re.search(r"\b(unchanged|budget|total|None)\b", "\n".join(lines))


def test_diff_of_what_is_not_a_plan_says_what_to_name_in_thai(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SAOREPORT_LANG", "th")
    assert main(["diff", str(tmp_path), str(ROOT / "plans" / "khi-lek")]) == 1
    assert capsys.readouterr().err == (
        f"{tmp_path}: ไม่ใช่แผน ฉบับที่เก็บไว้ หรือปีงบประมาณที่เก็บไว้: ระบุโฟลเดอร์แผนหรือไฟล์"
        " plan.yaml ฉบับที่เก็บไว้ (archive/<slug>/<year>/v<N>) หรือปีงบประมาณที่เก็บไว้"
        " (archive/<slug>/<year>)\n"
    )


def test_a_key_with_a_password_is_refused_in_thai_with_how_to_make_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = tmp_path / "archive-key.pem"
    key.write_bytes(
        Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(b"secret"),
        )
    )
    monkeypatch.setenv("SAOREPORT_LANG", "th")
    root = tmp_path / "archive"
    assert (
        main(["archive", str(ROOT / "plans" / "khi-lek"), "--root", str(root), "--key", str(key)])
        == 2
    )
    assert capsys.readouterr().err == (
        f"{key}: กุญแจนี้มีรหัสผ่านป้องกัน แต่ saoreport ลงลายมือชื่อด้วยกุญแจที่ไม่มีรหัสผ่าน:"
        " สร้างกุญแจด้วยคำสั่ง 'openssl genpkey -algorithm ed25519 -out archive-key.pem'\n"
    )
    assert not root.exists()


def test_no_english_in_the_archive_and_diff_reports(
    archived_khi_lek: tuple[Path, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """archive (freeze, verify, list) and diff, on damage and on sound input, under Thai: no
    English word, only ids, file names, keys and values in Latin letters."""
    folder, _root = archived_khi_lek
    root = _archive_copy(archived_khi_lek, tmp_path)
    v1 = root / "khi-lek" / "2570" / "v1"
    (v1 / "poster-a4.pdf").write_bytes(b"%PDF-1.7")
    (v1 / "poster-a3.pdf").unlink()
    (v1 / "notes.txt").write_text("x")
    manifest = json.loads((v1 / "manifest.json").read_text(encoding="utf-8"))
    manifest.update(archived="2020-13-45", extra=1, version=3)
    (v1 / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    (root / "khi-lek" / "2570" / "v3").mkdir()
    sound = _archive_copy(archived_khi_lek, tmp_path / "sound")
    junk_key = tmp_path / "key.pem"
    junk_key.write_text("not a key")
    changed = tmp_path / "demo"
    shutil.copytree(ROOT / "plans" / "demo", changed)
    plan = changed / "plan.yaml"
    text = plan.read_text(encoding="utf-8")
    text = text.replace("budget: {2566: 1290000}", "budget: {2566: 1295000}")
    text = text.replace(
        "    announced: 2568-06-12\n", "    announced: 2568-06-12\n" + LATER_EDITION
    )
    plan.write_text(text, encoding="utf-8")
    monkeypatch.setenv("SAOREPORT_LANG", "th")
    runs = [
        ["archive", "verify", str(root), "--no-rebuild"],
        ["archive", "verify", str(sound)],
        ["archive", "list", "--root", str(root)],
        ["archive", str(folder), "--root", str(root)],
        ["archive", str(folder), "--root", str(sound)],
        ["archive", "verify", str(sound), "--key", str(junk_key)],
        ["diff", str(ROOT / "plans" / "demo"), str(changed)],
        ["diff", str(folder), str(ROOT / "plans" / "demo")],
        ["diff", str(folder), str(ROOT / "plans" / "demo"), "--any-order"],
        ["diff", str(changed), str(ROOT / "plans" / "demo")],
        ["diff", str(tmp_path / "nowhere"), str(changed)],
    ]
    said: list[str] = []
    for words in runs:
        main(words)
        captured = capsys.readouterr()
        said += (captured.out + captured.err).splitlines()
    assert len(said) > 40
    slug = {"khi", "lek"}  # khi-lek, the SAO's folder name: an id
    english = [(line, w) for line in said if (w := sorted(set(_english_words(line)) - slug))]
    assert english == [], "\n".join(f"{w}: {line}" for line, w in english)


@pytest.mark.parametrize("lang", [["--lang", "en"], ["--lang=en"]])
def test_lang_before_archive_keeps_its_freeze_left_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: list[str]
) -> None:
    """`saoreport --lang en archive PLAN` is `archive freeze PLAN` as without --lang."""
    assert main([*lang, "archive", str(tmp_path / "nowhere"), "--root", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "there is no plan.yaml in" in err and "invalid choice" not in err


# The web-page import in Thai ---------------------------------------------------------------

# One mission, one goal, one strategy; a line of the website, a character the font lacks and a
# footer, each reported.
_PAGE = (
    "องค์การบริหารส่วนตำบลบ้านสมมุติ อำเภอเมือง จังหวัดขอนแก่น\nวิสัยทัศน์\n“บ้านสมมุติน่าอยู่”\n"
    "หน้าแรก\nพันธกิจ\n1. พัฒนาถนน 😀\nเป้าหมาย\n1. ถนนดี\nยุทธศาสตร์\n1. ด้านถนน\n"
    "ติดต่อเรา โทร 043-123456\n"
)


def _import_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, Path, str, str]:
    """(the page, the plan file written, what was printed, what was printed as errors)."""
    source = tmp_path / "page.txt"
    source.write_text(_PAGE, encoding="utf-8")
    capsys.readouterr()
    assert main(["import", str(source), "--out", str(tmp_path / "plans"), "--force"]) == 0
    said = capsys.readouterr()
    return source, tmp_path / "plans" / "page" / "plan.yaml", said.out, said.err


def test_a_web_import_reports_in_thai_with_each_count_singular(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SAOREPORT_LANG", "th")
    source, target, out, err = _import_page(tmp_path, capsys)
    assert out == (
        f"{target}: พันธกิจ 1 ข้อ, เป้าหมาย 1 ข้อ, ยุทธศาสตร์ 1 ด้าน: กรอกบรรทัดที่มีเครื่องหมาย CHECK ให้ครบ\n"
    )
    assert err.splitlines() == [
        f"{source}:4: ไม่ได้นำเข้า (ข้อความของเว็บไซต์): หน้าแรก",
        f"{source}:11: ไม่ได้นำเข้า (ส่วนท้ายของเว็บไซต์: เนื้อหาของหน้าจบที่นี่): ติดต่อเรา โทร 043-123456",
        f"{source}:1: ไม่ได้นำเข้า (ข้อความนำ (ใช้ชื่อ อำเภอ และจังหวัดจากข้อความนี้)):"
        " องค์การบริหารส่วนตำบลบ้านสมมุติ อำเภอเมือง จังหวัดขอนแก่น",
        f"{source}:6: โปรดตรวจสอบ: ตัด '😀' (U+1F600 GRINNING FACE) ออก:"
        " แบบอักษรไม่มีอักขระนี้ จะพิมพ์ออกมาเป็นกล่อง",
    ]
    written = target.read_text(encoding="utf-8")
    assert "#   4: ข้อความของเว็บไซต์: หน้าแรก\n" in written
    assert "  # CHECK: เพิ่ม `name:` ชื่อผู้บริหารท้องถิ่น\n" in written  # the marker kept
    monkeypatch.setenv("SAOREPORT_LANG", "en")
    _source, target, out, _err = _import_page(tmp_path, capsys)
    assert out == f"{target}: 1 mission, 1 goal, 1 strategy; fill in the lines marked CHECK\n"


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_importing_a_pipe_or_a_device_is_refused_in_thai_naming_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    path = Path("/dev/zero")
    if kind == "fifo":
        path = tmp_path / "page.html"
        os.mkfifo(path)
    monkeypatch.setenv("SAOREPORT_LANG", "th")
    assert main(["import", str(path), "--out", str(tmp_path / "plans")]) == 1
    assert capsys.readouterr().err == (
        f"{path}: ไม่ใช่ไฟล์ (เป็นอุปกรณ์ ท่อส่งข้อมูล หรือโฟลเดอร์):"
        " บันทึกหน้าเว็บวิสัยทัศน์และพันธกิจเป็นไฟล์ แล้วระบุชื่อไฟล์นั้น\n"
    )
    assert not (tmp_path / "plans").exists()


def test_import_help_is_in_thai(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SAOREPORT_LANG", "th")
    with pytest.raises(SystemExit):
        main(["import", "--help"])
    out = capsys.readouterr().out
    assert out.startswith("วิธีใช้: saoreport import")
    squashed = " ".join(out.split())
    for thai in (
        "เริ่มแผนจากหน้าเว็บวิสัยทัศน์และพันธกิจที่บันทึกไว้ หรือจากสมุดงาน",
        "ส่วนที่หน้าเว็บไม่มีจะเติมค่าชั่วคราวที่มีเครื่องหมาย CHECK ไว้",
        "--slug SLUG ชื่อโฟลเดอร์ของแผน",
        "--out DIR โฟลเดอร์แผน (plans/)",
        "--force เขียนทับ plan.yaml ที่มีอยู่",
        "--into PLAN_DIR สมุดงาน: รวมเข้ากับแผนที่มีอยู่",
        "--dry-run สมุดงาน: แสดงสิ่งที่จะเปลี่ยนแปลง ไม่บันทึกสิ่งใด",
        "--remove-missing สมุดงานกับ --into:",
        "--accept-losses สมุดงาน: นำเข้าแม้มีบางช่องที่อ่านไม่ได้",
        "FILE หน้าเว็บที่บันทึกเป็นข้อความหรือ HTML หรือสมุดงาน",
    ):
        assert thai in squashed, thai


def test_no_english_in_the_web_import(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The web import, its refusals and its help under Thai, and the comments of the plan file
    it writes: only ids, file names, keys and values in Latin letters."""
    monkeypatch.setenv("SAOREPORT_LANG", "th")
    _source, target, out, err = _import_page(tmp_path, capsys)
    said = [*out.splitlines(), *err.splitlines()]
    comments = [line.partition("#")[2] for line in target.read_text(encoding="utf-8").splitlines()]
    comments = [comment for comment in comments if comment.strip() not in ("", "CHECK")]
    assert len(comments) > 5
    said += comments
    fifo = tmp_path / "pipe.html"
    os.mkfifo(fifo)
    empty = tmp_path / "news.txt"
    empty.write_text("ข่าวประชาสัมพันธ์\nวันท้องถิ่นไทย 2562\n", encoding="utf-8")
    control = tmp_path / "control.txt"
    control.write_text("วิสัยทัศน์\n" + "\x01\x02ก" * 100, encoding="utf-8")
    huge = tmp_path / "huge.html"
    with huge.open("wb") as file:
        file.truncate(10 * 1024 * 1024 + 1)
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes(b"\xe9t\xe9 \xff\xfe" * 20)
    plans = str(tmp_path / "plans")
    runs = [
        ["import", str(tmp_path / "page.txt"), "--out", plans],  # exists
        ["import", str(fifo), "--out", plans],
        ["import", "/dev/zero", "--out", plans],
        ["import", str(tmp_path / "nowhere.txt"), "--out", plans],
        ["import", str(empty), "--out", plans],
        ["import", str(control), "--out", plans],
        ["import", str(huge), "--out", plans],
        ["import", str(latin1), "--out", plans],
        ["import", str(empty), "--dry-run"],
        ["import", str(empty), "--into", str(target.parent), "--force"],
    ]
    for words in runs:
        assert main(words) in (1, 2), words
        captured = capsys.readouterr()
        assert captured.err.count("\n") == 1, captured.err
        said += (captured.out + captured.err).splitlines()
    with pytest.raises(SystemExit):
        main(["import", "--help"])
    said += capsys.readouterr().out.splitlines()
    assert len(said) > 40
    english = [(line, words) for line in said if (words := _english_words(line))]
    assert english == [], "\n".join(f"{w}: {line}" for line, w in english)


# The workbook import and export in Thai -------------------------------------------------------


def _demo_workbook(tmp_path: Path, f15: object) -> tuple[Path, Path, str]:
    """The demo plan (a copy), and its exported workbook with the third sheet's F15 (a project's
    budget for 2567) set to *f15*: (plan folder, workbook, FILE:SHEET!F15)."""
    from openpyxl import load_workbook

    from saoreport.excel.write import export_plan
    from saoreport.plan.validate import check

    into = tmp_path / "plan"
    shutil.copytree(ROOT / "plans" / "demo", into)
    book = export_plan(check(into).plan, tmp_path / "demo.xlsx").path
    wb = load_workbook(book)
    sheet = wb.sheetnames[2]
    wb[sheet]["F15"] = f15
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)
    return into, edited, f"{edited}:{sheet}!F15"


def test_an_unreadable_budget_is_told_in_thai_with_its_cell_and_what_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    into, bad, cell = _demo_workbook(tmp_path, "1.200.000")
    before = (into / "plan.yaml").read_bytes()
    monkeypatch.setenv("SAOREPORT_LANG", "th")
    assert main(["import", str(bad), "--into", str(into)]) == 1
    err = capsys.readouterr().err
    assert "ตกหล่น: ไม่ได้เข้าไปในแผน (การนำเข้าจะจบด้วยรหัส 1 เว้นแต่ระบุ --accept-losses):" in err
    assert (
        f"  {cell}: งบประมาณปี 2567: '1.200.000' ไม่ใช่จำนวนเงินบาท (ให้พิมพ์เป็นตัวเลข"
        " เช่น 150000) จึงไม่ได้นำเข้าแผน"
    ) in err.splitlines()
    assert (
        f"{into / 'plan.yaml'}: ไม่ได้เขียน: อ่านไม่ได้ 1 เซลล์ (ดูรายการข้างบนใต้หัวข้อ ตกหล่น)"
        " ให้แก้ไขในแฟ้ม หรือสั่งอีกครั้งพร้อม --accept-losses"
    ) in err
    assert (into / "plan.yaml").read_bytes() == before and not list(into.glob("*.bak"))
    # Accepted: the notes file beside the plan is in Thai too, its counts pluralised in Thai.
    assert main(["import", str(bad), "--into", str(into), "--accept-losses"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"ยุทธศาสตร์ 6 ด้าน โครงการ 91 โครงการ ครุภัณฑ์ 8 รายการ จาก \d+ ชีต", out)
    assert re.search(r"ข้อสังเกต \d+ ข้อ \(ดูใน import-notes.txt\) แผนฉบับก่อนเก็บไว้เป็น", out)
    notes = (into / "import-notes.txt").read_text("utf-8")
    assert (
        f"ตกหล่น: ไม่ได้เข้าไปในแผน (การนำเข้าจะจบด้วยรหัส 1 เว้นแต่ระบุ --accept-losses):\n  {cell}:"
        in notes
    )
    assert "สิ่งที่การนำเข้าเปลี่ยนแปลง:" in notes


def test_the_into_preview_is_in_thai(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    into, changed, _cell = _demo_workbook(tmp_path, 1_300_000)
    before = (into / "plan.yaml").read_bytes()
    monkeypatch.setenv("SAOREPORT_LANG", "th")
    assert main(["import", str(changed), "--into", str(into), "--dry-run"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{into / 'plan.yaml'}: สิ่งที่การนำเข้าจะเปลี่ยนแปลง:"
    edits = [line for line in out if line.startswith("  แก้ไขโครงการ ")]
    assert len(edits) == 1 and re.search(r": งบประมาณปี 2567: ไม่มี -> 1,300,000$", edits[0])
    assert "  โครงการ: เพิ่ม 0 แก้ไข 1 ลบ 0 เหมือนเดิม 90 คงไว้ 0 (ไม่อยู่ในแฟ้ม)" in out
    assert out[-1].startswith(f"{into / 'plan.yaml'}: ไม่ได้เขียน (--dry-run): ยุทธศาสตร์ 6 ด้าน")
    assert (into / "plan.yaml").read_bytes() == before


def test_no_english_reaches_a_thai_user_of_import_and_export(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The workbook commands' every line under Thai: notes, headings, the preview, the
    refusals and the results hold no English word, only ids, file and sheet names, values."""
    into, bad, _cell = _demo_workbook(tmp_path, "1.200.000")
    fresh = tmp_path / "fresh"
    (tmp_path / "text.xls").write_text("not a workbook at all")
    (tmp_path / "torn.xlsx").write_bytes(b"PK\x03\x04 a zip cut short")
    (tmp_path / "torn.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 an OLE cut short")
    city = ROOT / "tests" / "fixtures" / "xlsx" / "city.xlsx"
    monkeypatch.setenv("SAOREPORT_LANG", "th")
    runs = [
        ["import", str(bad), "--into", str(into)],
        ["import", str(bad), "--into", str(into), "--dry-run", "--accept-losses"],
        ["import", str(bad), "--into", str(into), "--accept-losses", "--remove-missing"],
        ["import", str(bad), "--slug", "fresh", "--out", str(fresh)],
        ["import", str(bad), "--slug", "fresh", "--out", str(fresh), "--accept-losses"],
        ["import", str(bad), "--slug", "fresh", "--out", str(fresh), "--accept-losses"],
        ["import", str(tmp_path / "text.xls"), "--slug", "x", "--out", str(fresh)],
        ["import", str(tmp_path / "torn.xlsx"), "--slug", "x", "--out", str(fresh)],
        ["import", str(tmp_path / "torn.xls"), "--slug", "x", "--out", str(fresh)],
        ["export", str(into), "--xlsx", str(tmp_path / "out.xlsx")],
    ]
    runs.append(["import", str(city), "--slug", "c", "--out", str(fresh), "--dry-run"])
    said: list[str] = []
    for words in runs:
        main(words)
        captured = capsys.readouterr()
        said += (captured.out + captured.err).splitlines()
    said += (fresh / "fresh" / "import-notes.txt").read_text("utf-8").splitlines()
    assert len(said) > 20
    said = [re.sub(r"\(sha256 [0-9a-f]{16}…\)", "", line) for line in said]  # an id
    english = [(line, w) for line in said if (w := sorted(set(_english_words(line))))]
    assert english == [], "\n".join(f"{w}: {line}" for line, w in english)


# The issue's own list, each in Thai with its fix ------------------------------------------


def test_a_strategy_that_does_not_exist_names_those_that_do_in_thai(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _edited(tmp_path, "demo", [("    strategy: S1\n", "    strategy: S7\n")])
    monkeypatch.setenv("SAOREPORT_LANG", "th")
    assert (
        f"{folder / 'plan.yaml'}:209:15: โครงการที่ ๑ 'โครงการก่อสร้างถนนคอนกรีตเสริมเหล็ก บ้า…',"
        " ยุทธศาสตร์ (projects[0].strategy): ไม่มียุทธศาสตร์รหัส 'S7'"
        " ยุทธศาสตร์ที่มีคือ 'S1', 'S2', 'S3', 'S4', 'S5', 'S6'\n"
    ) == _validate(folder, capsys)


def test_the_poster_lines_are_in_words_an_officer_reads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SAOREPORT_LANG", "th")
    out = tmp_path / "out"
    assert main(["build", str(ROOT / "plans" / "khi-lek"), "--out", str(out), "-j", "1"]) == 0
    said = capsys.readouterr().out.splitlines()
    posters = [line.strip() for line in said if "โปสเตอร์" in line]
    assert len(posters) == 2, said
    for line, paper in zip(posters, ("A3", "A4"), strict=True):
        assert re.fullmatch(
            rf"โปสเตอร์ {paper}: ตัวอักษร [๐-๙]+(\.[๐-๙])? พอยต์ \(ขนาดตามหนังสือราชการ\)"
            r" [๑๒] คอลัมน์ เต็มหน้า [๐-๙]+%",
            line,
        ), line


def test_a_workbook_renamed_xls_is_read_for_what_it_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An .xlsx renamed .xls (as offices do to please a form) is read by its content."""
    book = tmp_path / "plan.xls"
    assert main(["export", str(ROOT / "plans" / "demo"), "--xlsx", str(tmp_path / "p.xlsx")]) == 0
    (tmp_path / "p.xlsx").rename(book)
    monkeypatch.setenv("SAOREPORT_LANG", "th")
    capsys.readouterr()
    assert main(["import", str(book), "--slug", "renamed", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "โครงการ 91 โครงการ" in out and "Cfb" not in out


@pytest.mark.parametrize("lang", [["--lan", "en"], ["--la=en"]])
def test_an_abbreviated_lang_is_understood(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: list[str]
) -> None:
    folder = _plan(tmp_path, "fiscal_year: 2570", "fiscal_year: 2300")
    assert main(["validate", str(folder), *lang]) == 1
    assert "should be at least 2400; found 2300" in capsys.readouterr().err


def test_a_year_written_twice_in_two_kinds_of_digits_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """YAML takes 2570 and ๒๕๗๐ for two keys; the model for one year: the second would
    replace the first without a word."""
    edit = (
        "budget: {2566: 1290000}",
        "budget: {2566: 1290000, 2570: 335000, ๒๕๗๐: 9}",
    )
    folder = _edited(tmp_path, "demo", [edit])
    assert main(["validate", str(folder)]) == 1
    assert (
        "plan.yaml:215:43: projects[0].budget.๒๕๗๐: 2570 and ๒๕๗๐ are the same year: keep one"
        " of them" in capsys.readouterr().err
    )


def test_a_password_or_an_unknown_packing_is_said_in_thai_not_in_the_library_s_english(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """zipfile's own English ("That compression method is not supported", "… is encrypted,
    password required") never reaches the user: the reason is said in the catalog's words."""
    book = tmp_path / "p.xlsx"
    assert main(["export", str(ROOT / "plans" / "khi-lek"), "--xlsx", str(book)]) == 0
    data = bytearray(book.read_bytes())
    packed = bytes(data)
    # The local headers' and the central directory's compression method (offsets 8 and 10).
    for signature, offset in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):
        at = packed.find(signature)
        while at >= 0:
            data[at + offset : at + offset + 2] = (99).to_bytes(2, "little")
            at = packed.find(signature, at + 4)
    odd = tmp_path / "odd.xlsx"
    odd.write_bytes(bytes(data))
    monkeypatch.setenv("SAOREPORT_LANG", "th")
    capsys.readouterr()
    assert main(["import", str(odd), "--slug", "odd", "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "ไฟล์ถูกบีบอัดด้วยวิธีที่ Excel และ LibreOffice ไม่ใช้" in err, err
    assert _english_words(err.replace(str(odd), "")) == [], err
