"""Benchmark saoreport on synthetic plans; prints a Markdown table for the README.

    .venv/bin/python benchmarks/run.py [--sizes 100 500 1000 1600] [--batch 50]

Each measurement runs in a fresh process (so WeasyPrint's import and caches count, as they
do for a user) and reports wall time, CPU time and peak memory (max RSS of the process and
its workers). "plain" is the same strategy-document HTML laid out by one WeasyPrint call.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from make_plan import make_plan, write_narrative  # noqa: E402

PROBE = r"""
import json, resource, sys, time
from pathlib import Path
start = time.perf_counter()
kind, args = sys.argv[1], json.loads(sys.argv[2])
pages = 0
if kind == "build":
    from saoreport.build.batch import build_many
    results = build_many([Path(f) for f in args["folders"]], Path(args["out"]), args["jobs"],
                         use_cache=args.get("cache", False))
    assert all(r.error is None for r in results), [r.error for r in results]
    import pikepdf
    for r in results:
        for p in r.outputs:
            if p.name == "strategy.pdf":
                with pikepdf.open(p) as pdf:
                    pages += len(pdf.pages)
elif kind == "plain":
    from saoreport.build.documents import Documents
    from saoreport.plan.validate import check
    from weasyprint import HTML
    documents = Documents(check(Path(args["folder"])))
    html = documents.html("strategy.html.j2")
    if args.get("naive"):  # as a first attempt would: tables laid out from their content
        html = html.replace("table-layout: fixed;", "")
    document = HTML(string=html, base_url=args["folder"] + "/").render()
    pages = len(document.pages)
    document.write_pdf()
wall = time.perf_counter() - start
me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": wall, "cpu": me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime,
                  "rss_mb": max(me.ru_maxrss, kids.ru_maxrss) / 1024, "pages": pages}))
"""


def probe(kind: str, **args: object) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, kind, json.dumps(args)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def plan(folder: Path, projects: int, seed: int = 2568) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "plan.yaml").write_text(
        make_plan(projects, seed).replace("  logo: logo.svg\n", ""), encoding="utf-8"
    )
    write_narrative(folder)  # the narrative parts of the book (ส่วนที่ ๑, ๒, ๕, …)
    return folder


def row(label: str, m: dict[str, float], extra: str = "") -> str:
    rate = f"{m['pages'] / m['wall']:.1f}" if m.get("pages") else ""
    pages = f"{m['pages']:.0f}" if m.get("pages") else ""
    cells = [label, f"{m['wall']:.1f}", f"{m['cpu']:.1f}", f"{m['rss_mb']:.0f}", pages, rate, extra]
    return "| " + " | ".join(cells) + " |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="*", default=[100, 500, 1000, 1600])
    parser.add_argument("--rebuild-size", type=int, default=1000, help="plan size to edit")
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--batch-projects", type=int, default=20)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="saoreport-bench-"))
    lines = [
        f"Machine: {platform.machine()}, {os.cpu_count()} cores,"
        f" Python {platform.python_version()};"
        f" {time.strftime('%Y-%m-%d')}.",
        "",
        "| run | wall s | CPU s | peak MB | pages | pages/s | note |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    try:
        for n in args.sizes:
            folder = plan(work / f"p{n}", n)
            plain = probe("plain", folder=str(folder))
            lines.append(row(f"{n} projects, one WeasyPrint call (strategy only)", plain))
            # A full build (its output folder is new), which keeps its parts for the rebuilds.
            full = probe("build", folders=[str(folder)], out=str(work / "out"), jobs=1, cache=True)
            ratio = plain["wall"] / full["wall"]
            lines.append(
                row(f"{n} projects, saoreport build, 1 process", full, f"{ratio:.2f}× plain")
            )
            two = probe("build", folders=[str(folder)], out=str(work / "out2"), jobs=2)
            ratio = plain["wall"] / two["wall"]
            lines.append(row(f"{n} projects, saoreport build -j 2", two, f"{ratio:.2f}× plain"))
            if n == args.rebuild_size:
                cached = probe(
                    "build", folders=[str(folder)], out=str(work / "out"), jobs=1, cache=True
                )
                lines.append(row(f"{n} projects, rebuild, nothing changed", {**cached, "pages": 0}))
                text = (folder / "plan.yaml").read_text(encoding="utf-8")
                for project in ("P0001", f"P{n // 2:04d}"):
                    at = text.index(f"  - id: {project}\n")
                    edited_text = text[:at] + text[at:].replace(
                        "    kpi: ร้อยละ", "    kpi: (แก้ไข) ร้อยละ", 1
                    )
                    (folder / "plan.yaml").write_text(edited_text, encoding="utf-8")
                    edited = probe(
                        "build", folders=[str(folder)], out=str(work / "out"), jobs=1, cache=True
                    )
                    note = (
                        f"{edited['wall'] / two['wall']:.0%} of the -j 2 build,"
                        f" {edited['wall'] / full['wall']:.0%} of the 1-process build"
                    )
                    label = f"{n} projects, rebuild after editing project {project}"
                    lines.append(row(label, edited, note))
                    text = edited_text
                naive = probe("plain", folder=str(folder), naive=True)
                lines.append(row(f"{n} projects, naive: automatic table layout", naive))
        folders = [
            str(plan(work / "batch" / f"sao{i:03d}", args.batch_projects, seed=i))
            for i in range(args.batch)
        ]
        timings = {}
        for jobs in (1, 2) if args.batch else ():
            out = work / f"batch-out-{jobs}"
            m = probe("build", folders=folders, out=str(out), jobs=jobs)
            timings[jobs] = m["wall"]
            per_minute = args.batch / m["wall"] * 60
            lines.append(
                row(
                    f"batch of {args.batch} SAOs ({args.batch_projects} projects),"
                    f" {jobs} worker(s)",
                    m,
                    f"{per_minute:.0f} SAOs/min",
                )
            )
        lines.append("")
        if timings:
            lines.append(f"2 workers vs 1: {timings[1] / timings[2]:.2f}× faster.")
        shipped = [str(p.parent) for p in sorted((HERE.parent / "plans").glob("*/plan.yaml"))]
        out = work / "shipped"
        probe("build", folders=shipped, out=str(out), jobs=2, cache=True)
        again = probe("build", folders=shipped, out=str(out), jobs=2, cache=True)
        lines.append(
            f"No-change rebuild of all shipped plans: {again['wall']:.2f} s (in-process time)."
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
