"""Worker processes that die with the process that started them (kill -9, SIGTERM)."""

from __future__ import annotations

import contextlib
import os
import signal
import sys


def die_with_parent(parent: int) -> None:
    """In a worker: ask Linux to kill this process when its parent dies (PR_SET_PDEATHSIG),
    and exit at once if the parent is already gone."""
    if sys.platform.startswith("linux"):
        import ctypes

        PR_SET_PDEATHSIG = 1
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)
