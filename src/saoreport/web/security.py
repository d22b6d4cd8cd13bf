"""What every request passes: a body within the limit, the CSRF token on every POST, the
same origin, and headers that keep the pages to themselves."""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.requests import Request

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
TOKEN_FIELD = "csrf"
TOKEN_HEADER = "x-csrf-token"
HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"SAMEORIGIN"),
    (b"referrer-policy", b"same-origin"),
    (
        b"content-security-policy",
        b"default-src 'self'; img-src 'self' data:; object-src 'self'; frame-ancestors 'self';"
        b" form-action 'self'; base-uri 'none'",
    ),
]


def csrf_token(request: Request) -> str:
    """This session's token, made on its first page."""
    token = request.session.get(TOKEN_FIELD)
    if not isinstance(token, str) or len(token) < 32:
        token = secrets.token_urlsafe(32)
        request.session[TOKEN_FIELD] = token
    return token


class Guard:
    """ASGI middleware, inside the session middleware: refuses a request to a host name not
    among *hosts* (a web page that points its own name at this computer, "DNS rebinding",
    would read and write as a colleague does), reads a POST's body (at most *max_body* bytes:
    413 beyond), checks its token (403 without the session's), then hands the same body to
    the application."""

    def __init__(
        self,
        app: ASGIApp,
        max_body: int,
        refuse: Callable[[str, int], bytes],
        hosts: tuple[str, ...] = ("*",),
    ) -> None:
        self.app = app
        self.max_body = max_body
        self.refuse = refuse  # (why, status) -> the page's bytes
        self.hosts = hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *HEADERS]
            await send(message)

        headers = Headers(scope=scope)
        if "*" not in self.hosts and _host_name(headers.get("host", "")) not in self.hosts:
            await self._refuse(send_with_headers, "host", 403)
            return
        if scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send_with_headers)
            return
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > self.max_body:
            await self._refuse(send_with_headers, "too-large", 413)
            return
        if not _same_origin(headers):
            await self._refuse(send_with_headers, "origin", 403)
            return
        body = bytearray()
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > self.max_body:
                await self._refuse(send_with_headers, "too-large", 413)
                return
        data = bytes(body)
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": data, "more_body": False}

        expected = scope.get("session", {}).get(TOKEN_FIELD)
        given = headers.get(TOKEN_HEADER)
        if given is None:
            given = await _form_token(scope, replay)
            sent = False
        if not (
            isinstance(expected, str)
            and isinstance(given, str)
            and hmac.compare_digest(expected.encode(), given.encode())
        ):
            await self._refuse(send_with_headers, "csrf", 403)
            return
        await self.app(scope, replay, send_with_headers)

    async def _refuse(self, send: Send, why: str, status: int) -> None:
        body = self.refuse(why, status)
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"text/html; charset=utf-8"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


async def _form_token(scope: Scope, receive: Receive) -> str | None:
    request = Request(scope, receive)
    try:
        async with request.form(max_files=20, max_fields=5000) as form:
            value = form.get(TOKEN_FIELD)
    except Exception:
        return None
    return value if isinstance(value, str) else None


def _host_name(host: str) -> str:
    """'localhost:8000' -> 'localhost'; '[::1]:8000' -> '::1'."""
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _same_origin(headers: Headers) -> bool:
    """A browser's POST from another site names it in Origin (or Referer): refused."""
    origin = headers.get("origin") or headers.get("referer")
    if not origin or origin == "null":
        return origin != "null"
    return urlsplit(origin).netloc == headers.get("host", "")
