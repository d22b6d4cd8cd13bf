"""An edition's base, read from the archive: the version of the plan it amends.

The plan layer compares two plans (plan/editions.py) and the pipeline makes an edition's
documents from the plan and its base (pipeline/documents.py); where the base comes from is
known here, above both: `archive/<slug>/<fiscal year>/v<N>/plan`, as `base:` names it.
"""

from __future__ import annotations

from pathlib import Path

from saoreport.errors import SaoError
from saoreport.messages import _
from saoreport.output import safe_slug
from saoreport.pipeline.documents import Documents
from saoreport.plan.editions import base_version
from saoreport.plan.models import Edition, Plan
from saoreport.plan.validate import Checked, check


def slug_folder(checked: Checked, root: Path) -> Path:
    """The SAO's folder in the archive *root*."""
    return root / safe_slug(checked.folder.resolve().name)


def base_plan(checked: Checked, slug_dir: Path, edition: Edition) -> Plan | None:
    """The archived plan *edition* amends, from the SAO's archive folder *slug_dir*; None
    when the edition names no base."""
    if edition.base is None:
        return None
    parsed = base_version(edition.base)
    if parsed is None:  # validation says so at its line
        raise SaoError(_("{edition}: its base is not an archived version", edition=edition.name))
    year, number = parsed
    folder = slug_dir / str(year or checked.plan.plan.fiscal_year) / f"v{number}" / "plan"
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
    return check(folder).plan


def latest_documents(
    checked: Checked, slug_dir: Path, archival: bool = False, base: Plan | None = None
) -> Documents | None:
    """The documents of the plan's latest edition, against its base (*base*, else the
    archived version it names); None without editions."""
    if not checked.plan.editions:
        return None
    edition = checked.plan.editions[-1]
    if base is None:
        base = base_plan(checked, slug_dir, edition)
    return Documents(checked, archival=archival, edition=edition, base=base)
