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

from saoreport import __version__, workers
from saoreport.errors import SaoError, UsageError, printable
from saoreport.messages import LANGUAGES, _, n_, os_reason, parse_language, set_language


def _description() -> str:
    return _paragraphs(
        _(
            "saoreport makes the documents of a Thai local government's development plan"
            " (แผนพัฒนาท้องถิ่น) from one plan file per SAO, plans/<slug>/plan.yaml: the"
            " strategy document for the council, noticeboard posters (A3, A4) and the"
            " announcement (ประกาศ)."
        )
    )


def _epilog() -> str:
    examples = [
        ("saoreport validate", _("check every plans/*/plan.yaml")),
        ("saoreport build plans/nong-hang", _("make the PDFs of one SAO into build/")),
        ("saoreport build --out /srv/pdf", _("every SAO, into another folder")),
        (
            "saoreport import page.html --slug nong-bua",
            _("start a plan from the SAO's saved web page"),
        ),
        ("saoreport archive plans/nong-hang", _("freeze this year's documents")),
        ("saoreport archive verify", _("check everything archived")),
        (
            "saoreport diff archive/nong-hang/2570/v1 plans/nong-hang",
            _("what changed from the archived version (older) to the plan (newer)"),
        ),
    ]
    lines = [_("examples:")]
    for command, what in examples:
        lines += (
            [f"  {command:<40}{what}"] if len(command) < 40 else [f"  {command}", " " * 42 + what]
        )
    ending = _(
        "exit status: 0 done, 1 a plan or a document has a problem (each is printed with its"
        " file:line), 2 the command was not understood. Run 'saoreport COMMAND --help' for the"
        " options of a command."
    )
    return "\n".join(lines) + "\n\n" + _paragraphs(ending)


def _paragraphs(text: str) -> str:
    """Help text as the terminal shows it: each paragraph filled to 79 columns, a paragraph
    whose lines start with spaces (a table) kept as it is."""
    out = []
    for paragraph in text.split("\n\n"):
        if any(line.startswith(" ") for line in paragraph.splitlines()):
            out.append(paragraph)
        else:
            out.append(textwrap.fill(paragraph, 79, break_on_hyphens=False))
    return "\n\n".join(out)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(
            _("{prog}: {message}\n(see: {prog} --help)", prog=self.prog, message=message)
        )


SubParsers = Any  # argparse's _SubParsersAction, private in typeshed


def _command(
    sub: SubParsers, name: str, summary: str, details: str, examples: str
) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = sub.add_parser(
        name,
        help=summary,
        description=f"{summary}\n\n{_paragraphs(details)}",
        epilog=_("examples:") + "\n" + textwrap.indent(textwrap.dedent(examples).strip(), "  "),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    lang_option(parser)
    return parser


def lang_option(parser: argparse.ArgumentParser) -> None:
    """--lang, on the command and on each subcommand (main() reads it before parsing)."""
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=argparse.SUPPRESS,
        help=_(
            "the language of messages: th (the default) or en; without it, SAOREPORT_LANG,"
            " then the locale"
        ),
    )


def _plans_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "plans",
        nargs="*",
        type=Path,
        metavar="PLAN_DIR",
        help=_("a plan folder (holding plan.yaml) or plan file; default: every folder in plans/"),
    )


def plan_dirs(given: list[Path]) -> list[Path]:
    """The folders named, or every folder in plans/ that holds a plan.yaml."""
    if given:
        missing = [p for p in given if not (p / "plan.yaml").is_file() and not p.is_file()]
        if missing:
            raise UsageError(
                _(
                    "there is no plan.yaml in {folders}: name a plan folder",
                    folders=", ".join(printable(str(p)) for p in missing),
                )
            )
        return given
    found = sorted(p.parent for p in Path("plans").glob("*/plan.yaml"))
    if not found:
        raise UsageError(_("there is no plans/<slug>/plan.yaml here: name the plan folders to use"))
    return found


# validate ------------------------------------------------------------------------------


