"""The speed patches behind their one seam (pdf/speedups/): the registry installs and takes
out each of them, SAOREPORT_SPEEDUPS=0 turns them all off, the documents are the same bytes
with them on and off, and on a WeasyPrint they were not checked with they stay off with one
warning and the documents stay right."""

from __future__ import annotations

import logging
import subprocess
import sys
from collections.abc import Iterator
from importlib import import_module
from pathlib import Path
from typing import Any

import pytest

from conftest import PLANS, ROOT
from saoreport.pdf import linebreak, speedups
from saoreport.pdf.speedups import borders, drawing, lines
from saoreport.pipeline.batch import build_one

sys.path.insert(0, str(ROOT / "benchmarks"))
from make_plan import make_plan, write_narrative  # noqa: E402

# Every piece of WeasyPrint a speed patch replaces: (module, attribute path).
TOUCHED = [
    ("weasyprint.css", "find_stylesheets"),
    ("weasyprint.css", "StyleFor.__init__"),
    ("weasyprint.css", "StyleFor.__call__"),
    ("weasyprint.layout.page", "set_page_type_computed_styles"),
    ("weasyprint.formatting_structure.boxes", "Box.is_in_normal_flow"),
    ("weasyprint.formatting_structure.boxes", "Box.establishes_formatting_context"),
    ("weasyprint.formatting_structure.boxes", "ParentBox.page_values"),
    ("weasyprint.layout.percent", "resolve_percentages"),
    *[(f"weasyprint.layout.{name}", "resolve_percentages") for name in ("block", "table")],
    ("weasyprint.layout.inline", "split_first_line"),
    ("weasyprint.layout.preferred", "split_first_line"),
    ("weasyprint.draw.text", "draw_first_line"),
    ("weasyprint.draw.text", "draw_text"),
    ("weasyprint.draw", "draw_text"),
    ("weasyprint.draw", "draw_line"),
]


def weasyprint_now() -> dict[tuple[str, str], Any]:
    found = {}
    for module, path in TOUCHED:
        value: Any = import_module(module)
        for name in path.split("."):
            value = vars(value)[name] if isinstance(value, type) else getattr(value, name)
        found[module, path] = value
    return found


@pytest.fixture(autouse=True)
def switch_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    """The tests set the switch themselves (the suite may run with SAOREPORT_SPEEDUPS=0)."""
    monkeypatch.delenv("SAOREPORT_SPEEDUPS", raising=False)


# Tests that need the patches installed: not on a WeasyPrint they were not checked with.
checked = pytest.mark.skipif(
    not all(speedups.weasyprint_version() in s.checked for s in speedups.registry()),
    reason="the speed patches are not checked with this WeasyPrint (README: Trying a new"
    " WeasyPrint)",
)
UNCHECKED = "69.9"  # a WeasyPrint version no patch was checked with


@pytest.fixture
def plain_weasyprint() -> Iterator[None]:
    """Each test starts and ends with every patch out (the rest of the suite installs them
    again at its next layout)."""
    speedups.uninstall()
    yield
    speedups.uninstall()


@checked
def test_the_registry_installs_and_takes_out_every_patch(plain_weasyprint: None) -> None:
    """Each patch has its name, the versions it was checked with (this one among them), its
    stage and its test; installing both stages replaces every piece listed, each with
    saoreport's code, and uninstalling gives WeasyPrint's own back."""
    import weasyprint

    names = [s.name for s in speedups.registry()]
    assert names == list(speedups.ORDER) and len(names) == 8
    for speedup in speedups.registry():
        assert weasyprint.__version__ in speedup.checked
        assert speedup.stage in speedups.STAGES
        assert (ROOT / speedup.tests).is_file()
    linebreak.install()  # the line breaking (correctness) is not a speed patch: it stays
    theirs = weasyprint_now()
    speedups.install("layout")
    speedups.install("drawing")
    assert all(s.installed for s in speedups.registry())
    ours = weasyprint_now()
    changed = [key for key in TOUCHED if ours[key] is not theirs[key]]
    assert changed == TOUCHED
    assert all(v.__module__.startswith("saoreport.pdf.speedups.") for v in ours.values())
    speedups.uninstall()
    assert not any(s.installed for s in speedups.registry())
    assert weasyprint_now() == theirs
    speedups.install("drawing")  # one stage alone
    assert [s.name for s in speedups.registry() if s.installed] == ["drawing", "borders"]


