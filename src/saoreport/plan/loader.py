"""Read a plan file, keeping the line and column of every value."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError

from saoreport.errors import PlanInvalid, Problem


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
        return Problem(self.file, line, col, dotted(loc), message)


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


def load_data(file: Path) -> Any:
    """Parse *file* fast (libyaml, through ruamel.yaml.clib) into plain Python values.

    Positions are not kept: a plan with problems is read again by `load` to locate them.
    """
    try:
        return YAML(typ="safe").load(file.read_text(encoding="utf-8"))
    except Exception:  # any YAML or read error: `load` reports it with its place
        data, _ = load(file)
        return data


def load(file: Path) -> tuple[Any, Locator]:
    """Parse *file*; YAML syntax errors and duplicate keys become located problems."""
    yaml = YAML(typ="rt")
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PlanInvalid([Problem(file, 1, 1, "", f"cannot read: {exc}")]) from None
    try:
        data = yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        raise PlanInvalid([Problem(file, line, col, "", message or "not valid YAML")]) from None
    if not isinstance(data, CommentedMap):
        raise PlanInvalid([Problem(file, 1, 1, "", "a plan file must be a mapping of keys")])
    return data, Locator(file, data)