def _add_validate(sub: SubParsers) -> None:
    parser = _command(
        sub,
        "validate",
        _("check plan files and print every problem"),
        _(
            "Reads each plan.yaml and reports every problem at once, each as"
            " file:line:column: where: what, and what to do. Nothing is written."
        ),
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
            print(
                _(
                    "{folder}: internal error ({kind}: {detail}); please report it",
                    folder=folder,
                    kind=type(exc).__name__,
                    detail=printable(str(exc)),
                )
            )
            failed += 1
            continue
        for warning in checked.all_warnings:
            print(warning, file=sys.stderr)
        print(_("{file}: ok", file=checked.file))
    return 1 if failed else 0


# build ---------------------------------------------------------------------------------


def _jobs(text: str) -> int:
    try:
        jobs = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("{value} is not a number: give 1 to 256", value=repr(text))
        ) from None
    if not 1 <= jobs <= 256:
        raise argparse.ArgumentTypeError(_("give 1 to 256"))
    return jobs


def _add_build(sub: SubParsers) -> None:
    parser = _command(
        sub,
        "build",
        _("make the PDF documents of each SAO"),
        _(
            "For each plan: strategy.pdf (the strategy document for the council), poster-a3.pdf"
            " and poster-a4.pdf and, once plan.approval is filled in, announcement.pdf, into"
            " OUT/<slug>/<fiscal year>/. A plan with problems is reported and skipped; the"
            " other SAOs are still built. Documents whose plan did not change are not made"
            " again."
        ),
        """
        saoreport build
        saoreport build plans/nong-hang --out /tmp/out -j 1
        """,
    )
    _plans_argument(parser)
    parser.add_argument(
        "--out", type=Path, default=Path("build"), metavar="DIR", help=_("output folder (build/)")
    )
    parser.add_argument(
        "--jobs",
        "-j",
        type=_jobs,
        default=os.cpu_count() or 1,
        metavar="N",
        help=_(
            "work on N documents or SAOs at once (default: the number of cores, here {cores});"
            " -j 1 uses one process",
            cores=os.cpu_count() or 1,
        ),
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help=_("make every document again, even if unchanged"),
    )
    parser.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help=_("build on a Dask cluster (e.g. tcp://10.0.0.5:8786); needs saoreport[cluster]"),
    )
    parser.set_defaults(run=_build)


def _build(args: argparse.Namespace) -> int:
    from saoreport.output import check_output
    from saoreport.pipeline.batch import build_many
    from saoreport.progress import report

    folders = plan_dirs(args.plans)
    if args.out.exists() and not args.out.is_dir():
        raise UsageError(_("--out {path} is a file: name a folder", path=printable(str(args.out))))
    for folder in folders:  # each SAO's documents go to OUT/<slug>/
        plan_folder = folder if folder.is_dir() else folder.parent
        mine = args.out / plan_folder.resolve().name
        check_output(mine, "--out", [plan_folder], folder=True, label=f"--out {args.out}: {mine}")
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
        _("start a plan from a saved vision-and-mission web page, or from a workbook"),
        _(
            'Reads the SAO\'s "วิสัยทัศน์ / พันธกิจ" page saved as text or HTML and writes'
            " OUT/<slug>/plan.yaml with the vision, missions and goals word for word. What the"
            " page does not give is filled with placeholders marked CHECK."
        )
        + "\n\n"
        + _(
            "A workbook (.xlsx, .xls, .ods: ผ.01, ผ.02, ผ.03) gives the strategies, projects and"
            " equipment; with --into it changes only what it lists, prints the change"
            " (--dry-run: and writes nothing), and keeps the previous plan.yaml beside it. Its"
            " notes go into import-notes.txt; a cell it cannot read makes it exit 1 unless"
            " --accept-losses."
        ),
        """
        saoreport import saved-page.html --slug nong-bua
        saoreport import page.txt --slug nong-bua --force
        saoreport import plan-2566.xlsx --slug nong-bua
        saoreport import engineering.xlsx --into plans/nong-bua --dry-run
        """,
    )
    parser.add_argument(
        "file",
        type=Path,
        metavar="FILE",
        help=_("the page saved as text or HTML, or a workbook"),
    )
    parser.add_argument(
        "--slug",
        help=_("the plan's folder name, one name such as nong-bua (default: from FILE's name)"),
    )
    parser.add_argument("--out", type=Path, metavar="DIR", help=_("plans folder (plans/)"))
    parser.add_argument("--force", action="store_true", help=_("replace an existing plan.yaml"))
    parser.add_argument(
        "--into", type=Path, metavar="PLAN_DIR", help=_("workbook: merge into a plan")
    )
    parser.add_argument(
        "--dry-run", action="store_true", help=_("workbook: show what would change, write nothing")
    )
    parser.add_argument(
        "--remove-missing",
        action="store_true",
        help=_("workbook --into: remove what the plan has and the workbook's ผ.02 / ผ.03 lack"),
    )
    parser.add_argument(
        "--accept-losses",
        action="store_true",
        help=_("workbook: import although some cells could not be read (they are left out)"),
    )
    parser.set_defaults(run=_import)


