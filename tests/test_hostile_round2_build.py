"""Issue 25, the second hostile round: builds (points 2, 6, 7 and the build's items of 9).

Each test is named after the point of the issue it checks."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
from PIL import Image

from conftest import ROOT, demo_without_editions
from saoreport.cli import main
from saoreport.pipeline.batch import build_one

LOCATED = re.compile(r"plan\.yaml:\d+:\d+: ")


def _demo(tmp_path: Path, name: str, edit=None) -> Path:
    """A copy of the demo plan as tmp_path/name, its plan.yaml passed through *edit*."""
    folder = tmp_path / name
    shutil.copytree(ROOT / "plans" / "demo", folder)
    if edit is not None:
        plan = folder / "plan.yaml"
        plan.write_text(edit(plan.read_text(encoding="utf-8")), encoding="utf-8")
    return folder


def _image(kind: str, size: tuple[int, int] = (120, 80)) -> bytes:
    """A small photo-like image (a gradient: JPEG compresses it as it would a photo)."""
    picture = Image.linear_gradient("L").resize(size).convert("RGB")
    buffer = io.BytesIO()
    picture.save(buffer, kind)
    return buffer.getvalue()


def _with_photos(folder: Path) -> Path:
    """The demo with a PNG logo, a JPEG emblem, and JPEG, PNG and SVG images in its
    narrative (one with a Thai file name), beside the demo's own SVG map."""
    (folder / "logo.png").write_bytes(_image("PNG"))
    (folder / "emblem.jpg").write_bytes(_image("JPEG"))
    (folder / "parts" / "photo.jpg").write_bytes(_image("JPEG", (300, 200)))
    (folder / "parts" / "ภาพถนน.png").write_bytes(_image("PNG", (200, 100)))
    plan = folder / "plan.yaml"
    text = plan.read_text(encoding="utf-8").replace("  logo: logo.svg\n", "  logo: logo.png\n")
    plan.write_text(text.replace("  logo: logo.png\n", "  logo: logo.png\n  emblem: emblem.jpg\n"))
    results = folder / "parts" / "2-results.md"
    results.write_text(
        results.read_text(encoding="utf-8")
        + "\n![ภาพถ่ายถนน](photo.jpg)\n\n![ภาพถนนสายใหม่](ภาพถนน.png)\n\n![แผนที่](map.svg)\n",
        encoding="utf-8",
    )
    preface = folder / "preface.md"
    preface.write_text(
        preface.read_text(encoding="utf-8") + "\n![ตรา](../logo.svg)\n".replace("../", ""),
        encoding="utf-8",
    )
    return folder


# 2. Same plan, different bytes by folder ---------------------------------------------------


def test_p2_same_bytes_from_two_folders(tmp_path: Path) -> None:
    """The same plan folder, with JPEG, PNG and SVG images in the logo, the emblem and the
    narrative, built from two different absolute folders: every PDF the same bytes."""
    one = _with_photos(_demo(tmp_path / "first" / "deep" / "er", "demo"))
    two = tmp_path / "second-place" / "demo"
    shutil.copytree(one, two)
    built = []
    for folder, out in ((one, tmp_path / "out-1"), (two, tmp_path / "elsewhere" / "out-2")):
        result = build_one(folder, out, use_cache=False)
        assert result.error is None, result.error
        built.append({p.name: p.read_bytes() for p in result.outputs})
    assert sorted(built[0]) == [
        "announcement.pdf",
        "poster-a3.pdf",
        "poster-a4.pdf",
        "strategy.pdf",
    ]
    for name, data in built[0].items():
        assert data == built[1][name], f"{name} differs by folder"
    strategy = built[0]["strategy.pdf"]
    # Every image is in the PDF: the JPEGs as DCT streams, the PNGs as Flate images.
    assert strategy.count(b"/DCTDecode") >= 2
    assert strategy.count(b"/Subtype /Image") >= 4


