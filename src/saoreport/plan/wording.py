"""pydantic's errors in the user's words: each type of error (its code, never its English
text) becomes a sentence of the catalog that says what is wrong and what to write instead."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from pydantic_core import ErrorDetails

from saoreport.messages import _, language, n_
from saoreport.thai import thai_digits


def _number(value: object) -> str:
    """A number as a person reads it: 9,999,999,999, but 2400 (a year) and 2000 as they are."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10_000:
        return f"{value:,}"
    return str(value)


def _found(error: ErrorDetails) -> str:
    value = error.get("input")
    if value is None:
        return _("nothing")
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


# Where, as a person counts it ---------------------------------------------------------------

# Items of a list, counted from 1 and named by the field that names them.
_ITEMS: dict[str, tuple[Callable[[str, str], str], str | None]] = {
    "missions": (lambda n, name: _("mission {n}", n=n), None),
    "goals": (lambda n, name: _("goal {n}", n=n), None),
    "strategies": (lambda n, name: _("strategy {n} {name}", n=n, name=name), "name"),
    "tactics": (lambda n, name: _("tactic {n} {name}", n=n, name=name), "name"),
    "indicators": (lambda n, name: _("indicator {n} {name}", n=n, name=name), "name"),
    "projects": (lambda n, name: _("project {n} {name}", n=n, name=name), "name"),
    "equipment": (lambda n, name: _("equipment item {n} {name}", n=n, name=name), "type"),
    "editions": (lambda n, name: _("edition {n}", n=n), None),
    "changed": (lambda n, name: _("change {n}", n=n), None),
    "appendices": (lambda n, name: _("appendix {n} {name}", n=n, name=name), "title"),
    "programmes": (lambda n, name: _("programme {n} {name}", n=n, name=name), "name"),
}
# Values of a mapping by year.
_YEARS: dict[str, Callable[[str], str]] = {
    "budget": lambda year: _("budget for {year}", year=year),
    "targets": lambda year: _("target for {year}", year=year),
    "enacted": lambda year: _("enacted budget for {year}", year=year),
}


