"""Read a plan file, keeping the line and column of every value.

Hostile or broken files are refused with their place before the YAML is built: files too
large, not UTF-8 (UTF-16, binary), control characters, nesting deeper than a plan needs and
aliases that expand beyond a plan's size (a "billion laughs" file).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import ConstructorError, RoundTripConstructor, SafeConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    NodeEvent,
)
from ruamel.yaml.resolver import VersionedResolver

from saoreport.errors import PlanInvalid, Problem
from saoreport.messages import _, os_reason
from saoreport.plan.wording import words
from saoreport.thai import plan_date

MAX_BYTES = 32_000_000  # a 1,600-project plan is 1.9 MB
MAX_DEPTH = 16  # a plan needs 5 (strategies[].indicators[].targets{})
MAX_ALIASED = 100_000  # values that aliases may add by repeating anchored ones
# Characters no plan text has: C0/C1 controls but tab and line ends, DEL, surrogates,
# non-characters, and the Unicode line and paragraph separators (YAML counts them as line ends).
BAD_CHARS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufdd0-\ufdef"
    "\ufffe\uffff\U0001fffe\U0001ffff\U000efffe\U000effff\U0010fffe\U0010ffff]"
)
_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")
YAML_VERSIONS = ("1.1", "1.2")  # the versions ruamel.yaml reads (it asserts on any other)
_MAX_REPORTED = 20


def char_name(char: str) -> str:
    import unicodedata

    return f"U+{ord(char):04X} {unicodedata.name(char, 'control character')}"


class _NoSuchDate(ConstructorError):
    """A date that is not one: its own message, said as it is."""


def _timestamp(base: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    """YAML dates, with a Buddhist-era date valid only in its Gregorian year (2567-02-29 is
    2024-02-29, a leap day) read as that Gregorian date; an impossible date is a located error."""

    def construct(self: Any, node: Any) -> Any:
        match = _DATE.match(str(node.value))
        try:
            if match:  # a day: the one the plan means, in either era (thai.plan_date)
                year, month, day = (int(g) for g in match.groups())
                return plan_date(year, month, day)
            return base(self, node)
        except ValueError as exc:
            message = str(exc) if match else _("{text} is not a date", text=repr(node.value))
            raise _NoSuchDate(None, None, message, node.start_mark) from None

    return construct


class _Safe(SafeConstructor):
    pass


class _RoundTrip(RoundTripConstructor):
    pass


class _Resolver(VersionedResolver):
    """YAML 1.2's resolver, which asks for the YAML version of the file once, not once per
    value: through libyaml (ruamel.yaml.clib) the question fails and is answered by the
    default, with an exception caught each time, a fifth of reading a long plan."""

    @property
    def processing_version(self) -> Any:
        known = self.__dict__.get("_known_version")
        if known is None:
            known = self.__dict__["_known_version"] = super().processing_version
        return known


_Safe.add_constructor(
    "tag:yaml.org,2002:timestamp", _timestamp(SafeConstructor.construct_yaml_timestamp)
)
_RoundTrip.add_constructor(
    "tag:yaml.org,2002:timestamp", _timestamp(RoundTripConstructor.construct_yaml_timestamp)
)


class Locator:
    """Finds where in the file a value (given by its path of keys) was written."""

    def __init__(self, file: Path, root: Any) -> None:
        self.file = file
        self.root = root

    def position(self, loc: Sequence[str | int], at_key: bool = False) -> tuple[int, int]:
        node, line, col = self.root, 0, 0
        for depth, key in enumerate(loc, 1):
            if isinstance(node, CommentedMap) and key in node:
                if at_key and depth == len(loc):
                    line, col = node.lc.key(key)
                    break
                line, col = node.lc.value(key) if _scalar(node[key]) else node.lc.key(key)
                if not _scalar(node[key]) and node[key] is not None:
                    line, col = _start(node[key], (line, col))
                node = node[key]
            elif isinstance(node, CommentedSeq) and isinstance(key, int) and key < len(node):
                line, col = node.lc.item(key)
                node = node[key]
            else:
                break
        return line + 1, col + 1

    def problem(self, loc: Sequence[str | int], message: str, at_key: bool = False) -> Problem:
        line, col = self.position(loc, at_key)
        return Problem(self.file, line, col, dotted(loc), message, words(loc, self.root))


def _scalar(value: Any) -> bool:
    return not isinstance(value, CommentedMap | CommentedSeq)


def _start(node: Any, fallback: tuple[int, int]) -> tuple[int, int]:
    lc = getattr(node, "lc", None)
    if lc is not None and lc.line is not None:
        return int(lc.line), int(lc.col)
    return fallback


def dotted(loc: Sequence[str | int]) -> str:
    """('missions', 2, 'text') -> 'missions[2].text'."""
    out = ""
    for key in loc:
        out += f"[{key}]" if isinstance(key, int) else (f".{key}" if out else str(key))
    return out


def _at(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def read_text(file: Path, kind: str | None = None, limit: int = MAX_BYTES) -> str:
    """The text of *file* (*kind*: what it is, for messages; a plan file), or every reason it
    cannot be, each with its place: a link out of its folder, more than *limit* bytes, not
    UTF-8, control characters."""
    kind = kind or _("a plan file")
    try:
        if file.is_symlink():
            target = file.resolve()
            if not target.is_relative_to(file.parent.resolve()):
                raise PlanInvalid(
                    [
                        Problem(
                            file,
                            1,
                            1,
                            "",
                            _("is a link to a file outside its plan folder: copy the file in"),
                        )
                    ]
                )
        size = file.stat().st_size
        if size > limit:
            message = _(
                "{size} bytes, where {kind} may hold at most {limit}",
                size=f"{size:,}",
                kind=kind,
                limit=f"{limit:,}",
            )
            raise PlanInvalid([Problem(file, 1, 1, "", message)])
        data = file.read_bytes()
    except OSError as exc:
        message = _("cannot be read: {reason}", reason=os_reason(exc))
        raise PlanInvalid([Problem(file, 1, 1, "", message)]) from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or (b"\x00" in data[:4096]):
        what = _("UTF-16 or binary") if b"\x00" in data[:4096] else "UTF-16"
        message = _("this is {what}, not UTF-8 text: save {kind} as UTF-8", what=what, kind=kind)
        raise PlanInvalid([Problem(file, 1, 1, "", message)])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _at(data[: exc.start].decode("utf-8", "replace"), exc.start)
        message = _(
            "byte 0x{byte} is not UTF-8: save {kind} as UTF-8 text",
            byte=f"{data[exc.start]:02X}",
            kind=kind,
        )
        raise PlanInvalid([Problem(file, line, 1, "", message)]) from None
    text = text.removeprefix("\ufeff")
    problems = []
    for match in BAD_CHARS.finditer(text):
        line, col = _at(text, match.start())
        problems.append(
            Problem(
                file,
                line,
                col,
                "",
                _(
                    "{char} has no place in {kind}: remove it",
                    char=char_name(match.group()),
                    kind=kind,
                ),
            )
        )
        if len(problems) >= _MAX_REPORTED:
            break
    if problems:
        raise PlanInvalid(problems)
    return text


def _check_shape(file: Path, text: str) -> None:
    """Refuse nesting deeper than MAX_DEPTH and aliases adding more than MAX_ALIASED values,
    from the parser's events (no tree is built, nothing is expanded)."""
    sizes: list[int] = [0]  # values inside each open collection
    anchors: list[str | None] = [None]
    anchored: dict[str, int] = {}
    added = 0
    try:
        for event in YAML(typ="safe").parse(text):
            if isinstance(event, CollectionStartEvent):
                if len(sizes) > MAX_DEPTH:
                    mark = event.start_mark
                    message = _(
                        "nested more than {limit} levels deep, where a plan needs 5",
                        limit=MAX_DEPTH,
                    )
                    raise PlanInvalid([Problem(file, mark.line + 1, mark.column + 1, "", message)])
                sizes.append(1)
                anchors.append(event.anchor)
            elif isinstance(event, CollectionEndEvent):
                size, anchor = sizes.pop(), anchors.pop()
                sizes[-1] += size
                if anchor:
                    anchored[anchor] = size
            elif isinstance(event, AliasEvent):
                size = anchored.get(event.anchor, 1)
                added += size
                sizes[-1] += size
                if added > MAX_ALIASED:
                    mark = event.start_mark
                    message = _(
                        "aliases (*{anchor}) repeat more than {limit} values: write the values out",
                        anchor=event.anchor,
                        limit=f"{MAX_ALIASED:,}",
                    )
                    raise PlanInvalid([Problem(file, mark.line + 1, mark.column + 1, "", message)])
            elif isinstance(event, NodeEvent):  # a scalar
                sizes[-1] += 1
                if event.anchor:
                    anchored[event.anchor] = 1
    except YAMLError:
        return  # a syntax error: `load` reports it with its place


