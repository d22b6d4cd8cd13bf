"""A narrative Markdown file -> HTML in the document's typography (markdown-it-py).

Headings become h2/h3/h4 with ids (the contents and the bookmarks list them), paragraphs of
plain text are marked for Thai distributed justification (pdf/justify.py), tables take the
forms' table style, images are the plan folder's files. Raw HTML never passes: the plan layer
refuses it, and the renderer here prints it as text, escaped; comments (`<!-- … -->`, the
guidance in a new plan's files) print nothing. Figures (`{{ จำนวนโครงการ ปี 2568 }}`,
plan/figures.py) are replaced by their values, worked out before, in text, not in code.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import count
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from markupsafe import Markup

from saoreport.plan.figures import FIGURE
from saoreport.plan.narrative import comment, spaced_images

# A paragraph of these only can be justified line by line (bold and italic runs are kept;
# a link prints its words only).
PLAIN = {
    "text",
    "softbreak",
    "strong_open",
    "strong_close",
    "em_open",
    "em_close",
    "link_open",
    "link_close",
}


@dataclass(frozen=True)
class Heading:
    level: int  # 2, 3 or 4: a file's "#" is a section of its part (h2)
    id: str
    text: str


@dataclass(frozen=True)
class Figure:
    """An image with a caption: numbered through the book ("ภาพที่ ๑ …"), listed in the
    สารบัญภาพ."""

    number: int
    id: str
    caption: str  # as printed (digits set)


@dataclass(frozen=True)
class Rendered:
    html: Markup
    headings: tuple[Heading, ...]
    figures: tuple[Figure, ...] = ()


def _figures(text: str, env: EnvType) -> str:
    """*text* with each figure the plan could work out replaced by its value."""
    values = env["values"]
    if not values or "{{" not in text:
        return text
    return FIGURE.sub(lambda m: values.get(m.group(), m.group()), text)


def _heading_tag(token: Token) -> str:
    return f"h{min(int(token.tag[1]) + 1, 4)}"


class _Renderer(RendererHTML):
    """markdown-it's HTML renderer, with our classes, ids, text and images."""

    def text(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        return str(env["text"](_figures(tokens[idx].content, env)))

    def html_block(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        content = tokens[idx].content
        return "" if comment(content) else f"<p>{env['text'](content)}</p>\n"

    def html_inline(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        content = tokens[idx].content
        return "" if comment(content) else str(env["text"](content))

    def code_inline(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        return f"<code>{env['text'](tokens[idx].content)}</code>"

    def code_block(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        lines = tokens[idx].content.rstrip("\n").split("\n")
        return '<p class="code">' + "<br>".join(str(env["text"](x)) for x in lines) + "</p>\n"

    fence = code_block

    def paragraph_open(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        inline = tokens[idx + 1]
        plain = inline.children and all(c.type in PLAIN for c in inline.children)
        return f'<p class="md" data-dist="{env["dist"]()}">' if plain else '<p class="md">'

    def paragraph_close(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        return "</p>\n"

    def heading_open(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        tag = _heading_tag(tokens[idx])
        anchor = f"{env['key']}-{next(env['ids'])}"
        children = tokens[idx + 1].children or []
        text = "".join(_figures(c.content, env) for c in children if c.type == "text")
        env["headings"].append(Heading(int(tag[1]), anchor, str(env["digits"](text))))
        return f'<{tag} id="{anchor}" class="md">'

    def heading_close(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        return f"</{_heading_tag(tokens[idx])}>\n"

    def table_open(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        return '<table class="md">\n'

    def link_open(
        self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        return ""  # the words of a link only: a printed book has nothing to click

    link_close = link_open

    def image(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        token = tokens[idx]
        # A URL relative to the plan folder (the document's base): the same wherever the
        # folder is. markdown-it gives the file's own URL, percent-encoded.
        src = env["base"] + str(token.attrs.get("src", ""))
        alt = self.renderInlineAsText(token.children or [], options, env).strip()
        img = Markup('<img class="md" src="{}" alt="{}">').format(src, alt)
        if not alt:
            return str(img)
        # `![caption](file)`: a figure, its caption under it, numbered through the book
        number = next(env["figures"])
        anchor = f"figure-{number}"
        caption = str(env["digits"](f"ภาพที่ {number} ")) + str(env["digits"](alt))
        env["listed"].append(Figure(number, anchor, caption))
        return str(
            Markup('<span class="figure" id="{}">{}<span class="caption">{}</span></span>').format(
                anchor, img, env["text"](caption)
            )
        )


def _engine() -> MarkdownIt:
    """The grammar plan.narrative checks (CommonMark and tables); raw HTML read as HTML, to
    leave its comments out and print the rest as text."""
    engine = MarkdownIt("commonmark", {"html": True}, renderer_cls=_Renderer).enable("table")
    return spaced_images(engine)


_ENGINE: MarkdownIt | None = None


def render(
    source: str,
    key: str,
    base: str,
    text: Callable[[str], Markup],
    digits: Callable[[str], str],
    dist: Callable[[], int],
    first_figure: int = 1,
    values: tuple[tuple[str, str], ...] = (),
) -> Rendered:
    """*source* (the Markdown of narrative file *key*, whose images are relative to its
    folder *base* in the plan folder: "" or "parts/") as HTML: *text* escapes and sets prose,
    *digits* sets the digits of headings in the contents, *dist* numbers the blocks to
    justify; its captioned images are numbered from *first_figure*; *values*: each figure
    from the plan's data ({{ … }}) as typed and its value."""
    global _ENGINE
    if _ENGINE is None:
        _ENGINE = _engine()
    env: dict[str, Any] = {
        "text": text,
        "digits": digits,
        "dist": dist,
        "key": key,
        "ids": count(1),
        "headings": [],
        "base": base,
        "figures": count(first_figure),
        "listed": [],
        "values": dict(values),
    }
    html = _ENGINE.render(source, env)
    return Rendered(Markup(html), tuple(env["headings"]), tuple(env["listed"]))