def _import(args: argparse.Namespace) -> int:
    import datetime as dt
    import re

    from saoreport.importers.web import import_page
    from saoreport.output import check_output, safe_slug
    from saoreport.plan.validate import check

    if args.into is not None:
        given = [
            o for o, v in (("--slug", args.slug), ("--out", args.out), ("--force", args.force)) if v
        ]
        if given:
            raise UsageError(
                _(
                    "--into PLAN_DIR writes into that plan: {options} cannot go with it (to start"
                    " a new plan, leave --into out)",
                    options=", ".join(given),
                )
            )
    out = args.out if args.out is not None else Path("plans")
    slug = args.slug or re.sub(r"[^a-z0-9-]+", "-", args.file.stem.lower()).strip("-") or "imported"
    slug = safe_slug(slug)
    own = args.into or out / slug  # the plan folder the import writes plan.yaml in
    option = "--into" if args.into else "--out"
    check_output(own / "plan.yaml", option, [args.file], may_write_in=own)
    if args.file.suffix.lower() in (".xlsx", ".xlsm", ".xls", ".ods"):
        from saoreport.excel.plan_file import import_and_report

        return import_and_report(
            args.file,
            slug,
            out,
            args.into,
            args.force,
            dry_run=args.dry_run,
            accept_losses=args.accept_losses,
            remove_missing=args.remove_missing,
        )
    if args.into or args.dry_run or args.remove_missing or args.accept_losses:
        raise UsageError(
            _(
                "--into, --dry-run, --remove-missing and --accept-losses are for a workbook"
                " (.xlsx, .xls, .ods): leave them out to import a web page"
            )
        )
    target, found = import_page(args.file, slug, out, dt.date.today(), args.force)
    for line, why, text in found.left_out:
        left_out = _(
            "{file}:{line}: left out ({why}): {text}",
            file=args.file,
            line=line,
            why=why,
            text=printable(text),
        )
        print(left_out, file=sys.stderr)
    for line, message in found.flags:
        flag = _(
            "{file}:{line}: check: {message}", file=args.file, line=line, message=printable(message)
        )
        print(flag, file=sys.stderr)
    checked = check(target.parent)
    for warning in checked.warnings:
        print(warning, file=sys.stderr)
    plan = checked.plan
    missions, goals, strategies = len(plan.missions), len(plan.goals), len(plan.strategies)
    print(
        _(
            "{file}: {missions}, {goals}, {strategies}; fill in the lines marked CHECK",
            file=target,
            missions=n_("{count} mission", "{count} missions", missions, count=missions),
            goals=n_("{count} goal", "{count} goals", goals, count=goals),
            strategies=n_("{count} strategy", "{count} strategies", strategies, count=strategies),
        )
    )
    return 0


# export --------------------------------------------------------------------------------


