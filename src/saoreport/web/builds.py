"""Builds in the workspace: start one, watch its progress, see the PDFs and their pages.

A build runs in a worker process (web/jobs.py), never in the server's. Its page refreshes
itself while the build runs (no script needed); with scripts, web/static/progress.js asks
the JSON endpoint instead and says each step in the page's live region. The documents are
served from the build output only (files.py), and a page of one as an image (pypdfium2) for
a quick look.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route, Router

from saoreport.errors import PlanInvalid
from saoreport.messages import _
from saoreport.web.app_config import config_of
from saoreport.web.jobs import DONE, FAILED, RUNNING, Job, Jobs
from saoreport.web.pages import environment, page
from saoreport.web.paths import NotFound, plan_folder

DOCUMENTS = ("strategy.pdf", "poster-a3.pdf", "poster-a4.pdf", "announcement.pdf")
# an edition's book and ประกาศ (`saoreport edition`; web/editions.py makes them)
EDITION_DOCUMENT = re.compile(
    r"(amendment|announcement)-(add|change|fix|review)-[0-9]{1,3}-[0-9]{4}\.pdf"
)
PAGE_WIDTH = 1100  # pixels of a page image (a landscape ผ.02 page readable on a screen)
THUMB_WIDTH = 240


@asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    """The workers start with the server (warm for the first build) and stop with it."""
    app.state.jobs = Jobs(scheduler=getattr(app.state.config, "scheduler", None))
    try:
        yield
    finally:
        app.state.jobs.close()


def jobs_of(request: Request) -> Jobs:
    jobs: Jobs = request.app.state.jobs
    return jobs


def document_labels() -> dict[str, str]:
    return {
        "strategy.pdf": _("the development plan (strategy.pdf)"),
        "poster-a3.pdf": _("poster, A3 (poster-a3.pdf)"),
        "poster-a4.pdf": _("poster, A4 (poster-a4.pdf)"),
        "announcement.pdf": _("the announcement (announcement.pdf)"),
    }


def run_words() -> dict[str, str]:
    """The words of the build and archive pages (through the catalog)."""
    return {
        "build_title": _("Build the documents"),
        "build": _("Build the documents"),
        "progress": _("Progress of the build"),
        "problems": _("Problems"),
        "warnings": _("Warnings"),
        "documents": _("Documents"),
        "open": _("Open"),
        "download": _("Download"),
        "pages": _("Pages of"),
        "none_built": _("Nothing built yet: press Build the documents."),
        "find": _("Find a page by its text (a project's name)"),
        "find_button": _("Find"),
        "not_found": _("No page holds this text: check the spelling, or build again."),
        "page_image": _("Image of page"),
        "page": _("Page"),
        "page_list": _("Pages"),
        "previous": _("Previous page"),
        "next": _("Next page"),
        "archive_title": _("Archive and versions"),
        "archive_about": _(
            "Archiving keeps this year's documents and the plan as they are now, as a version"
            " that is never changed afterwards."
        ),
        "freeze": _("Archive a new version"),
        "frozen_new": _("Archived as a new version:"),
        "frozen_same": _("Nothing changed since the last version:"),
        "verify": _("Check the archive"),
        "verified": _("checked, intact"),
        "damaged": _("DAMAGED: see the problems above"),
        "versions": _("Archived versions"),
        "fiscal_year": _("Fiscal year"),
        "version": _("Version"),
        "archived": _("Archived at"),
        "signed": _("Signed"),
        "yes": _("yes"),
        "no": _("no"),
        "no_versions": _("Nothing is archived yet."),
        "compare_title": _("Compare versions"),
        "older": _("Older version"),
        "newer": _("Newer version"),
        "compare": _("Compare"),
        "from": _("From"),
        "to": _("to"),
        "unchanged": _("unchanged"),
        "budget": _("Budget per year (baht)"),
        "year": _("Year"),
        "before": _("Before"),
        "after": _("After"),
        "summary_title": _("Change summary for the council"),
        "make_summary": _("Make the change summary (PDF)"),
        "open_summary": _("Open the change summary (PDF)"),
    }


environment().globals["run_words"] = run_words  # the plan's page links to builds and archive


def state_words(job: Job | None) -> str:
    """The job's state in a sentence, as the live region says it."""
    if job is None:
        return _("Not built in this session yet.")
    if job.state == RUNNING:
        what = {
            "build": _("Building"),
            "freeze": _("Archiving"),
            "verify": _("Checking the archive"),
            "changes": _("Making the change summary"),
            "edition": _("Making the edition's book"),
        }[job.kind]
        if job.parts:
            return _(
                "{what}: {count} parts of the plan laid out ({reused} reused)…",
                what=what,
                count=job.parts,
                reused=job.reused,
            )
        return _("{what}…", what=what)
    if job.state == FAILED:
        return {
            "build": _("The documents could not all be made: see the problems below."),
            "freeze": _("Not archived: see the problems below."),
            "verify": _("The archive has problems: see them below."),
            "changes": _("The change summary could not be made: see the problems below."),
            "edition": _("The edition's book could not be made: see the problems below."),
        }[job.kind]
    seconds = f"{(job.finished or job.started) - job.started:.1f}"
    return {
        "build": _("The documents were made in {seconds} s.", seconds=seconds),
        "freeze": _("Archived in {seconds} s.", seconds=seconds),
        "verify": _("The archive was checked in {seconds} s.", seconds=seconds),
        "changes": _("The change summary was made in {seconds} s.", seconds=seconds),
        "edition": _("The edition's book was made in {seconds} s.", seconds=seconds),
    }[job.kind]


