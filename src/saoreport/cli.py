"""The command line: one subcommand per task, each with its own --help.

To add a subcommand: write `def _add_NAME(sub) -> None` that adds its parser (with
`set_defaults(run=...)`) and put it in COMMANDS. Nothing else changes.
"""

from __future__ import annotations

import argparse
import os
import sys
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from saoreport import __version__
from saoreport.errors import SaoError, UsageError, printable

DESCRIPTION = """\
saoreport makes the documents of a Thai local government's development plan
(แผนพัฒนาท้องถิ่น) from one plan file per SAO, plans/<slug>/plan.yaml: the strategy
document for the council, noticeboard posters (A3, A4) and the announcement (ประกาศ).
"""
EPILOG = """\
examples:
  saoreport validate                      check every plans/*/plan.yaml
  saoreport build plans/nong-hang         make the PDFs of one SAO into build/
  saoreport build --out /srv/pdf          every SAO, into another folder
  saoreport import page.html --slug nong-bua
                                          start a plan from the SAO's saved web page
  saoreport archive plans/nong-hang       freeze this year's documents
  saoreport archive verify                check everything archived
  saoreport diff plans/nong-hang archive/nong-hang/2570/v1

exit status: 0 done, 1 a plan or a document has a problem (each is printed with its
file:line), 2 the command was not understood.
Run 'saoreport COMMAND --help' for the options of a command.
"""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}\n(see: {self.prog} --help)")


SubParsers = Any  # argparse's _SubParsersAction, private in typeshed


def _command(
    sub: SubParsers, name: str, summary: str, details: str, examples: str
) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = sub.add_parser(
        name,
        help=summary,
        description=f"{summary}.\n\n{textwrap.dedent(details).strip()}",
        epilog="examples:\n" + textwrap.indent(textwrap.dedent(examples).strip(), "  "),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    return parser


def _plans_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "plans",
        nargs="*",
        type=Path,
        metavar="PLAN_DIR",
        help="a plan folder (holding plan.yaml) or plan file; default: every folder in plans/",
    )


def plan_dirs(given: list[Path]) -> list[Path]:
    """The folders named, or every folder in plans/ that holds a plan.yaml."""
    if given:
        missing = [p for p in given if not (p / "plan.yaml").is_file() and not p.is_file()]
        if missing:
            raise UsageError(f"no plan.yaml in {', '.join(printable(str(p)) for p in missing)}")
        return given
    found = sorted(p.parent for p in Path("plans").glob("*/plan.yaml"))
    if not found:
        raise UsageError("no plans/<slug>/plan.yaml here; name the plan folders to use")
    return found


# validate ------------------------------------------------------------------------------


def _add_validate(sub: SubParsers) -> None:
    parser = _command(
        sub,
        "validate",
        "check plan files and print every problem",
        """
        Reads each plan.yaml and reports every problem at once, each as
        file:line:column: where: what. Nothing is written.
        """,
        """
        saoreport validate
        saoreport validate plans/nong-hang plans/khi-lek
        """,
    )
    _plans_argument(parser)
    parser.set_defaults(run=_validate)


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
        except Exception as exc:  # a defect of saoreport: this plan's, not the others'
            print(f"{folder}: internal error ({type(exc).__name__}: {exc}); please report it")
            failed += 1
            continue
        for warning in checked.warnings:
            print(warning, file=sys.stderr)
        print(f"{checked.file}: ok")
    return 1 if failed else 0


# build ---------------------------------------------------------------------------------


def _jobs(text: str) -> int:
    try:
        jobs = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 1 <= jobs <= 256:
        raise argparse.ArgumentTypeError("give 1 to 256")
    return jobs


def _add_build(sub: SubParsers) -> None:
    parser = _command(
        sub,
        "build",
        "make the PDF documents of each SAO",
        """
        For each plan: strategy.pdf (the strategy document for the council),
        poster-a3.pdf and poster-a4.pdf and, once plan.approval is filled in,
        announcement.pdf, into OUT/<slug>/<fiscal year>/. A plan with problems is
        reported and skipped; the other SAOs are still built. Documents whose plan
        did not change are not made again.
        """,
        """
        saoreport build
        saoreport build plans/nong-hang --out /tmp/out -j 1
        """,
    )
    _plans_argument(parser)
    parser.add_argument(
        "--out", type=Path, default=Path("build"), metavar="DIR", help="output folder (build/)"
    )
    parser.add_argument(
        "--jobs",
        "-j",
        type=_jobs,
        default=os.cpu_count() or 1,
        metavar="N",
        help="work on N documents or SAOs at once (default: the number of cores, here"
        f" {os.cpu_count() or 1}); -j 1 uses one process",
    )
    parser.add_argument(
        "--no-cache", action="store_true", help="make every document again, even if unchanged"
    )
    parser.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="build on a Dask cluster (e.g. tcp://10.0.0.5:8786); needs saoreport[cluster]",
    )
    parser.set_defaults(run=_build)


