"""Issue 14: hostile, broken and interrupted input. One test (or a few) per numbered point of
the issue; each failed on the code before the issue and passes after it."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pdfplumber
import pytest

from conftest import ROOT, pdftotext, squash
from saoreport.cli import main
from saoreport.pipeline import cache, parts
from saoreport.pipeline.batch import build_one

LOCATED = re.compile(r"^\S+plan\.yaml:\d+:\d+: ", re.M)  # file:line:col


def _plan(tmp_path: Path, name: str, slug: str = "khi-lek", edit=None) -> Path:
    """A copy of a shipped plan as tmp_path/name, its text passed through *edit*."""
    folder = tmp_path / name
    shutil.copytree(ROOT / "plans" / slug, folder)
    if edit is not None:
        plan = folder / "plan.yaml"
        result = edit(plan.read_text(encoding="utf-8"))
        if isinstance(result, bytes):
            plan.write_bytes(result)
        else:
            plan.write_text(result, encoding="utf-8")
    return folder


def _vision(value: str):
    return lambda text: re.sub(r"^vision: .*$", lambda _: f"vision: {value}", text, flags=re.M)


# 1. import --slug writes anywhere -------------------------------------------------------

PAGE = "วิสัยทัศน์\nตำบลสะอาด\nพันธกิจ\n๑. รักษาความสะอาด\nเป้าหมาย\n• ตำบลสะอาด\n"


@pytest.mark.parametrize("slug", ["../../escape", "ABSOLUTE", "a/b/c", "..", ".hidden"])
def test_import_slug_is_one_safe_folder_name(
    tmp_path: Path, slug: str, capsys: pytest.CaptureFixture[str]
) -> None:
    work = tmp_path / "work"
    plans = work / "plans"
    plans.mkdir(parents=True)
    page = work / "page.txt"
    page.write_text(PAGE, encoding="utf-8")
    absolute = tmp_path / "absolute-slug"
    slug = slug.replace("ABSOLUTE", str(absolute))
    before = sorted(p for p in tmp_path.rglob("*"))
    assert main(["import", str(page), "--slug", slug, "--out", str(plans), "--force"]) == 2
    assert "slug" in capsys.readouterr().err
    assert sorted(p for p in tmp_path.rglob("*")) == before  # nothing written anywhere
    assert not absolute.exists()


def test_import_slug_cannot_overwrite_another_plan(tmp_path: Path) -> None:
    plans = tmp_path / "plans"
    other = _plan(plans, "other")
    kept = (other / "plan.yaml").read_bytes()
    (plans / "mine").mkdir()
    page = tmp_path / "page.txt"
    page.write_text(PAGE, encoding="utf-8")
    assert (
        main(["import", str(page), "--slug", "../other", "--out", str(plans / "mine"), "--force"])
        == 2
    )
    assert (other / "plan.yaml").read_bytes() == kept


# 3. One bad plan stops the whole batch ----------------------------------------------------

BROKEN = {
    "nul": lambda t: t.replace("vision: ", "vision: \x00", 1),
    "bel": lambda t: t.replace("vision: ", "vision: \x07", 1),
    "esc": lambda t: t.replace("vision: ", "vision: \x1b[2J", 1),
    "del": lambda t: t.replace("vision: ", "vision: \x7f", 1),
    "vt": lambda t: t.replace("vision: ", "vision: \x0b", 1),
    "fffe": lambda t: t.replace("vision: ", "vision: \ufffe", 1),
    "u2028": lambda t: t.replace("vision: ", "vision: ก\u2028ข", 1),
    "escaped-nul": _vision('"ชุมชน\\0"'),
    "escaped-2028": _vision('"ชุมชน\\L"'),
    "utf16": lambda t: t.encode("utf-16-le"),
    "utf16-bom": lambda t: t.encode("utf-16"),
    "binary": lambda t: bytes(range(256)) * 8,
    "latin1": lambda t: t.replace("vision: ", "vision: caf\u00e9 ", 1).encode("latin-1", "replace"),
    "impossible-date": lambda t: t.replace(
        "  fiscal_year: 2570\n", "  fiscal_year: 2570\n  announced: 2567-02-30\n"
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_plan_is_reported_with_its_place(
    tmp_path: Path, case: str, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _plan(tmp_path, case, edit=BROKEN[case])
    assert main(["validate", str(folder)]) == 1
    err = capsys.readouterr().err
    assert LOCATED.search(err), err
    assert "Traceback" not in err and "internal error" not in err
    assert "\x1b" not in err and "\x00" not in err and "\x07" not in err  # shown as escapes


def test_buddhist_era_leap_day_is_a_date(tmp_path: Path) -> None:
    """2567-02-29 is 2024-02-29, a leap day; the Buddhist year 2567 itself is not a leap year."""
    from saoreport.plan.validate import check
    from saoreport.thai import from_be

    folder = _plan(
        tmp_path,
        "leap",
        edit=lambda t: t.replace(
            "  fiscal_year: 2570\n",
            "  fiscal_year: 2570\n  approval: {session: สมัยสามัญ, meeting: ครั้งที่ 1,"
            " date: 2567-02-29}\n  announced: 2567-02-29\n",
        ),
    )
    plan = check(folder).plan
    assert plan.plan.approval is not None
    assert from_be(plan.plan.approval.date).isoformat() == "2024-02-29"
    assert from_be(plan.plan.announced).isoformat() == "2024-02-29"  # type: ignore[arg-type]


def test_one_bad_plan_does_not_stop_the_others(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = _plan(tmp_path, "good")
    leap = _plan(
        tmp_path,
        "leap",
        slug="nong-hang",
        edit=lambda t: t.replace(
            "  fiscal_year: 2570\n", "  fiscal_year: 2570\n  announced: 2567-02-29\n"
        ),
    )
    bad = [_plan(tmp_path, case, edit=BROKEN[case]) for case in ("esc", "utf16", "binary")]
    out = tmp_path / "out"
    code = main(["build", str(good), *map(str, bad), str(leap), "--out", str(out), "-j", "2"])
    err = capsys.readouterr().err
    assert code == 1
    assert "2 of 5 built" in err and "Traceback" not in err
    for folder in bad:
        assert re.search(rf"{re.escape(str(folder))}/plan\.yaml:\d+:\d+: ", err), err
    for folder in (good, leap):
        assert (out / folder.name / "2570" / "strategy.pdf").is_file()
        assert "องค์การบริหารส่วนตำบล" in pdftotext(out / folder.name / "2570" / "strategy.pdf")


# 5. YAML bombs and depth -------------------------------------------------------------------


def test_alias_bomb_is_refused_quickly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bomb = "lol0: &a0 [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"lol{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 10)
    )
    folder = _plan(tmp_path, "bomb", edit=lambda t: t + bomb)
    start = time.perf_counter()
    assert main(["validate", str(folder)]) == 1
    assert time.perf_counter() - start < 5
    err = capsys.readouterr().err
    assert re.search(r"plan\.yaml:\d+:\d+: aliases \(\*a\d\) repeat more than 100,000 values", err)


def test_deep_nesting_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _plan(tmp_path, "deep", edit=lambda t: t + "extra: " + "[" * 5000 + "]" * 5000 + "\n")
    assert main(["validate", str(folder)]) == 1
    err = capsys.readouterr().err
    assert re.search(r"plan\.yaml:\d+:\d+: nested more than 16 levels deep", err), err


# 7. Very long text ---------------------------------------------------------------------------


@pytest.mark.parametrize("length", [20_000, 1_000_000])
def test_too_long_text_names_its_field(
    tmp_path: Path, length: int, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _plan(tmp_path, "long", edit=_vision("ก" * length))
    start = time.perf_counter()
    assert main(["build", str(folder), "--out", str(tmp_path / "out"), "-j", "1"]) == 1
    assert time.perf_counter() - start < 20
    err = capsys.readouterr().err
    assert re.search(
        rf"plan\.yaml:\d+:\d+: vision: is too long: {length:,} characters where at most 2000 fit; shorten it",
        err,
    )
    assert not (tmp_path / "out").exists()


# 2. archive verify: blind spots, chain, index, signatures -----------------------------------


def _keys(folder: Path) -> tuple[Path, Path]:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    private, public = folder / "archive-key.pem", folder / "archive-key.pub.pem"
    private.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    public.write_bytes(
        key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    return private, public


APPROVED = "  fiscal_year: 2570\n  approval: {session: สมัยสามัญ สมัยที่ 3, meeting: ครั้งที่ 1, date: 2569-08-20}\n"


@pytest.fixture(scope="module")
def signed_archive(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """khi-lek archived twice (v1, v2), signed: the plan, the archive, the keys."""
    base = tmp_path_factory.mktemp("signed")
    folder = _plan(base, "khi-lek", edit=lambda t: t.replace("  fiscal_year: 2570\n", APPROVED))
    private, public = _keys(base)
    root = base / "archive"
    assert main(["archive", str(folder), "--root", str(root), "--key", str(private)]) == 0
    plan = folder / "plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("ครั้งที่ 1", "ครั้งที่ 2"), encoding="utf-8")
    assert main(["archive", str(folder), "--root", str(root), "--key", str(private)]) == 0
    return {"plan": folder, "root": root, "private": private, "public": public, "base": base}


def _copy(signed: dict[str, Path], tmp_path: Path) -> Path:
    root = tmp_path / "archive"
    shutil.copytree(signed["root"], root)
    for p in [root, *root.rglob("*")]:
        p.chmod(0o755 if p.is_dir() else 0o644)
    return root


def _verify(root: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["archive", "verify", str(root), "--no-rebuild", *extra])
    captured = capsys.readouterr()
    return code, captured.err + captured.out


def test_sound_signed_archive_verifies(
    signed_archive: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _copy(signed_archive, tmp_path)
    code, said = _verify(root, capsys, "--key", str(signed_archive["public"]))
    assert code == 0, said
    assert said.count(": ok") == 2
    index = (root / "khi-lek" / "index.jsonl").read_text().splitlines()
    assert len(index) == 2
    v2 = json.loads((root / "khi-lek" / "2570" / "v2" / "manifest.json").read_text())
    v1_bytes = (root / "khi-lek" / "2570" / "v1" / "manifest.json").read_bytes()
    import hashlib

    assert v2["previous"] == hashlib.sha256(v1_bytes).hexdigest()


def _edit_manifest(version: Path, change) -> None:
    path = version / "manifest.json"
    record = json.loads(path.read_text(encoding="utf-8"))
    change(record)
    path.write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


EDITS = {
    "approval date": lambda r: r["approval"].update(date="2569-08-21"),
    "organisation": lambda r: r.update(organization="องค์การบริหารส่วนตำบลอื่น"),
    "version": lambda r: r.update(version=7),
    "archive time": lambda r: r.update(archived="2020-01-01T00:00:00+00:00"),
    "font hash": lambda r: r["fonts"].update({next(iter(r["fonts"])): "0" * 64}),
    "fiscal year": lambda r: r.update(fiscal_year=2569),
    "slug outside": lambda r: r.update(slug="../../../tmp/x"),
    "slug absolute": lambda r: r.update(slug="/tmp/x"),
}


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_every_manifest_field_is_checked(
    signed_archive: dict[str, Path],
    tmp_path: Path,
    edit: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    root = _copy(signed_archive, tmp_path)
    v1 = root / "khi-lek" / "2570" / "v1"
    _edit_manifest(v1, EDITS[edit])
    code, said = _verify(root, capsys)
    assert code == 1
    assert f"{v1}: FAILED" in said
    assert "index.jsonl" in said  # the manifest is no longer the one the index records
    assert not Path("/tmp/x").exists()


def test_edited_fields_are_named_even_without_the_index(
    signed_archive: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _copy(signed_archive, tmp_path)
    v1 = root / "khi-lek" / "2570" / "v1"
    _edit_manifest(v1, EDITS["approval date"])
    _edit_manifest(v1, EDITS["organisation"])
    _edit_manifest(v1, EDITS["font hash"])
    _, said = _verify(v1, capsys)
    for field in ("approval", "organization", "fonts"):
        assert f"manifest.json: {field} " in said, said


def test_rebuild_of_a_hostile_slug_stays_in_scratch(
    signed_archive: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _copy(signed_archive, tmp_path)
    v1 = root / "khi-lek" / "2570" / "v1"
    _edit_manifest(v1, EDITS["slug outside"])
    capsys.readouterr()
    assert main(["archive", "verify", str(v1)]) == 1  # with the rebuild
    assert not Path("/tmp/x").exists() and not (tmp_path / "x").exists()


def test_lost_manifest_and_lost_versions_are_reported(
    signed_archive: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _copy(signed_archive, tmp_path)
    fy = root / "khi-lek" / "2570"
    (fy / "v1" / "manifest.json").unlink()
    code, said = _verify(root, capsys)
    assert code == 1 and "v1: this version has lost its manifest" in said

    root = _copy(signed_archive, tmp_path / "2")
    shutil.rmtree(root / "khi-lek" / "2570" / "v2")
    code, said = _verify(root, capsys)
    assert code == 1 and "v2: listed in" in said and "but gone" in said

    root = _copy(signed_archive, tmp_path / "3")
    shutil.rmtree(root / "khi-lek" / "2570" / "v1")
    code, said = _verify(root, capsys)
    assert code == 1 and "v1 is missing (the versions jump to v2)" in said

    root = _copy(signed_archive, tmp_path / "4")
    (root / "khi-lek" / "index.jsonl").unlink()
    code, said = _verify(root, capsys)
    assert code == 1 and "index of versions is gone" in said


def test_consistent_forgery_is_caught_by_chain_index_and_signature(
    signed_archive: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Edit the plan, archive it elsewhere, copy its files and hashes over the real v1: every
    file matches its manifest, but the index, the chain and the signature do not."""
    root = _copy(signed_archive, tmp_path)
    forged_plan = _plan(
        tmp_path,
        "khi-lek",
        edit=lambda t: t.replace("  fiscal_year: 2570\n", APPROVED).replace(
            "สร้างชุมชนให้เข้มแข็ง", "สร้างชุมชนให้ร่ำรวย"
        ),
    )
    other_root = tmp_path / "elsewhere"
    assert main(["archive", str(forged_plan), "--root", str(other_root)]) == 0
    forged = other_root / "khi-lek" / "2570" / "v1"
    real = root / "khi-lek" / "2570" / "v1"
    shutil.rmtree(real)
    shutil.copytree(forged, real)
    for p in [real, *real.rglob("*")]:
        p.chmod(0o755 if p.is_dir() else 0o644)
    code, said = _verify(real, capsys)  # the folder alone is consistent
    assert code == 1  # ... but it sits in an archive whose index says otherwise
    assert "its sha256 is not the one" in said and "index.jsonl" in said
    code, said = _verify(root, capsys, "--key", str(signed_archive["public"]))
    assert code == 1
    assert "not signed" in said
    assert "v2/manifest.json: previous" in said and "chain is broken" in said


