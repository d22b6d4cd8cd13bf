"""One build step per SAO (load -> validate -> documents -> write), and many SAOs in parallel."""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from saoreport.build import cache, parts
from saoreport.build.documents import Documents, document_names
from saoreport.errors import SaoError
from saoreport.output import write_atomic
from saoreport.plan.validate import Checked, check


@dataclass
class Result:
    folder: Path
    outputs: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    cached: list[str] = field(default_factory=list)  # documents that needed no new build
    error: str | None = None
    seconds: float = 0.0


def _pool(documents: Documents, todo: list[str], jobs: int) -> Any:
    """Workers for one SAO's documents: *jobs* when its strategy document is laid out in
    parts (they share them); else one, making the others while this process makes the
    strategy document (a second would only compete for the cores); else none."""
    if jobs <= 1 or "strategy.pdf" not in todo or len(todo) == 1:
        return nullcontext()
    in_parts = not documents.archival and parts.worth_it(documents.checked)
    return ProcessPoolExecutor(max_workers=jobs if in_parts else 1)


def _make(checked: Checked, name: str) -> tuple[bytes, list[str]]:
    """One document of a valid plan (in a worker), and the notes made on the way."""
    documents = Documents(checked)
    return documents.all()[name](), documents.notes


def build_one(folder: Path, out: Path, use_cache: bool = True, jobs: int = 1) -> Result:
    """Build every document of the SAO in *folder*; write them only if all succeed.

    A document whose inputs (see cache.py) are those it was last built from, and whose file
    is still the one built then, is not made again.
    """
    start = time.perf_counter()
    result = Result(folder)
    try:
        checked = check(folder)
        result.warnings = [str(w) for w in checked.warnings]
        if checked.plan.plan.approval is None:
            result.warnings.append(f"{checked.file}: no plan.approval, so no announcement.pdf")
        target = out / checked.folder.name / str(checked.plan.plan.fiscal_year)
        documents = Documents(checked, jobs=jobs)
        if use_cache:
            tools = cache.tools_digest(checked.plan.settings.font)
            documents.parts = parts.Store(target / cache.PARTS, tools)
        record = cache.Record(target)  # kept even without use_cache, for the next build
        makers = documents.all()
        keys = {name: cache.key(checked, name) for name in makers}
        todo = [name for name in makers if not (use_cache and record.holds(name, keys[name]))]
        result.cached = [name for name in makers if name not in todo]
        made: dict[str, bytes] = {}
        with _pool(documents, todo, jobs) as pool:
            # The other documents go to the workers first; the strategy's parts follow.
            documents.pool = pool
            others: dict[str, Future[tuple[bytes, list[str]]]] = {}
            if pool is not None:
                others = {n: pool.submit(_make, checked, n) for n in todo if n != "strategy.pdf"}
            for name in todo:
                if name not in others:
                    made[name] = makers[name]()
            for name, future in others.items():
                made[name], notes = future.result()
                documents.notes += notes
        for name in todo:
            record.set(name, keys[name], made[name])
        for name, data in made.items():
            write_atomic(target / name, data)
        record.save()
        result.outputs = [target / name for name in document_names(checked.plan)]
        result.notes = documents.notes
    except SaoError as exc:
        result.error = str(exc)
    except Exception as exc:  # a defect of saoreport: still a message, not a traceback
        result.error = f"{folder}: internal error ({type(exc).__name__}: {exc}); please report it"
    result.seconds = time.perf_counter() - start
    return result


def build_many(
    folders: list[Path],
    out: Path,
    jobs: int,
    done: Callable[[Result], None] = lambda r: None,
    use_cache: bool = True,
) -> list[Result]:
    """Build every SAO, *jobs* at a time; *done* hears of each as it finishes.

    SAOs whose documents are all up to date are found here, without starting workers.
    """
    results: dict[Path, Result] = {}
    for folder in folders if use_cache else []:
        current = up_to_date(folder, out)
        if current is not None:
            results[folder] = current
            done(current)
    todo = [f for f in folders if f not in results]
    if jobs <= 1 or len(todo) <= 1:  # one SAO: its long document's parts use the cores
        for folder in todo:
            results[folder] = build_one(folder, out, use_cache, jobs)
            done(results[folder])
    else:
        # The largest plans first, so that a long one does not start last and run alone.
        todo.sort(key=_plan_size, reverse=True)
        with ProcessPoolExecutor(max_workers=min(jobs, len(todo))) as pool:
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
