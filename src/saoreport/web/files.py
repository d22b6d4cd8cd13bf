"""The files of plans/, archive/ and the build output, and nothing else: each name confined
to its folder (paths.inside), hidden files and links out refused."""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route, Router

from saoreport.messages import _
from saoreport.web.paths import NotFound, Refused, inside

TYPES = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".svg": "image/svg+xml",
    ".md": "text/plain; charset=utf-8",
    ".yaml": "text/plain; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".json": "application/json",
    ".jsonl": "text/plain; charset=utf-8",
}


def root(request: Request, area: str) -> Path:
    config = request.app.state.config
    roots: dict[str, Path] = {"plans": config.plans, "archive": config.archive, "build": config.out}
    if area not in roots:
        raise NotFound(_("there is no such page: go back to the list of SAOs"))
    return roots[area]


def url(area: str, name: str) -> str:
    """The URL of the file *name* (relative, with /) of *area* (plans, archive, build)."""
    from urllib.parse import quote

    return f"/files/{area}/{quote(name)}"


async def serve_file(request: Request) -> Response:
    area, name = request.path_params["area"], request.path_params["name"]
    path = inside(root(request, area), name)
    kind = TYPES.get(path.suffix.lower())
    if kind is None:
        raise Refused(_("{name}: this kind of file is not shown here", name=repr(name)))
    if not path.is_file():
        raise NotFound(_("{name}: there is no such file", name=repr(name)))
    # An SVG is an image, never a page: shown with no script (its own CSP) and not inline.
    headers = {"content-security-policy": "default-src 'none'; style-src 'unsafe-inline'"}
    return FileResponse(path, media_type=kind, headers=headers)


router = Router([Route("/files/{area}/{name:path}", serve_file)])