def test_p2_archive_verify_passes_for_a_plan_with_a_photo(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`archive verify` rebuilds the version from its archived copy of the plan (in another
    folder): with photos, the bytes are the archived ones."""
    # (the demo as adopted: its editions' books need their base versions in the archive)
    folder = _with_photos(demo_without_editions(tmp_path / "demo"))
    root = tmp_path / "archive"
    assert main(["archive", str(folder), "--root", str(root)]) == 0
    capsys.readouterr()
    assert main(["archive", "verify", str(root)]) == 0, capsys.readouterr()
    out = capsys.readouterr()
    assert "FAILED" not in out.out + out.err


# 7. Tracebacks still reach users ------------------------------------------------------------


def _announced(day: str):
    return lambda text: text.replace("  announced: 2567-09-01\n", f"  announced: {day}\n")


def test_p7_impossible_buddhist_date_is_located(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """2568-02-29: YAML reads a Gregorian leap day, but 2568 B.E. is 2025, which has none."""
    folder = _demo(tmp_path, "demo", _announced("2568-02-29"))
    assert main(["validate", str(folder)]) == 1
    err = capsys.readouterr().err
    line = next(n for n, t in enumerate((folder / "plan.yaml").open(), 1) if "announced" in t)
    said = "there is no such day: February 2568 has 28 days; write a day from 1 to 28"
    assert re.search(rf"plan\.yaml:{line}:\d+: .*{said}", err), err
    assert "Traceback" not in err
    assert main(["build", str(folder), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert said in err and "internal error" not in err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.pdf"))

    # A Buddhist-era leap day (2567-02-29 is 2024-02-29) stays a date.
    def leap(text: str) -> str:
        return _announced("2567-02-29")(text).replace("date: 2567-08-15", "date: 2567-02-29")

    assert main(["validate", str(_demo(tmp_path, "leap", leap))]) == 0


def test_p7_parts_linked_from_outside_is_refused_by_validate_and_build(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """parts/ as a link to a folder outside the plan (and preface.md as a link to a file
    outside): validate and build both refuse it at the link, with what to do."""
    folder = _demo(tmp_path, "demo")
    (folder / "parts").rename(tmp_path / "elsewhere")
    (folder / "parts").symlink_to(tmp_path / "elsewhere")
    general = tmp_path / "elsewhere" / "1-general.md"  # no image: nothing else to refuse
    general.write_text(re.sub(r"!\[.*\n", "", general.read_text(encoding="utf-8")))
    expected = re.compile(rf"^{re.escape(str(folder / 'parts'))}:1:1: is a link to .*outside", re.M)
    assert main(["validate", str(folder)]) == 1
    err = capsys.readouterr().err
    assert expected.search(err) and "Traceback" not in err, err
    assert main(["build", str(folder), "--out", str(tmp_path / "out"), "-j", "1"]) == 1
    err = capsys.readouterr().err
    assert expected.search(err) and "internal error" not in err, err
    assert not list((tmp_path).glob("out/**/*.pdf"))
    # A narrative file linked from outside, likewise.
    other = _demo(tmp_path, "other")
    (tmp_path / "preface.md").write_text("คำนำ\n", encoding="utf-8")
    (other / "preface.md").unlink()
    (other / "preface.md").symlink_to(tmp_path / "preface.md")
    for command in (["validate", str(other)], ["build", str(other), "--out", str(tmp_path / "o")]):
        assert main(command) == 1
        err = capsys.readouterr().err
        assert f"{other / 'preface.md'}:1:1: is a link to a file outside" in err, err


def _big_plan(folder: Path, projects: int) -> Path:
    import subprocess
    import sys

    script = ROOT / "benchmarks" / "make_plan.py"
    subprocess.run(
        [sys.executable, str(script), "--projects", str(projects), str(folder)], check=True
    )
    return folder


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def _gone(pid: int, wait: float = 10.0) -> bool:
    """Whether process *pid* is gone or a zombie within *wait* seconds (a killed process
    takes a moment to die)."""
    import time

    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            if Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z":
                return True
        except (FileNotFoundError, ProcessLookupError):
            return True
        time.sleep(0.05)
    return False


def test_p7_ctrl_c_during_a_build_is_one_line(tmp_path: Path) -> None:
    """Ctrl-C (SIGINT to the build and its workers, as a terminal sends it) as the workers
    start, wait for work and lay out parts of a long document: one line, no traceback from
    any process, no worker left, no document written."""
    import os
    import signal
    import subprocess
    import sys
    import time

    folder = _big_plan(tmp_path / "big", 400)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "saoreport", "build", str(folder), "--out", str(out)]
    for delay in (0.0, 0.5, 2.0):  # after the first worker is started
        build = subprocess.Popen(
            [*command, "-j", "2", "--no-cache"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,  # its own process group: Ctrl-C reaches it and its workers
            # Ctrl-C live in it as on a terminal, whatever this run inherited: a suite started
            # in the background by a shell (as CI may be) has SIGINT ignored, and a process that
            # starts with SIGINT ignored never hears it (Python installs no handler then).
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        try:
            deadline = time.monotonic() + 120
            while not _children(build.pid) and time.monotonic() < deadline:
                time.sleep(0.02)
            time.sleep(delay)
            workers = _children(build.pid)
            assert workers, "no workers started"
            os.killpg(build.pid, signal.SIGINT)
            _, err = build.communicate(timeout=60)
        finally:
            if build.poll() is None:
                os.killpg(build.pid, signal.SIGKILL)
                build.wait()
        assert build.returncode == 130, (delay, err)
        assert "Traceback" not in err and "KeyboardInterrupt" not in err, (delay, err)
        said = [
            line for line in err.splitlines() if not re.search(r" parts? laid out ", line)
        ]  # progress
        assert said == ["interrupted; the files already finished are intact"], err
        for pid in workers:  # no worker outlives the build (a zombie is dead)
            assert _gone(pid), (delay, pid)
        assert not list(out.glob("**/*.pdf"))


# 9. Smaller, each a defect ----------------------------------------------------------------


def _targets(first: str, second: str = "0.2"):
    """The demo's first indicator's targets for 2566 and 2567, replaced."""
    return lambda text: text.replace(
        "targets: {2566: 1.6, 2567: 0.2,", f"targets: {{2566: {first}, 2567: {second},", 1
    )


def test_p9_tiny_target_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """1e-300 printed as ๑e-๓๐๐: a target has at most 4 decimal places, said where it is."""
    folder = _demo(tmp_path, "demo", _targets("1e-300"))
    assert main(["validate", str(folder)]) == 1
    err = capsys.readouterr().err
    assert re.search(
        r"plan\.yaml:\d+:\d+: strategies\[0\]\.indicators\[0\]\.targets\[2566\]: .*1e-300"
        r" has more than 4 decimal places",
        err,
    ), err


def test_p9_negative_zero_target(tmp_path: Path) -> None:
    """-0.0 printed as -๐; 10.05 printed as ๑๐๕ (".0" was cut out of the figure)."""
    from conftest import pdftotext

    folder = _demo(tmp_path, "demo", _targets("-0.0", "10.05"))
    result = build_one(folder, tmp_path / "out")
    assert result.error is None, result.error
    text = pdftotext(result.outputs[0], "-layout")
    row = next(line for line in text.splitlines() if "๑๐.๐๕" in line)
    assert re.search(r"\s๐\s+๑๐\.๐๕\s", row), row
    assert "-๐" not in text and "๑๐๕" not in row


def test_p9_announcement_before_approval_is_located(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The demo is approved on 2567-08-15: announced on 2567-08-14 is a located problem
    (either era); on the day of the approval, or after, it is fine."""
    for day in ("2567-08-14", "2024-08-14"):
        folder = _demo(tmp_path, day, _announced(day))
        assert main(["validate", str(folder)]) == 1
        err = capsys.readouterr().err
        line = next(n for n, t in enumerate((folder / "plan.yaml").open(), 1) if "announced" in t)
        assert re.search(
            rf"plan\.yaml:{line}:\d+: plan\.announced: 2567-08-14 is before the council's"
            r" approval \(2567-08-15\)",
            err,
        ), err
    assert main(["validate", str(_demo(tmp_path, "same-day", _announced("2567-08-15")))]) == 0


def test_p9_poster_fit_blames_what_does_not_fit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A vision of 1,900 characters and short missions: the A4 poster cannot fit, and the
    message names the vision (it named the longest mission), with the plan file."""
    phrase = "ตำบลน่าอยู่ เศรษฐกิจมั่นคง ประชาชนมีคุณภาพชีวิตที่ดี ร่วมใจอนุรักษ์สิ่งแวดล้อม "
    vision = (phrase * (1900 // len(phrase))).strip()
    folder = _demo(
        tmp_path,
        "demo",
        lambda t: re.sub(r"^vision: .*$", lambda _: f"vision: {vision}", t, flags=re.M),
    )
    assert main(["build", str(folder), "--out", str(tmp_path / "out"), "-j", "1"]) == 1
    err = capsys.readouterr().err
    assert "poster A4: the vision, missions and goals do not fit on A4" in err, err
    assert f"the most room is the vision in {folder / 'plan.yaml'}, 1," in err, err
    assert "missions[" not in err


@pytest.mark.parametrize("where", ["fsync", "mkstemp"])
def test_p9_write_errors_name_the_users_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    """A full disk fails fsync with no file name; a temporary file that cannot be made fails
    with its own `.part` name: either way the message names the document being written."""
    import errno
    import os
    import tempfile

    from saoreport import output

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def denied(*args: object, prefix: str = "", suffix: str = "", dir: object = None) -> None:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), f"{dir}/{prefix}x7{suffix}")

    if where == "fsync":
        monkeypatch.setattr(output.os, "fsync", full)
    else:
        monkeypatch.setattr(tempfile, "mkstemp", denied)
    folder = _demo(tmp_path, "demo")
    result = build_one(folder, tmp_path / "out", jobs=1)
    assert result.error is not None
    assert ".part" not in result.error, result.error
    assert re.search(r"cannot write \S+/out/demo/2568/\S+: ", result.error), result.error


# 6. Long builds show progress -------------------------------------------------------------


def test_p6_long_build_shows_its_parts_as_they_finish(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A strategy document laid out in parts says each part as it is done (here every one:
    the plain lines' interval set to 0; by default at most one line in 10 s), counting up,
    before the build's result."""
    from saoreport import progress

    folder = _big_plan(tmp_path / "big", 160)  # parts from 150 projects
    monkeypatch.setattr(progress, "EVERY", 0.0)
    command = ["build", str(folder), "--out", str(tmp_path / "out"), "-j", "1"]
    assert main(command) == 0
    err = capsys.readouterr().err.splitlines()
    said = [re.search(r"strategy\.pdf: (\d+) parts? laid out \((\d+) reused\)", e) for e in err]
    counts = [int(m.group(1)) for m in said if m]
    assert counts == list(range(1, len(counts) + 1)) and len(counts) >= 5, err
    assert all(line.startswith(f"{folder}: strategy.pdf: ") for line in err if " laid out" in line)
    assert err[-1] == "1 of 1 built"
    # By default, at most one line in EVERY seconds.
    monkeypatch.setattr(progress, "EVERY", 3600.0)
    assert main([*command, "--no-cache"]) == 0
    lines = [e for e in capsys.readouterr().err.splitlines() if " laid out" in e]
    assert len(lines) == 1 and " 1 part laid out (0 reused)" in lines[0], lines


def test_p2_rebuild_after_an_image_changes_is_a_clean_build(tmp_path: Path) -> None:
    """A long document's laid-out parts are kept by their HTML, which names an image, not
    its content: a logo replaced under the same name must not leave the old one in the
    rebuilt document. The rebuild gives the bytes of a build from nothing."""
    folder = _big_plan(tmp_path / "big", 160)
    plan = folder / "plan.yaml"
    plan.write_text(
        plan.read_text(encoding="utf-8").replace(
            "  type: อบต.\n", "  type: อบต.\n  logo: logo.png\n"
        )
    )
    (folder / "logo.png").write_bytes(_image("PNG"))
    out = tmp_path / "out"
    assert build_one(folder, out, jobs=1).error is None
    (folder / "logo.png").write_bytes(_image("PNG", (80, 120)))  # another logo, same name
    rebuilt = build_one(folder, out, jobs=1)
    assert rebuilt.error is None and "strategy.pdf" not in rebuilt.cached
    clean = build_one(folder, tmp_path / "clean", use_cache=False, jobs=1)
    assert rebuilt.outputs[0].read_bytes() == clean.outputs[0].read_bytes()


def test_p2_same_bytes_from_two_folders_in_parts(tmp_path: Path) -> None:
    """A long plan (its strategy document laid out in parts, by two workers) with a PNG logo
    and a JPEG in its narrative, from two folders: the same strategy.pdf."""
    one = _big_plan(tmp_path / "a" / "big", 160)
    plan = one / "plan.yaml"
    plan.write_text(
        plan.read_text(encoding="utf-8").replace(
            "  type: อบต.\n", "  type: อบต.\n  logo: logo.png\n"
        )
    )
    (one / "logo.png").write_bytes(_image("PNG"))
    (one / "parts" / "photo.jpg").write_bytes(_image("JPEG", (300, 200)))
    general = one / "parts" / "1-general.md"
    general.write_text(general.read_text(encoding="utf-8") + "\n![ภาพถ่าย](photo.jpg)\n")
    two = tmp_path / "b" / "c" / "big"
    shutil.copytree(one, two)
    made = []
    for folder in (one, two):
        result = build_one(folder, folder.parent / "out", use_cache=False, jobs=2)
        assert result.error is None, result.error
        made.append(result.outputs[0].read_bytes())
    assert made[0] == made[1]
    assert made[0].count(b"/DCTDecode") == 1


def test_p2_plans_built_together_keep_their_own_images(tmp_path: Path) -> None:
    """Every plan's folder is seen at the same URL now: two plans whose images have the same
    names and other content, built in one process, each get their own (the bytes of a
    build of each alone)."""
    a = _with_photos(_demo(tmp_path, "sao-a"))
    b = _with_photos(_demo(tmp_path, "sao-b"))
    (b / "logo.png").write_bytes(_image("PNG", (80, 120)))
    (b / "parts" / "photo.jpg").write_bytes(_image("JPEG", (200, 300)))
    assert main(["build", str(a), str(b), "--out", str(tmp_path / "together"), "-j", "1"]) == 0
    for folder in (b, a):
        alone = build_one(folder, tmp_path / "alone", use_cache=False, jobs=1)
        assert alone.error is None, alone.error
        for path in alone.outputs:
            together = tmp_path / "together" / path.relative_to(tmp_path / "alone")
            assert together.read_bytes() == path.read_bytes(), together