def _add_export(sub: SubParsers) -> None:
    parser = _command(
        sub,
        "export",
        _("write a plan's forms as an Excel workbook"),
        _(
            "Writes the plan's forms (ผ.01, ผ.02, ผ.03) as sheets of one workbook, to edit or"
            " to send; `saoreport import BOOK.xlsx --into PLAN_DIR` reads it back."
        ),
        """
        saoreport export plans/nong-hang --xlsx nong-hang.xlsx
        """,
    )
    parser.add_argument("plan", type=Path, metavar="PLAN_DIR", help=_("the plan folder"))
    parser.add_argument(
        "--xlsx", type=Path, required=True, metavar="OUT.xlsx", help=_("the workbook to write")
    )
    parser.set_defaults(run=_export)


def _export(args: argparse.Namespace) -> int:
    from saoreport.excel.write import export_and_report
    from saoreport.output import check_output

    check_output(args.xlsx, "--xlsx", [args.plan])
    code: int = export_and_report(args.plan, args.xlsx)
    return code


# archive -------------------------------------------------------------------------------

ARCHIVE_ACTIONS = ("freeze", "verify", "list")


def _add_archive(sub: SubParsers) -> None:
    parser = _command(
        sub,
        "archive",
        _("freeze, verify and list archived versions of the documents"),
        "  archive [freeze] PLAN_DIR...   "
        + _(
            "build the archival (PDF/A-3u) documents and keep them, with the plan, as"
            " ROOT/<slug>/<year>/v<N>/"
        )
        + "\n  archive verify [PATH]          "
        + _(
            "check archived versions: files, manifest, chain of versions, the SAO's index,"
            " signatures, rebuild"
        )
        + "\n  archive list [SLUG]            "
        + _("what is archived")
        + "\n\n"
        + _("Run 'saoreport archive ACTION --help' for each action's options."),
        """
        saoreport archive plans/nong-hang
        saoreport archive plans/nong-hang --key archive-key.pem
        saoreport archive verify --key archive-key.pub.pem
        saoreport archive verify archive/nong-hang/2570/v2 --no-rebuild
        saoreport archive list nong-hang
        """,
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser)
    root_help = _("the archive folder (archive/)")

    freeze = _command(
        actions,
        "freeze",
        _("archive the documents of each plan (the default action)"),
        _(
            "A new version v<N+1> only when anything changed; otherwise the current version is"
            " named. With --key, the version's manifest is signed (Ed25519)."
        ),
        """
        saoreport archive freeze plans/nong-hang
        saoreport archive plans/nong-hang --key archive-key.pem
        """,
    )
    _plans_argument(freeze)
    freeze.add_argument("--root", type=Path, default=Path("archive"), help=root_help)
    freeze.add_argument(
        "--key", type=Path, metavar="KEY.pem", help=_("sign with this Ed25519 private key")
    )
    freeze.set_defaults(run=_archive_freeze)

    verify = _command(
        actions,
        "verify",
        _("check archived versions"),
        _(
            "Re-hashes every file, checks every field of each manifest against the folder and"
            " the archived plan, the chain of versions, the SAO's index and (with --key) the"
            " signatures, then rebuilds each version from its archived plan and compares the"
            " bytes. PATH: the archive, an SAO, a fiscal year or one version."
        ),
        """
        saoreport archive verify
        saoreport archive verify archive/nong-hang --key archive-key.pub.pem
        """,
    )
    verify.add_argument("path", nargs="?", type=Path, metavar="PATH", help=_("default: --root"))
    verify.add_argument("--root", type=Path, default=Path("archive"), help=root_help)
    verify.add_argument(
        "--key", type=Path, metavar="KEY.pem", help=_("check signatures with this public key")
    )
    verify.add_argument(
        "--no-rebuild", action="store_true", help=_("only re-hash and check; do not rebuild")
    )
    verify.set_defaults(run=_archive_verify)

    listing = _command(
        actions,
        "list",
        _("list archived versions"),
        _("One line per version: slug, fiscal year, version, archive time, documents."),
        """
        saoreport archive list
        saoreport archive list nong-hang
        """,
    )
    listing.add_argument("slug", nargs="?", metavar="SLUG", help=_("one SAO"))
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
        if frozen.new:
            print(_("{folder}: {version} (new version)", folder=folder, version=frozen.path))
        else:
            print(
                _(
                    "{folder}: {version} (unchanged: the current version already holds it)",
                    folder=folder,
                    version=frozen.path,
                )
            )
    return 1 if failed else 0


