"""One SAO's build step, whoever makes its documents: what is to be made, and writing it."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from saoreport.errors import SaoError, printable
from saoreport.messages import _, os_reason
from saoreport.output import clear_parts, safe_slug, write_atomic
from saoreport.pipeline import cache
from saoreport.pipeline.documents import Documents, document_names
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
    def start(
        cls,
        folder: Path,
        out: Path,
        use_cache: bool,
        result: Result,
        checked: Checked | None = None,
    ) -> Step:
        """*checked*: the plan of *folder*, if it was validated already (it is not again)."""
        checked = check(folder) if checked is None else checked
        result.warnings = [str(w) for w in checked.all_warnings]
        if checked.plan.plan.approval is None:
            result.warnings.append(
                _(
                    "{file}: no plan.approval, so no announcement.pdf: add the council's"
                    " approval to make it",
                    file=checked.file,
                )
            )
        target = target_folder(out, checked)
        clear_parts(target)
        clear_parts(target / cache.PARTS)
        if (target / WRITING).exists():
            result.warnings.append(
                _(
                    "{folder}: the last build was stopped while writing this folder, which may"
                    " have held documents of two builds; each is checked and made again if"
                    " needed",
                    folder=target,
                )
            )
        record = cache.Record(target)  # kept even without use_cache, for the next build
        names = document_names(checked.plan)
        keys = {name: cache.key(checked, name) for name in names}
        todo = [name for name in names if not (use_cache and record.holds(name, keys[name]))]
        result.cached = [name for name in names if name not in todo]
        return cls(checked, target, record, keys, todo, result)

    def finish(
        self, made: dict[str, bytes], notes: list[str], failed: dict[str, str] | None = None
    ) -> None:
        """Write what was made. *failed*: documents that could not be made, and why; the
        others are still written, and the result says which files are of an earlier build."""
        failed = failed or {}
        if failed and not made:  # nothing new: the folder keeps its previous set, whole
            raise SaoError("\n".join(dict.fromkeys(failed.values())))
        # The set is replaced as a whole, or the next build says it was not (WRITING stays).
        write_atomic(self.target / WRITING, b"")
        for name in made:
            self.record.set(name, self.keys[name], made[name])
        for name in made:
            write_atomic(self.target / name, made[name])
        for name in failed:
            self.record.entries.pop(name, None)  # made again next time
        self.record.save()
        (self.target / WRITING).unlink()
        names = document_names(self.checked.plan)
        self.result.outputs = [self.target / n for n in names if n not in failed]
        self.result.notes = notes
        if failed:
            self.result.warnings += [
                _(
                    "{folder}: {document} not built; {file} is from an earlier build",
                    folder=self.result.folder,
                    document=name,
                    file=self.target / name,
                )
                if (self.target / name).exists()
                else _("{folder}: {document} not built", folder=self.result.folder, document=name)
                for name in failed
            ]
            raise SaoError("\n".join(dict.fromkeys(failed.values())))


WRITING = ".saoreport-writing"  # present while a build replaces the documents of a folder


def target_folder(out: Path, checked: Checked) -> Path:
    """out/<slug>/<fiscal year>: always inside *out* (the slug is the plan folder's own name)."""
    slug = safe_slug(checked.folder.resolve().name)
    return out / slug / str(checked.plan.plan.fiscal_year)


def guarded(folder: Path, result: Result, work: Callable[[], None]) -> Result:
    """Run *work* for the SAO in *folder*; any failure becomes the result's message."""
    start = time.perf_counter()
    try:
        work()
    except SaoError as exc:
        result.error = str(exc)
    except OSError as exc:  # read-only folder, disk full, a file where a folder goes
        result.error = (
            _(
                "{folder}: cannot write {file}: {reason}",
                folder=folder,
                file=printable(str(exc.filename)),
                reason=os_reason(exc),
            )
            if exc.filename
            else _("{folder}: cannot write: {reason}", folder=folder, reason=os_reason(exc))
        )
    except Exception as exc:  # a defect of saoreport: still a message, not a traceback
        result.error = _(
            "{folder}: internal error ({kind}: {detail}); please report it",
            folder=folder,
            kind=type(exc).__name__,
            detail=printable(str(exc)),
        )
    result.seconds = time.perf_counter() - start
    return result
