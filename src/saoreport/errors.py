"""The one exception family users meet: each prints as a message, never a traceback."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from saoreport.messages import language


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a plan file, at a line and column (1-based). *path* is the plan
    file's keys (projects[65].budget[2570]); *words* name the same place as a person counts it,
    in Thai (โครงการที่ 66 'โครงการก่อสร้างถนน…', งบประมาณปี 2570), printed before the keys when
    the messages are Thai."""

    file: Path
    line: int
    col: int
    path: str
    message: str
    words: str = field(default="", compare=False)

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.col}"
        place = self.path
        if self.words and language() == "th":
            place = f"{self.words} ({self.path})" if self.path else self.words
        text = f"{where}: {place}: {self.message}" if place else f"{where}: {self.message}"
        return printable(text)


# Control characters (a key or a file name may hold them) are shown as escapes, never sent
# to the terminal, where ESC could rewrite the screen.
_ESCAPES = {c: f"\\x{c:02x}" for c in (*range(0x20), 0x7F, *range(0x80, 0xA0))}
_ESCAPES.update({0x2028: "\\u2028", 0x2029: "\\u2029"})


def printable(text: str) -> str:
    return text.translate(_ESCAPES)


class SaoError(Exception):
    """Base of every error saoreport reports to its user."""

    exit_code = 1


class UsageError(SaoError):
    exit_code = 2


class PlanInvalid(SaoError):
    """A plan file has problems; all of them are listed."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class BuildFailed(SaoError):
    """A document could not be made from a valid plan."""
