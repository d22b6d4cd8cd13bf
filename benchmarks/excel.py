"""Time `saoreport export` and `saoreport import` of a city-sized plan (1,200 projects).

    .venv/bin/python benchmarks/excel.py [--projects 1200]

Each step runs in a fresh process (the import of the libraries counted), like the command.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SAOREPORT = Path(sys.executable).with_name("saoreport")


def timed(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--projects", type=int, default=1200)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        plan = work / "city"
        subprocess.run(
            [
                sys.executable,
                str(HERE / "make_plan.py"),
                "--projects",
                str(args.projects),
                str(plan),
            ],
            check=True,
        )
        book = work / "city.xlsx"
        exports = [
            timed([str(SAOREPORT), "export", str(plan), "--xlsx", str(book)])
            for _ in range(args.runs)
        ]
        imports = [
            timed(
                [
                    str(SAOREPORT),
                    "import",
                    str(book),
                    "--slug",
                    "back",
                    "--out",
                    str(work),
                    "--force",
                ]
            )
            for _ in range(args.runs)
        ]
        size = book.stat().st_size / 1e6
        print(f"{args.projects} projects, workbook {size:.2f} MB")
        runs = ", ".join(f"{t:.2f}" for t in exports)
        print(f"export (validate the plan, write the workbook): best {min(exports):.2f} s ({runs})")
        runs = ", ".join(f"{t:.2f}" for t in imports)
        print(
            f"import (read the workbook, write and validate plan.yaml):"
            f" best {min(imports):.2f} s ({runs})"
        )


if __name__ == "__main__":
    main()
