"""The archive in the workspace: freeze a version of the documents, list and verify the
versions, compare two of them (or one with the plan as it is now) with the council's change
summary. Freezing and verifying build the documents, so they run in a worker (web/jobs.py)
like a build; the comparison itself is quick (two plans read and validated) and is shown at
once, its PDF for the council made by a worker."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route, Router

from saoreport.errors import SaoError
from saoreport.messages import _
from saoreport.output import parse_json, read_regular
from saoreport.web.app_config import config_of
from saoreport.web.builds import jobs_of, org_name, run_words, state_words
from saoreport.web.jobs import DONE, FAILED
from saoreport.web.pages import page
from saoreport.web.paths import NotFound, plan_folder

CURRENT = "current"  # the plan as it is now, in plans/<slug>
_VERSION = re.compile(r"^(\d{4})/v([1-9]\d{0,5})$")


@dataclass
class Version:
    key: str  # "2568/v1"
    fiscal_year: str
    number: int
    archived: str
    documents: list[dict[str, str]]
    signed: bool
    problem: str = ""  # an unreadable manifest


def _versions(archive: Path, slug: str) -> list[Version]:
    from saoreport.archive import versions

    folder = archive / slug
    if not folder.is_dir():
        return []
    found = []
    for path in versions.version_dirs(folder):
        year, number = path.parent.name, int(path.name[1:])
        key = f"{year}/v{number}"
        try:
            record = parse_json(read_regular(path / versions.MANIFEST))
            files = record["files"] if isinstance(record, dict) else {}
            archived = str(record.get("archived", "")).replace("T", " ").removesuffix("+00:00")
            problem = ""
        except (OSError, ValueError, KeyError, TypeError):
            files, archived = {}, ""
            problem = _("its manifest is missing or damaged: check the archive")
        documents = [
            {"name": name, "url": f"/files/archive/{slug}/{year}/v{number}/{name}"}
            for name in sorted(files)
            if str(name).endswith(".pdf")
        ]
        signed = (path / "manifest.sig").is_file()
        found.append(Version(key, year, number, archived, documents, signed, problem))
    return found


def _resolve(request: Request, slug: str, key: str) -> Path:
    """The plan of *key*: the current plan folder, or an archived version's plan."""
    config = config_of(request)
    if key == CURRENT:
        return plan_folder(config.plans, slug)
    match = _VERSION.match(key)
    if match is None:
        raise NotFound(_("there is no version {version}: choose one from the list", version=key))
    version = config.archive / slug / match.group(1) / f"v{match.group(2)}"
    if not (version / "plan" / "plan.yaml").is_file():
        raise NotFound(_("there is no version {version}: choose one from the list", version=key))
    return version / "plan"


def _label(key: str) -> str:
    return _("the plan now") if key == CURRENT else _("archived version {version}", version=key)


async def archive_page(request: Request) -> Response:
    slug = request.path_params["slug"]
    config = config_of(request)
    plan_folder(config.plans, slug)
    job = jobs_of(request).get(slug)
    running = job is not None and job.state not in (DONE, FAILED)
    found = await run_in_threadpool(_versions, config.archive, slug)
    org = await run_in_threadpool(org_name, request, slug)
    choices = [{"key": v.key, "label": _label(v.key)} for v in found]
    choices.append({"key": CURRENT, "label": _label(CURRENT)})
    return page(
        request,
        "archive.html",
        title=_("Archive: {slug}", slug=slug),
        slug=slug,
        org=org,
        versions=found,
        job=job,
        running=running,
        said=state_words(job) if job else "",
        refresh=running,
        choices=choices,
        older=found[-1].key if found else CURRENT,
        r=run_words(),
        state_url=f"/plan/{slug}/build.json",
    )


async def freeze(request: Request) -> Response:
    slug = request.path_params["slug"]
    config = config_of(request)
    jobs_of(request).freeze(slug, plan_folder(config.plans, slug), config.archive)
    return RedirectResponse(f"/plan/{slug}/archive", status_code=303)


