"""The one way from a URL or an upload's name to a file: inside its folder, or refused."""

from __future__ import annotations

from pathlib import Path, PurePosixPath, PureWindowsPath

from saoreport.errors import SaoError, UsageError, printable
from saoreport.messages import _
from saoreport.output import PLAN_FILE, safe_slug


class Refused(SaoError):
    """A name that points outside its folder, or at no plan: the request is refused."""

    status = 403


class NotFound(SaoError):
    status = 404


def plan_folder(plans: Path, slug: str, *, exists: bool = True) -> Path:
    """plans/<slug>, for a slug that is one safe folder name; with *exists*, a folder that
    holds a plan.yaml."""
    try:
        safe_slug(slug)
    except UsageError as exc:
        raise Refused(str(exc)) from None
    folder = plans / slug
    if exists and not (folder / PLAN_FILE).is_file():
        raise NotFound(_("there is no plan {slug}: choose one from the list", slug=repr(slug)))
    return folder


def inside(folder: Path, name: str) -> Path:
    """*folder*/*name* for a relative *name* that stays inside *folder* (links followed);
    refused: an empty or absolute name, a drive, `..`, a hidden part (`.git`), a backslash,
    a control character."""
    why = None
    parts = PurePosixPath(name).parts
    if not name or not parts:
        why = _("no file name")
    elif PurePosixPath(name).is_absolute() or PureWindowsPath(name).drive or "\\" in name:
        why = _("a file name must be relative to the plan folder")
    elif any(part in ("..", ".") or part.startswith(".") for part in parts):
        why = _("a file name may not hold .. or start with a dot")
    elif printable(name) != name or "\x00" in name:
        why = _("a file name may not hold control characters")
    if why is None:
        path = folder.joinpath(*parts)
        try:
            resolved = path.resolve()
        except (OSError, RuntimeError):
            resolved = None
        if resolved is not None and resolved.is_relative_to(folder.resolve()):
            return path
        why = _("the file is outside its folder")
    raise Refused(_("{name}: refused: {why}", name=repr(printable(name)), why=why))
