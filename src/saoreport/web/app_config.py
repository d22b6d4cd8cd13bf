"""The workspace's configuration, as each request finds it."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from pathlib import Path

from starlette.requests import Request

LOOPBACK = ("127.0.0.1", "localhost", "::1")  # the names of this computer, for `serve`'s default
# The largest request: an upload of a workbook (excel/guard.py reads at most 64 MB; a real
# one is a few MB), a saved web page (10 MB), an image (5 MB).
MAX_BODY = 32 * 1024 * 1024


@dataclass(frozen=True)
class Config:
    plans: Path = Path("plans")
    archive: Path = Path("archive")
    out: Path = Path("build")
    max_body: int = MAX_BODY
    secret: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    https: bool = False  # the session cookie marked Secure (behind an HTTPS proxy)
    hosts: tuple[str, ...] = ("*",)  # the host names it answers to ("*": any)


def config_of(request: Request) -> Config:
    config: Config = request.app.state.config
    return config
