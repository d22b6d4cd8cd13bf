"""One build step per SAO (load -> validate -> documents -> write), and many SAOs in parallel."""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Future, as_completed
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from saoreport import workers
from saoreport.build import cache, parts
from saoreport.build.documents import Documents, document_names
from saoreport.errors import SaoError, printable
from saoreport.output import clear_parts, safe_slug, write_atomic
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
    return workers.pool(jobs if in_parts else 1)


def _make(checked: Checked, name: str) -> tuple[bytes, list[str]]:
    """One document of a valid plan (in a worker), and the notes made on the way."""
    documents = Documents(checked)
    return documents.all()[name](), documents.notes


def target_folder(out: Path, checked: Checked) -> Path:
    """out/<slug>/<fiscal year>: always inside *out* (the slug is the plan folder's own name)."""
    slug = safe_slug(checked.folder.resolve().name)
    return out / slug / str(checked.plan.plan.fiscal_year)


WRITING = ".saoreport-writing"  # present while a build replaces the documents of a folder


def _failure(folder: Path, exc: BaseException) -> str:
    if isinstance(exc, SaoError):
        return str(exc)
    if isinstance(exc, OSError):  # read-only folder, disk full, a file where a folder goes
        where = f" {printable(str(exc.filename))}" if exc.filename else ""
        return f"{folder}: cannot write{where}: {exc.strerror or exc}"
    return f"{folder}: internal error ({type(exc).__name__}: {exc}); please report it"


def build_one(folder: Path, out: Path, use_cache: bool = True, jobs: int = 1) -> Result:
    """Build every document of the SAO in *folder* that can be built.

    A document whose inputs (see cache.py) are those it was last built from, and whose file
    is still the one built then, is not made again. A document that cannot be made is
    reported (the result's error) and its old file removed, so that the folder never holds
    documents of two versions of the plan side by side; the others are written.
    """
    start = time.perf_counter()
    result = Result(folder)
    try:
        checked = check(folder)
        result.warnings = [str(w) for w in checked.warnings]
        if checked.plan.plan.approval is None:
            result.warnings.append(f"{checked.file}: no plan.approval, so no announcement.pdf")
        target = target_folder(out, checked)
        clear_parts(target)
        clear_parts(target / cache.PARTS)
        if (target / WRITING).exists():
            result.warnings.append(
                f"{target}: the last build was stopped while writing this folder, which may have"
                " held documents of two builds; each is checked and made again if needed"
            )
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
        failed: dict[str, str] = {}
        with _pool(documents, todo, jobs) as pool:
            # The other documents go to the workers first; the strategy's parts follow.
            documents.pool = pool
            others: dict[str, Future[tuple[bytes, list[str]]]] = {}
            if pool is not None:
                others = {n: pool.submit(_make, checked, n) for n in todo if n != "strategy.pdf"}
            for name in todo:
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
        if failed and not made:  # nothing new: the folder keeps its previous set, whole
            result.error = "\n".join(dict.fromkeys(failed.values()))
            result.seconds = time.perf_counter() - start
            return result
        for name in made:
            record.set(name, keys[name], made[name])
        # The set is replaced as a whole or the next build says it was not (WRITING stays).
        write_atomic(target / WRITING, b"")
        for name, data in made.items():
            write_atomic(target / name, data)
        for name in failed:
            record.entries.pop(name, None)  # made again next time
        record.save()
        (target / WRITING).unlink()
        result.outputs = [target / name for name in makers if name not in failed]
        result.notes = documents.notes
        if failed:  # what failed, and which documents in the folder are not this build's
            result.error = "\n".join(dict.fromkeys(failed.values()))
            result.warnings += [
                f"{folder}: {name} not built"
                + (
                    f"; {target / name} is from an earlier build"
                    if (target / name).exists()
                    else ""
                )
                for name in failed
            ]
    except Exception as exc:
        result.error = _failure(folder, exc)
    result.seconds = time.perf_counter() - start
    return result


def _slug_clashes(folders: list[Path]) -> dict[Path, str]:
    """Plans in one build whose output folders would be the same: an error for each."""
    by_slug: dict[str, list[Path]] = {}
    for folder in folders:
        file = folder if folder.is_file() else folder / "plan.yaml"
        by_slug.setdefault(file.resolve().parent.name, []).append(folder)
    return {
        folder: (
            f"{folder}: {len(same)} plans with the slug {printable(slug)!r} in one build"
            f" ({', '.join(map(str, same))}) would write the same folder; build them apart"
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
) -> list[Result]:
    """Build every SAO, *jobs* at a time; *done* hears of each as it finishes.

    SAOs whose documents are all up to date are found here, without starting workers.
    """
    results: dict[Path, Result] = {}
    for folder, clash in _slug_clashes(folders).items():
        results[folder] = Result(folder, error=clash)
        done(results[folder])
    for folder in [f for f in folders if f not in results] if use_cache else []:
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
        with workers.pool(min(jobs, len(todo))) as pool:
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
        target = target_folder(out, checked)
    except Exception:
        return None  # build_one reports it
    if (target / WRITING).exists():
        return None  # an interrupted build: build_one checks every document
    record = cache.Record(target)
    names = document_names(checked.plan)
    if not all(record.holds(name, cache.key(checked, name)) for name in names):
        return None
    warnings = [str(w) for w in checked.warnings]
    result = Result(folder, [target / n for n in names], warnings, cached=list(names))
    result.seconds = time.perf_counter() - start
    return result
