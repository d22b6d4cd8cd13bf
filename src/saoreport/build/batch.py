"""One build step per SAO (load -> validate -> documents -> write), and many SAOs in parallel."""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Future, as_completed
from contextlib import nullcontext
from pathlib import Path
from typing import Any

from saoreport.build import cache, memory, parts
from saoreport.build.documents import Documents, document_names
from saoreport.build.step import Result, Step, guarded, make
from saoreport.errors import SaoError
from saoreport.plan.validate import check


def _pool(documents: Documents, todo: list[str], jobs: int) -> Any:
    """Workers for one SAO's documents: *jobs* when its strategy document is laid out in
    parts (they share them); else one, making the others while this process makes the
    strategy document (a second would only compete for the cores); else none."""
    if jobs <= 1 or "strategy.pdf" not in todo or len(todo) == 1:
        return nullcontext()
    in_parts = not documents.archival and parts.worth_it(documents.checked)
    return memory.pool(jobs if in_parts else 1)


def build_one(folder: Path, out: Path, use_cache: bool = True, jobs: int = 1) -> Result:
    """Build every document of the SAO in *folder*; write them only if all succeed.

    A document whose inputs (see cache.py) are those it was last built from, and whose file
    is still the one built then, is not made again.
    """
    result = Result(folder)

    def work() -> None:
        step = Step.start(folder, out, use_cache, result)
        documents = Documents(step.checked, jobs=jobs)
        if use_cache:
            tools = cache.tools_digest(step.checked.plan.settings.font)
            documents.parts = parts.Store(step.target / cache.PARTS, tools)
        makers = documents.all()
        made: dict[str, bytes] = {}
        with _pool(documents, step.todo, jobs) as pool:
            # The other documents go to the workers first; the strategy's parts follow.
            documents.pool = pool
            others: dict[str, Future[tuple[bytes, list[str]]]] = {}
            if pool is not None:
                others = {
                    n: pool.submit(make, step.checked, n) for n in step.todo if n != "strategy.pdf"
                }
            for name in step.todo:
                if name not in others:
                    made[name] = makers[name]()
            for name, future in others.items():
                made[name], notes = future.result()
                documents.notes += notes
        step.finish(made, documents.notes)

    return guarded(folder, result, work)


def build_many(
    folders: list[Path],
    out: Path,
    jobs: int,
    done: Callable[[Result], None] = lambda r: None,
    use_cache: bool = True,
    scheduler: str | None = None,
) -> list[Result]:
    """Build every SAO, *jobs* at a time (or on the Dask cluster at *scheduler*); *done*
    hears of each as it finishes.

    SAOs whose documents are all up to date are found here, without starting workers.
    """
    memory.tune()
    results: dict[Path, Result] = {}
    for folder in folders if use_cache else []:
        current = up_to_date(folder, out)
        if current is not None:
            results[folder] = current
            done(current)
    todo = [f for f in folders if f not in results]
    if scheduler is not None:
        from saoreport.build.cluster import build_on_cluster

        for result in build_on_cluster(scheduler, todo, out, done, use_cache):
            results[result.folder] = result
    elif jobs <= 1 or len(todo) <= 1:  # one SAO: its long document's parts use the cores
        for folder in todo:
            results[folder] = build_one(folder, out, use_cache, jobs)
            done(results[folder])
    else:
        # The largest plans first, so that a long one does not start last and run alone.
        todo.sort(key=_plan_size, reverse=True)
        with memory.pool(min(jobs, len(todo))) as pool:
            futures = {pool.submit(build_one, f, out, use_cache): f for f in todo}
            for future in as_completed(futures):
                results[futures[future]] = future.result()
                done(results[futures[future]])
    return [results[f] for f in folders]


def _plan_size(folder: Path) -> int:
    try:
        return (folder / "plan.yaml").stat().st_size
    except OSError:
        return 0


def up_to_date(folder: Path, out: Path) -> Result | None:
    """The result of building *folder*, if every document is already built from its inputs."""
    start = time.perf_counter()
    try:
        checked = check(folder)
    except SaoError:
        return None  # build_one reports it
    target = out / checked.folder.name / str(checked.plan.plan.fiscal_year)
    record = cache.Record(target)
    names = document_names(checked.plan)
    if not all(record.holds(name, cache.key(checked, name)) for name in names):
        return None
    warnings = [str(w) for w in checked.warnings]
    result = Result(folder, [target / n for n in names], warnings, cached=list(names))
    result.seconds = time.perf_counter() - start
    return result