def _version(file: Path, text: str) -> str | None:
    """The version the file's %YAML directive names (None: none; YAML 1.2 then). A directive
    stands before the document's first content, after comments and other directives only;
    a version ruamel.yaml does not read (it asserts, with no place) is refused here."""
    found = None
    offset = 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if stripped.startswith("%YAML"):
            words = stripped.split()
            version = words[1] if len(words) > 1 else ""
            if version not in YAML_VERSIONS:
                named = f"%YAML {version}".strip()
                message = _(
                    "{named}: this reader knows YAML 1.1 and 1.2; write %YAML 1.2 or leave the"
                    " line out",
                    named=named,
                )
                raise PlanInvalid([Problem(file, *_at(text, offset), "", message)])
            found = version
        elif stripped and not stripped.startswith(("#", "%")):
            break
        offset += len(line)
    return found


def load_data(file: Path) -> Any:
    """Parse *file* fast (libyaml, through ruamel.yaml.clib) into plain Python values.

    Positions are not kept: a plan with problems is read again by `load` to locate them.
    A file that says it is YAML 1.1 (%YAML 1.1) is read as `load` reads it, which follows
    the directive (libyaml's path here would read it as YAML 1.2: `yes`, `0777` differently).
    """
    text = read_text(file)
    version = _version(file, text)
    _check_shape(file, text)
    if version == "1.1":
        return _round_trip(file, text)
    try:
        yaml = YAML(typ="safe")
        yaml.Constructor, yaml.Resolver = _Safe, _Resolver
        return yaml.load(text)
    except Exception:  # any YAML error: the round-trip reader reports it with its place
        return _round_trip(file, text)


