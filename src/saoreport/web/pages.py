"""The workspace's pages: Jinja2 templates (templates/, autoescaped), each rendered with the
words of words.py, the session's CSRF token and the request."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from saoreport.messages import language
from saoreport.thai import thai_digits
from saoreport.web.security import TOKEN_FIELD, csrf_token
from saoreport.web.words import words

TEMPLATES = Path(__file__).resolve().parent / "templates"


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["csrf_field"] = TOKEN_FIELD
    env.filters["thai_digits"] = thai_digits
    env.filters["baht"] = lambda n: f"{n:,}" if isinstance(n, int) else n
    return env


def render(template: str, /, **values: Any) -> str:
    return environment().get_template(template).render(w=words(), lang=language(), **values)


def page(request: Request, template: str, /, status: int = 200, **values: Any) -> HTMLResponse:
    values.setdefault("title", "")
    html = render(template, request=request, csrf=csrf_token(request), **values)
    return HTMLResponse(html, status_code=status)


def error_html(message: str, status: int) -> str:
    """A page that says why a request was refused (no session needed)."""
    return render("error.html", request=None, csrf="", title="", message=message, status=status)
