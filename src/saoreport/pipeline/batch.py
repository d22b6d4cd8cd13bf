"""One build step per SAO (load -> validate -> documents -> write), and many SAOs in parallel."""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Future, as_completed
from contextlib import nullcontext
from pathlib import Path
from typing import Any

from saoreport import workers
from saoreport.errors import SaoError, printable
from saoreport.messages import _
from saoreport.pipeline import cache, memory, parts
from saoreport.pipeline.documents import Documents, document_names
from saoreport.pipeline.step import WRITING, Result, Step, guarded, make, target_folder
from saoreport.plan.validate import Checked, check


def _pool(documents: Documents, todo: list[str], jobs: int) -> Any:
    """Workers for one SAO's documents: *jobs* when its strategy document is laid out in
    parts (they share them); else one, making the others while this process makes the
    strategy document (a second would only compete for the cores); else none.

    The strategy document alone (the rebuild after an edit) in parts: a worker starts at
    once and imports WeasyPrint while this process makes the parts' HTML, which needs none of
    it; the parts that changed are laid out by it, warm (0.2 s less), and by more workers
    only if more parts are ready at once (memory.Workers)."""
    in_parts = not documents.archival and parts.worth_it(documents.checked)
    if jobs <= 1 or "strategy.pdf" not in todo or (len(todo) == 1 and not in_parts):
        return nullcontext()
    if len(todo) == 1:
        return memory.Workers(jobs)
    return memory.pool(jobs if in_parts else 1)


def build_one(
    folder: Path, out: Path, use_cache: bool = True, jobs: int = 1, checked: Checked | None = None
) -> Result:
    """Build every document of the SAO in *folder* that can be built.

    A document whose inputs (see cache.py) are those it was last built from, and whose file
    is still the one built then, is not made again. A document that cannot be made is
    reported (the result's error, and a warning if an older file of it is in the folder);
    the others are written. *checked*: the plan of *folder*, if it was validated already.
    """
    result = Result(folder)

    def work() -> None:
        step = Step.start(folder, out, use_cache, result, checked)
        documents = Documents(step.checked, jobs=jobs)
        if use_cache:
            tools = cache.tools_digest(step.checked.plan.settings.font)
            tools += cache.images_digest(step.checked)  # the HTML names images, not their bytes
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
            failed: dict[str, str] = {}  # a document that cannot be made stops no other
            for name in step.todo:
                workers.check_interrupt()
                if name not in others:
                    try:
                        made[name] = makers[name]()
                    except SaoError as exc:
                        failed[name] = str(exc)
            for name, future in others.items():
                try:
                    made[name], notes = future.result()
                    documents.notes += notes
                except SaoError as exc:
                    failed[name] = str(exc)
        step.finish(made, documents.notes, failed)

    return guarded(folder, result, work)


def _slug_clashes(folders: list[Path]) -> dict[Path, str]:
    """Plans in one build whose output folders would be the same: an error for each."""
    by_slug: dict[str, list[Path]] = {}
    for folder in folders:
        file = folder if folder.is_file() else folder / "plan.yaml"
        by_slug.setdefault(file.resolve().parent.name, []).append(folder)
    return {
        folder: _(
            "{folder}: {count} plans with the folder name {slug} in one build ({folders}) would"
            " write the same output folder: build them apart",
            folder=folder,
            count=len(same),
            slug=repr(printable(slug)),
            folders=", ".join(map(str, same)),
        )
        for slug, same in by_slug.items()
        if len(same) > 1
        for folder in same
    }


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
    with workers.interrupts_kept():
        return _build_many(folders, out, jobs, done, use_cache, scheduler)


def _build_many(
    folders: list[Path],
    out: Path,
    jobs: int,
    done: Callable[[Result], None],
    use_cache: bool,
    scheduler: str | None,
) -> list[Result]:
    memory.tune()
    results: dict[Path, Result] = {}
    for folder, clash in _slug_clashes(folders).items():
        results[folder] = Result(folder, error=clash)
        done(results[folder])
    valid: dict[Path, Checked] = {}  # plans validated here: not validated again to build them
    for folder in [f for f in folders if f not in results] if use_cache else []:
        current = _examine(folder, out)
        if isinstance(current, Result):
            results[folder] = current
            done(current)
        elif current is not None:
            valid[folder] = current
    todo = [f for f in folders if f not in results]
    if scheduler is not None:
        from saoreport.pipeline.cluster import build_on_cluster

        for result in build_on_cluster(scheduler, todo, out, done, use_cache, valid):
            results[result.folder] = result
    elif jobs <= 1 or len(todo) <= 1:  # one SAO: its long document's parts use the cores
        for folder in todo:
            workers.check_interrupt()
            results[folder] = build_one(folder, out, use_cache, jobs, valid.get(folder))
            done(results[folder])
    else:
        # The largest plans first, so that a long one does not start last and run alone.
        todo.sort(key=_plan_size, reverse=True)
        with memory.pool(min(jobs, len(todo))) as pool:
            futures = {pool.submit(build_one, f, out, use_cache, 1, valid.get(f)): f for f in todo}
            for future in as_completed(futures):
                workers.check_interrupt()
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
    found = _examine(folder, out)
    return found if isinstance(found, Result) else None


def _examine(folder: Path, out: Path) -> Result | Checked | None:
    """The result of building *folder*, if every document is already built from its inputs;
    else its valid plan, to build it from (None: build_one reports why it is not valid)."""
    start = time.perf_counter()
    try:
        checked = check(folder)
        target = target_folder(out, checked)
    except Exception:
        return None  # build_one reports it
    if (target / WRITING).exists():
        return checked  # an interrupted build: build_one checks every document
    record = cache.Record(target)
    names = document_names(checked.plan)
    if not all(record.holds(name, cache.key(checked, name)) for name in names):
        return checked
    warnings = [str(w) for w in checked.all_warnings]
    result = Result(folder, [target / n for n in names], warnings, cached=list(names))
    result.seconds = time.perf_counter() - start
    return result