def org_name(request: Request, slug: str) -> str:
    """The SAO's name, as the plan's own pages show it in their path (its slug if unread)."""
    from saoreport.errors import SaoError
    from saoreport.web.edit import read_source

    try:
        org = read_source(plan_folder(config_of(request).plans, slug)).data.get("organization")
    except (SaoError, OSError):
        return slug
    return str(org["name"]) if isinstance(org, dict) and org.get("name") else slug


def _output(request: Request, slug: str) -> tuple[Path | None, str]:
    """The build folder of the SAO's current plan (out/<slug>/<fiscal year>) and its year,
    or None when the plan does not validate now."""
    from saoreport.pipeline.step import target_folder
    from saoreport.plan.validate import check

    config = config_of(request)
    try:
        checked = check(plan_folder(config.plans, slug))
    except PlanInvalid:
        return None, ""
    return target_folder(config.out, checked), str(checked.plan.plan.fiscal_year)


def _documents(request: Request, slug: str) -> list[dict[str, Any]]:
    folder, year = _output(request, slug)
    if folder is None:
        return []
    labels = document_labels()
    return [
        {
            "name": name,
            "label": labels[name],
            "url": f"/files/build/{slug}/{year}/{name}",
            "pages": f"/plan/{slug}/pages/{year}/{name}",
        }
        for name in DOCUMENTS
        if (folder / name).is_file()
    ]


async def build_page(request: Request) -> Response:
    slug = request.path_params["slug"]
    plan_folder(config_of(request).plans, slug)
    job = jobs_of(request).get(slug)
    running = job is not None and job.state not in (DONE, FAILED)
    documents = await run_in_threadpool(_documents, request, slug)
    org = await run_in_threadpool(org_name, request, slug)
    return page(
        request,
        "build.html",
        title=_("Build: {slug}", slug=slug),
        slug=slug,
        org=org,
        job=job,
        running=running,
        said=state_words(job),
        documents=documents,
        refresh=running,
        r=run_words(),
        state_url=f"/plan/{slug}/build.json",
    )


async def start_build(request: Request) -> Response:
    slug = request.path_params["slug"]
    config = config_of(request)
    jobs_of(request).build(slug, plan_folder(config.plans, slug), config.out)
    return RedirectResponse(f"/plan/{slug}/build", status_code=303)


async def build_state(request: Request) -> Response:
    slug = request.path_params["slug"]
    plan_folder(config_of(request).plans, slug)
    job = jobs_of(request).get(slug)
    state: dict[str, Any] = job.public() if job else {"state": None, "number": 0}
    state["said"] = state_words(job)
    return JSONResponse(state, headers={"cache-control": "no-store"})


# Page images ------------------------------------------------------------------------------

_PDFIUM = threading.Lock()  # pdfium is not thread-safe
_IMAGES: OrderedDict[tuple[str, int, int, int, int], bytes] = OrderedDict()
_KEPT = 64


