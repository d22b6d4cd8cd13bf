"""HTML -> PDF with WeasyPrint, reading only files the document may use."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from . import justify
from .errors import BuildFailed

LOG = logging.getLogger("weasyprint")


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


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


def fetcher(allowed: list[Path]) -> Any:
    """A URL fetcher that serves local files under *allowed* and nothing else."""
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    roots = [root.resolve() for root in allowed]

    class Confined(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            parsed = urlparse(url)
            if parsed.scheme == "data":
                return super().fetch(url, headers)
            path = Path(unquote(parsed.path)).resolve()
            if parsed.scheme != "file" or not any(path.is_relative_to(r) for r in roots):
                raise FatalURLFetchingError(f"the document may not read {url}")
            return super().fetch(url, headers)

    return Confined(allowed_protocols={"file", "data"})


def write_pdf(html: str, base: Path, allowed: list[Path], epoch: int, **options: Any) -> bytes:
    """Lay out *html* and return the PDF bytes. Missing glyphs and refused reads fail."""
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError

    collect = _Collect()
    LOG.addHandler(collect)
    try:
        with _epoch(epoch):

            def lay_out(text: str) -> Any:
                page_html = HTML(
                    string=text, base_url=str(base) + "/", url_fetcher=fetcher(allowed)
                )
                return page_html.render(**options)

            document = justify.distribute(html, lay_out)
            data = document.write_pdf(**options)  # options again: the variant's metadata
    except FatalURLFetchingError as exc:
        raise BuildFailed(str(exc)) from None
    finally:
        LOG.removeHandler(collect)
    bad = [m for m in collect.messages if ".notdef" in m or "Failed to load" in m]
    if bad:
        raise BuildFailed("; ".join(dict.fromkeys(bad)))
    assert isinstance(data, bytes)
    return data
