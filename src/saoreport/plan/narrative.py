"""The plan's narrative: Markdown files beside plan.yaml, read and checked with file:line.

The official book (แผนพัฒนาท้องถิ่น) has parts that are prose, lists and tables the SAO writes:
its preface (คำนำ), ส่วนที่ ๑ (general conditions), ส่วนที่ ๒ (results of the last plan), the
analysis closing ส่วนที่ ๓ (SWOT and so on) and ส่วนที่ ๕ (monitoring). Each is a file of its own
(FILES); a missing file leaves its part out. Raw HTML and images outside the plan folder are
refused here, each at its line; document/markdown.py renders what passes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlparse

from markdown_it import MarkdownIt
from markdown_it.token import Token

from saoreport.errors import PlanInvalid, Problem
from saoreport.plan import loader

# key -> file, relative to the plan folder. The part numbers are those of the official book.
MAX_BYTES = 1_000_000  # a narrative file (ส่วนที่ ๑ of a real plan is some 50 kB)
FILES = {
    "preface": "preface.md",  # คำนำ
    "general": "parts/1-general.md",  # ส่วนที่ ๑ สภาพทั่วไปและข้อมูลพื้นฐาน
    "results": "parts/2-results.md",  # ส่วนที่ ๒ สรุปผลการพัฒนาท้องถิ่น…ที่ผ่านมา
    "analysis": "parts/3-analysis.md",  # closes ส่วนที่ ๓: SWOT and other analysis
    "monitoring": "parts/5-monitoring.md",  # ส่วนที่ ๕ การติดตามและประเมินผล
}
IMAGE_TYPES = {  # the images a plan may show, by suffix, and their MIME types
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".svg": "image/svg+xml",
    ".webp": "image/webp",
}


@cache
def parser(html: bool = False) -> MarkdownIt:
    """CommonMark with tables. With *html*, raw HTML is tokenized (to be found and refused);
    without, it stays text (escaped) whatever reaches the renderer."""
    return MarkdownIt("commonmark", {"html": html}).enable("table")


@dataclass(frozen=True)
class Narrative:
    """The Markdown text of each narrative file the plan has, and the files it uses."""

    sources: dict[str, str] = field(default_factory=dict)  # key (FILES) -> Markdown
    files: dict[str, Path] = field(default_factory=dict)  # key -> the file
    images: tuple[Path, ...] = ()  # every image the files show, resolved

    def inputs(self, folder: Path) -> dict[str, Path]:
        """Every file the narrative reads (its Markdown files and their images), by its name
        in the plan *folder* ("parts/map.png")."""
        root = folder.resolve()
        paths = {p.resolve() for p in [*self.files.values(), *self.images]}
        return {p.relative_to(root).as_posix(): p for p in sorted(paths)}


def _lines(token: Token) -> int:
    return token.map[0] + 1 if token.map else 1


def _inline(tokens: list[Token]) -> Iterator[tuple[Token, int]]:
    """Every inline child with its line (1-based): soft and hard breaks count the lines."""
    for token in tokens:
        if token.type == "inline" and token.children:
            line = _lines(token)
            for child in token.children:
                yield child, line
                if child.type in ("softbreak", "hardbreak"):
                    line += 1
        elif token.children:
            yield from _inline(token.children)


def _column(text: str, line: int, needle: str) -> int:
    lines = text.splitlines()
    if 0 < line <= len(lines) and needle:
        found = lines[line - 1].find(needle)
        if found >= 0:
            return found + 1
    return 1


def _check(folder: Path, file: Path, text: str) -> tuple[list[Problem], list[Path]]:
    problems: list[Problem] = []
    images: list[Path] = []

    def problem(line: int, needle: str, message: str) -> None:
        problems.append(Problem(file, line, _column(text, line, needle), "", message))

    tokens = parser(html=True).parse(text)
    for token in tokens:
        if token.type == "html_block":
            first = token.content.splitlines()[0] if token.content else ""
            problem(_lines(token), first.strip(), f"raw HTML is not allowed: {first.strip()!r}")
    root = folder.resolve()
    for child, line in _inline(tokens):
        if child.type == "html_inline":
            problem(line, child.content, f"raw HTML is not allowed: {child.content!r}")
        elif child.type == "image":
            src = str(child.attrs.get("src", ""))
            parsed = urlparse(src)
            path = (file.parent / unquote(parsed.path)).resolve()
            if parsed.scheme or parsed.netloc:
                problem(line, src, f"image {src!r}: only files inside the plan folder are shown")
            elif not path.is_relative_to(root):
                problem(line, src, f"image {src!r} is outside the plan folder {folder}")
            elif not path.is_file():
                problem(line, src, f"image {src!r} not found")
            elif path.suffix.lower() not in IMAGE_TYPES:
                kinds = ", ".join(sorted(IMAGE_TYPES))
                problem(line, src, f"image {src!r}: not an image file ({kinds})")
            else:
                images.append(path)
    return problems, images


def load(folder: Path) -> tuple[Narrative, list[Problem]]:
    """The narrative files in *folder*, and every problem with them, at its line."""
    sources: dict[str, str] = {}
    files: dict[str, Path] = {}
    images: list[Path] = []
    problems: list[Problem] = []
    known = {folder / name for name in FILES.values()}
    root = folder.resolve()
    parts = folder / "parts"
    outside = parts.is_dir() and not parts.resolve().is_relative_to(root)
    if outside:  # what a plan folder holds is the plan: a linked folder would not travel
        message = (
            f"is a link to {parts.resolve()}, outside the plan folder;"
            " put the narrative files in the plan folder's own parts/ folder"
        )
        problems.append(Problem(parts, 1, 1, "", message))
    elif parts.is_dir():
        for path in sorted(parts.iterdir()):
            if path.suffix == ".md" and path not in known:
                names = ", ".join(FILES.values())
                message = f"not a part of the plan; the narrative files are {names}"
                problems.append(Problem(path, 1, 1, "", message))
    for key, name in FILES.items():
        file = folder / name
        if not file.is_file() or (outside and name.startswith("parts/")):
            continue
        try:
            text = loader.read_text(file, "a narrative file", MAX_BYTES)
        except PlanInvalid as exc:
            problems += exc.problems
            continue
        found, used = _check(folder, file, text)
        problems += found
        images += used
        sources[key], files[key] = text, file
    return Narrative(sources, files, tuple(dict.fromkeys(images))), problems