def _archive_verify(args: argparse.Namespace) -> int:
    from saoreport.archive import versions as archive

    found = archive.version_dirs(args.path or args.root)
    if not found:
        raise SaoError(
            _(
                "{path}: no archived versions here; name the archive folder (--root) or a"
                " version in it",
                path=args.path or args.root,
            )
        )
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
        print(
            _("{version}: FAILED", version=version)
            if problems or mine
            else _("{version}: ok", version=version)
        )
        failed += bool(problems or mine)
    return 1 if failed or history else 0


def _archive_list(args: argparse.Namespace) -> int:
    from saoreport.archive import versions as archive

    lines = archive.listing(args.root, args.slug)
    print("\n".join(lines) if lines else _("{root}: nothing archived", root=args.root))
    return 0


# diff ----------------------------------------------------------------------------------


def _add_diff(sub: SubParsers) -> None:
    parser = _command(
        sub,
        "diff",
        _("what changed between two plans or archived versions: the older first, then the newer"),
        _(
            "OLDER (before) and NEWER (after), in this order, may each be a plan folder or file,"
            " an archived version or an archived fiscal year (its latest version). Prints which"
            " is which, then the changes of the plan's data, vision, missions, goals, strategies,"
            " projects and equipment and the budget per year. If OLDER looks newer than NEWER"
            " (a later fiscal year, a later archived version, a later approval or edition, or"
            " an archived copy after the plan folder), it stops and says so: swap them, or add"
            " --any-order."
        ),
        """
        saoreport diff archive/nong-hang/2570/v1 plans/nong-hang
        saoreport diff archive/nong-hang/2569 archive/nong-hang/2570 --pdf changes.pdf
        """,
    )
    parser.add_argument("older", type=Path, metavar="OLDER", help=_("the older: before"))
    parser.add_argument("newer", type=Path, metavar="NEWER", help=_("the newer: after"))
    parser.add_argument(
        "--pdf",
        type=Path,
        metavar="OUT.pdf",
        help=_("also write a change summary for the council"),
    )
    parser.add_argument(
        "--any-order",
        action="store_true",
        help=_("compare them as given even when OLDER looks newer than NEWER (with a warning)"),
    )
    parser.set_defaults(run=_diff)


def _diff(args: argparse.Namespace) -> int:
    from saoreport.archive.diff import compare, council, describe, locate, other_sao, swapped
    from saoreport.plan.validate import check

    if args.pdf is not None:
        from saoreport.output import check_output

        check_output(args.pdf, "--pdf", [args.older, args.newer])
    older, newer = locate(args.older), locate(args.newer)
    first, second = check(older.folder), check(newer.folder)
    why = swapped((older, first.plan), (newer, second.plan))
    if why is not None:
        said = _(
            "{older} looks newer than {newer}: {why}. diff takes the older first: run"
            " saoreport diff {newer} {older}; or add --any-order to compare them as given",
            older=printable(str(args.older)),
            newer=printable(str(args.newer)),
            why=why,
        )
        if not args.any_order:
            raise SaoError(said)
        print(_("warning: {problem}", problem=said), file=sys.stderr)
    warning = other_sao(first.plan, second.plan)
    if warning:
        print(warning, file=sys.stderr)
    print(_("older (before): {side}", side=describe(older)))
    print(_("newer (after): {side}", side=describe(newer)))
    changes = compare(first.plan, second.plan, (first.narrative, second.narrative))
    print("\n".join(printable(line) for line in changes.lines()))
    if args.pdf:
        from saoreport.output import write_atomic
        from saoreport.pipeline.documents import Documents

        documents = Documents(second)
        html = documents.html("changes.html.j2", summary=council(changes, older, newer))
        write_atomic(args.pdf, documents.fix_text(documents.layout.write_pdf(html)))
        print(_("{file}: change summary", file=args.pdf))
    return 0


