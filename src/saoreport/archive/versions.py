"""Frozen, verifiable versions of each SAO's documents, per fiscal year.

archive/<slug>/<fiscal_year>/v<N>/ holds the archival PDFs (PDF/A-3u; the strategy document
carries its plan file as an attachment), the source plan and its images under plan/, and
manifest.json: sha256 and size of every file, the saoreport version, the fonts with their
sha256, the approval data, the build date, the archive time and the sha256 of the previous
version's manifest (a chain). archive/<slug>/index.jsonl is an append-only log of every
version's manifest sha256, each line holding the sha256 of the line before. With a key, each
manifest is signed (manifest.sig, Ed25519: signing.py). A version is written into a
temporary folder and renamed into place, so an interrupted archive leaves no half version;
it is never changed afterwards (its files are read-only). README, "The archive", says what
verification protects against and what it does not.
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
from saoreport.archive import signing
from saoreport.archive.editions import latest_documents
from saoreport.errors import SaoError, printable
from saoreport.messages import _, n_
from saoreport.output import check_output, open_regular, parse_json, read_regular, safe_slug
from saoreport.pipeline.documents import Documents
from saoreport.plan.validate import Checked, check

MANIFEST = "manifest.json"
INDEX = "index.jsonl"
_VERSION = re.compile(r"^v([1-9]\d{0,5})$")
_FIELDS = {
    "saoreport",
    "slug",
    "fiscal_year",
    "version",
    "organization",
    "approval",
    "built",
    "archived",
    "fonts",
    "files",
    "previous",
}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _number(path: Path) -> int:
    match = _VERSION.match(path.name)
    return int(match.group(1)) if match else 0


def versions(folder: Path) -> list[Path]:
    """The v<N> folders of archive/<slug>/<fiscal_year>, oldest first (with a manifest or not)."""
    if not folder.is_dir():
        return []
    found = [(_number(p), p) for p in folder.iterdir() if p.is_dir() and _number(p)]
    return [p for _n, p in sorted(found)]


def frozen_files(checked: Checked, slug_dir: Path) -> dict[str, bytes]:
    """Every file a version holds but the manifest: archival PDFs, the plan and its images.
    With editions, the latest edition's book and ประกาศ too, made against its base (a version
    of *slug_dir*, the SAO's archive folder): each edition is frozen when it is archived."""
    documents = Documents(checked, archival=True)
    files = {name: make() for name, make in documents.all().items()}
    edition = latest_documents(checked, slug_dir, archival=True)
    if edition is not None:
        files.update({name: make() for name, make in edition.all().items()})
    files["plan/plan.yaml"] = checked.file.read_bytes()
    org = checked.plan.organization
    for image in (org.logo, org.emblem):
        if image:
            files[f"plan/{image}"] = (checked.folder / image).read_bytes()
    for relative, path in checked.narrative.inputs(checked.folder).items():
        files[f"plan/{relative}"] = path.read_bytes()  # the narrative parts and their images
    for name, path in checked.all_appendix_files().items():  # the ภาคผนวก's, editions' too
        files[f"plan/{name}"] = path.read_bytes()
    return files


def _described(checked: Checked) -> dict[str, Any]:
    """The manifest's fields that follow from the plan (and the fonts installed here)."""
    from saoreport.fonts.family import font_family
    from saoreport.pipeline.documents import document_date

    plan = checked.plan
    approval = plan.plan.approval
    family = font_family(plan.settings.font)
    return {
        "fiscal_year": plan.plan.fiscal_year,
        "organization": plan.organization.name,
        "approval": approval.model_dump(mode="json") if approval else None,
        "built": document_date(plan).isoformat(),
        "fonts": {p.name: sha256(p.read_bytes()) for p in family.files},
    }


def manifest(
    checked: Checked, files: dict[str, bytes], number: int, previous: str | None = None
) -> dict[str, Any]:
    return {
        "saoreport": __version__,
        "slug": safe_slug(checked.folder.resolve().name),
        "version": number,
        **_described(checked),
        "archived": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "previous": previous,
        "files": {
            name: {"sha256": sha256(data), "size": len(data)}
            for name, data in sorted(files.items())
        },
    }