def load(file: Path) -> tuple[Any, Locator]:
    """Parse *file*; YAML syntax errors and duplicate keys become located problems."""
    text = read_text(file)
    _version(file, text)
    _check_shape(file, text)
    data = _round_trip(file, text)
    return data, Locator(file, data)


def _round_trip(file: Path, text: str) -> CommentedMap:
    """*text* (of *file*, its %YAML version and shape checked) parsed by ruamel.yaml's
    round-trip reader, which keeps every value's place and follows the %YAML directive."""
    yaml = YAML(typ="rt")
    yaml.Constructor = _RoundTrip
    try:
        data = yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        detail = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        message = str(exc.problem) if isinstance(exc, _NoSuchDate) else _not_yaml(detail)
        raise PlanInvalid([Problem(file, line, col, "", message)]) from None
    except (YAMLError, ValueError, TypeError, RecursionError, AssertionError) as exc:
        raise PlanInvalid([Problem(file, 1, 1, "", _not_yaml(str(exc)))]) from None
    if not isinstance(data, CommentedMap):
        message = _("a plan file is lines of 'key: value', starting with organization:")
        raise PlanInvalid([Problem(file, 1, 1, "", message)])
    return data


def _not_yaml(detail: str) -> str:
    """ruamel.yaml's own words (English, a parser's) kept after ours, which say what to check."""
    return _(
        "the file cannot be read here ({detail}): check the indentation, the ': ' after each"
        " key and the '- ' before each item, and put a text holding ': ' or '#' in quotes",
        detail=detail or "YAML",
    )