def _build(args: argparse.Namespace) -> int:
    from saoreport.build.batch import build_many
    from saoreport.progress import report

    folders = plan_dirs(args.plans)
    if args.out.exists() and not args.out.is_dir():
        raise UsageError(f"--out {printable(str(args.out))} is a file; name a folder")
    results = report(
        folders,
        lambda done: build_many(
            folders, args.out, args.jobs, done, not args.no_cache, args.scheduler
        ),
    )
    return 1 if any(r.error for r in results) else 0


# import --------------------------------------------------------------------------------


def _add_import(sub: SubParsers) -> None:
    parser = _command(
        sub,
        "import",
        "start a plan from a saved vision-and-mission web page",
        """
        Reads the SAO's "วิสัยทัศน์ / พันธกิจ" page saved as text or HTML and writes
        OUT/<slug>/plan.yaml with the vision, missions and goals word for word. What
        the page does not give is filled with placeholders marked CHECK.
        """,
        """
        saoreport import saved-page.html --slug nong-bua
        saoreport import page.txt --slug nong-bua --force
        """,
    )
    parser.add_argument("file", type=Path, metavar="FILE", help="the page saved as text or HTML")
    parser.add_argument(
        "--slug",
        help="the plan's folder name, one name such as nong-bua (default: from FILE's name)",
    )
    parser.add_argument(
        "--out", type=Path, default=Path("plans"), metavar="DIR", help="plans folder (plans/)"
    )
    parser.add_argument("--force", action="store_true", help="replace an existing plan.yaml")
    parser.add_argument("--into", type=Path, metavar="PLAN_DIR", help="workbook: merge into a plan")
    parser.add_argument(
        "--accept-losses",
        action="store_true",
        help="workbook: import even if some cells (a budget, a year) could not be read;"
        " they are left out and listed",
    )
    parser.set_defaults(run=_import)


def _import(args: argparse.Namespace) -> int:
    import datetime as dt
    import re

    from saoreport.importers.web import import_page
    from saoreport.output import safe_slug
    from saoreport.plan.validate import check

    slug = args.slug or re.sub(r"[^a-z0-9-]+", "-", args.file.stem.lower()).strip("-") or "imported"
    slug = safe_slug(slug)
    if args.file.suffix.lower() in (".xlsx", ".xlsm", ".xls", ".ods"):
        from saoreport.excel.plan_file import import_and_report

        return import_and_report(
            args.file, slug, args.out, args.into, args.force, args.accept_losses
        )
    if args.into:
        raise UsageError("--into merges a workbook (.xlsx, .xls, .ods) into a plan")
    target, found = import_page(args.file, slug, args.out, dt.date.today(), args.force)
    for line, why, text in found.left_out:
        print(f"{args.file}:{line}: left out ({why}): {printable(text)}", file=sys.stderr)
    for line, message in found.flags:
        print(f"{args.file}:{line}: check: {printable(message)}", file=sys.stderr)
    checked = check(target.parent)
    for warning in checked.warnings:
        print(warning, file=sys.stderr)
    plan = checked.plan
    print(
        f"{target}: {len(plan.missions)} missions, {len(plan.goals)} goals,"
        f" {len(plan.strategies)} strategies; fill in the lines marked CHECK"
    )
    return 0


# export --------------------------------------------------------------------------------


def _add_export(sub: SubParsers) -> None:
    parser = _command(
        sub,
        "export",
        "write a plan's forms as an Excel workbook",
        """
        Writes the plan's forms (ผ.01, ผ.02, ผ.03) as sheets of one workbook, to edit or
        to send; `saoreport import BOOK.xlsx --into PLAN_DIR` reads it back.
        """,
        """
        saoreport export plans/nong-hang --xlsx nong-hang.xlsx
        """,
    )
    parser.add_argument("plan", type=Path, metavar="PLAN_DIR", help="the plan folder")
    parser.add_argument("--xlsx", type=Path, required=True, metavar="OUT.xlsx", help="the workbook")
    parser.set_defaults(run=_export)


def _export(args: argparse.Namespace) -> int:
    from saoreport.excel.write import export_and_report

    code: int = export_and_report(args.plan, args.xlsx)
    return code


# archive -------------------------------------------------------------------------------

ARCHIVE_ACTIONS = ("freeze", "verify", "list")