@dataclass
class Frozen:
    path: Path
    new: bool


def _append_index(slug_dir: Path, fiscal_year: int, number: int, manifest_sha: str) -> None:
    index = slug_dir / INDEX
    lines = read_regular(index).splitlines() if index.is_file() else []
    entry = {
        "fiscal_year": fiscal_year,
        "version": number,
        "manifest": manifest_sha,
        "previous": sha256(lines[-1]) if lines else None,
    }
    with index.open("ab") as fh:
        fh.write(json.dumps(entry, sort_keys=True).encode() + b"\n")
        fh.flush()
        os.fsync(fh.fileno())


def freeze(folder: Path, root: Path, key: Path | None = None) -> Frozen:
    """Archive the plan in *folder* under *root*: a new version only if anything changed.
    With *key* (an Ed25519 private key, PEM), the manifest is signed."""
    if key is not None:
        signing.check_key(key)
    checked = check(folder)
    slug_dir = root / safe_slug(checked.folder.resolve().name)
    shown = f"--root {root}: {slug_dir}"
    check_output(slug_dir, "", [checked.folder], folder=True, may_write_in=slug_dir, label=shown)
    fy_dir = slug_dir / str(checked.plan.plan.fiscal_year)
    damaged = damage(slug_dir, fy_dir)
    if damaged:
        refused = _(
            "{folder}: not archived: the archive it would add to is damaged. Restore the"
            " damaged files from a backup and run saoreport archive verify {archive}, then"
            " archive again",
            folder=folder,
            archive=slug_dir,
        )
        raise SaoError("\n".join([*damaged, refused]))
    files = frozen_files(checked, slug_dir)
    existing = versions(fy_dir)
    previous = None
    if existing:
        try:
            last_bytes = read_regular(existing[-1] / MANIFEST)
            last = parse_json(last_bytes)
            held = {name: entry["sha256"] for name, entry in last["files"].items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            raise SaoError(
                _(
                    "{version}: its manifest is missing or damaged; run saoreport archive"
                    " verify {folder} before archiving again",
                    version=existing[-1],
                    folder=fy_dir,
                )
            ) from None
        if held == {name: sha256(data) for name, data in files.items()}:
            return Frozen(existing[-1], new=False)
        previous = sha256(last_bytes)
    number = _number(existing[-1]) + 1 if existing else 1
    target = fy_dir / f"v{number}"
    fy_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".v{number}.", dir=fy_dir))
    try:
        record = manifest(checked, files, number, previous)
        files[MANIFEST] = (json.dumps(record, ensure_ascii=False, indent=2) + "\n").encode()
        if key is not None:
            files[signing.SIGNATURE] = signing.sign(files[MANIFEST], key)
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
    _append_index(slug_dir, checked.plan.plan.fiscal_year, number, sha256(files[MANIFEST]))
    return Frozen(target, new=True)


def damage(slug_dir: Path, fy_dir: Path) -> list[str]:
    """What a new version of *fy_dir* would be built on, checked before it is made: the SAO's
    index (whole, ending with a whole line, there as long as any version is) and the chain of
    versions, and the files of the fiscal year's last version against its manifest."""
    index = slug_dir / INDEX
    years = [p for p in slug_dir.iterdir() if p.is_dir()] if slug_dir.is_dir() else []
    if not os.path.lexists(index) and not any(versions(year) for year in years):
        return []  # nothing archived yet for this SAO
    problems = verify_history(slug_dir)
    existing = versions(fy_dir)
    if existing:
        read = _read_manifest(existing[-1])
        if isinstance(read, str):
            problems.append(read)
        else:
            problems += _file_problems(existing[-1], read[1]["files"])
    return problems


def _remove(path: Path) -> None:
    if path.exists():
        for p in [path, *path.rglob("*")]:
            p.chmod(0o755 if p.is_dir() else 0o644)
        shutil.rmtree(path)


