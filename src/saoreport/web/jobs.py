"""The workspace's long work (builds, archiving, verification, change summaries), each in a
worker process, never in the server's: the server keeps answering while it runs, and a page
(or its script) asks how far it is.

Two worker processes (one per core, or --jobs) are started with the server and kept warm
(WeasyPrint imported, the line-breaking dictionary read); each runs one SAO's work at a time,
with its own layout workers for a long document's parts (pipeline/memory.py), exactly as
`saoreport build` runs it. A long document's progress (pipeline/parts.py's PROGRESS records)
comes back through a queue. One SAO has at most one piece of work at a time: a build asked for
while another runs for the same SAO is run once more after it (the plan changed meanwhile).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

WAITING, RUNNING, DONE, FAILED = "waiting", "running", "done", "failed"


@dataclass
class Job:
    """One SAO's current or last piece of work, as the pages show it."""

    slug: str
    kind: str  # "build", "freeze", "verify", "changes"
    state: str = WAITING
    started: float = field(default_factory=time.time)
    finished: float | None = None
    parts: int = 0  # a long document's parts laid out so far
    reused: int = 0
    last: str = ""
    outcome: dict[str, Any] = field(default_factory=dict)  # what the worker returned
    again: bool = False  # asked for again while it ran
    number: int = 0  # counts every job of the server: a page knows when a new one started

    def public(self) -> dict[str, Any]:
        """What the JSON endpoint says (no paths of the server)."""
        return {
            "number": self.number,
            "kind": self.kind,
            "state": self.state,
            "parts": self.parts,
            "reused": self.reused,
            "seconds": round((self.finished or time.time()) - self.started, 1),
            "error": self.outcome.get("error"),
            "documents": self.outcome.get("documents", []),
        }


# In the worker processes -----------------------------------------------------------------


