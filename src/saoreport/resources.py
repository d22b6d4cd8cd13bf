"""Where templates and the font configuration live: beside the package when installed
from a wheel, at the top of the checkout when installed in place."""

from __future__ import annotations

import os
from pathlib import Path

from saoreport.errors import SaoError
from saoreport.messages import _

PACKAGE = Path(__file__).resolve().parent
CHECKOUT = PACKAGE.parents[1]  # src/saoreport -> the checkout


def _first(*candidates: Path) -> Path:
    for path in candidates:
        if path.exists():
            return path
    raise SaoError(
        _(
            "saoreport is incomplete: none of {files} exists; install it again",
            files=", ".join(map(str, candidates)),
        )
    )


def templates_dir() -> Path:
    return _first(PACKAGE / "templates", CHECKOUT / "templates")


def fonts_config() -> Path:
    return _first(PACKAGE / "fonts" / "fonts.toml", CHECKOUT / "fonts" / "fonts.toml")


def user_font_dirs() -> list[Path]:
    dirs = [Path(d) for d in os.environ.get("SAOREPORT_FONT_DIR", "").split(os.pathsep) if d]
    return [*dirs, CHECKOUT / "fonts" / "user"]
