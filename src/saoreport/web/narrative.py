"""The narrative parts (preface.md, parts/*.md) in a Markdown editor with a preview made by
the document's own renderer (document/markdown.py), and the plan's images.

The preview works without a script (the Preview button sends the form back); with one
(static/app.js), it follows the typing. A save is checked as validation checks the file
(raw HTML, images outside the plan folder, layout limits) before it is written: a problem
keeps the file as it was and shows at its line.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
import tempfile
from itertools import count
from pathlib import Path

from markupsafe import Markup, escape
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route, Router

from saoreport.errors import PlanInvalid, Problem, SaoError
from saoreport.messages import _
from saoreport.output import write_atomic
from saoreport.plan.narrative import FILES, IMAGE_TYPES, MAX_BYTES, check_text
from saoreport.web.app_config import config_of
from saoreport.web.edit import IMAGES
from saoreport.web.files import url
from saoreport.web.pages import page
from saoreport.web.paths import NotFound, Refused, inside, plan_folder
from saoreport.web.work import in_thread, plan_lock

# An edition's reasons (เหตุผลและความจำเป็น): key edition-<code>, file editions/<code>.md.
_EDITION_KEY = re.compile(r"edition-((?:add|change|fix|review)-[0-9]{1,3}-[0-9]{4})")


def file_name(key: str) -> str:
    """The file of an editor's *key*, relative to the plan folder."""
    match = _EDITION_KEY.fullmatch(key)
    return f"editions/{match.group(1)}.md" if match else FILES[key]


def _key(request: Request) -> str:
    key = str(request.path_params["key"])
    if key not in FILES and not _EDITION_KEY.fullmatch(key):
        raise NotFound(_("there is no such page: go back to the list of SAOs"))
    return key


def _read(file: Path) -> str:
    from saoreport.plan import loader

    if not file.is_file():
        return ""
    try:
        return loader.read_text(file, _("a narrative file"), MAX_BYTES)
    except PlanInvalid as exc:
        raise SaoError(str(exc)) from None


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_IMG = re.compile(r'<img class="md" src="([^"]*)" alt="([^"]*)">')


def preview_html(folder: Path, key: str, text: str) -> Markup:
    """*text* as the document prints it, its images shown from the plan folder; an image
    outside the plan folder is not fetched (its place says so)."""
    from saoreport.document.markdown import render

    name = file_name(key)
    base = posixpath.dirname(name)
    html = str(render(text, key, "", escape, str, count(1).__next__).html)

    def image(match: re.Match[str]) -> str:
        src = Markup(match.group(1)).unescape()
        relative = posixpath.normpath(posixpath.join(base, src))
        try:
            if "://" in src or src.startswith("/"):
                raise Refused(src)
            inside(folder, relative)
        except Refused:
            return str(
                Markup('<span class="problem">{}</span>').format(
                    _("image {src}: outside the plan folder, not shown", src=repr(src))
                )
            )
        return str(
            Markup('<img src="{}" alt="{}">').format(
                url("plans", f"{folder.name}/{relative}"), Markup(match.group(2)).unescape()
            )
        )

    html = _IMG.sub(image, html)
    # the preview sits under the page's own h2: its headings one level down, in order
    html = re.sub(r"<(/?)h([2-5])\b", lambda m: f"<{m.group(1)}h{int(m.group(2)) + 1}", html)
    return Markup(html)


def _problems(folder: Path, key: str, text: str) -> list[Problem]:
    return check_text(folder, folder / file_name(key), text)


