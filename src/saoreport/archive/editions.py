"""An edition's base, read from the archive: the version of the plan it amends.

The plan layer compares two plans (plan/editions.py) and the pipeline makes an edition's
documents from the plan and its base (pipeline/documents.py); where the base comes from is
known here, above both: `archive/<slug>/<fiscal year>/v<N>/plan`, as `base:` names it.
"""

from __future__ import annotations

import re
from pathlib import Path

from saoreport.errors import SaoError
from saoreport.messages import _
from saoreport.output import safe_slug
from saoreport.pipeline.documents import Documents
from saoreport.plan.editions import EditionItems, base_version
from saoreport.plan.models import Edition, Plan, Project
from saoreport.plan.validate import Checked, check


def slug_folder(checked: Checked, root: Path) -> Path:
    """The SAO's folder in the archive *root*."""
    return root / safe_slug(checked.folder.resolve().name)


def base_folder(checked: Checked, slug_dir: Path, edition: Edition) -> Path | None:
    """The archived version *edition* amends (its folder, `…/<year>/v<N>`), from the SAO's
    archive folder *slug_dir*; None when the edition names no base."""
    if edition.base is None:
        return None
    parsed = base_version(edition.base)
    if parsed is None:  # validation says so at its line
        raise SaoError(_("{edition}: its base is not an archived version", edition=edition.name))
    year, number = parsed
    version = slug_dir / str(year or checked.plan.plan.fiscal_year) / f"v{number}"
    folder = version / "plan"
    if not (folder / "plan.yaml").is_file():
        raise SaoError(
            _(
                "{edition} amends {base}, which is not in the archive ({folder}): archive the"
                " plan it amends first (saoreport archive), or correct base (--root names"
                " another archive)",
                edition=edition.name,
                base=edition.base,
                folder=folder,
            )
        )
    return version


def base_plan(checked: Checked, slug_dir: Path, edition: Edition) -> Plan | None:
    """The archived plan *edition* amends, from the SAO's archive folder *slug_dir*; None
    when the edition names no base."""
    version = base_folder(checked, slug_dir, edition)
    return check(version / "plan").plan if version is not None else None


# The page number as the books print it: a dash, a no-break space, the number, and again.
PRINTED_NUMBER = re.compile("[\u2010\u2212-]\u00a0([0-9]+)\u00a0[\u2010\u2212-]")


def _printed_pages(book: Path) -> list[tuple[int, str]]:
    """Each page of a built book that prints a page number ("- ๖ -"): that number, and the
    page's text without spaces, in Arabic digits (the text layer is exact: textlayer.py)."""
    import pypdfium2

    arabic = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
    found: list[tuple[int, str]] = []
    document = pypdfium2.PdfDocument(book)
    try:
        for page in document:
            text = page.get_textpage().get_text_range().translate(arabic)
            number = PRINTED_NUMBER.findall(text)
            if number:
                found.append((int(number[-1]), "".join(text.split())))
    finally:
        document.close()
    return found


def find_original_pages(found: EditionItems, book: Path) -> None:
    """Each changed item's original page (Item.page): in *book* (the base version's frozen
    strategy document), the printed number of the first page of the item's form (its label,
    "แบบ ผ.02", on the page) whose text holds the item's name (an equipment row: its
    target). A page typed in changed[].page that differs is noted."""
    if not found.changed or not book.is_file():
        return
    pages = _printed_pages(book)
    for item in found.changed:
        if item.before is None or not item.form:
            continue
        before = item.before
        name = before.name if isinstance(before, Project) else before.target
        wanted = ["".join(item.form.split()), "".join(name.split())]
        item.page = next((n for n, text in pages if all(w in text for w in wanted)), None)
        typed = item.change.page if item.change is not None else None
        if typed and item.page and typed != item.page:
            found.notes.append(
                _(
                    "{name}: the page of the original is typed as {typed}, but the archived"
                    " book it amends shows it on page {page}: correct page in changed, or"
                    " remove it to use the page found",
                    name=name,
                    typed=typed,
                    page=item.page,
                )
            )


def latest_documents(
    checked: Checked, slug_dir: Path, archival: bool = False, base: Plan | None = None
) -> Documents | None:
    """The documents of the plan's latest edition, against its base (*base*, else the
    archived version it names); None without editions."""
    if not checked.plan.editions:
        return None
    edition = checked.plan.editions[-1]
    version = base_folder(checked, slug_dir, edition) if base is None else None
    if version is not None:
        base = check(version / "plan").plan
    documents = Documents(checked, archival=archival, edition=edition, base=base)
    if version is not None and documents.found is not None:
        find_original_pages(documents.found, version / "strategy.pdf")
    return documents


def edition_documents(
    checked: Checked, root: Path, base: Plan | None = None
) -> tuple[dict[str, bytes], list[str]]:
    """What `saoreport edition` writes: the latest edition's book and ประกาศ (file name ->
    bytes), against its base in the archive *root* (or *base*), and the notes to tell; a
    SaoError when the plan has no editions. The command and the workspace both call it."""
    documents = latest_documents(checked, slug_folder(checked, root), base=base)
    if documents is None:
        raise SaoError(
            _(
                "{file}: the plan has no editions: add the edition under editions: (see"
                " README, Editions), or build the plan with saoreport build",
                file=checked.file,
            )
        )
    made = {name: make() for name, make in documents.all().items()}
    notes = [*(documents.found.notes if documents.found else []), *documents.notes]
    return made, notes
