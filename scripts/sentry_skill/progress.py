"""A one-line progress indicator for people: rewritten in place on stderr while a long
walk or a bulk change runs, and cleared when it ends.

Only a terminal gets it. Agents, pipes, files and tests read stderr as lines of notes,
where a line rewritten with carriage returns is noise, so they get nothing at all.
"""

from __future__ import annotations

import sys
import threading

WIDTH = 79  # stays on one line of the narrowest usual terminal


def is_terminal(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):  # no isatty, or a closed stream
        return False


class StatusLine:
    """The line one command rewrites. `stream` None means sys.stderr as it is when written
    (tests and callers swap it). The requests of one command run on threads: a lock
    keeps each rewrite whole."""

    def __init__(self, stream=None):
        self._stream = stream
        self._shown = 0  # characters on the line now; 0 when nothing is shown
        self._lock = threading.Lock()

    def show(self, text: str) -> None:
        stream = self._stream if self._stream is not None else sys.stderr
        if not is_terminal(stream):
            return
        text = text[:WIDTH]
        with self._lock:
            stream.write("\r" + text.ljust(self._shown))
            stream.flush()
            self._shown = len(text)

    def clear(self) -> None:
        """Blank the line and put the cursor back at its start, so what follows (a note,
        the next prompt) begins on a clean line."""
        if not self._shown:
            return
        stream = self._stream if self._stream is not None else sys.stderr
        with self._lock:
            stream.write("\r" + " " * self._shown + "\r")
            stream.flush()
            self._shown = 0
