"""Issue 25, second hostile round: outputs that would overwrite inputs or devices (point 1),
an archive built on damage (point 8), JSON nested too deeply (point 7, part) and cache files
that are devices or pipes (point 6, part). Each test failed on the code before the fix."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import ROOT
from saoreport.cli import main
from saoreport.pipeline import cache

APPROVED = "  fiscal_year: 2570\n  approval: {session: สมัยสามัญ สมัยที่ 3, meeting: ครั้งที่ 1, date: 2569-08-20}\n"
DEEP = b"[" * 200_000  # deeper than json.loads can go (RecursionError)


def _plan(parent: Path, name: str = "khi-lek") -> Path:
    folder = parent / name
    shutil.copytree(ROOT / "plans" / "khi-lek", folder)
    return folder


def _tree(folder: Path) -> dict[str, bytes | str]:
    """Every entry under *folder*: a file's bytes, a link's target, a folder's or pipe's kind."""
    found: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[name] = "-> " + os.readlink(path)
        elif path.is_file():
            found[name] = path.read_bytes()
        else:
            found[name] = "fifo" if stat.S_ISFIFO(path.lstat().st_mode) else "dir"
    return found


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    capsys.readouterr()
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.err + captured.out


def _clean(said: str) -> None:
    assert "internal error" not in said and "Traceback" not in said, said


# 1. Outputs overwrite inputs and devices ---------------------------------------------------


def test_p1_export_refuses_to_overwrite_its_plan(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _plan(tmp_path)
    before = _tree(tmp_path)
    for target in (folder / "plan.yaml", folder / "plan.xlsx", folder / "parts"):
        code, said = _run(["export", str(folder), "--xlsx", str(target)], capsys)
        assert code == 2 and str(target) in said, said
    assert _tree(tmp_path) == before  # the plan as it was, nothing added to its folder
    code, said = _run(["export", str(folder), "--xlsx", str(tmp_path / "out.xlsx")], capsys)
    assert code == 0 and (tmp_path / "out.xlsx").read_bytes()[:2] == b"PK", said


def test_p1_diff_refuses_to_write_over_an_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = _plan(tmp_path, "a"), _plan(tmp_path, "b")
    before = _tree(tmp_path)
    for target in (first / "plan.yaml", second / "plan.yaml", first / "changes.pdf"):
        code, said = _run(["diff", str(first), str(second), "--pdf", str(target)], capsys)
        assert code == 2 and str(target) in said and "input" in said, said
    assert _tree(tmp_path) == before


def test_p1_outputs_refuse_devices_pipes_and_folders(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A pipe, a link to /dev/null (standing for the device itself, which a test must never
    risk) and a folder, as --xlsx and --pdf: refused before any work, left as they were."""
    folder = _plan(tmp_path / "plans")
    odd = tmp_path / "odd"
    odd.mkdir()
    os.mkfifo(odd / "pipe")
    (odd / "null").symlink_to(os.devnull)
    (odd / "folder.pdf").mkdir()
    before = _tree(odd)
    null = os.stat(os.devnull)
    for name in ("pipe", "null", "folder.pdf"):
        target = str(odd / name)
        for argv in (
            ["export", str(folder), "--xlsx", target],
            ["diff", str(folder), str(folder), "--pdf", target],
        ):
            code, said = _run(argv, capsys)
            assert code == 2 and target in said, said
            assert "device, pipe or socket" in said or "is a folder" in said, said
    assert _tree(odd) == before
    after = os.stat(os.devnull)
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == null.st_rdev


def test_p1_import_refuses_to_write_over_its_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _plan(tmp_path / "plans")
    before = _tree(tmp_path)
    code, said = _run(
        ["import", str(folder / "plan.yaml"), "--slug", "khi-lek", "--out", str(tmp_path / "plans")]
        + ["--force"],
        capsys,
    )
    assert code == 2 and "input" in said, said
    assert _tree(tmp_path) == before
    os.mkfifo(tmp_path / "plans" / "pipe.yaml")  # a plan.yaml that is a pipe is not replaced
    (tmp_path / "plans" / "new").mkdir()
    os.mkfifo(tmp_path / "plans" / "new" / "plan.yaml")
    page = tmp_path / "page.txt"
    page.write_text("วิสัยทัศน์\nตำบลสะอาด\nพันธกิจ\n๑. รักษาความสะอาด\n", encoding="utf-8")
    code, said = _run(
        ["import", str(page), "--slug", "new", "--out", str(tmp_path / "plans"), "--force"], capsys
    )
    assert code == 2 and "pipe" in said, said
    assert stat.S_ISFIFO((tmp_path / "plans" / "new" / "plan.yaml").lstat().st_mode)


