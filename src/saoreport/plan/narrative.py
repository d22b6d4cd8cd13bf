"""The plan's narrative: Markdown files beside plan.yaml, read and checked with file:line.

The official book (แผนพัฒนาท้องถิ่น) has parts that are prose, lists and tables the SAO writes:
its preface (คำนำ), ส่วนที่ ๑ (general conditions), ส่วนที่ ๒ (results of the last plan), the
analysis closing ส่วนที่ ๓ (SWOT and so on) and ส่วนที่ ๕ (monitoring). Each is a file of its own
(FILES); a missing file leaves its part out. Raw HTML and images outside the plan folder are
refused here, each at its line; document/markdown.py renders what passes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from itertools import islice
from pathlib import Path
from urllib.parse import unquote, urlparse

from markdown_it import MarkdownIt
from markdown_it.rules_block.table import escapedSplit
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from saoreport.errors import PlanInvalid, Problem
from saoreport.messages import _
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
# What the page can print, each beyond its limit reported at its line (markdown-it's own limit,
# maxNesting 20, drops the rest of a file silently; WeasyPrint cuts a table at the page edge).
MAX_NESTING = 5  # lists and quotes inside each other (a plan needs 2 or 3; each indents 1.5-2 cm)
MAX_COLUMNS = 20  # a table's columns that fit the page's width (the forms have 13)
# A word's length and its bold, italic, code and link spans are the line breaking's work: a run
# of text with no break between spans or characters is laid out in time that grows with its
# square (2,500 spans in one word of `*a*a…`: 47 s; 50,000 characters with no space: 25 s).
MAX_SPANS = 100  # spans in one word (text with no space)
# Each span costs layout some 1 ms and 25 kB (25,000 `*a* `: 26 s, 700 MB; plain words a tenth)
MAX_FILE_SPANS = 2_000  # spans in a file (a 50 kB part has a few hundred)
MAX_WORD = 1_000  # characters with no place a line may break (Pango's, as layout breaks)
NESTS = {"bullet_list_open", "ordered_list_open", "blockquote_open"}
SPANS = {"em_open", "strong_open", "link_open", "code_inline", "image"}
SPACE = re.compile(r"[^\S\u00a0\u2007\u202f]")  # a space a line may break at (not a no-break one)
IMAGE_TYPES = {  # the images a plan may show, by suffix, and their MIME types
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".svg": "image/svg+xml",
    ".webp": "image/webp",
}


# An image whose file name has spaces, as people name photos (`![…](รูป ที่ทำการ.jpg)`): CommonMark
# wants such a name in <…> and reads it as text otherwise, which printed the raw Markdown. The
# name runs to the image's suffix; a title after it ("…") is left to CommonMark.
SPACED_IMAGE = re.compile(
    r"!\[([^\[\]\n]*)\]\(\s*([^()<>\n]*?\s[^()<>\n]*?\.(?:"
    + "|".join(suffix[1:] for suffix in IMAGE_TYPES)
    + r"))\s*\)",
    re.IGNORECASE,
)


# What is left of an image markdown-it could not read (its text printed as it is).
UNREAD_IMAGE = re.compile(r"!\[[^\[\]\n]*\]\((?:[^()\n]|\([^()\n]*\))*\)")


def _spaced_image(state: StateInline, silent: bool) -> bool:
    """markdown-it inline rule: `![alt](name with spaces.png)` is the image of that file."""
    found = SPACED_IMAGE.match(state.src, state.pos)
    if found is None:
        return False
    if not silent:
        label, name = found.group(1), found.group(2)
        token = state.push("image", "img", 0)
        token.attrs = {"src": state.md.normalizeLink(name), "alt": ""}
        children: list[Token] = []
        state.md.inline.parse(label, state.md, state.env, children)
        token.children, token.content = children, label
    state.pos = found.end()
    return True


def spaced_images(md: MarkdownIt) -> MarkdownIt:
    """*md* reading image file names with spaces (the checks here and the renderer alike)."""
    md.inline.ruler.before("image", "spaced_image", _spaced_image)
    return md


@cache
def parser(html: bool = False) -> MarkdownIt:
    """CommonMark with tables. With *html*, raw HTML is tokenized (to be found and refused);
    without, it stays text (escaped) whatever reaches the renderer."""
    return spaced_images(MarkdownIt("commonmark", {"html": html}).enable("table"))


@lru_cache(maxsize=8)
def tokens(text: str, html: bool = True) -> list[Token]:
    """*text* parsed (parser(html)), kept: validation reads each file's tokens several times
    (its checks, its figures, its completeness). The tokens are read, never changed."""
    return parser(html).parse(text)


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


def printed(text: str) -> Iterator[tuple[int, str]]:
    """Each piece of *text* (Markdown) that prints, with its line: the text of paragraphs,
    headings, table cells and code, entities decoded (`&#x1F600;` is U+1F600)."""
    return printed_pieces(text)


def printed_pieces(text: str, code: bool = True) -> Iterator[tuple[int, str]]:
    """printed(), and without code (what a figure may sit in) unless *code*. Comments
    (`<!-- … -->`, the guidance of a new plan's files) never print."""
    parsed = tokens(text)
    if code:
        for token in parsed:
            if token.type in ("code_block", "fence"):
                line = _lines(token) + (1 if token.type == "fence" else 0)
                for i, piece in enumerate(token.content.split("\n")):
                    yield line + i, piece
    for child, line in _inline(parsed):
        if child.type == "text" or (code and child.type == "code_inline"):
            yield line, child.content


def comment(html: str) -> bool:
    """Whether *html* (a raw HTML token's text) is comments only: they never print."""
    return COMMENTS.fullmatch(html.strip()) is not None


COMMENTS = re.compile(r"(?:<!--(?:(?!-->).)*-->\s*)+", re.S)


def _layout_problems(tokens: list[Token], lines: list[str]) -> Iterator[tuple[int, str, str]]:
    """What the page would not print, or layout would take minutes over, as (line, needle,
    message): nesting too deep, tables too wide or with cells beyond their header, words too
    long or holding too many spans."""
    depth, reported, columns, table = 0, False, 0, 1
    for token in tokens:
        if token.type in NESTS:
            depth += 1
            if depth > MAX_NESTING and not reported:
                reported = True
                yield (
                    _lines(token),
                    token.markup,
                    _(
                        "lists and quotes nested more than {limit} deep would not be printed"
                        " whole: use fewer levels",
                        limit=MAX_NESTING,
                    ),
                )
        elif token.type in ("bullet_list_close", "ordered_list_close", "blockquote_close"):
            depth -= 1
            reported = reported and depth > 0
        elif token.type == "thead_open":
            columns, table = 0, _lines(token)
        elif token.type == "th_open":
            columns += 1
        elif token.type == "thead_close" and columns > MAX_COLUMNS:
            yield (
                table,
                "|",
                _(
                    "a table of {columns} columns does not fit the page, which holds at most"
                    " {limit}: split it into tables of fewer columns",
                    columns=columns,
                    limit=MAX_COLUMNS,
                ),
            )
        elif token.type == "tr_open" and token.map and token.map[0] < len(lines):
            cells = _cells(lines[token.map[0]])
            if columns and cells > columns:
                yield (
                    _lines(token),
                    "|",
                    _(
                        "this row has {cells} cells and the table's header {columns}: only the"
                        " first {columns} would be printed; add headings or remove cells",
                        cells=cells,
                        columns=columns,
                    ),
                )
        elif token.type in ("code_block", "fence"):
            first = _lines(token) + (1 if token.type == "fence" else 0)
            for i, line in enumerate(token.content.split("\n")):
                for _at, message in _words(line, []):
                    yield first + i, "", message
                    break
        elif token.type == "inline" and token.children:
            yield from _word_problems(token)
    spans = (at for child, at in _inline(tokens) if child.type in SPANS)
    for at in islice(spans, MAX_FILE_SPANS, MAX_FILE_SPANS + 1):
        yield (
            at,
            "",
            _(
                "more than {limit} bold, italic, code or link marks in one file take too long"
                " to lay out: mark fewer words",
                limit=f"{MAX_FILE_SPANS:,}",
            ),
        )


def _word_problems(token: Token) -> Iterator[tuple[int, str, str]]:
    """The first word of this inline *token* (a paragraph, heading or cell) that is too long
    or holds too many spans, at its line."""
    text, marks = "", []
    for child in token.children or []:
        if child.type in SPANS:
            marks.append(len(text))
        if child.type in ("softbreak", "hardbreak"):
            text += "\n"
        elif child.type in ("text", "code_inline"):
            text += child.content
    for at, message in _words(text, marks):
        yield _lines(token) + text.count("\n", 0, at), "", message
        return


def _words(text: str, marks: list[int]) -> Iterator[tuple[int, str]]:
    """Where a word of *text* (as Pango breaks it into lines) is longer than MAX_WORD, or
    holds more than MAX_SPANS of the span starts *marks* (with no space where a line may break
    between them): (position, message)."""
    if len(text) <= MAX_WORD and len(marks) <= MAX_SPANS:
        return  # the common case, without asking Pango
    from weasyprint.text.line_break import get_log_attrs

    attrs = get_log_attrs(text, "th")
    breaks = [i for i in range(1, len(text)) if attrs[i].is_line_break]
    for start, end in zip([0, *breaks], [*breaks, len(text)], strict=True):
        if end - start > MAX_WORD:
            yield (
                start,
                _(
                    "a word of more than {limit} characters that cannot be broken into lines"
                    " (no space, or only spaces after an opening bracket): put spaces in it",
                    limit=f"{MAX_WORD:,}",
                ),
            )
            return
    spaces = [i for i in breaks if SPACE.match(text[i - 1])]
    for start, end in zip([0, *spaces], [*spaces, len(text) + 1], strict=True):
        inside = [m for m in marks if start <= m < end]
        if len(inside) > MAX_SPANS:
            yield (
                inside[MAX_SPANS],
                _(
                    "more than {limit} bold, italic, code or link marks in one word (text with"
                    " no space) cannot be laid out in lines: put spaces between them",
                    limit=MAX_SPANS,
                ),
            )
            return


def _raw_html(html: str) -> str:
    return _(
        "raw HTML is not allowed: {html}; write it in Markdown (** for bold, | for tables)",
        html=repr(html),
    )


def _cells(line: str) -> int:
    """The cells of a table's row *line* (its quote marks and indent left out), as markdown-it
    counts them: it prints as many as the header has."""
    columns = escapedSplit(line.lstrip(" \t>").strip())
    if columns and columns[0] == "":
        columns.pop(0)
    if columns and columns[-1] == "":
        columns.pop()
    return len(columns)


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

    read = tokens(text)
    for line, needle, message in _layout_problems(read, text.splitlines()):
        problem(line, needle, message)
    for token in read:
        if token.type == "html_block" and not comment(token.content):
            first = token.content.splitlines()[0] if token.content else ""
            problem(_lines(token), first.strip(), _raw_html(first.strip()))
    root = folder.resolve()
    for child, line in _inline(read):
        if child.type == "html_inline" and not comment(child.content):
            problem(line, child.content, _raw_html(child.content))
        elif child.type == "text":
            for unread in UNREAD_IMAGE.finditer(child.content):
                message = _(
                    "{image} is not read as an image and would print as it is: give the file"
                    " a name without brackets, ending in {kinds}",
                    image=unread.group(),
                    kinds=", ".join(sorted(IMAGE_TYPES)),
                )
                problem(line, unread.group(), message)
        elif child.type == "image":
            src = str(child.attrs.get("src", ""))
            parsed = urlparse(src)
            path = (file.parent / unquote(parsed.path)).resolve()
            if parsed.scheme or parsed.netloc:
                message = _(
                    "image {src}: only files inside the plan folder are shown; copy it into"
                    " the plan folder",
                    src=repr(unquote(src)),
                )
                problem(line, unquote(src), message)
            elif not path.is_relative_to(root):
                message = _(
                    "image {src} is outside the plan folder {folder}: copy it in",
                    src=repr(unquote(src)),
                    folder=folder,
                )
                problem(line, unquote(src), message)
            elif not path.is_file():
                message = _(
                    "image {src} is not there: put the file in the plan folder, or correct its"
                    " name",
                    src=repr(unquote(src)),
                )
                problem(line, unquote(src), message)
            elif path.suffix.lower() not in IMAGE_TYPES:
                message = _(
                    "image {src} is not an image file ({kinds}): save it as one",
                    src=repr(unquote(src)),
                    kinds=", ".join(sorted(IMAGE_TYPES)),
                )
                problem(line, unquote(src), message)
            else:
                images.append(path)
    return problems, images


def _files(folder: Path, problems: list[Problem]) -> dict[str, Path]:
    """The narrative files in *folder* by key, their names in any case (`preface.MD`, as
    Windows editors save them); two files whose names differ only in case, and any other
    Markdown file in `parts/`, are *problems*."""
    names = {name: key for key, name in FILES.items()}
    found: dict[str, Path] = {}
    parts = folder / "parts"
    if parts.is_dir() and not parts.resolve().is_relative_to(folder.resolve()):
        # what a plan folder holds is the plan: a linked folder would not travel with it
        message = _(
            "is a link to {target}, outside the plan folder: put the narrative files in the"
            " plan folder's own parts/ folder",
            target=parts.resolve(),
        )
        problems.append(Problem(parts, 1, 1, "", message))
        parts = folder  # read only the plan folder's own files
    for where in dict.fromkeys((folder, parts)):
        if not where.is_dir():
            continue
        for path in sorted(where.iterdir()):
            if path.suffix.lower() != ".md" or not path.is_file():
                continue
            name = path.relative_to(folder).as_posix()
            lower = name[: -len(path.name)] + path.name.lower()
            key = names.get(lower)
            if key is None:
                if where != folder:
                    listed = ", ".join(FILES.values())
                    message = _(
                        "not a part of the plan: the narrative files are {listed}; rename it"
                        " or move it out of parts/",
                        listed=listed,
                    )
                    problems.append(Problem(path, 1, 1, "", message))
            elif key in found:
                message = _(
                    "{first} and {second} are the same part ({part}): keep one of them",
                    first=found[key].name,
                    second=path.name,
                    part=FILES[key],
                )
                problems.append(Problem(path, 1, 1, "", message))
            else:
                found[key] = path
    return found


def load(folder: Path) -> tuple[Narrative, list[Problem]]:
    """The narrative files in *folder*, and every problem with them, at its line."""
    sources: dict[str, str] = {}
    files: dict[str, Path] = {}
    images: list[Path] = []
    problems: list[Problem] = []
    present = _files(folder, problems)
    for key in FILES:
        if key not in present:
            continue
        file = present[key]
        try:
            text = loader.read_text(file, _("a narrative file"), MAX_BYTES)
        except PlanInvalid as exc:
            problems += exc.problems
            continue
        found, used = _check(folder, file, text)
        problems += found
        images += used
        sources[key], files[key] = text, file
    return Narrative(sources, files, tuple(dict.fromkeys(images))), problems


def with_file(narrative: Narrative, folder: Path, relative: str) -> tuple[Narrative, list[Problem]]:
    """*narrative* with one more Markdown file of the plan *folder* (an edition's reasons),
    under its name *relative* as its key; its problems, at their lines."""
    file = folder / relative
    try:
        text = loader.read_text(file, _("a narrative file"), MAX_BYTES)
    except PlanInvalid as exc:
        return narrative, exc.problems
    problems, used = _check(folder, file, text)
    images = tuple(dict.fromkeys([*narrative.images, *used]))
    return (
        Narrative(
            {**narrative.sources, relative: text}, {**narrative.files, relative: file}, images
        ),
        problems,
    )


def check_text(folder: Path, file: Path, text: str) -> list[Problem]:
    """The problems of *text* as the narrative file *file* of *folder*, before it is written
    (the workspace's editor checks a save so)."""
    return _check(folder, file, text)[0]
