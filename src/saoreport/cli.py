"""The command line: `saoreport validate|build [PLAN_DIR...]`. Thin: it calls the stages."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .errors import SaoError, UsageError


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="saoreport", description=__doc__)
    parser.add_argument("--version", action="version", version=f"saoreport {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    validate = sub.add_parser("validate", help="check plan files; print every problem")
    validate.add_argument("plans", nargs="*", type=Path, metavar="PLAN_DIR")
    build = sub.add_parser("build", help="build the PDFs of each SAO")
    build.add_argument("plans", nargs="*", type=Path, metavar="PLAN_DIR")
    build.add_argument("--out", type=Path, default=Path("build"), help="output folder (build/)")
    build.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1)
    return parser


def plan_dirs(given: list[Path]) -> list[Path]:
    """The folders named, or every folder in plans/ that holds a plan.yaml."""
    if given:
        missing = [p for p in given if not (p / "plan.yaml").is_file() and not p.is_file()]
        if missing:
            raise UsageError(f"no plan.yaml in {', '.join(map(str, missing))}")
        return given
    found = sorted(p.parent for p in Path("plans").glob("*/plan.yaml"))
    if not found:
        raise UsageError("no plans/<slug>/plan.yaml here; name the plan folders to use")
    return found


def _validate(args: argparse.Namespace) -> int:
    from .validate import check

    failed = 0
    for folder in plan_dirs(args.plans):
        try:
            checked = check(folder)
        except SaoError as exc:
            print(exc, file=sys.stderr)
            failed += 1
            continue
        for warning in checked.warnings:
            print(warning, file=sys.stderr)
        print(f"{checked.file}: ok")
    return 1 if failed else 0


def _build(args: argparse.Namespace) -> int:
    from .build import build_many
    from .progress import report

    folders = plan_dirs(args.plans)
    results = report(folders, lambda done: build_many(folders, args.out, args.jobs, done))
    return 1 if any(r.error for r in results) else 0


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
        return _validate(args) if args.command == "validate" else _build(args)
    except SaoError as exc:
        print(exc, file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted; finished files are intact", file=sys.stderr)
        return 130


def main_entry() -> None:
    sys.exit(main())
