"""One SAO's build step, whoever makes its documents: what is to be made, and writing it."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from saoreport.build import cache
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


def make(checked: Checked, name: str) -> tuple[bytes, list[str]]:
    """One document of a valid plan (in a worker), and the notes made on the way."""
    documents = Documents(checked)
    return documents.all()[name](), documents.notes


@dataclass
class Step:
    """One SAO's build, from its valid plan to its written documents: what is to be made
    (*todo*: documents whose inputs changed since the last build, see cache.py), and
    writing what was made (all of it or, on any failure, nothing)."""

    checked: Checked
    target: Path
    record: cache.Record
    keys: dict[str, str]
    todo: list[str]
    result: Result

    @classmethod
    def start(cls, folder: Path, out: Path, use_cache: bool, result: Result) -> Step:
        checked = check(folder)
        result.warnings = [str(w) for w in checked.warnings]
        if checked.plan.plan.approval is None:
            result.warnings.append(f"{checked.file}: no plan.approval, so no announcement.pdf")
        target = out / checked.folder.name / str(checked.plan.plan.fiscal_year)
        record = cache.Record(target)  # kept even without use_cache, for the next build
        names = document_names(checked.plan)
        keys = {name: cache.key(checked, name) for name in names}
        todo = [name for name in names if not (use_cache and record.holds(name, keys[name]))]
        result.cached = [name for name in names if name not in todo]
        return cls(checked, target, record, keys, todo, result)

    def finish(self, made: dict[str, bytes], notes: list[str]) -> None:
        for name in self.todo:
            self.record.set(name, self.keys[name], made[name])
        for name in self.todo:
            write_atomic(self.target / name, made[name])
        self.record.save()
        self.result.outputs = [self.target / n for n in document_names(self.checked.plan)]
        self.result.notes = notes


def guarded(folder: Path, result: Result, work: Callable[[], None]) -> Result:
    """Run *work* for the SAO in *folder*; any failure becomes the result's message."""
    start = time.perf_counter()
    try:
        work()
    except SaoError as exc:
        result.error = str(exc)
    except Exception as exc:  # a defect of saoreport: still a message, not a traceback
        result.error = f"{folder}: internal error ({type(exc).__name__}: {exc}); please report it"
    result.seconds = time.perf_counter() - start
    return result
