"""The command line: `saoreport validate|build [PLAN_DIR...]`. Thin: it calls the stages."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from saoreport import __version__
from saoreport.errors import SaoError, UsageError


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
    build.add_argument("--no-cache", action="store_true", help="make every document again")
    build.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="build on a Dask cluster (e.g. tcp://10.0.0.5:8786); needs saoreport[cluster]",
    )
    page = sub.add_parser("import", help="start a plan from a saved vision-and-mission web page")
    page.add_argument("file", type=Path, metavar="FILE", help="the page saved as text or HTML")
    page.add_argument("--slug", help="folder name for the plan (default: from FILE's name)")
    page.add_argument("--out", type=Path, default=Path("plans"), help="plans folder (plans/)")
    page.add_argument("--force", action="store_true", help="replace an existing plan.yaml")
    page.add_argument("--into", type=Path, metavar="PLAN_DIR", help="workbook: merge into a plan")
    book = sub.add_parser("export", help="write a plan's forms as an Excel workbook")
    book.add_argument("plan", type=Path, metavar="PLAN_DIR")
    book.add_argument("--xlsx", type=Path, required=True, metavar="OUT.xlsx")
    frozen = sub.add_parser(
        "archive",
        help="freeze each SAO's documents (archive PLAN_DIR...), or: archive verify [PATH],"
        " archive list [SLUG]",
    )
    frozen.add_argument("args", nargs="*", metavar="PLAN_DIR | verify [PATH] | list [SLUG]")
    frozen.add_argument("--root", type=Path, default=Path("archive"), help="archive folder")
    frozen.add_argument("--no-rebuild", action="store_true", help="verify: only re-hash")
    changes = sub.add_parser("diff", help="what changed between two plans or archived versions")
    changes.add_argument("first", type=Path, metavar="PLAN_A")
    changes.add_argument("second", type=Path, metavar="PLAN_B")
    changes.add_argument("--pdf", type=Path, metavar="OUT", help="also write a change summary PDF")
    sub.add_parser("schema", help="print the plan file's JSON Schema (for editors)")
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
    from saoreport.plan.validate import check

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
    from saoreport.build.batch import build_many
    from saoreport.progress import report

    folders = plan_dirs(args.plans)
    results = report(
        folders,
        lambda done: build_many(
            folders, args.out, args.jobs, done, not args.no_cache, args.scheduler
        ),
    )
    return 1 if any(r.error for r in results) else 0


def _import(args: argparse.Namespace) -> int:
    import datetime as dt
    import re

    from saoreport.importers.web import import_page
    from saoreport.plan.validate import check

    slug = args.slug or re.sub(r"[^a-z0-9-]+", "-", args.file.stem.lower()).strip("-") or "imported"
    if args.file.suffix.lower() in (".xlsx", ".xlsm", ".xls", ".ods"):
        from saoreport.excel.plan_file import import_and_report

        return import_and_report(args.file, slug, args.out, args.into, args.force)
    if args.into:
        raise UsageError("--into merges a workbook (.xlsx, .xls, .ods) into a plan")
    target, found = import_page(args.file, slug, args.out, dt.date.today(), args.force)
    for line, why, text in found.left_out:
        print(f"{args.file}:{line}: left out ({why}): {text}", file=sys.stderr)
    for line, message in found.flags:
        print(f"{args.file}:{line}: check: {message}", file=sys.stderr)
    checked = check(target.parent)
    for warning in checked.warnings:
        print(warning, file=sys.stderr)
    plan = checked.plan
    print(
        f"{target}: {len(plan.missions)} missions, {len(plan.goals)} goals,"
        f" {len(plan.strategies)} strategies; fill in the lines marked CHECK"
    )
    return 0


def _export(args: argparse.Namespace) -> int:
    from saoreport.excel.write import export_and_report

    return export_and_report(args.plan, args.xlsx)


def _archive(args: argparse.Namespace) -> int:
    from saoreport.archive import versions as archive

    words = list(args.args)
    if words[:1] == ["list"]:
        if len(words) > 2:
            raise UsageError("saoreport archive list [SLUG]")
        lines = archive.listing(args.root, words[1] if len(words) > 1 else None)
        print("\n".join(lines) if lines else f"{args.root}: nothing archived")
        return 0
    if words[:1] == ["verify"]:
        if len(words) > 2:
            raise UsageError("saoreport archive verify [PATH]")
        failed = 0
        for version in archive.version_dirs(Path(words[1]) if len(words) > 1 else args.root):
            problems = archive.verify(version, rebuild=not args.no_rebuild)
            for problem in problems:
                print(problem, file=sys.stderr)
            print(f"{version}: {'FAILED' if problems else 'ok'}")
            failed += bool(problems)
        return 1 if failed else 0
    failed = 0
    for folder in plan_dirs([Path(w) for w in words]):
        try:
            frozen = archive.freeze(folder, args.root)
        except SaoError as exc:
            print(exc, file=sys.stderr)
            failed += 1
            continue
        state = "new version" if frozen.new else "unchanged: the current version already holds it"
        print(f"{folder}: {frozen.path} ({state})")
    return 1 if failed else 0


def _diff(args: argparse.Namespace) -> int:
    from saoreport.archive.diff import compare, in_thai, load_pair

    first, second = load_pair(args.first, args.second)
    changes = compare(first.plan, second.plan)
    print("\n".join(changes.lines()))
    if args.pdf:
        from saoreport.build.documents import Documents
        from saoreport.output import write_atomic

        documents = Documents(second)
        html = documents.html(
            "changes.html.j2",
            changes=changes,
            in_thai=in_thai,
            before_label=str(args.first),
            after_label=str(args.second),
        )
        write_atomic(args.pdf, documents.fix_text(documents.layout.write_pdf(html)))
        print(f"{args.pdf}: change summary")
    return 0


def _schema(args: argparse.Namespace) -> int:
    """The JSON Schema of plan.yaml, from the pydantic models: editors complete and check
    plan files with it."""
    import json

    from saoreport.plan.models import Plan

    schema = Plan.model_json_schema()
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
    schema["title"] = "saoreport plan file (plans/<slug>/plan.yaml)"
    print(json.dumps(schema, ensure_ascii=False, indent=2))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
        commands = {
            "validate": _validate,
            "build": _build,
            "import": _import,
            "archive": _archive,
            "export": _export,
            "diff": _diff,
            "schema": _schema,
        }
        return commands[args.command](args)
    except SaoError as exc:
        print(exc, file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted; finished files are intact", file=sys.stderr)
        return 130


def main_entry() -> None:
    sys.exit(main())
