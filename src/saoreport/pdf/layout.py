"""HTML -> PDF with WeasyPrint, reading only files the document may use."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from functools import cache, cached_property, partial
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlparse

from saoreport.errors import BuildFailed
from saoreport.messages import _
from saoreport.pdf import justify, linebreak, speedups

LOG = logging.getLogger("weasyprint")

# Where every document sees its plan folder, wherever the folder is: WeasyPrint derives from
# an image's URL its name in the PDF (the md5 of the URL), so that a plan with a photo, laid
# out from its real path, gave other bytes in every other folder. The fetcher serves this
# URL's files from the plan folder; messages name the real files.
PLAN_URL = "file:///saoreport-plan/"
# Images print at most at this resolution, in pixels per inch of the size they are placed at
# on the page: a finer one is scaled down (Pillow, through WeasyPrint's `dpi` option, when the
# PDF is written), a coarser one is kept as it is. An image is stored once, at the largest size
# it is placed at. A 4032 x 3024 phone photo across a portrait page's text (16 cm) keeps
# 1890 x 1417 pixels: 4.3 MB of JPEG became 0.3 MB.
PRINT_DPI = 300


@contextmanager
def _epoch(seconds: int) -> Iterator[None]:
    """WeasyPrint dates the PDF from SOURCE_DATE_EPOCH: same input, same bytes."""
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(seconds)
    try:
        yield
    finally:
        if old is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old


def _real_names(text: str, folder: Path) -> str:
    """*text* with every URL of a file under PLAN_URL as the path of the plan folder's file."""
    return re.sub(
        re.escape(PLAN_URL) + r"""([^'"\s]*)""",
        lambda found: str(folder / unquote(found.group(1))),
        text,
    )


@contextmanager
def _strict(folder: Path) -> Iterator[None]:
    """Turn WeasyPrint's warnings about missing glyphs and unreadable files into errors
    (naming the plan folder's files by their paths)."""
    messages: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            messages.append(record.getMessage())

    handler = Collect(logging.WARNING)
    LOG.addHandler(handler)
    try:
        yield
    finally:
        LOG.removeHandler(handler)
    bad = [m for m in messages if ".notdef" in m or "Failed to load" in m]
    if bad:
        detail = "; ".join(dict.fromkeys(_real_names(m, folder) for m in bad))
        raise BuildFailed(
            _(
                "the document could not be made as it should ({detail}): check the images"
                " and characters it names, or report it",
                detail=detail,
            )
        )


# The libraries WeasyPrint loads, by the names the Linux dynamic loader knows them by.
SONAMES = [
    "libgobject-2.0.so.0",
    "libpango-1.0.so.0",
    "libharfbuzz.so.0",
    "libfontconfig.so.1",
    "libpangoft2-1.0.so.0",
]


def import_weasyprint() -> None:
    """Import WeasyPrint, on Linux without its library search's subprocesses.

    WeasyPrint tries several names for each library it loads (one list for Linux, macOS and
    Windows); each name that is not a file the loader knows goes to ctypes' find_library,
    which runs ldconfig and gcc: some fifty processes, 0.1-0.2 s and as much again of the
    machine's CPU, for every process that imports it. Its lists hold each library's Linux
    name too, which the loader finds at once: where all of them load, find_library is told
    to find nothing while WeasyPrint is imported, and the names that load are the same
    libraries find_library would have found. Anywhere else it is imported as it is."""
    import sys

    if "weasyprint" in sys.modules or not sys.platform.startswith("linux"):
        return
    import ctypes
    import ctypes.util

    try:
        for soname in SONAMES:
            ctypes.CDLL(soname)
    except OSError:
        return  # imported as it is, where it is first used
    real = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        import weasyprint  # noqa: F401
    finally:
        ctypes.util.find_library = real


