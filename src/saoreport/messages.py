"""What users read, in their language: Thai by default, English on request.

Every line a user reads is written in English in the code, as a gettext message id, and
translated through the catalog `locale/<lang>/LC_MESSAGES/saoreport.po` (compiled beside it
to `saoreport.mo`; `tests/test_messages.py` fails when the two differ or when a message of the
code has no Thai). Placeholders are named (`{file}`), so that a translation may put them in
another order:

    from saoreport.messages import _, n_
    raise SaoError(_("no plan.yaml in {folders}", folders=names))
    print(n_("{count} sheet", "{count} sheets", len(sheets), count=len(sheets)))

The language is, first that is set: `set_language()` (the command line's `--lang`), the
environment variable SAOREPORT_LANG, then the locale (LC_ALL, LC_MESSAGES, LANG): English where
it names English, Thai otherwise (an unset or "C" locale too: the users read Thai).
"""

from __future__ import annotations

import errno
import gettext
import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Literal

Language = Literal["th", "en"]
LANGUAGES: tuple[Language, ...] = ("th", "en")
DOMAIN = "saoreport"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
ENVIRONMENT = "SAOREPORT_LANG"

_chosen: Language | None = None


def parse_language(text: str) -> Language | None:
    """'th', 'th_TH.UTF-8', 'en', 'en_US' -> the language; anything else -> None."""
    code = text.strip().lower().replace("-", "_").split(".")[0].split("_")[0]
    return code if code in LANGUAGES else None


def set_language(language: Language | None) -> None:
    """Use *language* from now on (None: the environment decides again)."""
    global _chosen
    _chosen = language


@contextmanager
def in_language(chosen: Language) -> Iterator[None]:
    """Messages in *chosen* inside the block, whatever the user's language: a document that
    is Thai whatever the terminal speaks (diff's change summary for the council) takes its
    words from the catalog."""
    global _chosen
    before = _chosen
    _chosen = chosen
    try:
        yield
    finally:
        _chosen = before


def language() -> Language:
    if _chosen is not None:
        return _chosen
    given = os.environ.get(ENVIRONMENT, "")
    if given:
        chosen = parse_language(given)
        if chosen is not None:
            return chosen
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:  # the first one set decides, as in gettext
            return "en" if parse_language(value) == "en" else "th"
    return "th"


@cache
def _translations(lang: Language) -> gettext.NullTranslations:
    if lang == "en":  # the message ids are the English
        return gettext.NullTranslations()
    with (LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo").open("rb") as file:
        return gettext.GNUTranslations(file)


def _(message: str, /, **values: object) -> str:
    """*message* in the user's language, its {placeholders} filled from *values*."""
    text = _translations(language()).gettext(message)
    return text.format(**values) if values else text


def n_(singular: str, plural: str, count: int, /, **values: object) -> str:
    """The form of *singular*/*plural* for *count*, in the user's language, filled in."""
    text = _translations(language()).ngettext(singular, plural, count)
    return text.format(**values) if values else text


_THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def prose_digits(value: object) -> str:
    """A figure in a sentence: Thai digits in Thai prose (๙๘%), as the documents print them."""
    return str(value).translate(_THAI_DIGITS) if language() == "th" else str(value)


def os_reason(exc: OSError) -> str:
    """Why the system refused, in the user's words (its own strerror is English)."""
    reasons = {
        errno.ENOENT: lambda: _("there is no such file or folder"),
        errno.EACCES: lambda: _("permission denied: saoreport may not use it"),
        errno.EPERM: lambda: _("permission denied: saoreport may not use it"),
        errno.ENOSPC: lambda: _("the disk is full: make room, then run it again"),
        errno.EDQUOT: lambda: _("the disk quota is used up: make room, then run it again"),
        errno.EROFS: lambda: _("the disk is read-only: name a folder you may write in"),
        errno.EISDIR: lambda: _("it is a folder, not a file"),
        errno.ENOTDIR: lambda: _("a part of the path is a file, not a folder"),
        errno.ENAMETOOLONG: lambda: _("the name is too long"),
    }
    said = reasons.get(exc.errno or 0)
    return said() if said else str(exc.strerror or exc)
