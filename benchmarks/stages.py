"""Where a 1-process build's CPU goes, by pipeline stage; prints a Markdown table.

    .venv/bin/python benchmarks/stages.py PLAN_DIR

Each stage's entry point is wrapped to add up the process time spent in it (outermost call
only); "other" is what is left of the whole build.
"""

from __future__ import annotations

import collections
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from saoreport.pdf import layout
from saoreport.pipeline import documents, memory, parts
from saoreport.pipeline import step as build_step
from saoreport.pipeline.batch import build_one
from saoreport.plan import validate

spent: collections.Counter[str] = collections.Counter()
depth = [0]


def timed(owner: Any, name: str, label: str) -> None:
    real: Callable[..., Any] = getattr(owner, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if depth[0]:
            return real(*args, **kwargs)
        depth[0] += 1
        start = time.process_time()
        try:
            return real(*args, **kwargs)
        finally:
            spent[label] += time.process_time() - start
            depth[0] -= 1

    setattr(owner, name, wrapper)


def main() -> None:
    memory.tune()
    timed(layout.Layout, "render", "WeasyPrint layout (the line-breaking hook included)")
    timed(layout.Layout, "pdf", "WeasyPrint drawing and PDF writing")
    timed(documents.textlayer, "fix_text_layer", "text-layer repair")
    timed(parts.joining, "join", "joining the parts, page numbers, outline")
    timed(documents.render, "render", "HTML from the templates (Jinja, column widths, Markdown)")
    timed(validate, "check", "reading and validating the plan")
    build_step.check = validate.check
    start = time.process_time()
    result = build_one(Path(sys.argv[1]), Path("/tmp/saoreport-stages"), use_cache=False, jobs=1)
    assert result.error is None, result.error
    total = time.process_time() - start
    print("| stage | CPU s | share |\n| --- | ---: | ---: |")
    for label, seconds in spent.most_common():
        print(f"| {label} | {seconds:.1f} | {seconds / total:.0%} |")
    rest = total - sum(spent.values())
    other = "other (cache keys, the posters' fitting loop, pikepdf)"
    print(f"| {other} | {rest:.1f} | {rest / total:.0%} |")
    print(f"| total, 1 process | {total:.1f} | 100% |")


if __name__ == "__main__":
    main()