def fetcher(allowed: list[Path], folder: Path | None = None) -> Any:
    """A URL fetcher that serves local files under *allowed* and nothing else; the URLs
    under PLAN_URL from the plan *folder*."""
    import_weasyprint()
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    roots = [root.resolve() for root in allowed]
    home = folder.resolve().as_uri() + "/" if folder is not None else None

    class Confined(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if home is not None and url.startswith(PLAN_URL):
                url = home + url.removeprefix(PLAN_URL)
            parsed = urlparse(url)
            if parsed.scheme == "data":
                return super().fetch(url, headers)
            path = Path(unquote(parsed.path)).resolve()
            if parsed.scheme != "file" or not any(path.is_relative_to(r) for r in roots):
                raise FatalURLFetchingError(
                    _("the document may not read {url}: keep its files in the plan folder", url=url)
                )
            return super().fetch(url, headers)

    confined = Confined(allowed_protocols={"file", "data"})
    confined.roots = tuple(str(root) for root in roots)  # what it serves (speedups/stylesheets.py)
    return confined


# Asked of each page as soon as it is laid out: are the pages so far enough? (A piece of a long
# table, pipeline/parts.py: the next piece begins where these pages end.)
Enough = Callable[[Any], bool]


@contextmanager
def _pages_until(enough: Enough) -> Iterator[None]:
    """WeasyPrint lays out pages one after the other (layout.page.make_all_pages): stop after
    the first page *enough* accepts, if more pages would follow it. The pages before are those
    of the whole layout (a page depends on what precedes it and on what begins the next page,
    which is there); the pages after it are not made. The next page's entry is left marked up
    to date, so that WeasyPrint does not lay the document out again to make it."""
    import weasyprint.layout as wl

    real = wl.make_all_pages

    def make_all_pages(context: Any, root_box: Any, html: Any, pages: Any) -> Iterator[Any]:
        for index, page in enumerate(real(context, root_box, html, pages)):
            yield page
            following = (
                context.page_maker[index + 1] if index + 1 < len(context.page_maker) else None
            )
            if following is not None and following[0] is not None and enough(page):
                del context.page_maker[index + 2 :]
                following[-1].update(content_changed=False, pages_wanted=False)
                return

    wl.make_all_pages = make_all_pages
    try:
        yield
    finally:
        wl.make_all_pages = real


@cache
def font_config() -> Any:
    """One font configuration for every layout of the process: WeasyPrint makes a new one
    per call otherwise (about 14 ms each: fontconfig and a Pango font map). Our @font-face
    fonts are added to it once (WeasyPrint keeps them by their rule), so the same fonts
    draw every document."""
    import atexit

    from weasyprint.text.fonts import FontConfiguration

    # Let it go before the interpreter tears its modules down: its __del__ (removing its
    # temporary folder) would otherwise run without them and print "Exception ignored".
    atexit.register(font_config.cache_clear)
    return FontConfiguration()


class Layout:
    """Lays out HTML of one plan: relative URLs from the plan folder *base* (seen at
    PLAN_URL), files only under *allowed*."""

    def __init__(self, base: Path, allowed: list[Path], epoch: int, **options: Any) -> None:
        self.folder = base
        self.base = PLAN_URL
        self.allowed = allowed
        self.epoch = epoch
        self.options = {"dpi": PRINT_DPI, **options}
        # Words found wider than their line in the last layout (broken where libthai allows).
        self.overlong: set[str] = set()

    @cached_property
    def fetcher(self) -> Any:
        """Made at the first layout: WeasyPrint is imported then, not before (a rebuild may
        lay nothing out in this process)."""
        return fetcher(self.allowed, self.folder)

    def url(self, path: Path) -> str:
        """The URL of *path*, a file inside the plan folder, as documents see it."""
        relative = path.resolve().relative_to(self.folder.resolve()).as_posix()
        return PLAN_URL + quote(relative)

    def render(self, html: str, until: Enough | None = None) -> Any:
        """The laid-out document; with *until*, its pages up to the first *until* accepts."""
        from weasyprint import HTML
        from weasyprint.urls import FatalURLFetchingError

        linebreak.install()  # what makes the lines right, then what makes them fast
        speedups.install("layout")
        stopping = _pages_until(until) if until is not None else nullcontext()
        try:
            with (
                _strict(self.folder),
                linebreak.overlong() as found,
                speedups.remembered("layout"),
                stopping,
            ):
                page = HTML(string=html, base_url=self.base, url_fetcher=self.fetcher)
                document = page.render(font_config=font_config(), **self.options)
            self.overlong = found
            return document
        except FatalURLFetchingError as exc:
            raise BuildFailed(_real_names(str(exc), self.folder)) from None

    def pdf(self, document: Any, **extra: Any) -> bytes:
        speedups.install("drawing")
        with _epoch(self.epoch), _strict(self.folder), speedups.remembered("drawing"):
            # The options again (the variant's metadata), and *extra* (attachments).
            data = document.write_pdf(**self.options, **extra)
        assert isinstance(data, bytes)
        return data

    def render_justified(self, html: str, until: Enough | None = None) -> Any:
        """Lay out *html*, its data-dist blocks justified the Thai way."""
        return justify.distribute(html, partial(self.render, until=until))

    def write_pdf(self, html: str, **extra: Any) -> bytes:
        """Lay out *html* (its data-dist blocks justified the Thai way) as PDF bytes."""
        return self.pdf(self.render_justified(html), **extra)


def write_pdf(html: str, base: Path, allowed: list[Path], epoch: int, **options: Any) -> bytes:
    return Layout(base, allowed, epoch, **options).write_pdf(html)
