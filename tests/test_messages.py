"""Messages in the officer's language: the catalog is complete and current, Thai is the
default, English is there on request, and what a user reads says what to do."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from conftest import ROOT
from saoreport import messages
from saoreport.cli import main

CATALOG = messages.LOCALE_DIR / "th" / "LC_MESSAGES" / "saoreport.po"
COMPILED = CATALOG.with_suffix(".mo")
KEYWORDS = {"_": None, "n_": (1, 2)}  # as the Makefile's `make messages` extracts them
PLACEHOLDER = re.compile(r"\{(\w*)[^}]*\}")


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


def _plan(tmp_path: Path, old: str, new: str) -> Path:
    folder = tmp_path / "khi-lek"
    shutil.copytree(ROOT / "plans" / "khi-lek", folder)
    plan = folder / "plan.yaml"
    text = plan.read_text(encoding="utf-8")
    assert old in text
    plan.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


def _validate(folder: Path, capsys: pytest.CaptureFixture[str], *options: str) -> str:
    assert main(["validate", str(folder), *options]) == 1
    return capsys.readouterr().err


@pytest.mark.parametrize(
    ("old", "new", "thai", "english"),
    [
        (
            "fiscal_year: 2570",
            "fiscal_year: '2570'",
            "plan.fiscal_year: ต้องเป็นจำนวนเต็ม เขียนด้วยตัวเลขล้วน เช่น 1200000",
            "plan.fiscal_year: should be a whole number in digits only, such as 1200000",
        ),
        (
            "fiscal_year: 2570",
            "fiscal_year: 2300",
            "plan.fiscal_year: ต้องไม่น้อยกว่า 2400 (พบ 2300)",
            "plan.fiscal_year: should be at least 2400; found 2300",
        ),
        (
            "fiscal_year: 2570",
            "fiscal_year: 2570\n  colour: red",
            "plan.colour: ไม่รู้จักหัวข้อนี้: ตรวจการสะกด หรือลบออก",
            "plan.colour: this key is not known: check its spelling, or remove it",
        ),
        (
            "  district: ",
            "  place: ",
            "organization.district: ต้องมีข้อมูลนี้: โปรดเพิ่ม",
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