async def verify(request: Request) -> Response:
    slug = request.path_params["slug"]
    config = config_of(request)
    plan_folder(config.plans, slug)
    if not (config.archive / slug).is_dir():
        raise NotFound(_("nothing is archived for {slug} yet", slug=slug))
    jobs_of(request).verify(slug, config.archive / slug)
    return RedirectResponse(f"/plan/{slug}/archive", status_code=303)


def _kind_words() -> dict[str, str]:
    return {"+": _("added"), "-": _("removed"), "~": _("changed")}


def _comparison(first: Path, second: Path) -> dict[str, Any]:
    from saoreport.archive.diff import compare, load_pair, locate, other_sao, section_names, swapped

    a, b = load_pair(first, second)
    why = swapped((locate(first), a.plan), (locate(second), b.plan))
    order = (
        _("the first looks newer than the second: {why}; choose them the other way", why=why)
        if why
        else None
    )
    changes = compare(a.plan, b.plan, (a.narrative, b.narrative))
    names, kinds = section_names(), _kind_words()
    sections = [
        {
            "name": names.get(section, section),
            "changes": [{"kind": kinds[c.kind], "line": c.text} for c in found],
        }
        for section, found in changes.sections.items()
    ]
    years = [
        {
            "year": year,
            "before": changes.before.get(year, 0),
            "after": changes.after.get(year, 0),
        }
        for year in changes.years
    ]
    warning = " ".join(w for w in (order, other_sao(a.plan, b.plan)) if w) or None
    return {"sections": sections, "years": years, "warning": warning}


async def compare_page(request: Request) -> Response:
    slug = request.path_params["slug"]
    older = request.query_params.get("a", "")
    newer = request.query_params.get("b", CURRENT)
    first, second = _resolve(request, slug, older), _resolve(request, slug, newer)
    try:
        found = await run_in_threadpool(_comparison, first, second)
        problem = ""
    except SaoError as exc:
        found, problem = {"sections": [], "years": [], "warning": None}, str(exc)
    org = await run_in_threadpool(org_name, request, slug)
    job = jobs_of(request).get(slug)
    job = job if job is not None and job.kind == "changes" else None  # not another job's
    pdf = _summary_name(older, newer)
    out = config_of(request).out / slug / "changes" / pdf
    return page(
        request,
        "compare.html",
        title=_("Changes: {slug}", slug=slug),
        slug=slug,
        org=org,
        older=older,
        newer=newer,
        older_label=_label(older),
        newer_label=_label(newer),
        problem=problem,
        job=job,
        said=state_words(job) if job else "",
        refresh=job is not None and job.state not in (DONE, FAILED),
        summary=f"/files/build/{slug}/changes/{pdf}" if out.is_file() else "",
        r=run_words(),
        state_url=f"/plan/{slug}/build.json",
        running=job is not None and job.state not in (DONE, FAILED),
        **found,
    )


def _summary_name(older: str, newer: str) -> str:
    return f"changes-{older.replace('/', '-')}-to-{newer.replace('/', '-')}.pdf"


async def make_summary(request: Request) -> Response:
    slug = request.path_params["slug"]
    form = await request.form()
    older, newer = str(form.get("a", "")), str(form.get("b", CURRENT))
    first, second = _resolve(request, slug, older), _resolve(request, slug, newer)
    pdf = config_of(request).out / slug / "changes" / _summary_name(older, newer)
    jobs_of(request).changes(slug, first, second, pdf, (_label(older), _label(newer)))
    query = urlencode({"a": older, "b": newer})
    return RedirectResponse(f"/plan/{slug}/compare?{query}", status_code=303)


router = Router(
    [
        Route("/plan/{slug}/archive", archive_page, methods=["GET"]),
        Route("/plan/{slug}/archive", freeze, methods=["POST"]),
        Route("/plan/{slug}/archive/verify", verify, methods=["POST"]),
        Route("/plan/{slug}/compare", compare_page, methods=["GET"]),
        Route("/plan/{slug}/compare", make_summary, methods=["POST"]),
    ]
)
