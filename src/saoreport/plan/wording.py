"""pydantic's errors in the user's words: each type of error (its code, never its English
text) becomes a sentence of the catalog that says what is wrong and what to write instead."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pydantic_core import ErrorDetails

from saoreport.messages import _, n_


def _number(value: object) -> str:
    """A number as a person reads it: 9,999,999,999, but 2400 (a year) and 2000 as they are."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10_000:
        return f"{value:,}"
    return str(value)


def _found(error: ErrorDetails) -> str:
    value = error.get("input")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _number(value)
    return repr(value) if isinstance(value, str) else str(value)


def _ctx(error: ErrorDetails) -> Mapping[str, Any]:
    return error.get("ctx") or {}


def _literal(error: ErrorDetails) -> str:
    expected = str(_ctx(error).get("expected", "")).replace("' or '", "', '")  # pydantic's "or"
    return _("should be one of: {expected}", expected=expected)


def _own(error: ErrorDetails) -> str:
    """A validator of ours raised it: its text is already the user's sentence."""
    cause = _ctx(error).get("error")
    return str(cause) if cause is not None else error["msg"]


def _whole(error: ErrorDetails) -> str:
    return _(
        "should be a whole number in digits only, such as 1200000"
        " (no commas, quotes or decimal point); found {found}",
        found=_found(error),
    )


_WORDING: dict[str, Callable[[ErrorDetails], str]] = {
    "missing": lambda e: _("this is required: add it"),
    "extra_forbidden": lambda e: _("this key is not known: check its spelling, or remove it"),
    "int_type": _whole,
    "int_parsing": _whole,
    "float_type": lambda e: _(
        "should be a number, such as 85 or 12.5; found {found}", found=_found(e)
    ),
    "finite_number": lambda e: _("should be an ordinary number, not .inf or .nan"),
    "string_type": lambda e: _(
        "should be text; a text that looks like a number or a date goes in quotes, such as '2570'"
    ),
    "bool_type": lambda e: _("should be true or false; found {found}", found=_found(e)),
    "date_type": lambda e: _(
        "should be a date, such as 2569-08-20, 20/08/2569 or 20 สิงหาคม 2569; found {found}",
        found=_found(e),
    ),
    "dict_type": lambda e: _("should be a group of 'key: value' lines, indented under this one"),
    "model_type": lambda e: _("should be a group of 'key: value' lines, indented under this one"),
    "list_type": lambda e: _("should be a list: one item a line, each starting with '- '"),
    "literal_error": _literal,
    "greater_than_equal": lambda e: _(
        "should be at least {limit}; found {found}", limit=_number(_ctx(e)["ge"]), found=_found(e)
    ),
    "less_than_equal": lambda e: _(
        "should be at most {limit}; found {found}", limit=_number(_ctx(e)["le"]), found=_found(e)
    ),
    "greater_than": lambda e: _(
        "should be more than {limit}; found {found}", limit=_number(_ctx(e)["gt"]), found=_found(e)
    ),
    "less_than": lambda e: _(
        "should be less than {limit}; found {found}", limit=_number(_ctx(e)["lt"]), found=_found(e)
    ),
    "string_too_short": lambda e: _("is empty: write the text, or remove the line"),
    "string_too_long": lambda e: _(
        "is too long: {length} characters where at most {limit} fit; shorten it",
        length=_number(len(str(e.get("input", "")))),
        limit=_number(_ctx(e)["max_length"]),
    ),
    "too_short": lambda e: n_(
        "needs at least {limit} item; add it",
        "needs at least {limit} items; add them",
        _ctx(e)["min_length"],
        limit=_number(_ctx(e)["min_length"]),
    ),
    "too_long": lambda e: _(
        "has {length} items where at most {limit} fit; remove or merge some",
        length=_number(_ctx(e).get("actual_length", "?")),
        limit=_number(_ctx(e)["max_length"]),
    ),
    "string_pattern_mismatch": lambda e: _(
        "should be a web address starting with http:// or https://, with no spaces; found {found}",
        found=_found(e),
    ),
    "value_error": _own,
    "assertion_error": _own,
}


def wording(error: ErrorDetails) -> str:
    """What pydantic's *error* means to the person who wrote the plan, in their language."""
    word = _WORDING.get(error["type"])
    if word is None:  # a type our models do not produce today: pydantic's text, still located
        return _("is not valid: {detail}", detail=error["msg"])
    return word(error)