def _document(request: Request, slug: str, year: str, name: str) -> Path:
    """out/<slug>/<year>/<name> of a document name the build writes: nothing else."""
    config = config_of(request)
    plan_folder(config.plans, slug)
    known = name in DOCUMENTS or EDITION_DOCUMENT.fullmatch(name)
    if not known or not year.isdigit() or len(year) != 4:
        raise NotFound(_("there is no such page: go back to the list of SAOs"))
    path = config.out / slug / year / name
    if not path.is_file() or not path.resolve().is_relative_to(config.out.resolve()):
        raise NotFound(_("{name}: not built yet: build the plan first", name=name))
    return path


def page_count(path: Path) -> int:
    import pypdfium2

    with _PDFIUM:
        pdf = pypdfium2.PdfDocument(path)
        try:
            return len(pdf)
        finally:
            pdf.close()


def page_image(path: Path, number: int, width: int) -> bytes:
    """Page *number* (from 1) of the PDF at *path* as a PNG *width* pixels wide."""
    import io

    import pypdfium2

    stat = path.stat()
    key = (str(path), stat.st_mtime_ns, stat.st_size, number, width)
    with _PDFIUM:
        if key in _IMAGES:
            _IMAGES.move_to_end(key)
            return _IMAGES[key]
        pdf = pypdfium2.PdfDocument(path)
        try:
            if not 1 <= number <= len(pdf):
                raise NotFound(_("there is no page {page} in this document", page=number))
            pdf_page = pdf[number - 1]
            scale = width / pdf_page.get_width()
            image = pdf_page.render(scale=scale).to_pil()
        finally:
            pdf.close()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    data = buffer.getvalue()
    with _PDFIUM:
        _IMAGES[key] = data
        while len(_IMAGES) > _KEPT:
            _IMAGES.popitem(last=False)
    return data


_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def _searchable(text: str) -> str:
    """*text* without spaces and line breaks, its digits Arabic (a document prints the plan's
    "หมู่ที่ 10" as "หมู่ที่ ๑๐", as its settings.digits say)."""
    return "".join(text.split()).translate(_DIGITS)


def find_page(path: Path, text: str) -> int | None:
    """The first page whose text holds *text* (spaces, line breaks and the kind of digits
    aside), or None."""
    import pypdfium2

    wanted = _searchable(text)
    with _PDFIUM:
        pdf = pypdfium2.PdfDocument(path)
        try:
            for index in range(len(pdf)):
                found = pdf[index].get_textpage().get_text_range()
                if wanted in _searchable(found):
                    return index + 1
        finally:
            pdf.close()
    return None


async def pages_page(request: Request) -> Response:
    slug, year, name = (request.path_params[k] for k in ("slug", "year", "name"))
    path = _document(request, slug, year, name)
    count = await run_in_threadpool(page_count, path)
    wanted = request.query_params.get("find", "").strip()
    found = await run_in_threadpool(find_page, path, wanted) if wanted else None
    chosen = found or _number(request.query_params.get("page", "1"), count)
    org = await run_in_threadpool(org_name, request, slug)
    return page(
        request,
        "pages.html",
        title=_("{document}: pages", document=name),
        slug=slug,
        org=org,
        year=year,
        document=name,
        label=document_labels().get(name, name),
        count=count,
        chosen=chosen,
        wanted=wanted,
        missing=bool(wanted) and found is None,
        url=f"/files/build/{slug}/{year}/{name}",
        base=f"/plan/{slug}/pages/{year}/{name}",
        r=run_words(),
    )


def _number(value: str, count: int) -> int:
    return min(max(int(value), 1), count) if value.isdigit() and len(value) < 6 else 1


async def page_png(request: Request) -> Response:
    slug, year, name = (request.path_params[k] for k in ("slug", "year", "name"))
    path = _document(request, slug, year, name)
    number = request.path_params["number"]
    width = THUMB_WIDTH if request.query_params.get("size") == "small" else PAGE_WIDTH
    data = await run_in_threadpool(page_image, path, number, width)
    return Response(data, media_type="image/png", headers={"cache-control": "no-cache"})


router = Router(
    [
        Route("/plan/{slug}/build", build_page, methods=["GET"]),
        Route("/plan/{slug}/build", start_build, methods=["POST"]),
        Route("/plan/{slug}/build.json", build_state, methods=["GET"]),
        Route("/plan/{slug}/pages/{year}/{name}", pages_page, methods=["GET"]),
        Route("/plan/{slug}/pages/{year}/{name}/{number:int}.png", page_png, methods=["GET"]),
    ]
)