def key_name(parent: str | None, key: str) -> str | None:
    """A plan file key's name for a person, in the user's language ("target" under
    "projects": "the target"); some keys mean another thing under another parent; None for a
    key the plan file does not have. Validation's messages, the workbook import and diff's
    reports name fields with it."""
    by_parent: dict[tuple[object, str], Callable[[], str]] = {
        ("organization", "name"): lambda: _("the legal name"),
        ("executive", "name"): lambda: _("the executive's name"),
        ("executive", "title"): lambda: _("the executive's title"),
        ("plan", "title"): lambda: _("the plan's title"),
        ("organization", "type"): lambda: _("the type of organisation"),
        ("equipment", "type"): lambda: _("the type of equipment"),
        ("strategies", "goals"): lambda: _("the goals it serves"),
        ("strategies", "missions"): lambda: _("the missions it serves"),
        ("projects", "name"): lambda: _("the project's name"),
        ("appendices", "title"): lambda: _("the appendix's title"),
        ("equipment", "target"): lambda: _("the equipment's target"),
    }
    plain: dict[str, Callable[[], str]] = {
        "organization": lambda: _("the organisation"),
        "missions": lambda: _("the missions"),
        "goals": lambda: _("the goals"),
        "strategies": lambda: _("the strategies"),
        "tactics": lambda: _("the tactics"),
        "indicators": lambda: _("the indicators"),
        "projects": lambda: _("the projects"),
        "equipment": lambda: _("the equipment list"),
        "programmes": lambda: _("the programmes"),
        "area": lambda: _("the area (ด้าน)"),
        "support": lambda: _("the supporting units"),
        "budget": lambda: _("the budget"),
        "targets": lambda: _("the targets"),
        "enacted": lambda: _("the enacted budget"),
        "short_name": lambda: _("the short name"),
        "district": lambda: _("the district"),
        "province": lambda: _("the province"),
        "logo": lambda: _("the logo file"),
        "emblem": lambda: _("the Garuda emblem file"),
        "website": lambda: _("the website"),
        "address": lambda: _("the address"),
        "executive": lambda: _("the executive"),
        "plan": lambda: _("the plan"),
        "period": lambda: _("the plan's years"),
        "first": lambda: _("the first year"),
        "last": lambda: _("the last year"),
        "fiscal_year": lambda: _("the fiscal year"),
        "revision": lambda: _("the edition"),
        "prepared_by": lambda: _("the office that prepared it"),
        "approval": lambda: _("the council's approval"),
        "session": lambda: _("the session"),
        "meeting": lambda: _("the meeting"),
        "date": lambda: _("the date"),
        "announced": lambda: _("the date of the announcement"),
        "settings": lambda: _("the settings"),
        "digits": lambda: _("the digits"),
        "money_digits": lambda: _("the digits of money columns"),
        "font": lambda: _("the font"),
        "form_size": lambda: _("the forms' type size"),
        "vision": lambda: _("the vision"),
        "goals_label": lambda: _("the word for goals"),
        "id": lambda: _("the id"),
        "name": lambda: _("the name"),
        "links": lambda: _("the links to the macro plans"),
        "strategy": lambda: _("the strategy"),
        "tactic": lambda: _("the tactic"),
        "programme": lambda: _("the programme"),
        "objective": lambda: _("the objective"),
        "target": lambda: _("the target"),
        "kpi": lambda: _("the indicator (KPI)"),
        "result": lambda: _("the expected result"),
        "unit": lambda: _("the unit"),
        "kind": lambda: _("the kind"),
        "amendment": lambda: _("the amendment that added it"),
        "category": lambda: _("the category"),
        "editions": lambda: _("the editions"),
        "number": lambda: _("the number"),
        "year": lambda: _("the year"),
        "clause": lambda: _("the clause"),
        "base": lambda: _("the archived version it amends"),
        "reasons": lambda: _("the reasons file"),
        "drafted": lambda: _("the support committee's draft"),
        "committee": lambda: _("the local development committee"),
        "forum": lambda: _("the local community forum"),
        "council": lambda: _("the council's meeting"),
        "approved": lambda: _("the executive's approval"),
        "changed": lambda: _("the changes"),
        "edition": lambda: _("the edition"),
        "reason": lambda: _("the reason"),
        "page": lambda: _("the page"),
        "appendices": lambda: _("the appendices"),
        "file": lambda: _("the file"),
    }
    word = by_parent.get((parent, key)) or plain.get(key)
    return word() if word else None


def _short(value: object, limit: int = 40) -> str:
    text = " ".join(str(value).split())
    return f"'{text[: limit - 1]}…'" if len(text) > limit else f"'{text}'"


def _step(node: object, key: str | int) -> object:
    if isinstance(node, Mapping):
        return node.get(key)
    if isinstance(node, Sequence) and not isinstance(node, str) and isinstance(key, int):
        return node[key] if 0 <= key < len(node) else None
    return None


def words(loc: Sequence[str | int], root: object) -> str:
    """('projects', 65, 'budget', 2570) -> "project 66 'โครงการก่อสร้างถนน…', budget for 2570"
    in the user's language (Thai: "โครงการที่ ๖๖ 'โครงการก่อสร้างถนน…', งบประมาณปี ๒๕๗๐"), the
    items counted from 1 and named from the plan's values (*root*)."""

    def count(n: object) -> str:
        return thai_digits(n) if language() == "th" else str(n)

    out: list[str] = []
    node, context, previous = root, None, None  # context: the nearest key that is a name
    for key in loc:
        if isinstance(key, int) and isinstance(previous, str) and previous in _ITEMS:
            item, field = _ITEMS[previous]
            value = _step(node, key)
            name = value.get(field) if field and isinstance(value, Mapping) else None
            label = _short(name) if isinstance(name, str) and name.strip() else ""
            out[-1] = item(count(key + 1), label).strip()
        elif isinstance(previous, str) and previous in _YEARS and isinstance(node, Mapping):
            out[-1] = _YEARS[previous](count(key))
        elif isinstance(key, str):
            word = key_name(context, key)
            if word is None:  # a key the plan file does not have: its path says it
                break
            out.append(word)
            context = key
        else:
            out.append(count(key))
        node, previous = _step(node, key), key
    if len(out) > 1 and loc[0] in ("organization", "plan", "settings"):
        out = out[1:]  # "the fiscal year", not "the plan, the fiscal year"
    return ", ".join(out)
