"""The speed patches, and the one seam through which they are installed.

WeasyPrint is fast enough for a page, not for a 150-page book laid out again and again: each
module of this package replaces one piece of WeasyPrint's internals with code that does less
work and gives the same bytes. They are kept apart from what makes the output right (Thai line
breaking ``linebreak.py``, ``justify.py``, the text layer ``textlayer.py`` and its font programs,
``joining.py``, ``fontsharing.py``), which WeasyPrint cannot do without.

Each patch is a module with:

- ``NAME``; ``CHECKED``: the WeasyPrint versions it was checked against (its test, named by
  ``TESTS``, passes there: the same boxes, styles and bytes as WeasyPrint's own code);
- ``STAGE``: ``"layout"`` (installed before a document is laid out) or ``"drawing"`` (before
  its PDF is written);
- ``install()`` and ``uninstall()`` (each leaves WeasyPrint as it found it), and perhaps
  ``remembered()``: the block in which its memory serves (one layout, one drawing).

``pdf/layout.py`` installs them only through ``install(stage)`` here. They are off with
``SAOREPORT_SPEEDUPS=0`` (the output is the same, only slower). On a WeasyPrint version a patch
was not checked against, that patch is not installed and one warning says so (once per process:
the build checks before it starts its workers, which inherit that it did).
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from functools import cache
from importlib import import_module
from types import ModuleType

from saoreport.messages import _

SWITCH = "SAOREPORT_SPEEDUPS"  # "0" turns every patch off
OFF = ("0", "off", "no", "false")
# The patches, in the order they are installed (and uninstalled in reverse).
ORDER = (
    "stylesheets",
    "cascade",
    "flow",
    "pagevalues",
    "percentages",
    "lines",
    "drawing",
    "borders",
)
STAGES = ("layout", "drawing")
LOG = logging.getLogger("saoreport.speedups")
_warned: set[tuple[str, tuple[str, ...]]] = set()  # (version, patches) said once per process


@dataclass(frozen=True)
class Speedup:
    """One patch of WeasyPrint's internals (a module of this package)."""

    module: ModuleType

    @property
    def name(self) -> str:
        return str(self.module.NAME)

    @property
    def checked(self) -> tuple[str, ...]:
        """The WeasyPrint versions it was checked against."""
        return tuple(self.module.CHECKED)

    @property
    def stage(self) -> str:
        return str(self.module.STAGE)

    @property
    def tests(self) -> str:
        return str(self.module.TESTS)

    @property
    def installed(self) -> bool:
        return bool(self.module._state["installed"])

    def install(self) -> None:
        self.module.install()

    def uninstall(self) -> None:
        self.module.uninstall()


@cache
def registry() -> tuple[Speedup, ...]:
    """Every speed patch, in installation order."""
    return tuple(Speedup(import_module(f"{__name__}.{name}")) for name in ORDER)


def enabled() -> bool:
    """False when SAOREPORT_SPEEDUPS says 0 (or off, no, false)."""
    return os.environ.get(SWITCH, "1").strip().lower() not in OFF


def weasyprint_version() -> str:
    """The WeasyPrint this process lays out with: the imported one's, else the installed
    one's (read without importing it: the build checks before its workers import it)."""
    module = sys.modules.get("weasyprint")
    if module is not None:
        return str(module.__version__)
    from importlib.metadata import version

    return version("weasyprint")


def wanted(stage: str | None = None) -> list[Speedup]:
    """The patches to install (of *stage*, or all): none when switched off; those checked
    against this WeasyPrint otherwise, the others said once (a warning)."""
    if not enabled():
        return []
    version = weasyprint_version()
    fit = [s for s in registry() if version in s.checked]
    unfit = tuple(s.name for s in registry() if version not in s.checked)
    if unfit and (version, unfit) not in _warned:
        _warned.add((version, unfit))
        checked = sorted({v for s in registry() for v in s.checked})
        LOG.warning(
            _(
                "WeasyPrint {version} is not a version saoreport's speed-ups were checked with"
                " ({checked}): {names} are off. The documents are right, only slower; for full"
                " speed install WeasyPrint {checked}, or set SAOREPORT_SPEEDUPS=0 to stop"
                " this note",
                version=version,
                checked=", ".join(checked),
                names=", ".join(unfit),
            )
        )
    return [s for s in fit if stage is None or s.stage == stage]


def install(stage: str) -> None:
    """Make the patches of *stage* those wanted now: install them, and uninstall the others
    (a process may switch, as the tests do)."""
    assert stage in STAGES, stage
    want = wanted(stage)
    for speedup in reversed(registry()):
        if speedup.stage == stage and speedup not in want and speedup.installed:
            speedup.uninstall()
    for speedup in want:
        speedup.install()


def uninstall() -> None:
    """Every patch taken out: WeasyPrint as it is."""
    for speedup in reversed(registry()):
        speedup.uninstall()


@contextmanager
def remembered(stage: str) -> Iterator[None]:
    """The memories of the installed patches of *stage* serve while the block runs (one
    layout, or one drawing)."""
    with ExitStack() as stack:
        for speedup in registry():
            if speedup.stage == stage and speedup.installed:
                scope = getattr(speedup.module, "remembered", None)
                if scope is not None:
                    stack.enter_context(scope())
        yield
