"""Content-addressed build cache: a document is made again only when its inputs change.

A document's key is the sha256 of everything it is made from: saoreport's own code and
version, the versions of the libraries that lay out and write PDF, the templates, the font
configuration and font files, the images it shows, and the part of the
plan it shows (the posters and the announcement do not show projects, so editing a project
leaves them alone). Each build folder keeps a record (.saoreport-cache.json) of the key and
the sha256 of every document built there; a document is reused only if both still match.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from importlib import metadata
from pathlib import Path

from saoreport import __version__
from saoreport.fonts.family import font_family
from saoreport.output import open_regular, parse_json, read_regular, write_atomic
from saoreport.plan.validate import Checked
from saoreport.resources import PACKAGE, fonts_config, templates_dir

RECORD = ".saoreport-cache.json"
PARTS = ".saoreport-parts"  # laid-out parts of long documents (parts.py)
# What each document shows of the plan (the strategy document shows all of it).
NOT_SHOWN = {
    "poster-a3.pdf": {"strategies", "projects"},
    "poster-a4.pdf": {"strategies", "projects"},
    "announcement.pdf": {"strategies", "projects", "vision", "missions", "goals", "goals_label"},
}


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# Libraries whose version changes the bytes of a document: layout and PDF, templates, the
# line breaking's dictionary (pythainlp), the narrative's Markdown, the posters' QR code.
LIBRARIES = (
    "weasyprint",
    "pydyf",
    "pikepdf",
    "fonttools",
    "jinja2",
    "pythainlp",
    "markdown-it-py",
    "segno",
)


def code_files() -> list[Path]:
    """saoreport's own modules: a change to any of them may change a document."""
    return sorted(PACKAGE.rglob("*.py"))


@cache
def tools_digest(font_key: str | None) -> str:
    """The code, versions, templates, font configuration and fonts: the same for a run."""
    digest = hashlib.sha256(__version__.encode())
    for library in LIBRARIES:
        digest.update(f"{library} {metadata.version(library)}".encode())
    for path in code_files():
        name = path.relative_to(PACKAGE).as_posix() if path.is_relative_to(PACKAGE) else path.name
        digest.update(name.encode())
        digest.update(path.read_bytes())
    for path in sorted(templates_dir().rglob("*")):
        if path.is_file():
            digest.update(path.name.encode() + path.read_bytes())
    digest.update(fonts_config().read_bytes())
    for path in font_family(font_key).files:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def images_digest(checked: Checked) -> str:
    """sha256 of every image the plan shows (logo, emblem, the narrative's), by name: laid-out
    parts are kept by their HTML (parts.Store), which names an image, not its content."""
    org = checked.plan.organization
    files = {name: checked.folder / name for name in (org.logo, org.emblem) if name}
    narrative = checked.narrative.inputs(checked.folder)
    files.update({n: p for n, p in narrative.items() if p in set(checked.narrative.images)})
    digest = hashlib.sha256()
    for name, path in sorted(files.items()):
        digest.update(name.encode() + b"\0" + _sha(path.read_bytes()).encode())
    return digest.hexdigest()


def appended_files(checked: Checked, name: str) -> dict[str, Path]:
    """The ภาคผนวก files document *name* holds: the strategy document the plan's (and, in
    its archival copy, its editions' among its sources), an edition's book its own."""
    if name == "strategy.pdf":
        return checked.all_appendix_files()
    for edition in checked.plan.editions:
        if name == f"amendment-{edition.code}.pdf":
            return checked.appendix_files(edition)
    return {}


def key(checked: Checked, name: str) -> str:
    plan = checked.plan
    shown = plan.model_dump(mode="json", exclude=NOT_SHOWN.get(name, set()))
    digest = hashlib.sha256(tools_digest(plan.settings.font).encode() + name.encode())
    digest.update(json.dumps(shown, sort_keys=True, ensure_ascii=False).encode())
    for image in (plan.organization.logo, plan.organization.emblem):
        if image:
            digest.update((checked.folder / image).read_bytes())
    narrative = checked.narrative.inputs(checked.folder) if name == "strategy.pdf" else {}
    for relative, path in narrative.items():  # preface.md, parts/*.md and their images
        digest.update(relative.encode() + path.read_bytes())
    for relative, path in appended_files(checked, name).items():  # put in after the layout
        digest.update(relative.encode() + b"\0" + _sha(path.read_bytes()).encode())
    return digest.hexdigest()


class Record:
    """The cache record of one build folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.entries: dict[str, dict[str, str]] = {}
        try:
            found = parse_json(read_regular(folder / RECORD))
        except (OSError, ValueError):
            return  # none, unreadable, not a file, too large or deep, not JSON: as if none
        if isinstance(found, dict):  # valid JSON of another shape ([], null, ...) is ignored too
            self.entries = {
                name: entry
                for name, entry in found.items()
                if isinstance(entry, dict)
                and all(isinstance(entry.get(k), str) for k in ("key", "sha256"))
            }

    def holds(self, name: str, wanted: str) -> bool:
        entry = self.entries.get(name)
        if entry is None or entry.get("key") != wanted:
            return False
        try:  # a regular file only: a link to a device or a pipe is never read
            with open_regular(self.folder / name) as fh:
                return hashlib.file_digest(fh, "sha256").hexdigest() == entry.get("sha256")
        except OSError:
            return False

    def set(self, name: str, wanted: str, data: bytes) -> None:
        self.entries[name] = {"key": wanted, "sha256": _sha(data)}

    def save(self) -> None:
        text = json.dumps(self.entries, indent=1, sort_keys=True) + "\n"
        write_atomic(self.folder / RECORD, text.encode())
