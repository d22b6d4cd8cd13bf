"""The workspace's save, timed: one project's budget changed in its form, from the POST to the
updated form (the save: stale check, the edit in place, validation of a trial file, the atomic
replace; then the page read again). Prints the medians of a few rounds: wall time, and the
process's CPU time (the server runs in a thread of this process), which a busy machine does
not inflate.

    .venv/bin/python benchmarks/web_save.py plans/demo
    .venv/bin/python benchmarks/web_save.py --projects 1000

The plan is copied to a temporary folder first: the one named is never written.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from saoreport.web.app import Config, create_app

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("plan", type=Path, nargs="?", help="a plan folder (else --projects)")
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "plans" / "bench"
        if args.plan:
            shutil.copytree(args.plan, folder)
        else:
            made = [sys.executable, str(HERE / "make_plan.py"), "--projects", str(args.projects)]
            subprocess.run([*made, str(folder)], check=True)
        client = TestClient(create_app(Config(plans=folder.parent)))
        url = "/plan/bench/row/projects.0"
        saves, pages, cpu = [], [], []
        for n in range(args.rounds):
            html = client.get(url).text
            fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', html))
            fields["projects[0].budget[2566]"] = str(100000 + n)
            start, start_cpu = time.perf_counter(), time.process_time()
            answer = client.post(url, data=fields, follow_redirects=False)
            saved = time.perf_counter()
            assert answer.status_code == 303, answer.text[:500]
            shown = client.get(answer.headers["location"])
            done, done_cpu = time.perf_counter(), time.process_time()
            assert shown.status_code == 200 and str(100000 + n) in shown.text
            saves.append(saved - start)
            pages.append(done - start)
            cpu.append(done_cpu - start_cpu)
        projects = len(re.findall(r"^  - id: ", (folder / "plan.yaml").read_text(), re.M))
        print(
            f"{projects} rows: save {statistics.median(saves):.2f} s,"
            f" save to updated page {statistics.median(pages):.2f} s"
            f" ({statistics.median(cpu):.2f} CPU-s)"
            f" (median of {args.rounds})"
        )


if __name__ == "__main__":
    main()