def test_signature_from_another_key_fails(
    signed_archive: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _copy(signed_archive, tmp_path)
    _, other_public = _keys(tmp_path)
    code, said = _verify(root, capsys, "--key", str(other_public))
    assert code == 1 and said.count("the signature does not match") == 2


# 4. The parts cache -------------------------------------------------------------------------


def test_damaged_cached_parts_are_laid_out_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parts, "MIN_PROJECTS", 0)
    folder = _plan(tmp_path, "demo", slug="demo")
    out = tmp_path / "out"
    assert build_one(folder, out).error is None
    kept = out / "demo" / "2568" / cache.PARTS
    damaged = 0
    for path in sorted(kept.glob("*.pdf")):  # flip a byte in the middle of every kept part
        data = bytearray(path.read_bytes())
        if data:
            data[len(data) // 2] ^= 0x20
        else:  # a part kept for its pages alone (the front's first layout): a byte added
            data += b"%"
        path.write_bytes(bytes(data))
        damaged += 1
    for path in sorted(kept.glob("*.json"))[:3]:  # and edit some records, still valid JSON
        record = json.loads(path.read_text(encoding="utf-8"))
        record["kinds"] = record["kinds"][::-1]
        path.write_text(json.dumps(record), encoding="utf-8")
    assert damaged > 3
    plan = folder / "plan.yaml"
    text = plan.read_text(encoding="utf-8")
    start = text.index("  - id: P0003\n")
    plan.write_text(
        text[:start] + text[start:].replace("    result: ", "    result: (แก้ไข) ", 1),
        encoding="utf-8",
    )
    again = build_one(folder, out)
    assert again.error is None
    fresh = build_one(folder, tmp_path / "fresh", use_cache=False)
    name = "demo/2568/strategy.pdf"
    assert (out / name).read_bytes() == (tmp_path / "fresh" / name).read_bytes()
    # and the next build finds it up to date, and still right
    assert "strategy.pdf" in build_one(folder, out).cached
    assert fresh.error is None


RECORDS = ["[]", "null", '{"strategy.pdf": "x"}', '{"a": {"key": 1}}', "7", '{"x": []}']


def test_malformed_cache_record_counts_as_none(tmp_path: Path) -> None:
    for text in RECORDS:
        (tmp_path / cache.RECORD).write_text(text, encoding="utf-8")
        record = cache.Record(tmp_path)
        assert record.entries == {} and not record.holds("strategy.pdf", "x")
    folder = _plan(tmp_path, "nong-hang", slug="nong-hang")
    target = tmp_path / "out" / "nong-hang" / "2570"
    target.mkdir(parents=True)
    for use_cache, text in ((True, "[]"), (False, '{"strategy.pdf": "x"}')):
        (target / cache.RECORD).write_text(text, encoding="utf-8")
        result = build_one(folder, tmp_path / "out", use_cache=use_cache)
        assert result.error is None, result.error
    assert json.loads((target / cache.RECORD).read_text(encoding="utf-8"))["strategy.pdf"]["key"]


# 6. Text that cannot fit ----------------------------------------------------------------------

LONG_WORD = "W" * 150


def _inside_cells(pdf: Path, char: str) -> tuple[int, list[str]]:
    """How many glyphs of *char* (one or more characters) the PDF draws, and each word holding
    one that is off its page
    or runs across a vertical table rule (from its cell into the next, or into the next
    cell's text: the two then make one run of glyphs)."""
    count, wrong = 0, []
    with pdfplumber.open(pdf) as doc:
        for number, page in enumerate(doc.pages, 1):
            rules = [
                (e["x0"], e["top"], e["bottom"]) for e in page.edges if e["orientation"] == "v"
            ]
            count += sum(1 for c in page.chars if c["text"] in char)
            for word in page.extract_words(x_tolerance=0.5, y_tolerance=1):
                if not set(char) & set(word["text"]):
                    continue
                if (
                    word["x0"] < 0
                    or word["x1"] > page.width
                    or word["top"] < 0
                    or word["bottom"] > page.height
                ):
                    wrong.append(f"page {number}: {word['text'][:20]} off the page")
                    continue
                middle = (word["top"] + word["bottom"]) / 2
                crossed = [
                    x
                    for x, top, bottom in rules
                    if word["x0"] + 0.5 < x < word["x1"] - 0.2 and top <= middle <= bottom
                ]
                if crossed:
                    wrong.append(f"page {number}: {word['text'][:20]} across x={crossed[0]:.1f}")
    return count, wrong


def test_unbreakable_words_stay_in_their_cells(tmp_path: Path) -> None:
    def edit(text: str) -> str:
        head, projects = text.split("\nprojects:\n", 1)
        for key in ("name", "objective"):  # the first project's
            projects = re.sub(rf"(\n    {key}: )[^\n]*", rf"\g<1>{LONG_WORD}", projects, count=1)
        head = re.sub(r"(\n      - name: )[^\n]*", rf"\g<1>{LONG_WORD}", head, count=1)  # indicator
        head = re.sub(r"(\n        name: )[^\n]*", rf"\g<1>{LONG_WORD}", head, count=1)  # tactic
        head = re.sub(r"(\n    name: )[^\n]*", rf"\g<1>{LONG_WORD}", head, count=1)  # executive
        return head + "\nprojects:\n" + projects

    folder = _plan(tmp_path, "wide", slug="demo", edit=edit)
    assert (folder / "plan.yaml").read_text(encoding="utf-8").count(LONG_WORD) == 5
    result = build_one(folder, tmp_path / "out", jobs=2)
    assert result.error is None, result.error
    seen = 0
    for pdf in result.outputs:
        count, wrong = _inside_cells(pdf, "W")
        assert wrong == [], (pdf.name, wrong[:5])
        seen += count
        if count:  # broken across lines, and still extracted exactly
            assert LONG_WORD in squash(pdftotext(pdf))
    assert seen >= 4 * 150


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (".nan", "should be an ordinary number, not .inf or .nan"),
        (".inf", "should be an ordinary number, not .inf or .nan"),
        ("-.inf", "should be an ordinary number, not .inf or .nan"),
        ("1e30", "should be at most 1,000,000,000,000"),
    ],
)
def test_indicator_targets_are_finite_and_bounded(
    tmp_path: Path, value: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _plan(
        tmp_path,
        "t",
        slug="demo",
        edit=lambda t: t.replace("targets: {2566: 1.6,", f"targets: {{2566: {value},", 1),
    )
    assert main(["validate", str(folder)]) == 1
    assert re.search(
        rf"plan\.yaml:\d+:\d+: strategies\[0\]\.indicators\[0\]\.targets\[2566\]: {message}",
        capsys.readouterr().err,
    )


def test_budgets_are_bounded_and_totals_exact(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from pythainlp.util import thaiword_to_num

    from saoreport.plan.models import MAX_BAHT, MAX_ROWS
    from saoreport.thai import baht_words

    folder = _plan(
        tmp_path,
        "b",
        slug="demo",
        edit=lambda t: t.replace("{2566: 1290000}", "{2566: 1000000000000000000000000000000}", 1),
    )
    assert main(["validate", str(folder)]) == 1
    assert "budget[2566]: should be at most 9,999,999,999" in capsys.readouterr().err
    # The largest total a valid plan can have (every row, every year at the bound) and
    # numbers around 2^53: the words say exactly that number.
    largest = MAX_ROWS * 5 * MAX_BAHT
    for amount in (largest, largest - 1, 2**53 - 1, 9_999_999_999, 1_000_000_000_001):
        assert amount <= largest or amount == 2**53 - 1
        assert thaiword_to_num(baht_words(amount).removesuffix("บาทถ้วน")) == amount


# 9. Processes and files -----------------------------------------------------------------------

CHILD = """
import sys, time
from saoreport.pipeline import memory
pool = memory.pool(2)
futures = [pool.submit(time.sleep, 600) for _ in range(2)]
time.sleep(1.5)
print(" ".join(str(p) for p in pool._processes), flush=True)
time.sleep(600)
"""


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_workers_die_with_their_parent(how: int) -> None:
    child = subprocess.Popen([sys.executable, "-c", CHILD], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    pids = [int(p) for p in child.stdout.readline().split()]
    assert len(pids) == 2
    child.send_signal(how)
    child.wait(10)
    deadline = time.monotonic() + 10
    alive = pids
    while alive and time.monotonic() < deadline:
        alive = [p for p in pids if _alive(p)]
        time.sleep(0.1)
    assert alive == []


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/stat")
    return not (status.is_file() and status.read_text().split()[2] == "Z")


def test_leftover_part_files_are_cleared(tmp_path: Path) -> None:
    folder = _plan(tmp_path, "nong-hang", slug="nong-hang")
    target = tmp_path / "out" / "nong-hang" / "2570"
    (target / cache.PARTS).mkdir(parents=True)
    torn = [target / ".strategy.pdf.abc123.part", target / cache.PARTS / ".x.pdf.q1.part"]
    for path in torn:
        path.write_bytes(b"%PDF-1.7 torn")
    assert build_one(folder, tmp_path / "out").error is None
    assert not any(p.exists() for p in torn)


def test_a_build_killed_between_documents_is_said_and_mended(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from saoreport.pipeline import batch as batch_module
    from saoreport.pipeline import step as step_module

    folder = _plan(tmp_path, "khi-lek")
    out = tmp_path / "out"
    assert build_one(folder, out).error is None
    plan = folder / "plan.yaml"
    plan.write_text(
        plan.read_text(encoding="utf-8").replace("vision: ", "vision: ใหม่ ", 1), encoding="utf-8"
    )
    real = step_module.write_atomic
    written: list[str] = []

    def killed(path: Path, data: bytes) -> None:
        if len([n for n in written if n.endswith(".pdf")]) == 1 and path.suffix == ".pdf":
            raise KeyboardInterrupt  # as kill -9 would, between two documents
        written.append(path.name)
        real(path, data)

    monkeypatch.setattr(step_module, "write_atomic", killed)
    with pytest.raises(KeyboardInterrupt):
        build_one(folder, out)
    monkeypatch.setattr(step_module, "write_atomic", real)
    target = out / "khi-lek" / "2570"
    assert (target / step_module.WRITING).exists()  # the folder says it holds two builds
    assert batch_module.up_to_date(folder, out) is None
    again = build_one(folder, out)
    assert again.error is None
    assert any("stopped while writing" in w for w in again.warnings)
    assert not (target / step_module.WRITING).exists()
    fresh = build_one(folder, tmp_path / "fresh", use_cache=False)
    for path in fresh.outputs:
        assert (target / path.name).read_bytes() == path.read_bytes(), path.name


# 10. Output in the wrong place ----------------------------------------------------------------


def test_two_plans_with_one_slug_are_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a = _plan(tmp_path / "A", "demo", slug="khi-lek")
    b = _plan(tmp_path / "B", "demo", slug="nong-hang")
    out = tmp_path / "out"
    assert main(["build", str(a), str(b), "--out", str(out), "-j", "1"]) == 1
    err = capsys.readouterr().err
    assert "2 plans with the folder name 'demo' in one build" in err
    assert not (out / "demo").exists()


def test_output_never_leaves_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _plan(tmp_path, "sao", slug="nong-hang")
    (folder / "sub").mkdir()
    monkeypatch.chdir(folder / "sub")
    out = tmp_path / "out"
    assert main(["build", "..", "--out", str(out), "-j", "1"]) == 0, capsys.readouterr().err
    made = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.pdf"))
    assert made == [f"out/sao/2570/{n}" for n in ("poster-a3.pdf", "poster-a4.pdf", "strategy.pdf")]


# 11. diff ---------------------------------------------------------------------------------------


def test_diff_names_plan_data_and_another_sao(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a = _plan(tmp_path, "a")
    b = _plan(
        tmp_path,
        "b",
        edit=lambda t: t.replace(
            "  fiscal_year: 2570\n",
            "  fiscal_year: 2569\n  revision: เพิ่มเติม ครั้งที่ 1/2569\n"
            + APPROVED[len("  fiscal_year: 2570\n") :],
        ).replace("goals_label: เป้าประสงค์", "goals_label: เป้าหมาย"),
    )
    assert main(["diff", str(a), str(b)]) == 1  # b, of the fiscal year before, is the older
    assert "its fiscal year 2570 is after 2569" in capsys.readouterr().err
    assert main(["diff", str(b), str(a)]) == 0
    out = capsys.readouterr().out
    assert "~ the fiscal year: 2569 -> 2570" in out
    assert "~ the edition: 'เพิ่มเติม ครั้งที่ 1/2569' -> (none)" in out
    assert "~ the council's approval: 'สมัยสามัญ สมัยที่ 3, ครั้งที่ 1, 2569-08-20' -> (none)" in out
    assert "~ the word for goals: 'เป้าหมาย' -> 'เป้าประสงค์'" in out
    assert main(["diff", str(a), str(ROOT / "plans" / "nong-hang")]) == 0
    captured = capsys.readouterr()
    assert "two different SAOs" in captured.err
    assert "~ the legal name: 'องค์การบริหารส่วนตำบลขี้เหล็ก' -> " in captured.out
    assert main(["diff", str(a), str(b), "--pdf", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err


# 12. Messages ----------------------------------------------------------------------------------


def test_unwritable_output_says_what_and_where(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _plan(tmp_path, "nong-hang", slug="nong-hang")
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    assert main(["build", str(folder), "--out", str(not_a_folder), "-j", "1"]) == 2
    assert "is a file: name a folder" in capsys.readouterr().err
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        if os.access(locked, os.W_OK):
            pytest.skip("running as a user who may write anywhere")
        assert main(["build", str(folder), "--out", str(locked), "-j", "1"]) == 1
        err = capsys.readouterr().err
        assert (
            "cannot write" in err
            and "permission denied: saoreport may not use it" in err
            and "internal error" not in err
        )
    finally:
        locked.chmod(0o755)


def test_unwritable_output_as_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Disk full (or read-only) while writing: the message names the file and the reason."""
    from saoreport.pipeline import step as step_module

    folder = _plan(tmp_path, "nong-hang", slug="nong-hang")

    real = step_module.write_atomic

    def full(path: Path, data: bytes) -> None:
        if path.suffix != ".pdf":
            return real(path, data)
        raise OSError(28, "No space left on device", str(path))

    monkeypatch.setattr(step_module, "write_atomic", full)
    result = build_one(folder, tmp_path / "out")
    assert result.error is not None
    assert "cannot write" in result.error and "the disk is full: make room" in result.error
    assert "strategy.pdf" in result.error and "internal error" not in result.error


def _with_logo(tmp_path: Path, name: str, data: bytes) -> Path:
    folder = _plan(tmp_path, name, slug="nong-hang")
    (folder / "logo.png").write_bytes(data)
    plan = folder / "plan.yaml"
    plan.write_text(
        plan.read_text(encoding="utf-8").replace(
            "  type: อบต.\n", "  type: อบต.\n  logo: logo.png\n", 1
        ),
        encoding="utf-8",
    )
    return folder


def test_bad_images_are_refused_with_the_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    from PIL import Image

    def png(size: tuple[int, int]) -> bytes:
        buffer = io.BytesIO()
        Image.new("1", size).save(buffer, "PNG")
        return buffer.getvalue()

    huge = _with_logo(tmp_path, "huge", png((9000, 9000)))
    small = png((64, 64))
    truncated = _with_logo(tmp_path, "truncated", small[: len(small) // 2])
    junk = _with_logo(tmp_path, "junk", b"not an image at all")
    assert main(["validate", str(huge)]) == 1
    assert re.search(
        r"plan\.yaml:\d+:\d+: organization\.logo: 'logo\.png': 9000×9000 pixels",
        capsys.readouterr().err,
    )
    for folder in (truncated, junk):
        assert main(["validate", str(folder)]) == 1
        err = capsys.readouterr().err
        assert re.search(r"plan\.yaml:\d+:\d+: organization\.logo: 'logo\.png': ", err), err
    fine = _with_logo(tmp_path, "fine", small)
    assert main(["validate", str(fine)]) == 0


def test_plan_file_linked_from_outside_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = tmp_path / "secret" / "passwords.yaml"
    secret.parent.mkdir()
    secret.write_text("root: hunter2-secret-text\n")
    folder = tmp_path / "sao"
    folder.mkdir()
    (folder / "plan.yaml").symlink_to(secret)
    assert main(["validate", str(folder)]) == 1
    err = capsys.readouterr().err
    assert "a link to a file outside its plan folder" in err
    assert "hunter2" not in err


# 13. One poster that cannot fit ------------------------------------------------------------------


def test_a_poster_that_cannot_fit_does_not_stop_the_others(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def tall(text: str) -> str:
        found = re.search(r"missions:\n((?:  - .*\n)+)", text)
        assert found
        return text.replace(found.group(0), "missions:\n" + found.group(1) * 3)

    folder = _plan(tmp_path, "tall", edit=tall)
    out = tmp_path / "out"
    assert main(["build", str(folder), "--out", str(out), "-j", "1"]) == 1
    err = capsys.readouterr().err
    assert "poster A4: the vision, missions and goals do not fit on A4" in err
    assert "poster-a4.pdf not built" in err
    made = sorted(p.name for p in (out / "tall" / "2570").glob("*.pdf"))
    assert made == ["poster-a3.pdf", "strategy.pdf"]
    assert "พันธกิจ" in pdftotext(out / "tall" / "2570" / "strategy.pdf")


# 14. The command line ---------------------------------------------------------------------------


def test_help_is_written_for_a_planning_officer(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    assert exit_.value.code == 0
    text = capsys.readouterr().out
    assert "Thin" not in text and "examples:" in text and "saoreport build plans/" in text
    for command in ("validate", "build", "import", "archive", "diff"):
        assert f"    {command} " in text
    for words in (
        ["archive", "verify", "--help"],
        ["archive", "list", "--help"],
        ["build", "--help"],
    ):
        with pytest.raises(SystemExit) as exit_:
            main(words)
        assert exit_.value.code == 0
        text = capsys.readouterr().out
        assert text.startswith(f"usage: saoreport {' '.join(words[:-1])}") and "examples:" in text
    assert "--jobs N, -j N work on N documents or SAOs at once" in " ".join(text.split())
    assert main(["build", "-j", "0"]) == 2
    assert "give 1 to 256" in capsys.readouterr().err


def test_ten_digit_budgets_stay_in_their_cells(tmp_path: Path) -> None:
    """A project at the largest budget every year: its ผ.01 and ผ.02 sums have eleven digits.
    Figures never wrap, so the text columns give way and, where even that is not enough, the
    table's text is set smaller: no figure crosses a rule."""
    most = (
        "{2566: 9999999999, 2567: 9999999999, 2568: 9999999999, 2569: 9999999999, 2570: 9999999999}"
    )
    folder = _plan(
        tmp_path,
        "rich",
        slug="demo",
        edit=lambda t: re.sub(r"budget: \{[^}]*\}", f"budget: {most}", t, count=1),
    )
    result = build_one(folder, tmp_path / "out")
    assert result.error is None, result.error
    count, wrong = _inside_cells(result.outputs[0], "9๙")  # Arabic or Thai digits
    assert count >= 50 and wrong == [], wrong[:5]


def test_numbers_are_never_broken_inside(built: dict[str, Path]) -> None:
    """overflow-wrap breaks only long words: a row number in its narrow column stays whole
    (a first rule that also broke ๑๐ into ๑ / ๐ was caught by this)."""
    numbers: set[str] = set()
    with pdfplumber.open(built["demo"]) as doc:
        for page in doc.pages:
            rules = sorted({round(e["x0"], 1) for e in page.edges if e["orientation"] == "v"})
            if len(rules) < 2:
                continue
            numbers |= {
                w["text"]
                for w in page.extract_words()
                if rules[0] < w["x0"] < rules[1] and re.fullmatch("[๐-๙0-9]+", w["text"])
            }
    assert "๑๐" in numbers and "๐" not in numbers, sorted(numbers)


# A %YAML directive ---------------------------------------------------------------------------


@pytest.mark.parametrize("version", ["1.3", "2.0", ""])
def test_a_yaml_version_the_reader_does_not_know_is_located(
    tmp_path: Path, version: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """ruamel.yaml asserts on a %YAML version it does not read: the user gets the line of the
    directive and what to write, not an internal error."""
    folder = _plan(tmp_path, "version", edit=lambda t: f"# ก\n%YAML {version}\n---\n" + t)
    assert main(["validate", str(folder)]) == 1
    err = capsys.readouterr().err
    assert f"plan.yaml:2:1: %YAML {version}".strip() in err, err
    assert "internal error" not in err and "Traceback" not in err


def test_a_yaml_1_1_plan_is_read_as_yaml_1_1_by_both_readers(tmp_path: Path) -> None:
    """A file that says %YAML 1.1 reads `yes` as true and `0777` as octal (511), both in the
    data validated and in the data its problems are located in (libyaml's fast path would
    read it as YAML 1.2); %YAML 1.2 and no directive read both as YAML 1.2."""
    from saoreport.plan import loader

    plan = tmp_path / "plan.yaml"
    for header, expected in (
        ("%YAML 1.1\n---\n", (True, 511)),
        ("%YAML 1.2\n---\n", ("yes", 777)),
        ("", ("yes", 777)),
    ):
        plan.write_text(header + "a: yes\nb: 0777\n", encoding="utf-8")
        data = loader.load_data(plan)
        located, _ = loader.load(plan)
        assert (data["a"], data["b"]) == expected, header
        assert (located["a"], located["b"]) == expected, header
    folder = _plan(tmp_path, "one-one", edit=lambda t: "%YAML 1.1\n---\n" + t)
    assert main(["validate", str(folder)]) == 0
