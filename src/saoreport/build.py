"""One build step per SAO: load -> validate -> render HTML -> lay out PDF -> fix text -> write."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from . import layout, render, textlayer, thai
from .errors import SaoError
from .models import Plan
from .output import write_atomic
from .resources import font_family, templates_dir
from .validate import Checked, check

DOCUMENTS = {"strategy.pdf": "strategy.html.j2"}


@dataclass
class Result:
    folder: Path
    outputs: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    seconds: float = 0.0


def document_date(plan: Plan) -> dt.date:
    """The date the documents carry: announcement, else approval, else fiscal-year start."""
    info = plan.plan
    chosen = info.announced or (info.approval.date if info.approval else None)
    return thai.from_be(chosen) if chosen else thai.fiscal_year_span(info.fiscal_year)[0]


def _epoch(day: dt.date) -> int:
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp())


def render_pdf(checked: Checked, template: str) -> bytes:
    plan, folder = checked.plan, checked.folder
    family = font_family(plan.settings.font)
    logo = (folder / plan.organization.logo).resolve().as_uri() if plan.organization.logo else None
    day = document_date(plan)
    html = render.render(template, plan, logo=logo, created=day.isoformat())
    allowed = [folder, templates_dir(), *{p.parent for p in family.files}]
    pdf = layout.write_pdf(html, folder, allowed, _epoch(day))
    return textlayer.fix_text_layer(pdf, family.files)


def build_one(folder: Path, out: Path) -> Result:
    """Build every document of the SAO in *folder*; write them only if all succeed."""
    start = time.perf_counter()
    result = Result(folder)
    try:
        checked = check(folder)
        result.warnings = [str(w) for w in checked.warnings]
        plan = checked.plan
        target = out / checked.folder.name / str(plan.plan.fiscal_year)
        made = {name: render_pdf(checked, template) for name, template in DOCUMENTS.items()}
        for name, data in made.items():
            write_atomic(target / name, data)
            result.outputs.append(target / name)
    except SaoError as exc:
        result.error = str(exc)
    result.seconds = time.perf_counter() - start
    return result


def build_many(
    folders: list[Path], out: Path, jobs: int, done: Callable[[Result], None] = lambda r: None
) -> list[Result]:
    """Build every SAO, *jobs* at a time; *done* hears of each as it finishes."""
    if jobs <= 1 or len(folders) <= 1:
        results = []
        for folder in folders:
            results.append(build_one(folder, out))
            done(results[-1])
        return results
    with ProcessPoolExecutor(max_workers=min(jobs, len(folders))) as pool:
        futures = [pool.submit(build_one, folder, out) for folder in folders]
        for future in as_completed(futures):
            done(future.result())
        return [f.result() for f in futures]
