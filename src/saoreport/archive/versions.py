"""Frozen, verifiable versions of each SAO's documents, per fiscal year.

archive/<slug>/<fiscal_year>/v<N>/ holds the archival PDFs (PDF/A-3u; the strategy document
carries its plan file as an attachment), the source plan and its images under plan/, and
manifest.json: sha256 and size of every file, the saoreport version, the fonts with their
sha256, the approval data, the build date and the archive time. A version is written into
a temporary folder and renamed into place, so an interrupted archive leaves no half
version; it is never changed afterwards (its files are read-only).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from saoreport import __version__
from saoreport.build.documents import Documents
from saoreport.errors import SaoError
from saoreport.plan.validate import Checked, check

MANIFEST = "manifest.json"
_VERSION = re.compile(r"^v(\d+)$")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def versions(folder: Path) -> list[Path]:
    """The v<N> folders of archive/<slug>/<fiscal_year>, oldest first."""
    if not folder.is_dir():
        return []
    found = [(int(m.group(1)), p) for p in folder.iterdir() if (m := _VERSION.match(p.name))]
    return [p for _, p in sorted(found)]


def frozen_files(checked: Checked) -> dict[str, bytes]:
    """Every file a version holds but the manifest: archival PDFs, the plan and its images."""
    documents = Documents(checked, archival=True)
    files = {name: make() for name, make in documents.all().items()}
    files["plan/plan.yaml"] = checked.file.read_bytes()
    org = checked.plan.organization
    for image in (org.logo, org.emblem):
        if image:
            files[f"plan/{image}"] = (checked.folder / image).read_bytes()
    for relative, path in checked.narrative.inputs(checked.folder).items():
        files[f"plan/{relative}"] = path.read_bytes()  # the narrative parts and their images
    return files


def manifest(checked: Checked, files: dict[str, bytes], number: int) -> dict[str, Any]:
    from saoreport.build.documents import document_date
    from saoreport.fonts.family import font_family

    plan = checked.plan
    approval = plan.plan.approval
    family = font_family(plan.settings.font)
    return {
        "saoreport": __version__,
        "slug": checked.folder.name,
        "fiscal_year": plan.plan.fiscal_year,
        "version": number,
        "organization": plan.organization.name,
        "approval": approval.model_dump(mode="json") if approval else None,
        "built": document_date(plan).isoformat(),
        "archived": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "fonts": {p.name: sha256(p.read_bytes()) for p in family.files},
        "files": {
            name: {"sha256": sha256(data), "size": len(data)}
            for name, data in sorted(files.items())
        },
    }


@dataclass
class Frozen:
    path: Path
    new: bool


def freeze(folder: Path, root: Path) -> Frozen:
    """Archive the plan in *folder* under *root*: a new version only if anything changed."""
    checked = check(folder)
    fy_dir = root / checked.folder.name / str(checked.plan.plan.fiscal_year)
    files = frozen_files(checked)
    existing = versions(fy_dir)
    if existing:
        last = json.loads((existing[-1] / MANIFEST).read_text(encoding="utf-8"))
        held = {name: entry["sha256"] for name, entry in last["files"].items()}
        if held == {name: sha256(data) for name, data in files.items()}:
            return Frozen(existing[-1], new=False)
    number = int(_VERSION.match(existing[-1].name).group(1)) + 1 if existing else 1  # type: ignore[union-attr]
    target = fy_dir / f"v{number}"
    fy_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".v{number}.", dir=fy_dir))
    try:
        record = manifest(checked, files, number)
        files[MANIFEST] = (json.dumps(record, ensure_ascii=False, indent=2) + "\n").encode()
        for name, data in files.items():
            path = staging / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            with path.open("rb") as fh:
                os.fsync(fh.fileno())
        for path in staging.rglob("*"):
            path.chmod(0o555 if path.is_dir() else 0o444)
        staging.chmod(0o555)
        os.rename(staging, target)  # fails if the version appeared meanwhile: never overwritten
    except BaseException:
        _remove(staging)
        raise
    return Frozen(target, new=True)


def _remove(path: Path) -> None:
    if path.exists():
        for p in [path, *path.rglob("*")]:
            p.chmod(0o755 if p.is_dir() else 0o644)
        shutil.rmtree(path)


def version_dirs(path: Path) -> list[Path]:
    """Every version under *path*: the archive root, an SAO, a fiscal year or one version."""
    if (path / MANIFEST).is_file():
        return [path]
    if not path.is_dir():
        raise SaoError(f"{path}: no archive here")
    found = sorted(p.parent for p in path.rglob(MANIFEST) if _VERSION.match(p.parent.name))
    return found


def verify(version: Path, rebuild: bool = True) -> list[str]:
    """Problems of one archived version: corrupted, missing or extra files; a rebuild that
    does not give the same bytes. An empty list means the version is sound."""
    problems: list[str] = []
    try:
        record = json.loads((version / MANIFEST).read_text(encoding="utf-8"))
        listed: dict[str, Any] = record["files"]
    except (OSError, ValueError, KeyError) as exc:
        return [f"{version / MANIFEST}: unreadable manifest ({exc})"]
    present = {str(p.relative_to(version)) for p in version.rglob("*") if p.is_file()}
    for name, entry in sorted(listed.items()):
        path = version / name
        if name not in present:
            problems.append(f"{path}: missing")
            continue
        data = path.read_bytes()
        if len(data) != entry["size"] or sha256(data) != entry["sha256"]:
            problems.append(f"{path}: corrupted (its sha256 is not the manifest's)")
    for name in sorted(present - set(listed) - {MANIFEST}):
        problems.append(f"{version / name}: extra file, not in the manifest")
    if problems or not rebuild:
        return problems
    if record.get("saoreport") != __version__:
        by = record.get("saoreport")
        return [f"{version}: archived by saoreport {by}; this is {__version__}: not rebuilt"]
    with tempfile.TemporaryDirectory() as scratch:
        plan_dir = Path(scratch) / record["slug"]
        shutil.copytree(version / "plan", plan_dir)
        for p in [plan_dir, *plan_dir.rglob("*")]:
            p.chmod(0o755 if p.is_dir() else 0o644)
        rebuilt = frozen_files(check(plan_dir))
    for name, data in sorted(rebuilt.items()):
        if name.endswith(".pdf") and sha256(data) != listed.get(name, {}).get("sha256"):
            problems.append(f"{version / name}: a rebuild from the archived plan gives other bytes")
    return problems


def listing(root: Path, slug: str | None = None) -> list[str]:
    lines = []
    for version in version_dirs(root / slug if slug else root):
        record = json.loads((version / MANIFEST).read_text(encoding="utf-8"))
        pdfs = sorted(n for n in record["files"] if n.endswith(".pdf"))
        lines.append(
            f"{record['slug']}  FY {record['fiscal_year']}  v{record['version']}"
            f"  archived {record['archived']}  {', '.join(pdfs)}"
        )
    return lines
