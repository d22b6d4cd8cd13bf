"""Files in and out: atomic writes (a failed or interrupted build leaves the previous file
intact), the one check of every output path a user names, and reads of regular files only,
within a bound (a device, a pipe or a link to either is never read)."""

from __future__ import annotations

import io
import json
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

# What makes a folder a plan folder or part of an archive (plan/loader.py and
# archive/versions.py name the same files).
PLAN_FILE = "plan.yaml"
ARCHIVE_MARKS = ("manifest.json", "index.jsonl")


def _not_a_file(path: Path) -> str | None:
    """Why *path* may not be written over, if it exists and is not a regular file (or a
    symbolic link, which is replaced, never written through)."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return None
    except OSError as exc:
        return exc.strerror or str(exc)
    if stat.S_ISREG(mode) or stat.S_ISLNK(mode):
        return None
    return _kind(mode)


def _kind(mode: int) -> str:
    from saoreport.messages import _

    if stat.S_ISDIR(mode):
        return _("a folder")
    if stat.S_ISREG(mode):
        return _("a file")
    return _("a device, pipe or socket, not a file")


def write_atomic(path: Path, data: bytes) -> None:
    """Write *data* to *path* through a temporary file beside it, renamed into place. An
    error names *path* (the user's file), never the temporary file, nor no file at all (a
    full disk fails a write or fsync without a name); a folder, a device or a pipe at *path*
    is refused, never replaced."""
    from saoreport.errors import SaoError, printable
    from saoreport.messages import _

    why = _not_a_file(path)
    if why:
        raise SaoError(
            _(
                "{path} is {kind}, where saoreport writes only files: remove it",
                path=printable(str(path)),
                kind=why,
            )
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as exc:
        if exc.filename is None or str(exc.filename).endswith(".part"):
            exc.filename, exc.filename2 = str(path), None
        raise
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            exc.filename, exc.filename2 = str(path), None
        raise


def clear_parts(folder: Path) -> None:
    """Remove the temporary files a killed write left in *folder* (`.NAME.XXXX.part`)."""
    if folder.is_dir():
        for path in folder.glob(".*.part"):
            path.unlink(missing_ok=True)


MAX_SLUG = 100


def safe_slug(name: str) -> str:
    """*name* if it is one safe folder name (an SAO's slug), else a UsageError saying why.

    One path component: no separators, not `.` or `..`, not hidden, no control characters,
    not absolute, not starting with `-` (it would read as an option), at most MAX_SLUG long.
    """
    from saoreport.errors import UsageError, printable
    from saoreport.messages import _

    why = None
    if not name:
        why = _("is empty")
    elif len(name) > MAX_SLUG:
        why = _("is longer than {limit} characters", limit=MAX_SLUG)
    elif "/" in name or "\\" in name:
        why = _("must be one folder name, without / or \\")
    elif name in (".", "..") or name.startswith("."):
        why = _("may not start with a dot")
    elif name.startswith("-"):
        why = _("may not start with -")
    elif printable(name) != name or not name.isprintable() or name != name.strip():
        why = _("may not hold control characters or spaces at its ends")
    if why:
        raise UsageError(
            _(
                "the folder name (slug) {slug} {why}: choose a name such as nong-bua",
                slug=repr(printable(name)),
                why=why,
            )
        )
    return name


def _holders(path: Path) -> Iterator[tuple[Path, str]]:
    """The plan folders and archive folders *path* is in (or is): each folder, *path* itself
    or one above it, that holds a plan.yaml, a manifest.json or an index.jsonl."""
    for folder in (path, *path.parents):
        from saoreport.messages import _

        if (folder / PLAN_FILE).is_file():
            yield folder, _("the plan folder")
        elif any((folder / mark).exists() for mark in ARCHIVE_MARKS):
            yield folder, _("the archive folder")


def check_output(
    path: Path,
    option: str,
    inputs: Iterable[Path] = (),
    folder: bool = False,
    may_write_in: Path | None = None,
    label: str | None = None,
) -> None:
    """Refuse, before any work, an output path a user named (*option* says which, e.g.
    "--xlsx"): one that is an input of the same command or inside one (*inputs*: files or
    folders; symbolic links are followed), one inside a plan folder or an archive folder
    (saoreport writes there only what it makes itself: *may_write_in* is the one such folder
    the command may write in), or one that exists and is not a regular file (a device, a
    pipe, a socket; a folder unless *folder*). Raises UsageError saying what to do, naming
    the path as *label* (default: the option and the path)."""
    from saoreport.errors import UsageError, printable
    from saoreport.messages import _, os_reason

    named = printable(label or f"{option} {path}")
    real = Path(os.path.realpath(path))
    try:
        mode: int | None = os.stat(path).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise UsageError(
            _("{named}: {reason}; name another", named=named, reason=os_reason(exc))
        ) from None
    thing = _("a folder") if folder else _("a file")
    if mode is not None and not (stat.S_ISDIR(mode) if folder else stat.S_ISREG(mode)):
        raise UsageError(
            _(
                "{named} is {kind}: saoreport does not write there; name {thing}",
                named=named,
                kind=_kind(mode),
                thing=thing,
            )
        )
    for given in inputs:
        source = Path(os.path.realpath(given))
        shown = printable(str(given))
        same = mode is not None and given.exists() and os.path.samefile(real, source)
        if same or real == source or (folder and real in source.parents):
            raise UsageError(
                _(
                    "{named} is {input}, an input of this command, which it would write over:"
                    " name {thing} elsewhere",
                    named=named,
                    input=shown,
                    thing=thing,
                )
            )
        if source in real.parents:
            raise UsageError(
                _(
                    "{named} is inside {input}, an input of this command: name {thing} outside it",
                    named=named,
                    input=shown,
                    thing=thing,
                )
            )
    allowed = Path(os.path.realpath(may_write_in)) if may_write_in is not None else None
    # Where it points and where it stands: a link inside a plan folder is replaced there.
    written = Path(os.path.abspath(path))
    places = [real, written] if folder else [real.parent, written.parent]
    for where, kind in (found for place in places for found in _holders(place)):
        if Path(os.path.realpath(where)) != allowed:
            raise UsageError(
                _(
                    "{named} is in {kind} {folder}, where saoreport writes only what it makes"
                    " itself: name {thing} outside it",
                    named=named,
                    kind=kind,
                    folder=printable(str(where)),
                    thing=thing,
                )
            )


MAX_RECORD = 64 * 1024 * 1024  # a cache record or a manifest: far more than any holds


@contextmanager
def open_regular(path: Path) -> Iterator[io.BufferedReader[io.FileIO]]:
    """*path* opened for reading if it is a regular file (a link to one is followed); a
    device, a pipe, a socket or a folder is an OSError, and is never opened in a way that
    blocks or reads without end."""
    if not stat.S_ISREG(os.stat(path).st_mode):
        raise NotRegular(f"{path}: not a regular file")
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # replaced since the stat
            raise NotRegular(f"{path}: not a regular file")
        os.set_blocking(fd, True)
        fh = io.BufferedReader(io.FileIO(fd, "rb"))
    except BaseException:
        os.close(fd)
        raise
    with fh:
        yield fh


def read_regular(path: Path, limit: int = MAX_RECORD) -> bytes:
    """The bytes of the regular file *path*, at most *limit* of them (more is an OSError)."""
    with open_regular(path) as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise Oversized(f"{path}: larger than {limit} bytes")
    return data


class NotRegular(OSError):
    """A device, a pipe, a socket or a folder where a file was to be read."""


class Oversized(OSError):
    """A file of more bytes than its reader takes."""


Input = Literal["vision-and-mission page", "plan workbook"]


def _named(what: Input) -> str:
    """What the user was asked to give, in their language."""
    from saoreport.messages import _

    return _("plan workbook") if what == "plan workbook" else _("vision-and-mission page")


def read_input(path: Path, limit: int, what: Input) -> bytes:
    """The bytes of the user's input file *path* (*what* it should be), at most *limit* of
    them, counted as they come (a size from stat can lie: /dev/zero, /proc files). Only a
    regular file is read: a device, a pipe (a FIFO would block forever) or a folder is
    refused without being opened."""
    from saoreport.errors import SaoError
    from saoreport.messages import _, os_reason

    try:
        return read_regular(path, limit)
    except NotRegular:
        message = _(
            "{file}: not a file (a device, a pipe or a folder): save the {what} as a file and"
            " give that file's name",
            file=path,
            what=_named(what),
        )
    except Oversized:
        message = _(
            "{file}: more than {size} MB, far more than a {what}: save only the {what}, and"
            " import that file",
            file=path,
            size=limit // (1 << 20),
            what=_named(what),
        )
    except OSError as exc:
        message = _(
            "{file}: cannot read: {reason}: check the file's name and that it is yours to read",
            file=path,
            reason=os_reason(exc),
        )
    raise SaoError(message)


def parse_json(data: bytes | str) -> Any:
    """JSON as json.loads reads it; nesting too deep to read is a ValueError like any other
    damage (json.loads raises RecursionError)."""
    try:
        return json.loads(data)
    except RecursionError:
        raise ValueError("nested too deeply") from None
