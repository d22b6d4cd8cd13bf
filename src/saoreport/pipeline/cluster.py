"""Many SAOs on a Dask distributed cluster: `saoreport build --scheduler ADDRESS`.

The client (this process) does what touches its disk: it validates each plan, decides from
the cache what is to be made, and writes the results (atomically, all of an SAO's documents
or none). Each document to make is one task. A task receives the plan folder's files as
bytes, so workers need no shared file system, only the same saoreport, fonts and libraries
(the cache keys include their versions). A worker lays a long strategy document out in its
parts one after another (the same bytes as with any number of processes); the cluster's
parallelism is across documents and SAOs. A task whose worker dies is run again elsewhere
by the scheduler; nothing is written until every document of the SAO has arrived.

Dask is an optional extra (`pip install 'saoreport[cluster]'`): nothing here is imported
unless a scheduler is named.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

from saoreport.errors import BuildFailed, SaoError, UsageError
from saoreport.messages import _
from saoreport.pipeline import memory
from saoreport.pipeline.step import Result, Step, guarded, make
from saoreport.plan.validate import Checked, check

MAX_FOLDER = 64 * 1024 * 1024  # bytes of one plan folder sent to a worker


def folder_files(folder: Path) -> dict[str, bytes]:
    """Every regular file under a plan folder (links are not followed), by relative path."""
    files: dict[str, bytes] = {}
    size = 0
    for path in sorted(folder.rglob("*")):
        if path.is_symlink() or not path.is_file():
            continue
        data = path.read_bytes()
        size += len(data)
        if size > MAX_FOLDER:
            raise SaoError(
                _(
                    "{folder}: more than {limit} MiB to send to the cluster: make its images"
                    " smaller, or build it without --scheduler",
                    folder=folder,
                    limit=MAX_FOLDER // 2**20,
                )
            )
        files[path.relative_to(folder).as_posix()] = data
    return files


def make_remote(home: str, files: dict[str, bytes], name: str) -> tuple[bytes, list[str]]:
    """A task: one document of the plan whose folder's *files* are given (on a worker).
    Messages name the plan folder where it is at home, the client's *home*."""
    memory.tune()
    with tempfile.TemporaryDirectory(prefix="saoreport-") as tmp:
        folder = Path(tmp) / Path(home).name
        for relative, data in files.items():
            path = folder / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        try:
            return make(check(folder), name)
        except SaoError as exc:
            message = str(exc).replace(folder.as_uri(), Path(home).as_uri())
            raise BuildFailed(message.replace(str(folder), home)) from None


def _client(scheduler: str) -> Any:
    try:
        from distributed import Client
    except ImportError as exc:
        raise UsageError(
            _("--scheduler needs Dask's distributed package: pip install 'saoreport[cluster]'")
        ) from exc
    try:
        return Client(scheduler, timeout="20s")  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError) as exc:
        raise SaoError(
            _(
                "cannot reach the Dask scheduler at {address} ({detail}): check the address"
                " and that the scheduler runs",
                address=scheduler,
                detail=exc,
            )
        ) from exc


def build_on_cluster(
    scheduler: str | Any,
    folders: list[Path],
    out: Path,
    done: Callable[[Result], None] = lambda r: None,
    use_cache: bool = True,
    valid: dict[Path, Checked] | None = None,
) -> Iterator[Result]:
    """Build *folders* on the cluster at *scheduler* (an address, or a Client), yielding
    each SAO's result as its last document arrives. *valid*: plans validated already."""
    valid = valid or {}
    client = _client(scheduler) if isinstance(scheduler, str) else scheduler
    from distributed import as_completed

    try:
        steps: dict[Path, Step] = {}
        made: dict[Path, dict[str, tuple[bytes, list[str]]]] = {}
        futures: dict[Any, tuple[Path, str]] = {}
        started: dict[Path, float] = {}
        for folder in folders:
            result = Result(folder)
            started[folder] = time.perf_counter()

            def plan_it(folder: Path = folder, result: Result = result) -> None:
                step = Step.start(folder, out, use_cache, result, valid.get(folder))
                home = step.checked.folder
                files = folder_files(home)
                for name in step.todo:  # the strategy document first: it takes longest
                    future = client.submit(make_remote, str(home), files, name, pure=False)
                    futures[future] = (folder, name)
                if step.todo:
                    steps[folder], made[folder] = step, {}
                else:
                    step.finish({}, [])

            guarded(folder, result, plan_it)
            if folder not in steps:  # failed, or nothing to make
                done(result)
                yield result
        for future in as_completed(list(futures)):  # type: ignore[no-untyped-call]
            folder, name = futures[future]
            if folder not in steps:
                continue  # the SAO failed already
            step = steps[folder]
            try:
                made[folder][name] = future.result()
            except Exception as exc:  # the task's own failure, reported as it is locally
                guarded(folder, step.result, _raise(exc))
            else:
                if len(made[folder]) < len(step.todo):
                    continue
                guarded(folder, step.result, partial(_finish, step, made.pop(folder)))
            steps.pop(folder)
            step.result.seconds = time.perf_counter() - started[folder]
            done(step.result)
            yield step.result
    finally:
        if isinstance(scheduler, str):
            client.close()


def _finish(step: Step, ready: dict[str, tuple[bytes, list[str]]]) -> None:
    """Write an SAO's documents, its notes in the order of the documents."""
    documents = {name: ready[name][0] for name in step.todo}
    step.finish(documents, [note for name in step.todo for note in ready[name][1]])


def _raise(exc: BaseException) -> Callable[[], None]:
    def again() -> None:
        raise exc

    return again
