"""Where templates and the font configuration live: beside the package when installed
from a wheel, at the top of the checkout when installed in place."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from saoreport.errors import SaoError
from saoreport.messages import _, os_reason

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


Input = Literal["vision-and-mission page", "plan workbook"]


def _named(what: Input) -> str:
    """What the user was asked to give, in their language."""
    if what == "plan workbook":
        return _("plan workbook")
    return _("vision-and-mission page")


def _cannot_read(path: Path, exc: OSError) -> SaoError:
    return SaoError(
        _(
            "{file}: cannot read: {reason}: check the file's name and that it is yours to read",
            file=path,
            reason=os_reason(exc),
        )
    )


def read_input(path: Path, limit: int, what: Input) -> bytes:
    """The bytes of the user's input file *path*, at most *limit* of them, counted as they
    come (a size from stat can lie: /dev/zero, /proc files). Only a regular file is read: a
    device, a pipe (a FIFO would block forever) or a folder is refused, without waiting."""
    import stat

    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise _cannot_read(path, exc) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise SaoError(
                _(
                    "{file}: not a file (a device, a pipe or a folder): save the {what} as a"
                    " file and give that file's name",
                    file=path,
                    what=_named(what),
                )
            )
        chunks: list[bytes] = []
        size = 0
        while chunk := os.read(fd, min(1 << 20, limit + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise SaoError(
                    _(
                        "{file}: more than {size} MB, far more than a {what}: save only the"
                        " {what}, and import that file",
                        file=path,
                        size=limit // (1 << 20),
                        what=_named(what),
                    )
                )
    except OSError as exc:
        raise _cannot_read(path, exc) from None
    finally:
        os.close(fd)
    return b"".join(chunks)
