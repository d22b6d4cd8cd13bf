"""Benchmark saoreport on synthetic plans; prints a Markdown table for the README.

    .venv/bin/python benchmarks/run.py [--sizes 100 500 1000 1600] [--batch 50]
        [--baseline REV [--same-plan]] [--cluster 200] [--typst] [--repeat N]

--baseline REV also measures the builds with saoreport as it was at git revision REV (checked
out in a temporary folder), in the same run, so that before and after meet the same machine
load. --cluster N builds N synthetic SAOs on a Dask LocalCluster of 2 worker processes and
with the local pool of 2 workers. --typst lays the same ผ.02 rows out with Typst
(benchmarks/typst_twin.py). --repeat N measures the builds, calls and rebuilds of the sizes N
times, in turn, and keeps the least time of each (on a shared machine, others' load only adds).

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
spent = None


def done():
    # The work's time, taken before its pages are counted (pikepdf is the probe's, not the work's).
    global spent
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    spent = (time.perf_counter() - start,
             me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime)


if kind == "build":
    try:
        from saoreport.pipeline.batch import build_many
    except ImportError:  # a baseline from before the package was layered
        from saoreport.pipeline import build_many
    folders, out = [Path(f) for f in args["folders"]], Path(args["out"])
    if args.get("cluster"):
        from distributed import Client, LocalCluster
        with LocalCluster(n_workers=args["jobs"], threads_per_worker=1,
                          dashboard_address=":0") as cluster, Client(cluster) as client:
            from saoreport.pipeline.cluster import build_on_cluster
            results = list(build_on_cluster(client, folders, out, use_cache=False))
    else:
        results = build_many(folders, out, args["jobs"], use_cache=args.get("cache", False))
    assert all(r.error is None for r in results), [r.error for r in results]
    done()
    import pikepdf
    for r in results:
        for p in r.outputs:
            if p.name == "strategy.pdf":
                with pikepdf.open(p) as pdf:
                    pages += len(pdf.pages)
elif kind == "typst":
    sys.path.insert(0, args["benchmarks"])
    import typst
    from typst_twin import source
    text, fonts = source(Path(args["folder"]))
    pdf = typst.compile(text.encode(), font_paths=[str(f) for f in fonts])
    done()
    import pikepdf, io
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        pages = len(doc.pages)
elif kind == "html":  # the strategy document's HTML, for the plain call
    try:
        from saoreport.pipeline.documents import Documents
        from saoreport.plan.validate import check
    except ImportError:  # a baseline from before the package was layered
        from saoreport.pipeline import Documents
        from saoreport.validate import check
    documents = Documents(check(Path(args["folder"])))
    html = documents.html("strategy.html.j2")
    if args.get("naive"):  # as a first attempt would: tables laid out from their content
        html = html.replace("table-layout: fixed;", "")
    Path(args["html"]).write_text(html, encoding="utf-8")
    done()
elif kind == "plain":  # one WeasyPrint call on that HTML: its import, layout and PDF alone
    from weasyprint import HTML
    html = Path(args["html"]).read_text(encoding="utf-8")
    document = HTML(string=html, base_url=args["folder"] + "/").render()
    pages = len(document.pages)
    document.write_pdf()
    done()
me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": spent[0], "cpu": spent[1],
                  "rss_mb": max(me.ru_maxrss, kids.ru_maxrss) / 1024, "pages": pages}))
"""


BASELINE: Path | None = None  # a checkout of the code to compare with (--baseline)


def probe(
    kind: str, baseline: bool = False, env_extra: dict[str, str] | None = None, **args: object
) -> dict[str, float]:
    env = {**os.environ, **(env_extra or {})}
    if baseline:
        assert BASELINE is not None
        env["PYTHONPATH"] = str(BASELINE / "src")
    done = subprocess.run(
        [sys.executable, "-c", PROBE, kind, json.dumps(args)],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    found: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def best(runs: list[dict[str, float]]) -> dict[str, float]:
    """Repeated runs of one measurement: the least wall and CPU time (the machine's other
    load only adds to them), the most memory."""
    return {
        "wall": min(r["wall"] for r in runs),
        "cpu": min(r["cpu"] for r in runs),
        "rss_mb": max(r["rss_mb"] for r in runs),
        "pages": runs[0]["pages"],
    }


def per_cpu(build: dict[str, float], plain: dict[str, float]) -> str:
    """Pages per CPU-second of a build, against one plain WeasyPrint call's."""
    if not build.get("pages") or not plain.get("pages"):
        return ""
    return (
        f"{(build['pages'] / build['cpu']) / (plain['pages'] / plain['cpu']):.2f}× plain per CPU-s"
    )


def checkout(rev: str, into: Path) -> Path:
    """The project as it was at *rev*, in *into* (a git worktree, removed at the end)."""
    top = HERE.parent
    subprocess.run(
        ["git", "-C", str(top), "worktree", "add", "--detach", "-q", str(into), rev], check=True
    )
    return into


def plan(folder: Path, projects: int, seed: int = 2568) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "plan.yaml").write_text(
        make_plan(projects, seed).replace("  logo: logo.svg\n", ""), encoding="utf-8"
    )
    write_narrative(folder)  # the narrative parts of the book (ส่วนที่ ๑, ๒, ๕, …)
    return folder