# edition ------------------------------------------------------------------------------


def _add_edition(sub: SubParsers) -> None:
    parser = _command(
        sub,
        "edition",
        _("build the latest edition's book and announcement (เพิ่มเติม, เปลี่ยนแปลง …)"),
        _(
            "Builds the book of the plan's latest edition (editions: in plan.yaml) and its"
            " announcement into OUT/<slug>/<fiscal year>/: amendment-<kind>-<n>-<year>.pdf"
            " and announcement-<kind>-<n>-<year>.pdf. The edition's items and the before side"
            " of its changes come from the archived version it amends (base: v1), read from"
            " --root. Archive each edition once it is approved: saoreport archive freezes"
            " these documents with it."
        ),
        """
        saoreport edition plans/demo
        saoreport edition plans/demo --root archive --out build
        saoreport edition plans/demo --base old-plans/demo-2567
        """,
    )
    parser.add_argument("plan", type=Path, metavar="PLAN_DIR", help=_("the plan folder"))
    parser.add_argument(
        "--root", type=Path, default=Path("archive"), help=_("the archive folder (archive/)")
    )
    parser.add_argument("--out", type=Path, default=Path("build"), help=_("output folder (build/)"))
    parser.add_argument(
        "--base",
        type=Path,
        metavar="PLAN_DIR",
        help=_(
            "the plan it amends, as a plan folder, instead of the archived version that"
            " base: names (a plan archived before saoreport, a demonstration)"
        ),
    )
    parser.set_defaults(run=_edition)


def _edition(args: argparse.Namespace) -> int:
    from saoreport.archive.editions import edition_documents
    from saoreport.output import check_output, write_atomic
    from saoreport.pipeline.step import target_folder
    from saoreport.plan.validate import check

    checked = check(args.plan)
    for warning in checked.warnings:
        print(printable(str(warning)), file=sys.stderr)
    base = check(args.base).plan if args.base is not None else None
    folder = target_folder(args.out, checked)
    inputs = [checked.folder, args.root, *([args.base] if args.base else [])]
    check_output(args.out, "--out", inputs, folder=True)
    made, notes = edition_documents(checked, args.root, base)
    folder.mkdir(parents=True, exist_ok=True)
    for note in notes:
        print(printable(_("note: {note}", note=note)), file=sys.stderr)
    for name, data in made.items():
        write_atomic(folder / name, data)
        print(_("{file}: written", file=folder / name))
    return 0


# new ---------------------------------------------------------------------------------


def _add_new(sub: SubParsers) -> None:
    parser = _command(
        sub,
        "new",
        _("start a new plan with every part and its standard headings"),
        _(
            "Writes plans/SLUG/ (or FOLDER/SLUG/ with --in): plan.yaml with the fields to fill"
            " and the narrative files with the standard numbered headings of every part, short"
            " guidance in comments that never print, and CHECK where text is to be written."
            " Refuses a folder that exists. Until every CHECK is replaced, the book prints"
            " ฉบับร่าง on every page."
        ),
        """
        saoreport new nong-bua
        saoreport new nong-bua --name องค์การบริหารส่วนตำบลหนองบัว --district เมือง --province อุบลราชธานี
        """,
    )
    parser.add_argument("slug", metavar="SLUG", help=_("the new plan's folder name, e.g. nong-bua"))
    parser.add_argument(
        "--in",
        dest="parent",
        type=Path,
        default=Path("plans"),
        metavar="FOLDER",
        help=_("where to make it (plans/)"),
    )
    parser.add_argument("--name", help=_("the SAO's full name"))
    parser.add_argument("--district", help=_("its district (อำเภอ)"))
    parser.add_argument("--province", help=_("its province (จังหวัด)"))
    parser.add_argument(
        "--first",
        type=int,
        metavar="YEAR",
        help=_("the plan's first year, e.g. 2571 (default: that of the current plan period)"),
    )
    parser.set_defaults(run=_new)


