"""The list of SAOs, and starting a plan: from a saved web page, from a workbook, or from
the official skeleton."""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route, Router

from saoreport.errors import Problem, SaoError, UsageError
from saoreport.messages import _, n_
from saoreport.output import PLAN_FILE, safe_slug
from saoreport.web.app_config import config_of
from saoreport.web.pages import page
from saoreport.web.paths import Refused, inside
from saoreport.web.work import in_thread, plan_lock


@dataclass
class Sao:
    slug: str
    name: str
    fiscal_year: str
    editions: int | None
    last_build: str  # the time of the newest PDF in the build output, or ""
    versions: int  # archived versions
    problems: int  # 0: the plan validates
    warnings: int


def _newest_pdf(folder: Path) -> str:
    newest = max((p.stat().st_mtime for p in folder.glob("*/*.pdf")), default=None)
    if newest is None:
        return ""
    return dt.datetime.fromtimestamp(newest).strftime("%Y-%m-%d %H:%M")


def summary(plans: Path, archive: Path, out: Path, slug: str) -> Sao:
    from saoreport.web.edit import problems_of, read_source

    folder = plans / slug
    name, year, editions = slug, "", None
    try:
        data = read_source(folder).data
        org, info = data.get("organization"), data.get("plan")
        if isinstance(org, dict) and org.get("name"):
            name = str(org["name"])
        if isinstance(info, dict):
            year = str(info.get("fiscal_year") or "")
        found = data.get("editions", info.get("editions") if isinstance(info, dict) else None)
        editions = len(found) if isinstance(found, list) else None
    except SaoError:
        pass
    try:
        problems, warnings = problems_of(folder)
    except SaoError:
        problems, warnings = [Problem(folder / PLAN_FILE, 1, 1, "", "")], []
    versions = sum(1 for v in (archive / slug).glob("*/v*") if v.is_dir())
    last = _newest_pdf(out / slug)
    return Sao(slug, name, year, editions, last, versions, len(problems), len(warnings))


def slugs(plans: Path) -> list[str]:
    return sorted(p.parent.name for p in plans.glob(f"*/{PLAN_FILE}"))


def index(request: Request, form: FormData | None) -> Response:
    config = config_of(request)
    saos = [summary(config.plans, config.archive, config.out, s) for s in slugs(config.plans)]
    counts = {
        s.slug: n_("{count} problem", "{count} problems", s.problems, count=s.problems)
        for s in saos
    }
    return page(request, "saos.html", saos=saos, counts=counts)


# Starting a plan ----------------------------------------------------------------------------

PAGE_TYPES = {".html", ".htm", ".txt"}
WORKBOOK_TYPES = {".xlsx", ".xlsm", ".xls", ".ods"}


def new_form(request: Request, form: FormData | None) -> Response:
    return page(request, "new.html", problem="", values={})


def _slug(value: Any) -> str:
    try:
        return safe_slug(str(value or "").strip())
    except UsageError as exc:
        raise Refused(str(exc)) from None


def upload(file: Any, kinds: set[str], limit: int, folder: Path) -> Path:
    """The uploaded *file* saved in *folder* under its own name, if that name is one plain
    file name of one of *kinds* (suffixes) and the file is at most *limit* bytes."""
    if not isinstance(file, UploadFile) or not file.filename:
        raise SaoError(_("choose a file to send"))
    name = file.filename
    target = inside(folder, name)
    if target.parent != folder:
        raise Refused(_("{name}: refused: send one file, not a folder", name=repr(name)))
    if target.suffix.lower() not in kinds:
        raise SaoError(
            _(
                "{name}: this kind of file is not taken here; send one of {kinds}",
                name=repr(name),
                kinds=", ".join(sorted(kinds)),
            )
        )
    file.file.seek(0)
    data = file.file.read(limit + 1)
    if len(data) > limit:
        raise SaoError(
            _(
                "{name}: the file is larger than {limit} bytes: save it smaller",
                name=repr(name),
                limit=f"{limit:,}",
            )
        )
    target.write_bytes(data)
    return target


def new_plan(request: Request, form: FormData | None) -> Response:
    from saoreport.excel.guard import MAX_FILE
    from saoreport.importers.web import MAX_BYTES

    config = config_of(request)
    how = request.path_params["how"]
    assert form is not None
    values = {k: v for k, v in form.items() if isinstance(v, str)}
    try:
        slug = _slug(form.get("slug"))
        with plan_lock(config.plans / slug):
            if (config.plans / slug / PLAN_FILE).exists():
                raise SaoError(
                    _("there is already a plan {slug}: choose another folder name", slug=slug)
                )
            today = dt.date.today()
            with tempfile.TemporaryDirectory(prefix="saoreport-upload-") as tmp:
                if how == "page":
                    source = upload(form.get("file"), PAGE_TYPES, MAX_BYTES, Path(tmp))
                    from saoreport.importers.web import import_page

                    import_page(source, slug, config.plans, today)
                elif how == "workbook":
                    source = upload(form.get("file"), WORKBOOK_TYPES, MAX_FILE, Path(tmp))
                    from saoreport.excel.plan_file import import_workbook

                    import_workbook(source, slug, config.plans, today, accept_losses=True)
                else:
                    from saoreport.web.skeleton import start

                    start(config.plans / slug, values, today)
    except Refused:
        raise
    except SaoError as exc:
        return page(request, "new.html", status=400, problem=str(exc), values=values, how=how)
    return RedirectResponse(f"/plan/{slug}", status_code=303)


router = Router(
    [
        Route("/", in_thread(index)),
        Route("/new", in_thread(new_form)),
        Route("/new/{how:str}", in_thread(new_plan), methods=["POST"]),
    ]
)
