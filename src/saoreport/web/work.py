"""Handlers run in the server's thread pool, never on its event loop: validating or writing a
1,000-project plan takes a second, and the other requests (another officer's page, a build's
progress) go on meanwhile. Writes to one plan folder take turns (`plan_lock`), so that the
check that a form is not stale and the write after it are one step."""

from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

Handler = Callable[[Request, FormData | None], Response]

_LOCKS: dict[Path, threading.Lock] = {}
_GUARD = threading.Lock()


def plan_lock(folder: Path) -> threading.Lock:
    """The lock of the plan *folder*: held from reading plan.yaml to writing it."""
    with _GUARD:
        return _LOCKS.setdefault(folder.resolve(), threading.Lock())


def in_thread(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    """An endpoint that reads a POST's form (its uploads spooled to disk by Starlette) on the
    event loop, then runs *handler(request, form)* in the thread pool."""

    async def endpoint(request: Request) -> Response:
        form = await request.form() if request.method == "POST" else None
        try:
            return await run_in_threadpool(handler, request, form)
        finally:
            if form is not None:
                await form.close()

    endpoint.__name__ = handler.__name__
    return endpoint
