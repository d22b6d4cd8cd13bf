"""Write files atomically: a failed or interrupted build leaves the previous file intact."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes) -> None:
    """Write *data* to *path* through a temporary file beside it, renamed into place. An
    error names *path* (the user's file), never the temporary file, nor no file at all (a
    full disk fails a write or fsync without a name)."""
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

    why = None
    if not name:
        why = "is empty"
    elif len(name) > MAX_SLUG:
        why = f"is longer than {MAX_SLUG} characters"
    elif "/" in name or "\\" in name:
        why = "must be one folder name, without / or \\"
    elif name in (".", "..") or name.startswith("."):
        why = "may not start with a dot"
    elif name.startswith("-"):
        why = "may not start with -"
    elif printable(name) != name or not name.isprintable() or name != name.strip():
        why = "may not hold control characters or spaces at its ends"
    if why:
        raise UsageError(f"slug {printable(name)!r} {why}")
    return name
