"""Worker processes that die with the process that started them (kill -9, SIGTERM)."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from concurrent.futures import ProcessPoolExecutor


def _die_with_parent(parent: int) -> None:
    if sys.platform.startswith("linux"):
        import ctypes

        PR_SET_PDEATHSIG = 1
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)


def pool(workers: int) -> ProcessPoolExecutor:
    """A process pool whose workers are killed when this process dies, however it dies."""
    return ProcessPoolExecutor(
        max_workers=workers, initializer=_die_with_parent, initargs=(os.getpid(),)
    )