def _in_archive(version: Path) -> bool:
    """Whether *version* sits where the archive puts versions: <slug>/<fiscal_year>/v<N>."""
    return bool(_number(version)) and version.parent.name.isdigit()


def version_dirs(path: Path) -> list[Path]:
    """Every version under *path*: the archive root, an SAO, a fiscal year or one version,
    whether or not it still has its manifest."""
    if (path / MANIFEST).is_file() or _in_archive(path):
        return [path]
    if not path.is_dir():
        raise SaoError(
            _(
                "{path}: no archive here: name the archive folder (--root), or an SAO, a"
                " fiscal year or a version in it",
                path=printable(str(path)),
            )
        )
    found = {p.parent for p in path.rglob(MANIFEST) if _number(p.parent)}
    found |= {p for p in path.rglob("v*") if p.is_dir() and _in_archive(p)}
    return sorted(found, key=lambda p: (p.parent, _number(p)))


def _read_manifest(version: Path) -> tuple[bytes, dict[str, Any]] | str:
    path = version / MANIFEST
    if not path.is_file():
        return _(
            "{version}: this version has lost its manifest ({manifest}): restore the version"
            " from a backup",
            version=version,
            manifest=MANIFEST,
        )
    try:
        data = read_regular(path)
        record = parse_json(data)
    except (OSError, ValueError) as exc:
        return _unreadable_manifest(path, _why(exc))
    if not isinstance(record, dict) or not isinstance(record.get("files"), dict):
        return _unreadable_manifest(path, _("no list of files"))
    return data, record


def read_manifest(version: Path) -> dict[str, Any] | None:
    """The manifest of the archived *version*; None when it is missing or unreadable (what
    is wrong with it, `archive verify` says)."""
    found = _read_manifest(version)
    return None if isinstance(found, str) else found[1]


def _unreadable_manifest(path: Path, why: str) -> str:
    return _("{file}: unreadable manifest ({why}): restore it from a backup", file=path, why=why)


def _why(exc: OSError | ValueError) -> str:
    """Why a file could not be read, in the user's words (not Python's)."""
    if isinstance(exc, json.JSONDecodeError):
        return _("not JSON at line {line}, column {column}", line=exc.lineno, column=exc.colno)
    if isinstance(exc, UnicodeDecodeError):
        return _("not UTF-8 text")
    if isinstance(exc, ValueError):  # parse_json's own: json.loads' RecursionError
        return _("nested too deeply")
    if exc.strerror:  # the system's words, such as "Permission denied"
        return exc.strerror
    return _("not a regular file, or too large")  # open_regular's and read_regular's own


def _fields(version: Path, record: dict[str, Any]) -> list[str]:
    """The manifest's own fields against the folder it is in and the plan it holds."""
    problems = []
    where = version / MANIFEST
    for name in sorted(set(record) - _FIELDS):
        problems.append(
            _(
                "{file}: unknown field {field}: the manifest was edited; restore it from a backup",
                file=where,
                field=repr(printable(name)),
            )
        )
    for name in sorted(_FIELDS - set(record) - {"previous"}):
        problems.append(
            _(
                "{file}: the field {field} is missing: restore the manifest from a backup",
                file=where,
                field=repr(name),
            )
        )
    if record.get("version") != _number(version):
        problems.append(
            _(
                "{file}: version {number} but the folder is {folder}: restore the manifest"
                " from a backup",
                file=where,
                number=printable(repr(record.get("version"))),
                folder=version.name,
            )
        )
    slug = record.get("slug")
    try:
        safe_slug(slug if isinstance(slug, str) else "")
    except SaoError as exc:
        problems.append(f"{where}: {exc}")
    if _in_archive(version):
        if slug != version.parent.parent.name:
            problems.append(
                _(
                    "{file}: slug {slug} but the folder is {folder}: restore the manifest"
                    " from a backup",
                    file=where,
                    slug=repr(printable(str(slug))),
                    folder=repr(version.parent.parent.name),
                )
            )
        if str(record.get("fiscal_year")) != version.parent.name:
            problems.append(
                _(
                    "{file}: fiscal_year {year} but the folder is {folder}: restore the"
                    " manifest from a backup",
                    file=where,
                    year=printable(repr(record.get("fiscal_year"))),
                    folder=version.parent.name,
                )
            )
    archived = record.get("archived")
    try:
        when = dt.datetime.fromisoformat(str(archived))
        if when.tzinfo is None or when > dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5):
            problems.append(
                _(
                    "{file}: archived {time} is not a past UTC time: restore the manifest"
                    " from a backup",
                    file=where,
                    time=printable(repr(archived)),
                )
            )
    except ValueError:
        problems.append(
            _(
                "{file}: archived {time} is not a time: restore the manifest from a backup",
                file=where,
                time=repr(printable(str(archived))),
            )
        )
    for name, entry in record["files"].items():
        if not (
            isinstance(entry, dict)
            and isinstance(entry.get("sha256"), str)
            and isinstance(entry.get("size"), int)
        ) or not _safe_member(name):
            problems.append(
                _(
                    "{file}: files: {name} is not a valid entry: restore the manifest from a"
                    " backup",
                    file=where,
                    name=repr(printable(str(name))),
                )
            )
    return problems


