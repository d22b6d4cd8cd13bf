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
import textwrap
import time
from pathlib import Path

import pdfplumber
import pytest

from conftest import ROOT, pdftotext, squash
from saoreport.build import batch, cache, parts
from saoreport.build.batch import build_one
from saoreport.cli import main

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


@pytest.mark.parametrize("slug", ["../../escape", "/tmp/absolute-slug", "a/b/c", "..", ".hidden"])
def test_import_slug_is_one_safe_folder_name(
    tmp_path: Path, slug: str, capsys: pytest.CaptureFixture[str]
) -> None:
    work = tmp_path / "work"
    plans = work / "plans"
    plans.mkdir(parents=True)
    page = work / "page.txt"
    page.write_text(PAGE, encoding="utf-8")
    before = sorted(p for p in tmp_path.rglob("*"))
    assert main(["import", str(page), "--slug", slug, "--out", str(plans), "--force"]) == 2
    assert "slug" in capsys.readouterr().err
    assert sorted(p for p in tmp_path.rglob("*")) == before  # nothing written anywhere
    assert not Path("/tmp/absolute-slug").exists()


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
    assert re.search(r"plan\.yaml:\d+:\d+: vision: String should have at most 1000 characters", err)
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
    assert code == 1 and "v1 missing" in said

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