def _start(parent: int, progress: Any) -> None:
    """A worker: dies with the server, ignores Ctrl-C (the server's to handle), tunes the
    collector, sends a long document's progress to the server, and warms up."""
    from saoreport import wordbreak, workers
    from saoreport.pdf import layout
    from saoreport.pipeline import memory

    workers.die_with_parent(parent)
    memory.tune()

    class Forward(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            folder, done, reused, last = record.args or ("", 0, 0, "")
            # One write of a few hundred bytes: whole in the pipe whoever else writes.
            progress.send((str(folder), int(str(done)), int(str(reused)), str(last)))

    pieces = logging.getLogger("saoreport.progress")
    pieces.addHandler(Forward(logging.INFO))
    pieces.setLevel(logging.INFO)
    pieces.propagate = False
    try:
        wordbreak.load()
        layout.import_weasyprint()
        layout.font_config()
    except Exception:  # the first build meets it again, and reports it
        pass


def _build(folder: str, out: str, jobs: int, scheduler: str | None) -> dict[str, Any]:
    from saoreport.pipeline.batch import build_many

    result = build_many([Path(folder)], Path(out), jobs, scheduler=scheduler)[0]
    return {
        "error": result.error,
        "warnings": result.warnings,
        "notes": result.notes,
        "documents": [p.name for p in result.outputs],
        "cached": result.cached,
        "folder": str(result.outputs[0].parent) if result.outputs else None,
    }


def _freeze(folder: str, root: str) -> dict[str, Any]:
    from saoreport.archive import versions
    from saoreport.errors import SaoError

    try:
        frozen = versions.freeze(Path(folder), Path(root))
    except SaoError as exc:
        return {"error": str(exc)}
    return {"version": frozen.path.name, "new": frozen.new, "error": None}


def _verify(slug_dir: str) -> dict[str, Any]:
    from saoreport.archive import versions

    found = versions.version_dirs(Path(slug_dir))
    problems = versions.verify_history(Path(slug_dir), set(found)) if found else []
    checked = []
    for version in found:
        mine = versions.verify(version, rebuild=True)
        problems += mine
        checked.append({"version": f"{version.parent.name}/{version.name}", "ok": not mine})
    return {"error": "\n".join(problems) or None, "versions": checked}


def _edition(folder: str, root: str, out: str) -> dict[str, Any]:
    """The latest edition's book and ประกาศ, as `saoreport edition PLAN --root --out` makes
    them (archive.editions.edition_documents), written into the plan's build folder."""
    from saoreport.archive.editions import edition_documents
    from saoreport.errors import SaoError
    from saoreport.output import write_atomic
    from saoreport.pipeline.step import target_folder
    from saoreport.plan.validate import check

    try:
        checked = check(Path(folder))
        made, notes = edition_documents(checked, Path(root))
    except SaoError as exc:
        return {"error": str(exc)}
    target = target_folder(Path(out), checked)
    target.mkdir(parents=True, exist_ok=True)
    for name, data in made.items():
        write_atomic(target / name, data)
    return {"error": None, "documents": sorted(made), "notes": notes, "folder": str(target)}


def _changes(first: str, second: str, pdf: str, labels: tuple[str, str]) -> dict[str, Any]:
    """The council's change summary between two plans, as `saoreport diff --pdf` writes it
    (*labels*: the page's names of the two; the summary names them in its own words)."""
    from saoreport.archive.diff import compare, council, locate
    from saoreport.errors import SaoError
    from saoreport.output import write_atomic
    from saoreport.pipeline.documents import Documents
    from saoreport.plan.validate import check

    try:
        older, newer = locate(Path(first)), locate(Path(second))
        a, b = check(older.folder), check(newer.folder)
        changes = compare(a.plan, b.plan, (a.narrative, b.narrative))
        documents = Documents(b)
        html = documents.html("changes.html.j2", summary=council(changes, older, newer))
        Path(pdf).parent.mkdir(parents=True, exist_ok=True)
        write_atomic(Path(pdf), documents.fix_text(documents.layout.write_pdf(html)))
    except SaoError as exc:
        return {"error": str(exc)}
    return {"error": None, "documents": [Path(pdf).name]}


def _internal(exc: BaseException) -> dict[str, Any]:
    from saoreport.errors import printable
    from saoreport.messages import _

    return {
        "error": _(
            "internal error ({kind}: {detail}); please report it",
            kind=type(exc).__name__,
            detail=printable(str(exc)),
        )
    }


# In the server ---------------------------------------------------------------------------


class Jobs:
    """The workers and every SAO's current or last job."""

    def __init__(
        self, workers: int | None = None, jobs: int | None = None, scheduler: str | None = None
    ) -> None:
        self.jobs = jobs or os.cpu_count() or 1  # layout workers of one build
        self.scheduler = scheduler  # --scheduler: builds on a Dask cluster
        context = multiprocessing.get_context("spawn")  # the server has threads: no fork
        # A pipe, not a queue: a queue's semaphores outlive a worker that is killed, and the
        # resource tracker complained of them in the terminal when the server stopped.
        self.progress, self.sender = context.Pipe(duplex=False)
        count = workers or min(2, os.cpu_count() or 1)
        self.pool = ProcessPoolExecutor(
            count, mp_context=context, initializer=_start, initargs=(os.getpid(), self.sender)
        )
        for _n in range(count):  # start them now: the first build finds them warm
            self.pool.submit(int)
        self.lock = threading.Lock()
        self.current: dict[str, Job] = {}
        self.folders: dict[str, str] = {}  # a build's plan folder -> its slug (progress)
        self.counter = 0
        self.listener = threading.Thread(target=self._listen, daemon=True)
        self.listener.start()

    def _listen(self) -> None:
        while True:
            try:
                item = self.progress.recv()
            except (EOFError, OSError, ValueError):
                return
            if item is None:
                return
            folder, done, reused, last = item
            with self.lock:
                job = self.current.get(self.folders.get(folder, ""))
                if job is not None and job.state == RUNNING:
                    job.parts, job.reused, job.last = done, reused, last

    def get(self, slug: str) -> Job | None:
        with self.lock:
            return self.current.get(slug)

    def busy(self, slug: str) -> bool:
        job = self.get(slug)
        return job is not None and job.state in (WAITING, RUNNING)

    def _submit(self, slug: str, kind: str, work: Callable[..., dict[str, Any]], *args: Any) -> Job:
        with self.lock:
            job = self.current.get(slug)
            if job is not None and job.state in (WAITING, RUNNING):
                if job.kind == kind == "build":
                    job.again = True
                return job
            self.counter += 1
            job = Job(slug, kind, RUNNING, number=self.counter)
            self.current[slug] = job
        future = self.pool.submit(work, *args)
        future.add_done_callback(lambda f: self._finished(job, f, work, args))
        return job

    def _finished(
        self,
        job: Job,
        future: Future[dict[str, Any]],
        work: Callable[..., dict[str, Any]],
        args: tuple[Any, ...],
    ) -> None:
        try:
            outcome = future.result()
        except BaseException as exc:  # a worker that died (memory, kill): still a message
            outcome = _internal(exc)
        with self.lock:
            job.outcome = outcome
            job.finished = time.time()
            job.state = FAILED if outcome.get("error") else DONE
            again, job.again = job.again, False
        if again and not getattr(self.pool, "_shutdown_thread", False):
            with self.lock:
                self.current.pop(job.slug, None)
            # Not from this thread (the pool's own, which hands out its results).
            threading.Thread(target=self._submit, args=(job.slug, job.kind, work, *args)).start()

    def build(self, slug: str, folder: Path, out: Path) -> Job:
        with self.lock:
            self.folders[str(folder)] = slug
        folders = (str(folder), str(out))
        return self._submit(slug, "build", _build, *folders, self.jobs, self.scheduler)

    def freeze(self, slug: str, folder: Path, root: Path) -> Job:
        return self._submit(slug, "freeze", _freeze, str(folder), str(root))

    def verify(self, slug: str, slug_dir: Path) -> Job:
        return self._submit(slug, "verify", _verify, str(slug_dir))

    def edition(self, slug: str, folder: Path, root: Path, out: Path) -> Job:
        return self._submit(slug, "edition", _edition, str(folder), str(root), str(out))

    def changes(
        self, slug: str, first: Path, second: Path, pdf: Path, labels: tuple[str, str]
    ) -> Job:
        return self._submit(slug, "changes", _changes, str(first), str(second), str(pdf), labels)

    def wait(self, slug: str, timeout: float = 600) -> Job | None:
        """The SAO's job once it is done (for tests and the benchmark)."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            job = self.get(slug)
            if job is None or (job.state in (DONE, FAILED) and not job.again):
                return job
            time.sleep(0.02)
        return self.get(slug)

    def close(self) -> None:
        """Stop the workers now (a build under way is dropped: its folder keeps the last
        whole set of documents, as after Ctrl-C), and free their queues."""
        running = any(job.state == RUNNING for job in self.current.values())
        if running:
            for process in list((self.pool._processes or {}).values()):
                process.kill()
        self.pool.shutdown(wait=True, cancel_futures=True)
        self.sender.send(None)
        self.listener.join(5)
        self.progress.close()
        self.sender.close()