def _read_or_empty(path: Path) -> bytes:
    try:
        return read_regular(path)
    except OSError:
        return b""


def _digest(path: Path, size: int) -> str | None:
    """The sha256 of the regular file *path* if it holds *size* bytes, else None (read no
    further than one byte past *size*)."""
    try:
        with open_regular(path) as fh:
            digest = hashlib.sha256()
            left = size + 1
            while left > 0 and (chunk := fh.read(min(left, 1 << 20))):
                digest.update(chunk)
                left -= len(chunk)
    except OSError:
        return None
    return digest.hexdigest() if left == 1 else None


def _file_problems(version: Path, listed: dict[str, Any]) -> list[str]:
    """The version's files against its manifest's list: each there, a regular file of its
    own (a symbolic link is not archived, even to the same bytes), of the listed size and
    sha256, and no other file."""
    problems = []
    present = set()
    for path in sorted(version.rglob("*")):
        if path.is_symlink():
            problems.append(
                _(
                    "{file}: a symbolic link, not an archived file: put the file itself back"
                    " from a backup",
                    file=path,
                )
            )
        elif path.is_file():
            present.add(path.relative_to(version).as_posix())
        elif not path.is_dir():
            problems.append(_("{file}: not a regular file: move it out of the archive", file=path))
    for name, entry in sorted(listed.items()):
        if not _safe_member(name) or not isinstance(entry, dict):
            continue
        path = version / name
        if name not in present:
            if not path.is_symlink():
                problems.append(_("{file}: missing: restore it from a backup", file=path))
            continue
        size = entry.get("size")
        if not isinstance(size, int) or _digest(path, max(size, 0)) != entry.get("sha256"):
            problems.append(
                _(
                    "{file}: corrupted (its sha256 is not the manifest's): restore it from a"
                    " backup",
                    file=path,
                )
            )
    for name in sorted(present - set(listed) - {MANIFEST, signing.SIGNATURE}):
        problems.append(
            _(
                "{file}: extra file, not in the manifest: move it out of the archive",
                file=version / name,
            )
        )
    return problems


def _safe_member(name: str) -> bool:
    parts = Path(name).parts
    return bool(parts) and not Path(name).is_absolute() and ".." not in parts


