"""What a build prints: a progress display on a terminal, plain lines otherwise."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from saoreport.build.step import Result


def _lines(results: list[Result]) -> None:
    for r in results:
        for warning in r.warnings:
            print(warning, file=sys.stderr)
        if r.error:
            print(f"{r.folder}: FAILED\n{r.error}", file=sys.stderr)
        else:
            outputs = ", ".join(p.name for p in r.outputs)
            where = r.outputs[0].parent if r.outputs else ""
            made = "unchanged" if len(r.cached) == len(r.outputs) else f"{r.seconds:.1f} s"
            reused = f"; reused {', '.join(r.cached)}" if r.cached and made != "unchanged" else ""
            print(f"{r.folder}: {where}/ {outputs} ({made}{reused})")
            for note in r.notes:
                print(f"  {note}")


def report(
    folders: list[Path], run: Callable[[Callable[[Result], None]], list[Result]]
) -> list[Result]:
    """Run the build (given a callback for each finished SAO) and report what it did."""
    if not sys.stderr.isatty():
        results = run(lambda r: None)
    else:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        columns = (
            TextColumn("building"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.description}"),
        )
        with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
            task = bar.add_task("", total=len(folders))
            results = run(lambda r: bar.update(task, advance=1, description=r.folder.name))
    _lines(results)
    ok = sum(1 for r in results if not r.error)
    print(f"{ok} of {len(results)} built", file=sys.stderr)
    return results
