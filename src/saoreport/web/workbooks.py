"""Workbooks: import into a plan only after showing what would change (added, changed,
removed projects; what the workbook does not cover is kept, and the page says so), and the
plan's forms downloaded as a workbook."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import shutil
import tempfile
from pathlib import Path
from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route, Router

from saoreport.errors import SaoError
from saoreport.messages import _
from saoreport.output import PLAN_FILE
from saoreport.web.app_config import config_of
from saoreport.web.pages import page
from saoreport.web.paths import NotFound, plan_folder
from saoreport.web.work import in_thread, plan_lock

# Workbooks sent and not yet imported: token -> the file (a folder of its own in the system's
# temporary folder, removed when imported, or replaced by the next one sent for the plan).
_SENT: dict[str, Path] = {}


def _org(folder: Path) -> str:
    from saoreport.web.edit import read_source

    org = read_source(folder).data.get("organization")
    return str(org.get("name", folder.name)) if isinstance(org, dict) else folder.name


def _hash(folder: Path) -> str:
    return hashlib.sha256((folder / PLAN_FILE).read_bytes()).hexdigest()


def _forget(token: str) -> None:
    path = _SENT.pop(token, None)
    if path is not None:
        shutil.rmtree(path.parent, ignore_errors=True)


def workbook(request: Request, form: FormData | None) -> Response:
    """GET: the form; POST: the workbook sent, and what importing it would change."""
    from saoreport.excel.guard import MAX_FILE
    from saoreport.excel.plan_file import import_workbook, note_lines
    from saoreport.web.saos import WORKBOOK_TYPES, upload

    folder = plan_folder(config_of(request).plans, request.path_params["slug"])
    values: dict[str, Any] = {
        "slug": folder.name,
        "org": _org(folder),
        "title": _("Import a workbook"),
    }
    if form is None:
        return page(request, "workbook.html", stage="form", message="", **values)
    remove = form.get("remove_missing") == "yes"
    tmp = Path(tempfile.mkdtemp(prefix="saoreport-workbook-"))
    try:
        source = upload(form.get("file"), WORKBOOK_TYPES, MAX_FILE, tmp)
        with plan_lock(folder):
            hash_ = _hash(folder)
            done = import_workbook(
                source,
                folder.name,
                folder.parent,
                dt.date.today(),
                into=folder,
                dry_run=True,
                accept_losses=True,
                remove_missing=remove,
            )
    except SaoError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        return page(request, "workbook.html", status=400, stage="form", message=str(exc), **values)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    token = secrets.token_urlsafe(16)
    _SENT[token] = source
    return page(
        request,
        "workbook.html",
        stage="preview",
        message="",
        changes=done.changes,
        notes=note_lines(done.notes),
        token=token,
        hash=hash_,
        remove=remove,
        file=source.name,
        **values,
    )


def apply(request: Request, form: FormData | None) -> Response:
    from saoreport.excel.plan_file import import_workbook

    folder = plan_folder(config_of(request).plans, request.path_params["slug"])
    values: dict[str, Any] = {
        "slug": folder.name,
        "org": _org(folder),
        "title": _("Import a workbook"),
    }
    assert form is not None
    token = str(form.get("token") or "")
    source = _SENT.get(token)
    if source is None or not source.is_file():
        raise NotFound(_("the workbook sent is no longer here: send it again"))
    lock = plan_lock(folder)
    with lock:
        if form.get("hash") != _hash(folder):
            _forget(token)
            return page(
                request,
                "workbook.html",
                status=409,
                stage="form",
                message=_(
                    "Not imported: plan.yaml was changed since the preview was made: send the"
                    " workbook again to see what it would change now."
                ),
                **values,
            )
        remove = form.get("remove_missing") == "yes"
        try:
            done = import_workbook(
                source,
                folder.name,
                folder.parent,
                dt.date.today(),
                into=folder,
                accept_losses=True,
                remove_missing=remove,
            )
        finally:
            _forget(token)
    return page(
        request,
        "workbook.html",
        stage="done",
        message="",
        changes=done.changes,
        backup=done.backup.name if done.backup else "",
        **values,
    )


def export(request: Request, form: FormData | None) -> Response:
    from saoreport.excel.write import plan_date, workbook_bytes
    from saoreport.plan.validate import check

    folder = plan_folder(config_of(request).plans, request.path_params["slug"])
    plan = check(folder).plan
    data, _sheets = workbook_bytes(plan, plan_date(plan))
    return Response(
        data,
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"content-disposition": f'attachment; filename="{folder.name}.xlsx"'},
    )


router = Router(
    [
        Route("/plan/{slug}/workbook", in_thread(workbook), methods=["GET", "POST"]),
        Route("/plan/{slug}/workbook/apply", in_thread(apply), methods=["POST"]),
        Route("/plan/{slug}/workbook.xlsx", in_thread(export)),
    ]
)