@checked
def test_the_switch_turns_every_patch_off(
    plain_weasyprint: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """SAOREPORT_SPEEDUPS=0: a layout and a drawing leave WeasyPrint as it is, even after
    the patches were installed in the same process; without it they are back."""
    from memory_helpers import lay_out

    html = "<html lang=th><body><p>องค์การบริหารส่วนตำบล</p><table><tr><td>1</td></tr></table>"
    linebreak.install()
    speedups.install("layout")
    speedups.install("drawing")
    monkeypatch.setenv("SAOREPORT_SPEEDUPS", "0")
    layout = lay_out()
    layout.pdf(layout.render(html))
    assert not any(s.installed for s in speedups.registry())
    speedups.uninstall()
    theirs = weasyprint_now()
    layout.pdf(layout.render(html))
    assert weasyprint_now() == theirs
    monkeypatch.delenv("SAOREPORT_SPEEDUPS")
    layout.pdf(layout.render(html))
    assert all(s.installed for s in speedups.registry())


def counters() -> tuple[int, int, int]:
    """Lines served from the memories, rules drawn again: they move only with the patches on."""
    return lines._served[0], drawing._served[0], borders._replayed[0]


@pytest.fixture(scope="module")
def big_plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 300-project plan (laid out in parts, as a big SAO's book is)."""
    folder = tmp_path_factory.mktemp("plans") / "p300"
    folder.mkdir()
    text = make_plan(300, 2568).replace("  logo: logo.svg\n", "")
    (folder / "plan.yaml").write_text(text, encoding="utf-8")
    write_narrative(folder)
    return folder


@checked
def test_the_same_bytes_with_the_patches_on_and_off(
    builds: dict[str, list[Path]],
    big_plan: Path,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """Every document of every shipped plan (the session's builds, patches on) and of a
    300-project plan, built with the patches off and on: the same bytes. (One process, no
    cache: every page laid out here, in this mode.)"""
    monkeypatch.setenv("SAOREPORT_SPEEDUPS", "0")
    before = counters()
    off = {}
    for folder in [*PLANS, big_plan]:
        result = build_one(folder, tmp_path / "off", use_cache=False, jobs=1)
        assert result.error is None, result.error
        off[folder.name] = result.outputs
    assert counters() == before  # nothing was served by a patch
    assert not any(s.installed for s in speedups.registry())
    monkeypatch.delenv("SAOREPORT_SPEEDUPS")
    on = build_one(big_plan, tmp_path / "on", use_cache=False, jobs=1)
    assert on.error is None, on.error
    assert all(a > b for a, b in zip(counters(), before, strict=True))  # the patches served
    mine = {**{slug: outputs for slug, outputs in builds.items()}, big_plan.name: on.outputs}
    assert sorted(mine) == sorted(off)
    for slug, outputs in off.items():
        assert len(outputs) == len(mine[slug]) >= 3, slug
        for made_off, made_on in zip(sorted(outputs), sorted(mine[slug]), strict=True):
            assert made_off.name == made_on.name
            assert made_off.read_bytes() == made_on.read_bytes(), f"{slug}: {made_off.name}"


FAKE = r"""
import sys
from saoreport.pdf import speedups
version = sys.argv.pop(1)
speedups.weasyprint_version = lambda: version  # a WeasyPrint the patches were not checked with
from saoreport.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_an_unchecked_weasyprint_gets_no_patch_one_warning_and_the_same_bytes(
    builds: dict[str, list[Path]], tmp_path: Path
) -> None:
    """`saoreport build` (two workers) on a WeasyPrint version the patches were not checked
    with: the same documents, byte for byte, and one warning naming the version and every
    patch, in the build's own process and not again in its workers."""
    done = subprocess.run(
        [sys.executable, "-c", FAKE, UNCHECKED, "build", str(ROOT / "plans" / "demo")]
        + ["--out", str(tmp_path), "-j", "2", "--no-cache"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    warnings = [line for line in done.stderr.splitlines() if "speed-ups" in line]
    assert len(warnings) == 1, done.stderr
    assert f"WeasyPrint {UNCHECKED}" in warnings[0] and "70.0" in warnings[0]
    assert all(name in warnings[0] for name in speedups.ORDER)
    made = sorted((tmp_path / "demo").glob("*/*.pdf"))
    assert [p.name for p in made] == sorted(p.name for p in builds["demo"])
    for mine, theirs in zip(made, sorted(builds["demo"]), strict=True):
        assert mine.read_bytes() == theirs.read_bytes(), mine.name


def test_the_reader_sees_the_running_weasyprint(
    plain_weasyprint: None, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The version is WeasyPrint's own (its __version__ changed here): no patch is installed
    by a layout, the warning is logged once however many layouts follow, and it is in Thai
    for a Thai user."""
    import weasyprint

    from memory_helpers import lay_out

    monkeypatch.setattr(weasyprint, "__version__", UNCHECKED)
    monkeypatch.setattr(speedups, "_warned", set())
    monkeypatch.setenv("SAOREPORT_LANG", "th")
    html = "<html lang=th><body><p>ผู้รับผิดชอบ</p></body></html>"
    with caplog.at_level(logging.WARNING, logger="saoreport.speedups"):
        for _round in range(3):
            layout = lay_out()
            layout.pdf(layout.render(html))
    assert not any(s.installed for s in speedups.registry())
    said = [r.getMessage() for r in caplog.records if r.name == "saoreport.speedups"]
    assert len(said) == 1, said
    assert f"WeasyPrint {UNCHECKED}" in said[0] and "SAOREPORT_SPEEDUPS=0" in said[0]
    assert "ช้า" in said[0]  # Thai: slower
