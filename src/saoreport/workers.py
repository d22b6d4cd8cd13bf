"""Worker processes that die with the process that started them (kill -9, SIGTERM)."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator


def die_with_parent(parent: int) -> None:
    """In a worker: ask Linux to kill this process when its parent dies (PR_SET_PDEATHSIG),
    and exit at once if the parent is already gone. Ctrl-C (SIGINT to the terminal's whole
    process group) is the parent's to handle: it stops its workers and says so in one line
    (a worker waiting for work printed a KeyboardInterrupt traceback)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        import ctypes

        PR_SET_PDEATHSIG = 1
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)


@contextlib.contextmanager
def interrupt_held() -> Iterator[None]:
    """Ctrl-C held while the block runs, and raised after it. Python loses a
    KeyboardInterrupt raised while os.fork runs its callbacks (it prints "Exception ignored"
    and the build goes on): workers are started inside this block. In the main thread only
    (where Python runs signal handlers)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda number, frame: caught.append(number))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if caught:
            signal.raise_signal(signal.SIGINT)  # to the handler there was before


_INTERRUPTED = threading.Event()


def _interrupt(number: int, frame: object) -> None:
    _INTERRUPTED.set()
    raise KeyboardInterrupt


@contextlib.contextmanager
def interrupts_kept() -> Iterator[None]:
    """Ctrl-C remembered as well as raised while the block runs (a build): Python loses a
    KeyboardInterrupt raised while some of its C code runs (1 Ctrl-C in 15, 0.15-0.25 s into
    a build in parts, went unheard and the build finished), so the build asks again where it
    hands out work (check_interrupt). Only where Ctrl-C raises KeyboardInterrupt."""
    if threading.current_thread() is not threading.main_thread() or (
        signal.getsignal(signal.SIGINT) is not signal.default_int_handler
    ):
        yield
        return
    _INTERRUPTED.clear()
    signal.signal(signal.SIGINT, _interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)
        _INTERRUPTED.clear()


def check_interrupt() -> None:
    """Raise KeyboardInterrupt if Ctrl-C was pressed in an interrupts_kept block."""
    if _INTERRUPTED.is_set():
        raise KeyboardInterrupt
