"""A document's own stylesheets parsed once per process, not once per layout.

WeasyPrint parses every <style> of a document anew for each layout (tinycss2, then the
selectors compiled into a matcher): about 12 ms for our templates' CSS, paid by every part of
a long document, every poster trial and every justification pass. Here the parsed sheets of a
document are kept by everything their parsing reads (the text, type and media of each
<style>, the media type, the base URL, the font configuration and the fetcher's roots), and
given again, as the same author stylesheets in the same order, to the next layout with the
same CSS: the cascade, and so the PDF, is the same byte for byte.

What a parse leaves outside the sheets is given again too: the @counter-style rules (our
Thai digits) go into each layout's counter styles, @color-profile rules into its colour
profiles; the @font-face rules are in the font configuration, which is the same object
(layout.font_config). Documents that link stylesheets (<link>, which reads files that may
change) and sheets whose parse logged anything (a failed font, a parse error: the next layout
must see it again) are not kept.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Iterator
from typing import Any

NAME = "stylesheets"
CHECKED = ("70.0",)  # the WeasyPrint versions this was checked against (its tests pass)
STAGE = "layout"
TESTS = "tests/test_fixed_costs.py"

_state: dict[str, Any] = {"installed": False, "original": None}
# Parsed sheets by what their parse reads: (sheets, counter styles, colour profiles, and the
# font configuration they were parsed with, not kept alive by them).
_kept: dict[tuple[Any, ...], tuple[list[Any], dict[str, Any], dict[str, Any], Any]] = {}
MAX_KEPT = 32  # sets of stylesheets kept (a strategy document has a few; posters' trials vary)


def install() -> None:
    """Hook the cache into WeasyPrint (once per process)."""
    if _state["installed"]:
        return
    from weasyprint import css

    _state["original"] = css.find_stylesheets
    css.find_stylesheets = _cached(css.find_stylesheets, css.get_child_text)
    _state["installed"] = True


def uninstall() -> None:
    """Parse every document's stylesheets anew, as before install."""
    if not _state["installed"]:
        return
    from weasyprint import css

    css.find_stylesheets = _state["original"]
    _kept.clear()
    _state["installed"] = False


def _cached(real: Any, child_text: Any) -> Any:
    def find_stylesheets(
        wrapper_element: Any,
        device_media_type: str,
        url_fetcher: Any,
        base_url: str,
        font_config: Any,
        counter_style: dict[str, Any],
        color_profiles: dict[str, Any],
        page_rules: list[Any],
        layers: list[Any],
    ) -> Iterator[Any]:
        args = (
            wrapper_element,
            device_media_type,
            url_fetcher,
            base_url,
            font_config,
            counter_style,
            color_profiles,
            page_rules,
            layers,
        )
        elements = [w.etree_element for w in wrapper_element.query_all("style", "link")]
        if any(e.tag != "style" for e in elements) or page_rules or layers:
            yield from real(*args)
            return
        key = (
            tuple((e.get("type"), e.get("media"), child_text(e)) for e in elements),
            device_media_type,
            base_url,
            id(font_config),
            tuple(getattr(url_fetcher, "roots", ("?", id(url_fetcher)))),
        )
        found = _kept.get(key)
        if found is not None and found[3]() is font_config:
            sheets, counters, profiles, _ = found
            counter_style.update({name: dict(value) for name, value in counters.items()})
            color_profiles.update(profiles)
            yield from sheets
            return
        counters_before, profiles_before = dict(counter_style), dict(color_profiles)
        with _logged() as messages:
            sheets = list(real(*args))
        if not messages:
            while len(_kept) >= MAX_KEPT:  # the oldest goes
                del _kept[next(iter(_kept))]
            counters = {
                name: dict(value)
                for name, value in counter_style.items()
                if counters_before.get(name) is not value
            }
            profiles = {
                name: value
                for name, value in color_profiles.items()
                if profiles_before.get(name) is not value
            }
            _kept[key] = (sheets, counters, profiles, weakref.ref(font_config))
        yield from sheets

    return find_stylesheets


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


class _logged:
    """The warnings and errors WeasyPrint logs while the block runs."""

    def __enter__(self) -> list[str]:
        self.handler = _Collect()
        logging.getLogger("weasyprint").addHandler(self.handler)
        return self.handler.messages

    def __exit__(self, *exc: object) -> None:
        logging.getLogger("weasyprint").removeHandler(self.handler)