def verify(version: Path, rebuild: bool = True, key: Path | None = None) -> list[str]:
    """Problems of one archived version: a lost or edited manifest, corrupted, missing or
    extra files, fields that do not match the archived plan, a bad signature (with *key*),
    a rebuild that does not give the same bytes. An empty list means the version is sound.

    Nothing is written but in a temporary folder."""
    read = _read_manifest(version)
    if isinstance(read, str):
        return [read]
    raw, record = read
    problems = _fields(version, record)
    listed: dict[str, Any] = record["files"]
    problems += _file_problems(version, listed)
    signature = version / signing.SIGNATURE
    if key is not None:
        if not signature.is_file():
            problems.append(
                _(
                    "{version}: not signed ({signature} is missing): restore it from a backup,"
                    " or verify without --key if this version was archived without one",
                    version=version,
                    signature=signing.SIGNATURE,
                )
            )
        elif not signing.verified(raw, _read_or_empty(signature), key):
            problems.append(
                _(
                    "{file}: the signature does not match the manifest and {key}: check that"
                    " {key} is the archive's public key; if it is, the manifest was changed"
                    " after it was signed",
                    file=signature,
                    key=key,
                )
            )
    if problems:
        return problems
    # The plan's own fields: what the manifest says of it must be what it holds.
    try:
        checked = check(version / "plan")
    except SaoError as exc:
        refused = _(
            "{folder}: the archived plan is not valid; restore the version from a backup:",
            folder=version / "plan",
        )
        return [f"{refused}\n{exc}"]
    for name, value in _described(checked).items():
        if record.get(name) != value:
            said = printable(json.dumps(record.get(name), ensure_ascii=False))
            problems.append(
                _(
                    "{file}: {field} {value} is not what the archived plan gives: the manifest"
                    " or the plan was edited; restore the version from a backup",
                    file=version / MANIFEST,
                    field=name,
                    value=said,
                )
            )
    if problems or not rebuild:
        return problems
    if record.get("saoreport") != __version__:
        by = printable(str(record.get("saoreport")))
        return [
            _(
                "{version}: archived by saoreport {by}; this is saoreport {this}, which does"
                " not rebuild it: verify it with --no-rebuild, or with saoreport {by}",
                version=version,
                by=by,
                this=__version__,
            )
        ]
    with tempfile.TemporaryDirectory() as scratch:
        plan_dir = Path(scratch) / safe_slug(str(record["slug"]))
        shutil.copytree(version / "plan", plan_dir)
        for p in [plan_dir, *plan_dir.rglob("*")]:
            p.chmod(0o755 if p.is_dir() else 0o644)
        rebuilt = frozen_files(check(plan_dir), version.parent.parent)
    for name, data in sorted(rebuilt.items()):
        if name.endswith(".pdf") and sha256(data) != listed.get(name, {}).get("sha256"):
            problems.append(
                _(
                    "{file}: a rebuild from the archived plan gives other bytes: the document"
                    " is not the one its plan makes with these fonts; restore the version from"
                    " a backup",
                    file=version / name,
                )
            )
    return problems