def _add_archive(sub: SubParsers) -> None:
    parser = _command(
        sub,
        "archive",
        "freeze, verify and list archived versions of the documents",
        """
        archive [freeze] PLAN_DIR...   build the archival (PDF/A-3u) documents and keep
                                       them, with the plan, as ROOT/<slug>/<year>/v<N>/
        archive verify [PATH]          check archived versions: files, manifest, chain
                                       of versions, the SAO's index, signatures, rebuild
        archive list [SLUG]            what is archived

        Run 'saoreport archive ACTION --help' for each action's options.
        """,
        """
        saoreport archive plans/nong-hang
        saoreport archive plans/nong-hang --key archive-key.pem
        saoreport archive verify --key archive-key.pub.pem
        saoreport archive verify archive/nong-hang/2570/v2 --no-rebuild
        saoreport archive list nong-hang
        """,
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser)
    root_help = "the archive folder (archive/)"

    freeze = _command(
        actions,
        "freeze",
        "archive the documents of each plan (the default action)",
        """
        A new version v<N+1> only when anything changed; otherwise the current
        version is named. With --key, the version's manifest is signed (Ed25519).
        """,
        """
        saoreport archive freeze plans/nong-hang
        saoreport archive plans/nong-hang --key archive-key.pem
        """,
    )
    _plans_argument(freeze)
    freeze.add_argument("--root", type=Path, default=Path("archive"), help=root_help)
    freeze.add_argument(
        "--key", type=Path, metavar="KEY.pem", help="sign with this Ed25519 private key"
    )
    freeze.set_defaults(run=_archive_freeze)

    verify = _command(
        actions,
        "verify",
        "check archived versions",
        """
        Re-hashes every file, checks every field of each manifest against the folder
        and the archived plan, the chain of versions, the SAO's index and (with --key)
        the signatures, then rebuilds each version from its archived plan and compares
        the bytes. PATH: the archive, an SAO, a fiscal year or one version.
        """,
        """
        saoreport archive verify
        saoreport archive verify archive/nong-hang --key archive-key.pub.pem
        """,
    )
    verify.add_argument("path", nargs="?", type=Path, metavar="PATH", help="default: --root")
    verify.add_argument("--root", type=Path, default=Path("archive"), help=root_help)
    verify.add_argument(
        "--key", type=Path, metavar="KEY.pem", help="check signatures with this public key"
    )
    verify.add_argument(
        "--no-rebuild", action="store_true", help="only re-hash and check; do not rebuild"
    )
    verify.set_defaults(run=_archive_verify)

    listing = _command(
        actions,
        "list",
        "list archived versions",
        "One line per version: slug, fiscal year, version, archive time, documents.",
        """
        saoreport archive list
        saoreport archive list nong-hang
        """,
    )
    listing.add_argument("slug", nargs="?", metavar="SLUG", help="one SAO")
    listing.add_argument("--root", type=Path, default=Path("archive"), help=root_help)
    listing.set_defaults(run=_archive_list)


def _archive_argv(argv: list[str]) -> list[str]:
    """`archive PLAN_DIR...` is `archive freeze PLAN_DIR...` (the action may be left out)."""
    if argv[:1] != ["archive"]:
        return argv
    rest = argv[1:]
    words = [
        w
        for i, w in enumerate(rest)
        if not w.startswith("-") and rest[i - 1 : i] != ["--root"] and rest[i - 1 : i] != ["--key"]
    ]
    if words[:1] and words[0] in ARCHIVE_ACTIONS:
        return argv
    if not words and ("-h" in rest or "--help" in rest):
        return argv
    return ["archive", "freeze", *rest]


def _archive_freeze(args: argparse.Namespace) -> int:
    from saoreport.archive import versions as archive

    failed = 0
    for folder in plan_dirs(args.plans):
        try:
            frozen = archive.freeze(folder, args.root, args.key)
        except UsageError:
            raise
        except SaoError as exc:
            print(exc, file=sys.stderr)
            failed += 1
            continue
        state = "new version" if frozen.new else "unchanged: the current version already holds it"
        print(f"{folder}: {frozen.path} ({state})")
    return 1 if failed else 0


def _archive_verify(args: argparse.Namespace) -> int:
    from saoreport.archive import versions as archive

    found = archive.version_dirs(args.path or args.root)
    if not found:
        raise SaoError(f"{args.path or args.root}: no archived versions here")
    failed = 0
    history: list[str] = []  # the chain and the index, per SAO
    for slug_dir, among in sorted(archive.histories(found).items()):
        history += archive.verify_history(slug_dir, among)
    for problem in history:
        print(problem, file=sys.stderr)
    for version in found:
        problems = archive.verify(version, rebuild=not args.no_rebuild, key=args.key)
        for problem in problems:
            print(problem, file=sys.stderr)
        mine = [p for p in history if p.startswith((f"{version}/", f"{version}:"))]
        print(f"{version}: {'FAILED' if problems or mine else 'ok'}")
        failed += bool(problems or mine)
    return 1 if failed or history else 0


