"""Python's garbage collector, tuned for layout: WeasyPrint allocates millions of small objects
that live as long as the document, and the default thresholds (700 allocations) make the
collector scan them over and over (12–18 % of a build's CPU, py-spy). Collecting the young
generation every 70,000 allocations instead gives the same bytes for less CPU (README,
Performance); memory grows by about 10 MB."""

from __future__ import annotations

import gc
import os
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from typing import Any

from saoreport import wordbreak, workers
from saoreport.pdf import layout, speedups

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


class Pool(ProcessPoolExecutor):
    """A process pool whose workers are stopped, not waited for, when the build is stopped
    (Ctrl-C, or any exception that is not an error: the workers ignore SIGINT, and leaving
    a pool waits for every task given to it)."""

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
        workers.check_interrupt()
        with workers.interrupt_held():  # it may start a worker (fork)
            return super().submit(fn, *args, **kwargs)

    def __exit__(self, kind: Any, value: Any, traceback: Any) -> bool | None:
        if kind is not None and not issubclass(kind, Exception):
            self.stop()
            return None
        return super().__exit__(kind, value, traceback)

    def stop(self) -> None:
        """Kill the workers now; the tasks not done are dropped."""
        for process in list((self._processes or {}).values()):
            process.kill()
        self.shutdown(wait=False, cancel_futures=True)


def pool(count: int, warm: bool = False) -> Pool:
    """Worker processes for layout, with the collector tuned, that die with this process
    (kill -9, SIGTERM: no worker outlives the build). The line breaking's dictionary is read
    first: the workers, forked from this process, start with it (each read it again before,
    0.4 CPU-seconds apiece). *warm*: the workers start now (not at the first task) and import
    WeasyPrint and make their font configuration while this process goes on (it has not
    imported WeasyPrint: a rebuild that lays out only in the workers); else WeasyPrint is
    imported here first, and the workers, forked from this process, start with it."""
    wordbreak.load()
    speedups.wanted()  # a WeasyPrint the speed-ups were not checked with: said here, once
    if not warm:
        layout.import_weasyprint()
    workers_ = Pool(max_workers=count, initializer=_start_worker, initargs=(os.getpid(), warm))
    if warm:
        workers_.submit(int)  # forked workers all start with the first task (Python 3.11+)
    return workers_


class Workers(Executor):
    """Up to *count* layout workers for a rebuild of one long document, started one at a
    time: the first at once, warm (pool(1, warm=True)), another only when a task comes while
    every started one is busy.

    An edit usually changes one piece of a table (or a few, one after the other, in its
    chain): one warm worker lays it out, and no second one imports WeasyPrint (0.25 s of a
    core) while this process makes the parts' HTML. A worker of a process pool takes any
    task, so a second, cold one would take the piece half the time; here it does not exist
    until it is needed (a bulk edit of many tables)."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.pools: list[Pool] = [pool(1, warm=True)]
        self.tasks: list[list[Future[Any]]] = [[]]  # per pool, those submitted to it

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
        busy = [sum(not task.done() for task in tasks) for tasks in self.tasks]
        index = min(range(len(self.pools)), key=busy.__getitem__)
        if busy[index] and len(self.pools) < self.count:
            self.pools.append(pool(1, warm=True))
            self.tasks.append([])
            index = len(self.pools) - 1
        future = self.pools[index].submit(fn, *args, **kwargs)
        self.tasks[index] = [task for task in self.tasks[index] if not task.done()] + [future]
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        for workers_ in self.pools:
            workers_.shutdown(wait, cancel_futures=cancel_futures)

    def __exit__(self, kind: Any, value: Any, traceback: Any) -> bool | None:
        if kind is not None and not issubclass(kind, Exception):  # stopped: see Pool
            for workers_ in self.pools:
                workers_.stop()
            return None
        return super().__exit__(kind, value, traceback)