def _new(args: argparse.Namespace) -> int:
    from saoreport.output import safe_slug
    from saoreport.plan.skeleton import write

    if args.first is not None and not 2400 <= args.first <= 2700:
        raise UsageError(
            _("--first {year}: give a Buddhist-era year such as 2571", year=args.first)
        )
    if args.parent == Path("plans") and not args.parent.exists():
        args.parent.mkdir()
    folder = write(
        args.parent / safe_slug(args.slug), args.name, args.district, args.province, args.first
    )
    print(_("{folder}: written; fill in the lines marked CHECK", folder=printable(str(folder))))
    return 0


# schema ------------------------------------------------------------------------------


def _add_schema(sub: SubParsers) -> None:
    parser = _command(
        sub,
        "schema",
        _("print the plan file's JSON Schema, for editors"),
        _(
            "Prints the JSON Schema of plan.yaml, made from the same models that validate it."
            " Save it at the top of the project and put this line first in a plan.yaml: editors"
            " such as VS Code (with the YAML extension) then complete and check it as you type."
        )
        + "\n\n  # yaml-language-server: $schema=../../plan.schema.json",
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


# serve ---------------------------------------------------------------------------------


def _add_serve(sub: SubParsers) -> None:
    parser = _command(
        sub,
        "serve",
        _("open the planning office's workspace in the browser"),
        _(
            "Starts a web workspace over the same plans/, archive/ and build folders: the"
            " list of SAOs, the plan's forms, its narrative parts, workbooks, builds and"
            " archived versions, in Thai. Open the address it prints in a browser. By"
            " default only this computer can open it; --host 0.0.0.0 opens it to the office"
            " network. Ctrl-C stops it."
        ),
        """
        saoreport serve
        saoreport serve --host 0.0.0.0 --port 8080
        """,
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help=_("the address to listen on (127.0.0.1)")
    )
    parser.add_argument("--port", type=int, default=8000, help=_("the port (8000)"))
    parser.add_argument(
        "--plans", type=Path, default=Path("plans"), metavar="DIR", help=_("plans folder (plans/)")
    )
    parser.add_argument(
        "--archive",
        type=Path,
        default=Path("archive"),
        metavar="DIR",
        help=_("the archive folder (archive/)"),
    )
    parser.add_argument(
        "--out", type=Path, default=Path("build"), metavar="DIR", help=_("output folder (build/)")
    )
    parser.set_defaults(run=_serve)


def _serve(args: argparse.Namespace) -> int:
    from saoreport.web.app import Config, serve
    from saoreport.web.app_config import LOOPBACK

    if not args.plans.is_dir():
        raise UsageError(
            _("--plans {path}: there is no such folder", path=printable(str(args.plans)))
        )
    hosts = LOOPBACK if args.host in LOOPBACK else ("*",)  # this computer's names only
    config = Config(plans=args.plans, archive=args.archive, out=args.out, hosts=hosts)
    serve(config, args.host, args.port)
    return 0


# --------------------------------------------------------------------------------------

COMMANDS: list[Callable[[SubParsers], None]] = [
    _add_validate,
    _add_build,
    _add_import,
    _add_archive,
    _add_export,
    _add_diff,
    _add_edition,
    _add_schema,
    _add_serve,
    _add_new,
]


def _argparse_words() -> dict[str, str]:
    """argparse's own words (its headings, its errors), through the catalog: argparse asks
    gettext for each (its module's `_`), which is pointed here while the command runs."""
    return {
        "usage: ": _("usage: "),
        "positional arguments": _("positional arguments"),
        "options": _("options"),
        "show this help message and exit": _("show this help message and exit"),
        "unrecognized arguments: %s": _("unrecognized arguments: %s"),
        "the following arguments are required: %s": _("the following arguments are required: %s"),
        "one of the arguments %s is required": _("one of the arguments %s is required"),
        "not allowed with argument %s": _("not allowed with argument %s"),
        "expected one argument": _("expected one argument"),
        "expected at most one argument": _("expected at most one argument"),
        "expected at least one argument": _("expected at least one argument"),
        "ignored explicit argument %r": _("ignored explicit argument %r"),
        "argument %(argument_name)s: %(message)s": _("argument %(argument_name)s: %(message)s"),
        "invalid choice: %(value)r (choose from %(choices)s)": _(
            "invalid choice: %(value)r (choose from %(choices)s)"
        ),
        "invalid %(type)s value: %(value)r": _("invalid %(type)s value: %(value)r"),
        "ambiguous option: %(option)s could match %(matches)s": _(
            "ambiguous option: %(option)s could match %(matches)s"
        ),
    }


def _argparse_gettext(message: str) -> str:
    return _argparse_words().get(message, message)


def _argparse_ngettext(singular: str, plural: str, count: int) -> str:
    return (
        n_("expected %s argument", "expected %s arguments", count)
        if singular.startswith("expected %s")
        else (singular if count == 1 else plural)
    )


def _parser() -> argparse.ArgumentParser:
    argparse._ = _argparse_gettext  # type: ignore[attr-defined]
    argparse.ngettext = _argparse_ngettext  # type: ignore[attr-defined]
    parser = _Parser(
        prog="saoreport",
        description=_description(),
        epilog=_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"saoreport {__version__}",
        help=_("show the version of saoreport and exit"),
    )
    lang_option(parser)
    sub = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=_Parser
    )
    for add in COMMANDS:
        add(sub)
    return parser


