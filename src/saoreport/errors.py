"""The one exception family users meet: each prints as a message, never a traceback."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a plan file, at a line and column (1-based)."""

    file: Path
    line: int
    col: int
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.col}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


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
