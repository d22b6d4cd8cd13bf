"""The editions of a plan (issue 28) in the workspace: the list, "start an edition" (its entry
appended to plan.yaml with the in-place save of the forms, its reasons file made beside it),
and "make its book" (`saoreport edition` in a worker: archive.editions.edition_documents).

An edition's dates, approval and the rest are filled in its row form (web/edit.py); its
reasons (editions/<code>.md) in the Markdown editor (web/narrative.py).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route, Router

from saoreport.messages import _
from saoreport.output import PLAN_FILE, write_atomic
from saoreport.plan.models import Edition
from saoreport.web import yamltext
from saoreport.web.app_config import config_of
from saoreport.web.builds import jobs_of, org_name, run_words, state_words
from saoreport.web.edit import (
    EDITION_KINDS,
    check_fresh,
    field_id,
    problems_of,
    read_source,
)
from saoreport.web.jobs import DONE, FAILED
from saoreport.web.pages import environment, page
from saoreport.web.paths import plan_folder
from saoreport.web.work import in_thread, plan_lock

_YEAR = re.compile(r"[0-9]{4}")


def edition_words() -> dict[str, str]:
    """The words of the editions page (through the catalog)."""
    return {
        "title": _("Editions and amendments"),
        "about": _(
            "An edition (เพิ่มเติม, เปลี่ยนแปลง, แก้ไข, ทบทวน) amends the archived version of the"
            " plan. Archive a version first, start the edition, fill its reasons and dates, mark"
            " the projects it adds, then make its book."
        ),
        "list": _("Editions of this plan"),
        "none": _("This plan has no editions yet."),
        "name": _("Edition"),
        "clause": _("Clause"),
        "dates": _("Dates"),
        "approval": _("Approved by the executive on"),
        "book": _("Its book"),
        "built": _("made"),
        "not_built": _("not made yet"),
        "missing": _("not filled"),
        "edit": _("Edit its form"),
        "reasons": _("Edit its reasons"),
        "start": _("Start an edition"),
        "kind": _("Kind of edition"),
        "year": _("Year of its name (พ.ศ.)"),
        "base": _("It amends the archived version"),
        "no_base": _("nothing is archived yet: archive a version first"),
        "start_button": _("Start the edition"),
        "make": _("Make the book of the latest edition"),
        "documents": _("Documents of the edition"),
        "open": _("Open"),
        "pages": _("Pages of"),
    }


environment().globals["edition_words"] = edition_words  # the plan's page links here


def _latest_version(request: Request, slug: str) -> str | None:
    from saoreport.web.archive import _versions

    found = _versions(config_of(request).archive, slug)
    return found[-1].key if found else None


def next_number(editions: list[Any], kind: str, year: str) -> int:
    """The next number for *kind* in *year* (each kind counts on its own; a year restarts)."""
    numbers = [
        int(e["number"])
        for e in editions
        if isinstance(e, dict)
        and e.get("kind") == kind
        and str(e.get("year")) == year
        and str(e.get("number", "")).isdigit()
    ]
    return max(numbers, default=0) + 1


def _edition(values: dict[str, Any]) -> Edition | None:
    try:
        return Edition.model_validate(
            {
                "kind": values.get("kind"),
                "number": int(values["number"]),
                "year": int(values["year"]),
            }
        )
    except (ValueError, KeyError, TypeError):
        return None


def _listed(request: Request, folder: Path, data: dict[str, Any]) -> list[dict[str, Any]]:
    from saoreport.web.builds import _output

    out, year = _output(request, folder.name)
    problems = problems_of(folder)[0]
    found = []
    for i, e in enumerate(data.get("editions") or []):
        if not isinstance(e, dict):
            continue
        edition = _edition(e)
        code = edition.code if edition else ""
        documents = []
        if edition and out is not None:
            for name in (f"amendment-{code}.pdf", f"announcement-{code}.pdf"):
                if (out / name).is_file():
                    documents.append(
                        {
                            "name": name,
                            "url": f"/files/build/{folder.name}/{year}/{name}",
                            "pages": f"/plan/{folder.name}/pages/{year}/{name}",
                        }
                    )
        council = e.get("council")
        dates = [
            (label, str(e.get(key) or ""))
            for key, label in (
                ("drafted", _("drafted")),
                ("committee", _("development committee")),
                ("forum", _("community forum")),
                ("approved", _("approved")),
                ("announced", _("announced")),
            )
            if e.get(key)
        ]
        if isinstance(council, dict) and council.get("date"):
            dates.insert(3, (_("council"), str(council["date"])))
        reasons = str(e.get("reasons") or "")
        found.append(
            {
                "index": i,
                "name": edition.name if edition else f"{e.get('kind', '')} {e.get('number', '')}",
                "clause": str(e.get("clause") or ""),
                "dates": dates,
                "approved": str(e.get("approved") or ""),
                "documents": documents,
                "reasons_key": f"edition-{code}"
                if code and reasons == f"editions/{code}.md"
                else "",
                "problems": [p.message for p in problems if p.path.startswith(f"editions[{i}]")],
            }
        )
    return found


def _start_fields(
    data: dict[str, Any], kind: str, year: str, problems: dict[str, str]
) -> list[dict[str, Any]]:
    e = edition_words()
    return [
        {
            "id": field_id(name),
            "name": name,
            "label": label,
            "kind": "choice" if name == "kind" else "text",
            "choices": [(k, k) for k in EDITION_KINDS] if name == "kind" else [],
            "value": value,
            "required": True,
            "problems": [problems[name]] if name in problems else [],
            "parts": [],
        }
        for name, label, value in (("kind", e["kind"], kind), ("year", e["year"], year))
    ]


def editions_page(request: Request, form: FormData | None) -> Response:
    slug = request.path_params["slug"]
    folder = plan_folder(config_of(request).plans, slug)
    source = read_source(folder)
    data = source.data
    info = data.get("plan")
    fiscal = str(info.get("fiscal_year", "")) if isinstance(info, dict) else ""
    kind, year, problems, status = EDITION_KINDS[0], fiscal, {}, 200
    base = _latest_version(request, slug)
    if form is not None:
        kind, year = str(form.get("kind") or ""), str(form.get("year") or "").strip()
        if kind not in EDITION_KINDS:
            problems["kind"] = _("choose the kind of edition from the list")
        if not _YEAR.fullmatch(year):
            problems["year"] = _("{value}: write the year in four digits, such as 2568", value=year)
        edition = None
        if not problems:
            try:
                edition = Edition.model_validate({"kind": kind, "number": 1, "year": int(year)})
            except ValueError:
                problems["year"] = _(
                    "{value}: write the year in four digits, such as 2568", value=year
                )
        if edition is not None:
            with plan_lock(folder):
                source = read_source(folder)
                check_fresh(source, form)
                editions = source.data.get("editions")
                editions = editions if isinstance(editions, list) else []
                number = next_number(editions, kind, year)
                edition = edition.model_copy(update={"number": number})
                reasons = f"editions/{edition.code}.md"
                values: dict[str, Any] = {"kind": kind, "number": str(number), "year": year}
                if base is not None:
                    values["base"] = base
                values["reasons"] = reasons
                new_text = yamltext.insert_row(source.text, ("editions",), values, None)
                file = folder / reasons
                if not file.exists():
                    file.parent.mkdir(exist_ok=True)
                    heading = _("Reasons and need: {edition}", edition=edition.name)
                    write_atomic(file, f"# {heading}\n\n".encode())
                write_atomic(folder / PLAN_FILE, new_text.encode("utf-8"))
            return RedirectResponse(f"/plan/{slug}/row/editions.{len(editions)}", status_code=303)
        status = 422
    job = jobs_of(request).get(slug)
    running = job is not None and job.state not in (DONE, FAILED)
    return page(
        request,
        "editions.html",
        status=status,
        title=edition_words()["title"],
        slug=slug,
        org=org_name(request, slug),
        hash=source.hash,
        editions=_listed(request, folder, data),
        fields=_start_fields(data, kind, year, problems),
        base=base,
        job=job if job is not None and job.kind == "edition" else None,
        running=running,
        said=state_words(job) if job is not None and job.kind == "edition" else "",
        refresh=running,
        e=edition_words(),
        r=run_words(),
        state_url=f"/plan/{slug}/build.json",
    )


async def make_book(request: Request) -> Response:
    slug = request.path_params["slug"]
    config = config_of(request)
    folder = plan_folder(config.plans, slug)
    jobs_of(request).edition(slug, folder, config.archive, config.out)
    return RedirectResponse(f"/plan/{slug}/editions", status_code=303)


router = Router(
    [
        Route("/plan/{slug}/editions", in_thread(editions_page), methods=["GET", "POST"]),
        Route("/plan/{slug}/editions/book", make_book, methods=["POST"]),
    ]
)