def editor(request: Request, form: FormData | None) -> Response:
    folder = plan_folder(config_of(request).plans, request.path_params["slug"])
    key = _key(request)
    file = folder / file_name(key)
    status, message = 200, ""
    saved = request.query_params.get("saved") == "1"
    with plan_lock(folder):
        current = _read(file)
        problems, text = _problems(folder, key, current), current
        if form is not None:
            given = form.get("text")
            text = given.replace("\r\n", "\n") if isinstance(given, str) else ""
            problems = _problems(folder, key, text)
            if form.get("action") == "preview":
                pass
            elif form.get("hash") != _hash(current):
                status, message = (
                    409,
                    _(
                        "Not saved: the file was changed since this page was opened (in"
                        " another window or a text editor). Your text is kept below: copy"
                        " it, reload the page, then make your changes again."
                    ),
                )
            elif problems:
                status = 422
                message = _("Not saved: correct the lines marked below, then save again.")
            else:
                file.parent.mkdir(exist_ok=True)
                write_atomic(file, text.encode("utf-8"))
                return RedirectResponse(request.url.path + "?saved=1", status_code=303)
    from saoreport.web.edit import read_source

    source = read_source(folder)
    org = source.data.get("organization")
    return page(
        request,
        "text.html",
        status=status,
        title=file_name(key),
        slug=folder.name,
        org=org.get("name", folder.name) if isinstance(org, dict) else folder.name,
        key=key,
        heading="" if key in FILES else _("Reasons and need of the edition"),
        name=file_name(key),
        text=text,
        hash=_hash(current),
        preview=preview_html(folder, key, text),
        problems=problems,
        message=message,
        saved=saved,
    )


def preview(request: Request, form: FormData | None) -> Response:
    """The preview alone, for the editor's script (POST: the CSRF token in its header)."""
    folder = plan_folder(config_of(request).plans, request.path_params["slug"])
    key = _key(request)
    given = form.get("text") if form is not None else None
    text = given if isinstance(given, str) else ""
    problems = _problems(folder, key, text)
    listed = "".join(
        str(Markup("<li>{}: {}</li>").format(_("line {line}", line=p.line), p.message))
        for p in problems
    )
    head = f'<ul class="problem">{listed}</ul>' if listed else ""
    return HTMLResponse(head + str(preview_html(folder, key, text)))


# Images ---------------------------------------------------------------------------------------


def _images(folder: Path) -> list[str]:
    found = []
    for path in sorted([*folder.glob("*"), *(folder / IMAGES).glob("*")]):
        if path.is_file() and path.suffix.lower() in IMAGE_TYPES and not path.name.startswith("."):
            found.append(path.relative_to(folder).as_posix())
    return found


def images(request: Request, form: FormData | None) -> Response:
    from saoreport.plan.validate import MAX_IMAGE_BYTES, image_problem
    from saoreport.web.saos import upload

    folder = plan_folder(config_of(request).plans, request.path_params["slug"])
    status, message = 200, ""
    if form is not None:
        try:
            with tempfile.TemporaryDirectory(prefix="saoreport-image-") as tmp:
                sent = upload(form.get("file"), set(IMAGE_TYPES), MAX_IMAGE_BYTES, Path(tmp))
                why = image_problem(sent)
                if why:
                    raise SaoError(f"{sent.name}: {why}")
                target = inside(folder, f"{IMAGES}/{sent.name}")
                with plan_lock(folder):
                    if target.exists() and form.get("replace") != "yes":
                        raise SaoError(
                            _(
                                "{name} is already in the plan folder: tick 'replace' to send"
                                " it again, or rename the file",
                                name=sent.name,
                            )
                        )
                    write_atomic(target, sent.read_bytes())
            return RedirectResponse(request.url.path + "?saved=1", status_code=303)
        except Refused:
            raise
        except SaoError as exc:
            status, message = 400, str(exc)
    from saoreport.web.edit import read_source

    source = read_source(folder)
    org = source.data.get("organization")
    return page(
        request,
        "images.html",
        status=status,
        title=_("Images"),
        slug=folder.name,
        org=org.get("name", folder.name) if isinstance(org, dict) else folder.name,
        images=[(name, url("plans", f"{folder.name}/{name}")) for name in _images(folder)],
        message=message,
        saved=request.query_params.get("saved") == "1",
    )


router = Router(
    [
        Route("/plan/{slug}/text/{key}", in_thread(editor), methods=["GET", "POST"]),
        Route("/plan/{slug}/preview/{key}", in_thread(preview), methods=["POST"]),
        Route("/plan/{slug}/images", in_thread(images), methods=["GET", "POST"]),
    ]
)
