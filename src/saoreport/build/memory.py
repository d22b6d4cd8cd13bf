"""Python's garbage collector, tuned for layout: WeasyPrint allocates millions of small objects
that live as long as the document, and the default thresholds (700 allocations) make the
collector scan them over and over (12–18 % of a build's CPU, py-spy). Collecting the young
generation every 70,000 allocations instead gives the same bytes for less CPU (README,
Performance); memory grows by about 10 MB."""

from __future__ import annotations

import gc
import os
from concurrent.futures import ProcessPoolExecutor

from saoreport import wordbreak, workers
from saoreport.pdf import layout

THRESHOLDS = (70_000, 10, 10)


def tune() -> None:
    """For this process (the build's own, and each worker's)."""
    gc.set_threshold(*THRESHOLDS)


def _start_worker(parent: int, warm: bool = False) -> None:
    tune()
    workers.die_with_parent(parent)
    if warm:
        try:
            layout.import_weasyprint()
            layout.font_config()
        except Exception:  # the first layout meets it again, and reports it
            pass


def pool(count: int, warm: bool = False) -> ProcessPoolExecutor:
    """Worker processes for layout, with the collector tuned, that die with this process
    (kill -9, SIGTERM: no worker outlives the build). The line breaking's dictionary is read
    first: the workers, forked from this process, start with it (each read it again before,
    0.4 CPU-seconds apiece). *warm*: the workers start now (not at the first task) and import
    WeasyPrint and make their font configuration while this process goes on (it has not
    imported WeasyPrint: a rebuild that lays out only in the workers); else WeasyPrint is
    imported here first, and the workers, forked from this process, start with it."""
    wordbreak.load()
    if not warm:
        layout.import_weasyprint()
    workers_ = ProcessPoolExecutor(
        max_workers=count, initializer=_start_worker, initargs=(os.getpid(), warm)
    )
    if warm:
        workers_.submit(int)  # forked workers all start with the first task (Python 3.11+)
    return workers_
