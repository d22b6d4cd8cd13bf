"""The workspace's ASGI application: configuration, middleware, and every area's routes."""

from __future__ import annotations

import socket
from pathlib import Path
from types import ModuleType

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from saoreport.errors import SaoError
from saoreport.fonts.family import font_family
from saoreport.messages import _, os_reason
from saoreport.web import archive, builds, edit, editions, files, narrative, saos, workbooks
from saoreport.web.app_config import MAX_BODY, Config
from saoreport.web.pages import error_html
from saoreport.web.paths import NotFound, Refused
from saoreport.web.security import Guard

# The areas of the workspace, each a module with a `router`; add one here to mount it.
AREAS: list[ModuleType] = [saos, edit, narrative, workbooks, files, builds, archive, editions]
STATIC = Path(__file__).resolve().parent / "static"
__all__ = ["AREAS", "Config", "create_app", "serve"]


def _refusal(why: str, status: int) -> bytes:
    if why == "too-large":
        message = _(
            "the file is too large for the workspace (at most {limit} MB): save it smaller",
            limit=MAX_BODY // (1024 * 1024),
        )
    elif why == "host":
        message = _(
            "refused: open the workspace by its own address, such as http://127.0.0.1:8000/"
        )
    elif why == "origin":
        message = _("refused: the form was sent from another web site")
    else:
        message = _(
            "the form has expired or did not come from this workspace: reload the page and"
            " send it again"
        )
    return error_html(message, status).encode()


async def _font(request: Request) -> Response:
    face = request.path_params["face"]
    faces = font_family().faces
    if face not in ("regular", "bold"):
        raise NotFound(_("no such font"))
    return FileResponse(faces[face], media_type="font/ttf")


async def _known_error(request: Request, exc: Exception) -> Response:
    status = getattr(exc, "status", 400)
    return HTMLResponse(error_html(str(exc), status), status_code=status)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    message = (
        _("there is no such page: go back to the list of SAOs")
        if exc.status_code == 404
        else _("the request was not understood ({status})", status=exc.status_code)
    )
    return HTMLResponse(error_html(message, exc.status_code), status_code=exc.status_code)


async def _internal_error(request: Request, exc: Exception) -> Response:
    message = _(
        "internal error ({kind}: {detail}); please report it",
        kind=type(exc).__name__,
        detail=str(exc)[:300],
    )
    return HTMLResponse(error_html(message, 500), status_code=500)


def create_app(config: Config) -> Starlette:
    routes = [
        Mount("/static", app=StaticFiles(directory=STATIC), name="static"),
        Route("/fonts/sarabun-{face}.ttf", _font),
        *(route for area in AREAS for route in area.router.routes),
    ]
    middleware = [
        Middleware(
            SessionMiddleware,
            secret_key=config.secret,
            session_cookie="saoreport_session",
            same_site="strict",
            https_only=config.https,
        ),
        Middleware(Guard, max_body=config.max_body, refuse=_refusal, hosts=config.hosts),
    ]
    app = Starlette(
        routes=routes,
        middleware=middleware,
        lifespan=builds.lifespan,  # the build workers start and stop with the server
        exception_handlers={
            Refused: _known_error,
            NotFound: _known_error,
            SaoError: _known_error,
            HTTPException: _http_error,
            Exception: _internal_error,
        },
    )
    app.state.config = config
    return app


def listen(host: str, port: int) -> socket.socket:
    """A socket listening on *host*:*port*, or a SaoError that says why not (a port in use)."""
    try:
        family, kind, proto, _name, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM
        )[0]
        sock = socket.socket(family, kind, proto)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        raise SaoError(
            _(
                "cannot open the workspace at {host}:{port} ({reason}): choose another port"
                " with --port, or another address with --host",
                host=host,
                port=port,
                reason=os_reason(exc),
            )
        ) from None
    return sock


def serve(config: Config, host: str, port: int) -> None:
    """Run the workspace until Ctrl-C (uvicorn, one process: builds run in their own)."""
    import uvicorn

    sock = listen(host, port)
    print(
        _(
            "the workspace is at http://{host}:{port}/ (Ctrl-C stops it)",
            host=host if ":" not in host else f"[{host}]",
            port=port,
        ),
        flush=True,
    )
    uvicorn.run(create_app(config), fd=sock.fileno(), log_level="warning")