def verify_history(slug_dir: Path, only: set[Path] | None = None) -> list[str]:
    """The SAO's chain and index: each manifest names the sha256 of the one before it (per
    fiscal year), the index lists every version's manifest sha256, each index line names the
    sha256 of the line before, and every version listed is there. *only*: report only on
    these versions (the index itself is always checked whole)."""
    problems: list[str] = []
    index = slug_dir / INDEX
    listed: dict[tuple[int, int], str] = {}
    try:
        lines = read_regular(index) if index.is_file() else None
    except OSError as exc:
        problems.append(
            _(
                "{file}: unreadable ({why}): restore it from a backup",
                file=index,
                why=_why(exc),
            )
        )
        lines = b""
    if lines is None:
        problems.append(
            _(
                "{file}: missing: the SAO's index of versions is gone; restore it from a backup",
                file=index,
            )
        )
    else:
        if lines and not lines.endswith(b"\n"):
            problems.append(
                _(
                    "{file}:{line}: the last line is cut off (the index is damaged): restore"
                    " the index from a backup",
                    file=index,
                    line=lines.count(b"\n") + 1,
                )
            )
        before = None
        for n, line in enumerate(lines.splitlines(), 1):
            try:
                entry = parse_json(line)
                fy, number = int(entry["fiscal_year"]), int(entry["version"])
                listed[(fy, number)] = str(entry["manifest"])
                if entry.get("previous") != before:
                    problems.append(
                        _(
                            "{file}:{line}: does not follow line {before} (the chain is"
                            " broken): restore the index from a backup",
                            file=index,
                            line=n,
                            before=n - 1,
                        )
                    )
            except (ValueError, KeyError, TypeError, AttributeError):
                problems.append(
                    _(
                        "{file}:{line}: not an index entry: restore the index from a backup",
                        file=index,
                        line=n,
                    )
                )
            before = sha256(line)
    fy_dirs = (
        [p for p in slug_dir.iterdir() if p.is_dir() and p.name.isdigit()]
        if slug_dir.is_dir()
        else []
    )
    seen: set[tuple[int, int]] = set()
    for fy_dir in sorted(fy_dirs):
        fy = int(fy_dir.name)
        previous: str | None = None
        expected = 1
        for version in versions(fy_dir):
            number = _number(version)
            report = only is None or version in only
            seen.add((fy, number))
            if number != expected and report:
                gap = [f"v{k}" for k in range(expected, number)]
                problems.append(
                    n_(
                        "{folder}: {versions} is missing (the versions jump to {version}):"
                        " restore it from a backup",
                        "{folder}: {versions} are missing (the versions jump to {version}):"
                        " restore them from a backup",
                        len(gap),
                        folder=fy_dir,
                        versions=", ".join(gap),
                        version=version.name,
                    )
                )
            expected = number + 1
            manifest_file = version / MANIFEST
            data = _read_or_empty(manifest_file) if manifest_file.is_file() else None
            digest = sha256(data) if data is not None else None
            if report and data is not None:
                try:
                    said = parse_json(data).get("previous")
                except (ValueError, AttributeError):
                    said = previous
                if said != previous:
                    problems.append(
                        _(
                            "{file}: previous {value} is not the sha256 of the manifest before"
                            " it (the chain is broken): restore the versions from a backup",
                            file=manifest_file,
                            value=repr(printable(str(said))),
                        )
                    )
                if (fy, number) not in listed and index.is_file():
                    problems.append(
                        _(
                            "{version}: not in {index}: the version or the index was changed;"
                            " restore them from a backup",
                            version=version,
                            index=index,
                        )
                    )
                elif index.is_file() and listed[(fy, number)] != digest:
                    problems.append(
                        _(
                            "{file}: its sha256 is not the one {index} records: the manifest or"
                            " the index was changed; restore them from a backup",
                            file=manifest_file,
                            index=index,
                        )
                    )
            previous = digest
    for fy, number in sorted(set(listed) - seen):
        gone = slug_dir / str(fy) / f"v{number}"
        if only is None or any(p.parent == gone.parent for p in only):
            problems.append(
                _(
                    "{version}: listed in {index} but gone: restore it from a backup",
                    version=gone,
                    index=index,
                )
            )
    return problems


def histories(versions_found: list[Path]) -> dict[Path, set[Path]]:
    """The SAO folders (archive/<slug>) of the versions that sit inside an archive."""
    out: dict[Path, set[Path]] = {}
    for version in versions_found:
        if _in_archive(version):
            out.setdefault(version.parent.parent, set()).add(version)
    return out


def listing(root: Path, slug: str | None = None) -> list[str]:
    lines = []
    for version in version_dirs(root / safe_slug(slug) if slug else root):
        read = _read_manifest(version)
        if isinstance(read, str):
            lines.append(read)
            continue
        record = read[1]
        pdfs = sorted(str(n) for n in record["files"] if str(n).endswith(".pdf"))
        values = {
            "slug": record.get("slug"),
            "year": record.get("fiscal_year"),
            "version": record.get("version"),
            "time": record.get("archived"),
            "documents": ", ".join(pdfs),
        }
        if (version / signing.SIGNATURE).is_file():
            line = _(
                "{slug}  FY {year}  v{version}  archived {time}  {documents}, signed", **values
            )
        else:
            line = _("{slug}  FY {year}  v{version}  archived {time}  {documents}", **values)
        lines.append(printable(line))
    return lines