# Keys and files added since the oldest baseline worth comparing (f092d6e): a baseline build
# gets the plan without them (the same projects, without the forms and parts it cannot show).
NEW_KEYS = {
    "strategies": ("links",),
    "projects": ("kind", "amendment"),
    "plan": ("prepared_by",),
    "settings": ("bind_announcement", "money_digits"),
    "": ("equipment",),
}


def legacy_plan(folder: Path, into: Path) -> Path:
    """*folder*'s plan as older code reads it: the newer keys left out, community and
    coordination projects (forms the old code does not have) dropped, no narrative files."""
    from ruamel.yaml import YAML

    yaml = YAML()
    data = yaml.load((folder / "plan.yaml").read_text(encoding="utf-8"))
    for key in NEW_KEYS[""]:
        data.pop(key, None)
    data["projects"] = [p for p in data.get("projects", []) if p.get("kind", "local") == "local"]
    for section in ("plan", "settings"):
        for key in NEW_KEYS[section]:
            data.get(section, {}).pop(key, None)
    for section in ("strategies", "projects"):
        for item in data.get(section, []):
            for key in NEW_KEYS[section]:
                item.pop(key, None)
    into.mkdir(parents=True, exist_ok=True)
    with (into / "plan.yaml").open("w", encoding="utf-8") as out:
        yaml.dump(data, out)
    return into


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
    parser.add_argument("--baseline", metavar="REV", help="also measure this git revision")
    parser.add_argument(
        "--same-plan",
        action="store_true",
        help="give the baseline the same plan (else the plan without the keys added since f092d6e)",
    )
    parser.add_argument("--cluster", type=int, default=0, metavar="N", help="SAOs on Dask")
    parser.add_argument("--typst", action="store_true", help="the Typst twin of the ผ.02 rows")
    parser.add_argument(
        "--speed",
        action="store_true",
        help="only the plain call and the -j 2 build with the speed patches on and off",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        metavar="N",
        help="measure each build and call of the sizes N times, in turn, and keep the least time",
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="saoreport-bench-"))
    global BASELINE
    if args.baseline:
        BASELINE = checkout(args.baseline, work / "baseline")
    lines = [
        f"Machine: {platform.machine()}, {os.cpu_count()} cores,"
        f" Python {platform.python_version()};"
        f" {time.strftime('%Y-%m-%d')}.",
        "",
        "| run | wall s | CPU s | peak MB | pages | pages/s | note |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    loads: list[float] = []  # the machine's load average (1 min) before and after each round
    try:
        for n in args.sizes:
            folder = plan(work / f"p{n}", n)
            old_plan = None
            if BASELINE is not None:
                # The plan as the baseline reads it (--same-plan: a baseline that knows every
                # key, and every kind of project, gets the very same plan).
                old_plan = folder if args.same_plan else legacy_plan(folder, work / f"legacy{n}")
            # Each measured --repeat times, in turn (a round of each, then again), so that
            # the machine's load meets them alike; the least time of each is kept.
            runs: dict[str, list[dict[str, float]]] = {}
            # The strategy document's HTML, made once for the plain calls (not their time).
            html = probe("html", folder=str(folder), html=str(work / f"p{n}.html"))
            if old_plan is not None:
                old_html = str(work / f"old{n}.html")
                probe("html", True, folder=str(old_plan), html=old_html)
            off = {"SAOREPORT_SPEEDUPS": "0"}
            for turn in range(args.repeat):
                loads.append(os.getloadavg()[0])
                runs.setdefault("plain", []).append(
                    probe("plain", folder=str(folder), html=str(work / f"p{n}.html"))
                )
                if old_plan is not None:
                    old_out = str(work / "old2")
                    runs.setdefault("old plain", []).append(
                        probe("plain", True, folder=str(old_plan), html=old_html)
                    )
                    runs.setdefault("old", []).append(
                        probe("build", True, folders=[str(old_plan)], out=old_out, jobs=2)
                    )
                if not args.speed:
                    # A full build (its output folder is new), which keeps its parts for the
                    # rebuilds (the first turn's).
                    out = work / ("out" if turn == 0 else f"out-{turn}")
                    runs.setdefault("full", []).append(
                        probe("build", folders=[str(folder)], out=str(out), jobs=1, cache=True)
                    )
                runs.setdefault("two", []).append(
                    probe("build", folders=[str(folder)], out=str(work / "out2"), jobs=2)
                )
                runs.setdefault("off", []).append(
                    probe("build", False, off, folders=[str(folder)], out=str(work / "off"), jobs=2)
                )
                loads.append(os.getloadavg()[0])
            plain, two, off_two = best(runs["plain"]), best(runs["two"]), best(runs["off"])
            note = f"making its HTML (not counted): {html['cpu']:.1f} CPU-s"
            lines.append(row(f"{n} projects, one WeasyPrint call (strategy only)", plain, note))
            if args.typst:
                twin = probe("typst", folder=str(folder), benchmarks=str(HERE))
                note = f"{plain['wall'] / twin['wall']:.1f}× faster than one WeasyPrint call"
                lines.append(row(f"{n} projects, Typst twin of the ผ.02 rows", twin, note))
            if old_plan is not None:
                old_plain, old = best(runs["old plain"]), best(runs["old"])
                label = f"{n} projects, before ({args.baseline})"
                lines.append(row(f"{label}: one WeasyPrint call", old_plain))
                lines.append(row(f"{label}: build -j 2", old, per_cpu(old, old_plain)))
            if not args.speed:
                full = best(runs["full"])
                ratio = plain["wall"] / full["wall"]
                note = f"{ratio:.2f}× plain; {per_cpu(full, plain)}"
                lines.append(row(f"{n} projects, saoreport build, 1 process", full, note))
            ratio = plain["wall"] / two["wall"]
            note = f"{ratio:.2f}× plain; {per_cpu(two, plain)}"
            lines.append(row(f"{n} projects, saoreport build -j 2", two, note))
            ratio = plain["wall"] / off_two["wall"]
            note = f"{ratio:.2f}× plain; {per_cpu(off_two, plain)}"
            label = f"{n} projects, saoreport build -j 2, speed patches off (SAOREPORT_SPEEDUPS=0)"
            lines.append(row(label, off_two, note))
            if args.speed:
                continue
            if n == args.rebuild_size:
                built = work / "out"
                cached = best(
                    [
                        probe("build", folders=[str(folder)], out=str(built), jobs=1, cache=True)
                        for _ in range(args.repeat)
                    ]
                )
                lines.append(row(f"{n} projects, rebuild, nothing changed", {**cached, "pages": 0}))
                text = (folder / "plan.yaml").read_text(encoding="utf-8")
                # Edits as a user makes them: `saoreport build` uses every core by default
                # (-j 2 here); the last edit is rebuilt by one process, for comparison. Each
                # rebuild is tried --repeat times on a copy of the folder as it was.
                edits = [("P0001", 2), (f"P{n // 2:04d}", 2), (f"P{n // 4:04d}", 1)]
                for project, jobs in edits:
                    at = text.index(f"  - id: {project}\n")
                    text = text[:at] + text[at:].replace(
                        "    kpi: ร้อยละ", "    kpi: (แก้ไข) ร้อยละ", 1
                    )
                    (folder / "plan.yaml").write_text(text, encoding="utf-8")
                    tries = []
                    for turn in range(args.repeat):
                        trial = work / f"edit-{turn}"
                        shutil.rmtree(trial, ignore_errors=True)
                        shutil.copytree(built, trial)
                        tries.append(
                            probe(
                                "build",
                                folders=[str(folder)],
                                out=str(trial),
                                jobs=jobs,
                                cache=True,
                            )
                        )
                    shutil.rmtree(built)
                    trial.rename(built)  # the edit stays: the next is made on top of it
                    edited = best(tries)
                    note = (
                        f"{edited['wall'] / two['wall']:.0%} of the -j 2 build,"
                        f" {edited['wall'] / full['wall']:.0%} of the 1-process build"
                    )
                    how = "-j 2" if jobs == 2 else "1 process"
                    label = f"{n} projects, rebuild after editing project {project} ({how})"
                    lines.append(row(label, edited, note))
                naive_html = str(work / f"naive{n}.html")
                probe("html", folder=str(folder), html=naive_html, naive=True)
                naive = probe("plain", folder=str(folder), html=naive_html)
                lines.append(row(f"{n} projects, naive: automatic table layout", naive))
        if args.speed:
            return
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
        if args.cluster:
            many = [
                str(plan(work / "cluster" / f"sao{i:03d}", args.batch_projects, seed=i))
                for i in range(args.cluster)
            ]
            for cluster in (False, True):
                out = work / f"cluster-out-{cluster}"
                m = probe("build", folders=many, out=str(out), jobs=2, cluster=cluster)
                how = (
                    "Dask LocalCluster, 2 worker processes" if cluster else "local pool, 2 workers"
                )
                label = f"batch of {args.cluster} SAOs ({args.batch_projects} projects), {how}"
                lines.append(row(label, m, f"{args.cluster / m['wall'] * 60:.0f} SAOs/min"))
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
        if BASELINE is not None:
            subprocess.run(
                ["git", "-C", str(HERE.parent), "worktree", "remove", "--force", str(BASELINE)],
                check=False,
            )
        shutil.rmtree(work, ignore_errors=True)
        if loads:
            lines.append(
                f"Load average (1 min) around the rounds: {min(loads):.1f}–{max(loads):.1f}"
                f" on {os.cpu_count()} cores."
            )
        print("\n".join(lines))


if __name__ == "__main__":
    main()
