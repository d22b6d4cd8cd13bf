"""The progress display leaves the logging set-up as it found it."""

from __future__ import annotations

import logging

from saoreport.progress import PIECES, pieces


def test_pieces_restores_the_loggers_level_and_propagation() -> None:
    shown: list[logging.LogRecord] = []
    PIECES.setLevel(logging.WARNING)
    PIECES.propagate = True
    try:
        with pieces(shown.append, 0):
            PIECES.info("%s %s %s %s", "demo", 1, 0, "p02")
            assert PIECES.propagate is False
        assert [r.args for r in shown] == [("demo", 1, 0, "p02")]
        assert PIECES.level == logging.WARNING
        assert PIECES.propagate is True
        assert not PIECES.handlers
    finally:
        PIECES.setLevel(logging.NOTSET)
        PIECES.propagate = True
