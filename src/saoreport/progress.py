"""What a build prints: a progress display on a terminal, plain lines otherwise."""

from __future__ import annotations

import logging
import math
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from saoreport.messages import _, n_
from saoreport.pipeline.step import Result


def _lines(results: list[Result]) -> None:
    for r in results:
        for warning in r.warnings:
            print(warning, file=sys.stderr)
        if r.error:
            if r.outputs:  # some documents were built: say which, then what failed
                built = ", ".join(p.name for p in r.outputs)
                print(
                    _(
                        "{folder}: {where}/ {documents} (the others FAILED)",
                        folder=r.folder,
                        where=r.outputs[0].parent,
                        documents=built,
                    )
                )
            print(_("{folder}: FAILED", folder=r.folder) + f"\n{r.error}", file=sys.stderr)
        else:
            outputs = ", ".join(p.name for p in r.outputs)
            where = r.outputs[0].parent if r.outputs else ""
            if len(r.cached) == len(r.outputs):
                made = _("unchanged")
            elif r.cached:
                made = _(
                    "{seconds} s; reused {documents}",
                    seconds=f"{r.seconds:.1f}",
                    documents=", ".join(r.cached),
                )
            else:
                made = _("{seconds} s", seconds=f"{r.seconds:.1f}")
            print(f"{r.folder}: {where}/ {outputs} ({made})")
            for note in r.notes:
                print(f"  {note}")


PIECES = logging.getLogger("saoreport.progress")  # a long document's parts (pipeline/parts.py)
EVERY = 10.0  # seconds between two plain lines of a long document's progress


def _part_line(record: logging.LogRecord) -> str:
    """A plain line of a long document's progress (pipeline/parts.py PROGRESS's arguments)."""
    folder, done, reused, last = record.args or ("", 0, 0, "")
    return n_(
        "{folder}: strategy.pdf: {count} part laid out ({reused} reused), last {last}",
        "{folder}: strategy.pdf: {count} parts laid out ({reused} reused), last {last}",
        int(str(done)),
        folder=folder,
        count=done,
        reused=reused,
        last=last,
    )


@contextmanager
def pieces(show: Callable[[logging.LogRecord], None], every: float) -> Iterator[None]:
    """Pass the progress of long documents (a part done: pipeline/parts.py PROGRESS) to *show*,
    at most one in *every* seconds (0: each)."""
    last = [-math.inf]

    class Show(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            now = time.monotonic()
            if now - last[0] >= every:
                last[0] = now
                show(record)

    handler = Show(logging.INFO)
    level, propagate = PIECES.level, PIECES.propagate
    PIECES.addHandler(handler)
    PIECES.setLevel(logging.INFO)
    PIECES.propagate = False
    try:
        yield
    finally:
        PIECES.removeHandler(handler)
        PIECES.setLevel(level)
        PIECES.propagate = propagate


def report(
    folders: list[Path], run: Callable[[Callable[[Result], None]], list[Result]]
) -> list[Result]:
    """Run the build (given a callback for each finished SAO) and report what it did; a long
    document's parts as they are done (on a terminal in the display, else a plain line at
    most every EVERY seconds)."""
    if not sys.stderr.isatty():
        with pieces(lambda record: print(_part_line(record), file=sys.stderr, flush=True), EVERY):
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

            def part(record: logging.LogRecord) -> None:  # short: the bar shares the line
                folder, done, reused, _last = record.args or ("", 0, 0, "")
                parts = n_(
                    "{folder}: strategy.pdf, {count} part ({reused} reused)",
                    "{folder}: strategy.pdf, {count} parts ({reused} reused)",
                    int(str(done)),
                    folder=Path(str(folder)).name,
                    count=done,
                    reused=reused,
                )
                bar.update(task, description=parts)

            with pieces(part, 0):
                results = run(lambda r: bar.update(task, advance=1, description=r.folder.name))
    _lines(results)
    ok = sum(1 for r in results if not r.error)
    partly = sum(1 for r in results if r.error and r.outputs)
    if partly:
        print(
            _(
                "{ok} of {count} built ({partly} in part)",
                ok=ok,
                count=len(results),
                partly=partly,
            ),
            file=sys.stderr,
        )
    else:
        print(_("{ok} of {count} built", ok=ok, count=len(results)), file=sys.stderr)
    return results