def _archive_list(args: argparse.Namespace) -> int:
    from saoreport.archive import versions as archive

    lines = archive.listing(args.root, args.slug)
    print("\n".join(lines) if lines else f"{args.root}: nothing archived")
    return 0


# diff ----------------------------------------------------------------------------------


def _add_diff(sub: SubParsers) -> None:
    parser = _command(
        sub,
        "diff",
        "what changed between two plans or archived versions",
        """
        PLAN_A and PLAN_B may each be a plan folder or file, an archived version or an
        archived fiscal year (its latest version). Prints the changes of the plan's
        data, vision, missions, goals, strategies and projects and the budget per year.
        """,
        """
        saoreport diff archive/nong-hang/2570/v1 plans/nong-hang
        saoreport diff archive/nong-hang/2569 archive/nong-hang/2570 --pdf changes.pdf
        """,
    )
    parser.add_argument("first", type=Path, metavar="PLAN_A", help="before")
    parser.add_argument("second", type=Path, metavar="PLAN_B", help="after")
    parser.add_argument(
        "--pdf", type=Path, metavar="OUT.pdf", help="also write a change summary for the council"
    )
    parser.set_defaults(run=_diff)


def _diff(args: argparse.Namespace) -> int:
    from saoreport.archive.diff import compare, in_thai, load_pair, other_sao, what_in_thai

    if args.pdf is not None and args.pdf.is_dir():
        raise UsageError(f"--pdf {printable(str(args.pdf))} is a folder; name the PDF file")
    first, second = load_pair(args.first, args.second)
    changes = compare(first.plan, second.plan, (first.narrative, second.narrative))
    warning = other_sao(first.plan, second.plan)
    if warning:
        print(warning, file=sys.stderr)
    print("\n".join(printable(line) for line in changes.lines()))
    if args.pdf:
        from saoreport.build.documents import Documents
        from saoreport.output import write_atomic

        documents = Documents(second)
        html = documents.html(
            "changes.html.j2",
            changes=changes,
            in_thai=in_thai,
            what_in_thai=what_in_thai,
            before_label=str(args.first),
            after_label=str(args.second),
        )
        write_atomic(args.pdf, documents.fix_text(documents.layout.write_pdf(html)))
        print(f"{args.pdf}: change summary")
    return 0


# schema ------------------------------------------------------------------------------


def _add_schema(sub: SubParsers) -> None:
    parser = _command(
        sub,
        "schema",
        "print the plan file's JSON Schema, for editors",
        """
        Prints the JSON Schema of plan.yaml, made from the same models that validate it.
        Save it at the top of the project and put this line first in a plan.yaml: editors
        such as VS Code (with the YAML extension) then complete and check it as you type.
          # yaml-language-server: $schema=../../plan.schema.json
        """,
        """
        saoreport schema > plan.schema.json
        """,
    )
    parser.set_defaults(run=_schema)


def _schema(args: argparse.Namespace) -> int:
    """The JSON Schema of plan.yaml, from the pydantic models."""
    import json

    from saoreport.plan.models import Plan

    schema = Plan.model_json_schema()
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
    schema["title"] = "saoreport plan file (plans/<slug>/plan.yaml)"
    print(json.dumps(schema, ensure_ascii=False, indent=2))
    return 0


# --------------------------------------------------------------------------------------

COMMANDS: list[Callable[[SubParsers], None]] = [
    _add_validate,
    _add_build,
    _add_import,
    _add_archive,
    _add_export,
    _add_diff,
    _add_schema,
]


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="saoreport",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"saoreport {__version__}")
    sub = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=_Parser
    )
    for add in COMMANDS:
        add(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    try:
        parser = _parser()
        args = parser.parse_args(_archive_argv(words))
        if getattr(args, "run", None) is None:  # `saoreport archive` alone
            raise UsageError("saoreport archive: name plan folders, or verify or list")
        code: int = args.run(args)
        return code
    except SaoError as exc:
        print(exc, file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted; finished files are intact", file=sys.stderr)
        return 130
    except OSError as exc:
        where = f"{printable(str(exc.filename))}: " if exc.filename else ""
        print(f"saoreport: {where}{exc.strerror or exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # a defect of saoreport: a message, never a traceback
        print(
            f"saoreport: internal error ({type(exc).__name__}: {printable(str(exc))});"
            " please report it",
            file=sys.stderr,
        )
        return 1


def main_entry() -> None:
    sys.exit(main())
