"""Where a 1-process build's CPU goes, by pipeline stage; prints a Markdown table.

    .venv/bin/python benchmarks/stages.py PLAN_DIR

Each stage's entry point is wrapped to add up the process time spent in it, less the time of
the stages it calls (so that the rows add up); "other" is what is left of the whole build.
SAOREPORT_SPEEDUPS=0 measures it with the speed patches off.
"""

from __future__ import annotations

import collections
import inspect
import os
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
stack: list[list[Any]] = []  # [label, start, time spent in stages inside it]


def timed(owner: Any, name: str, label: str) -> None:
    """Add up the process time spent in *owner.name*, less the time of the stages it calls
    (each stage's own time: the table adds up to the whole)."""
    real: Callable[..., Any] = getattr(owner, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if any(entry[0] == label for entry in stack):  # (called again inside itself)
            return real(*args, **kwargs)
        stack.append([label, time.process_time(), 0.0])
        try:
            result = real(*args, **kwargs)
            if inspect.isgenerator(result):  # its work is done as it is consumed: here
                result = iter(list(result))
            return result
        finally:
            _, begun, inner = stack.pop()
            elapsed = time.process_time() - begun
            spent[label] += elapsed - inner
            if stack:
                stack[-1][2] += elapsed

    setattr(owner, name, wrapper)


def main() -> None:
    memory.tune()
    layout.import_weasyprint()
    import tinyhtml5
    import weasyprint.document as wd

    timed(layout.Layout, "render", "WeasyPrint layout: the rest of the call")
    timed(tinyhtml5, "parse", "WeasyPrint layout: HTML parsed (tinyhtml5)")
    timed(wd, "get_all_computed_styles", "WeasyPrint layout: CSS cascade (styles)")
    timed(wd, "build_formatting_structure", "WeasyPrint layout: boxes made from the elements")
    timed(wd, "layout_document", "WeasyPrint layout: pages laid out (Thai line breaking included)")
    timed(wd.Page, "paint", "WeasyPrint drawing of the pages")
    timed(layout.Layout, "pdf", "WeasyPrint PDF writing (fonts subset, objects)")
    timed(documents.textlayer, "fix_text_layer", "text-layer repair")
    timed(parts.joining, "join", "joining the parts, page numbers, outline")
    timed(documents.render, "render", "HTML from the templates (Jinja, column widths, Markdown)")
    timed(validate, "check", "reading and validating the plan")
    build_step.check = validate.check
    load = os.getloadavg()[0]
    start = time.process_time()
    result = build_one(Path(sys.argv[1]), Path("/tmp/saoreport-stages"), use_cache=False, jobs=1)
    assert result.error is None, result.error
    total = time.process_time() - start
    mode = "off" if os.environ.get("SAOREPORT_SPEEDUPS") == "0" else "on"
    print(
        f"Speed patches {mode}; load average before and after: {load:.1f}, {os.getloadavg()[0]:.1f}"
    )
    print("| stage | CPU s | share |\n| --- | ---: | ---: |")
    for label, seconds in spent.most_common():
        print(f"| {label} | {seconds:.1f} | {seconds / total:.0%} |")
    rest = total - sum(spent.values())
    other = "other (cache keys, the posters' fitting loop, pikepdf)"
    print(f"| {other} | {rest:.1f} | {rest / total:.0%} |")
    print(f"| total, 1 process | {total:.1f} | 100% |")


if __name__ == "__main__":
    main()