def test_p1_build_and_archive_refuse_the_plan_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--out or --root at the plans themselves (OUT/<slug> is the plan folder) or inside a
    plan folder: refused, nothing written in the plan folder."""
    folder = _plan(tmp_path / "plans")
    before = _tree(tmp_path)
    for argv in (
        ["build", str(folder), "--out", str(tmp_path / "plans"), "-j", "1"],
        ["build", str(folder), "--out", str(folder / "build"), "-j", "1"],
        ["archive", str(folder), "--root", str(tmp_path / "plans")],
        ["archive", str(folder), "--root", str(folder / "archive")],
    ):
        code, said = _run(argv, capsys)
        assert code == 2 and str(folder) in said, (argv, said)
    assert _tree(tmp_path) == before


# The archive: khi-lek archived once; each test works on a copy -----------------------------


@pytest.fixture(scope="module")
def archived(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("round2")
    folder = _plan(base)
    plan = folder / "plan.yaml"
    plan.write_text(
        plan.read_text(encoding="utf-8").replace("  fiscal_year: 2570\n", APPROVED),
        encoding="utf-8",
    )
    assert main(["archive", str(folder), "--root", str(base / "archive")]) == 0
    return base


def _copy(archived: Path, tmp_path: Path) -> tuple[Path, Path]:
    """(plan folder, archive root) copied, the archive writable so that a test can damage it."""
    shutil.copytree(archived, tmp_path / "w", symlinks=True)
    root = tmp_path / "w" / "archive"
    for p in [root, *root.rglob("*")]:
        p.chmod(0o755 if p.is_dir() else 0o644)
    return tmp_path / "w" / "khi-lek", root


def _edit(folder: Path) -> None:
    plan = folder / "plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("ครั้งที่ 1", "ครั้งที่ 2"), encoding="utf-8")


def test_p1_outputs_inside_an_archive_are_refused(
    archived: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, root = _copy(archived, tmp_path)
    v1 = root / "khi-lek" / "2570" / "v1"
    before = _tree(root)
    for argv in (
        ["export", str(folder), "--xlsx", str(v1 / "plan.xlsx")],
        ["export", str(folder), "--xlsx", str(root / "khi-lek" / "plan.xlsx")],
        ["diff", str(v1), str(folder), "--pdf", str(v1 / "strategy.pdf")],
        ["build", str(folder), "--out", str(v1), "-j", "1"],
    ):
        code, said = _run(argv, capsys)
        assert code == 2 and "archive" in said, (argv, said)
    assert _tree(root) == before


# 8. The archive builds on damage -----------------------------------------------------------


def _freeze_refused(
    folder: Path, root: Path, capsys: pytest.CaptureFixture[str], *words: str
) -> str:
    before = _tree(root)
    code, said = _run(["archive", str(folder), "--root", str(root)], capsys)
    assert code == 1, said
    _clean(said)
    for word in (*words, "not archived", "backup"):
        assert word in said, said
    assert "unchanged" not in said and "new version" not in said
    assert _tree(root) == before  # no v2, the index as it was
    return said


def test_p8_torn_index_is_refused(
    archived: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, root = _copy(archived, tmp_path)
    index = root / "khi-lek" / "index.jsonl"
    index.write_bytes(index.read_bytes()[:-20])  # the last line torn
    _edit(folder)
    _freeze_refused(folder, root, capsys, f"{index}:1", "cut off")
    index.write_bytes(index.read_bytes() + b"}")  # still no newline
    _freeze_refused(folder, root, capsys, f"{index}:1")


def test_p8_deleted_index_is_refused(
    archived: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, root = _copy(archived, tmp_path)
    index = root / "khi-lek" / "index.jsonl"
    index.unlink()
    _edit(folder)
    _freeze_refused(folder, root, capsys, str(index), "missing")
    assert not index.exists()


@pytest.mark.parametrize("edited", [False, True])
def test_p8_emptied_pdf_is_refused(
    archived: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], edited: bool
) -> None:
    folder, root = _copy(archived, tmp_path)
    pdf = root / "khi-lek" / "2570" / "v1" / "strategy.pdf"
    pdf.write_bytes(b"")
    if edited:
        _edit(folder)
    _freeze_refused(folder, root, capsys, str(pdf), "corrupted")


def test_p8_symlinked_pdf_fails_verify_and_freeze(
    archived: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, root = _copy(archived, tmp_path)
    pdf = root / "khi-lek" / "2570" / "v1" / "strategy.pdf"
    copy = tmp_path / "elsewhere.pdf"
    shutil.copyfile(pdf, copy)
    pdf.unlink()
    pdf.symlink_to(copy)  # the same bytes, outside the archive
    code, said = _run(["archive", "verify", str(root), "--no-rebuild"], capsys)
    assert code == 1 and f"{pdf}: a symbolic link" in said and "v1: FAILED" in said, said
    _freeze_refused(folder, root, capsys, str(pdf), "symbolic link")


def test_p8_sound_archive_still_freezes(
    archived: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, root = _copy(archived, tmp_path)
    code, said = _run(["archive", str(folder), "--root", str(root)], capsys)
    assert code == 0 and "unchanged" in said, said
    _edit(folder)
    code, said = _run(["archive", str(folder), "--root", str(root)], capsys)
    assert code == 0 and "v2 (new version)" in said, said
    code, said = _run(["archive", "verify", str(root), "--no-rebuild"], capsys)
    assert code == 0, said


# 7. Deeply nested JSON: a located message, never a RecursionError ---------------------------


def test_p7_deep_manifest_is_reported(
    archived: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, root = _copy(archived, tmp_path)
    manifest = root / "khi-lek" / "2570" / "v1" / "manifest.json"
    manifest.write_bytes(DEEP)
    for argv in (
        ["archive", "verify", str(root), "--no-rebuild"],
        ["archive", "list", "--root", str(root)],
    ):
        code, said = _run(argv, capsys)
        _clean(said)
        assert f"{manifest}: unreadable manifest (nested too deeply)" in said, said
    _freeze_refused(folder, root, capsys, str(manifest))
    index = root / "khi-lek" / "index.jsonl"
    index.write_bytes(DEEP + b"\n")
    code, said = _run(["archive", "verify", str(root), "--no-rebuild"], capsys)
    _clean(said)
    assert code == 1 and f"{index}:1: not an index entry" in said, said


def _built(tmp_path: Path) -> tuple[Path, Path]:
    folder = _plan(tmp_path / "plans")
    out = tmp_path / "out"
    assert main(["build", str(folder), "--out", str(out), "-j", "1"]) == 0
    return folder, out / "khi-lek" / "2570"


def test_p7_deep_cache_record_is_rebuilt(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, target = _built(tmp_path)
    record = target / cache.RECORD
    record.write_bytes(b'{"strategy.pdf": ' + DEEP)
    code, said = _run(["build", str(folder), "--out", str(tmp_path / "out"), "-j", "1"], capsys)
    _clean(said)
    assert code == 0 and "unchanged" not in said, said  # as if there were no cache
    assert cache.Record(target).entries.keys() == {"strategy.pdf", "poster-a3.pdf", "poster-a4.pdf"}


# 6. Cache files that are devices or pipes: never read --------------------------------------


def _limited(seconds: int, memory: int) -> Callable[[], None]:
    def limit() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds))
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    return limit


@pytest.mark.parametrize("kind", ["record-zero", "record-fifo", "pdf-fifo"])
def test_p6_cache_files_on_devices_and_pipes_are_not_read(tmp_path: Path, kind: str) -> None:
    folder, target = _built(tmp_path)
    odd = target / (cache.RECORD if kind.startswith("record") else "strategy.pdf")
    odd.unlink()
    if kind.endswith("zero"):
        odd.symlink_to("/dev/zero")
    else:
        os.mkfifo(odd)
    argv = ["build", str(folder), "--out", str(tmp_path / "out"), "-j", "1"]
    program = f"import sys; from saoreport.cli import main; sys.exit(main({argv!r}))"
    # A pipe with no writer blocks without using CPU: the timeout stands for "forever".
    done = subprocess.run(
        [sys.executable, "-c", program],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_limited(120, 3 * 1024**3),
    )
    said = done.stdout + done.stderr
    assert "Traceback" not in said and "internal error" not in said, said
    if kind.endswith("fifo"):  # never read, and no file is written over a pipe: named, left
        assert done.returncode == 1 and f"{odd} is a device, pipe or socket" in said, said
        assert stat.S_ISFIFO(odd.lstat().st_mode)
        return
    assert done.returncode == 0, said
    assert odd.is_file() and not odd.is_symlink()  # the link replaced by the file; the
    assert stat.S_ISCHR(os.stat("/dev/zero").st_mode)  # device untouched


def test_p1_a_link_inside_a_plan_folder_is_refused(tmp_path: Path) -> None:
    """The output is where the link stands, not where it points: an export named by a link
    inside the plan folder would be written into the plan folder."""
    plan = tmp_path / "demo"
    shutil.copytree(ROOT / "plans" / "demo", plan)
    link = plan / "link.xlsx"
    link.symlink_to(tmp_path / "outside.xlsx")
    assert main(["export", str(plan), "--xlsx", str(link)]) == 2
    assert link.is_symlink() and not (tmp_path / "outside.xlsx").exists()