def _is_lang(word: str) -> bool:
    """--lang, or a prefix of it that argparse would take for it (--la, --lan)."""
    return len(word) >= 4 and "--lang".startswith(word)


def _language(words: list[str]) -> list[str]:
    """--lang th|en, wherever it stands, applied before any text is made (help texts
    included); *words* without it, for the parser (so that `--lang en archive PLAN` is
    `archive PLAN`)."""
    rest: list[str] = []
    value: str | None = None
    given = iter(words)
    for word in given:
        if word == "--":
            rest += [word, *given]
        elif _is_lang(word) and "=" not in word:
            value = next(given, "")
        elif _is_lang(word.split("=", 1)[0]):
            value = word.split("=", 1)[1]
        else:
            rest.append(word)
            continue
        if value is not None:
            chosen = parse_language(value)
            if chosen is None or value != chosen:
                raise UsageError(_("--lang takes th or en, not {value}", value=printable(value)))
            set_language(chosen)
    return rest


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    set_language(None)  # the environment's, unless --lang says otherwise
    try:
        words = _language(words)
        parser = _parser()
        args = parser.parse_args(_archive_argv(words))
        if getattr(args, "run", None) is None:  # `saoreport archive` alone
            raise UsageError(_("saoreport archive: name plan folders, or verify or list"))
        # Ctrl-C remembered from here on, and asked for once more when the command is done:
        # a KeyboardInterrupt that Python lost (in C code, in a fork) still stops it.
        with workers.interrupts_kept():
            code: int = args.run(args)
            workers.check_interrupt()
        return code
    except SaoError as exc:
        print(exc, file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(_("interrupted; the files already finished are intact"), file=sys.stderr)
        return 130
    except BrokenPipeError:  # `saoreport … | head`: the reader has what it wanted
        _quiet_stdout()
        return 141  # 128 + SIGPIPE, as the shell reports a closed pipe
    except OSError as exc:
        where = f"{printable(str(exc.filename))}: " if exc.filename else ""
        print(f"saoreport: {where}{os_reason(exc)}", file=sys.stderr)
        return 1
    except Exception as exc:  # a defect of saoreport: a message, never a traceback
        print(
            _(
                "saoreport: internal error ({kind}: {detail}); please report it",
                kind=type(exc).__name__,
                detail=printable(str(exc)),
            ),
            file=sys.stderr,
        )
        return 1


def _quiet_stdout() -> None:
    """Point stdout at /dev/null, so that flushing it at exit does not fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def main_entry() -> None:
    code = main()
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _quiet_stdout()
        code = code or 141
    sys.exit(code)
