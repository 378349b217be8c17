"""What every source is: something that yields a Capture. Sources are the only code
that knows where data came from (a phone, a saved capture, an AndroidQF folder, a
bugreport); everything after them is shared."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable

from droidaudit.capture import Capture

Progress = Callable[[str], None]  # a short line saying what is being read


def no_progress(_: str) -> None:
    """A Progress that shows nothing."""


class SourceError(Exception):
    """The source cannot give a capture; the message is for a person."""

    exit_code = 2  # usage / input error (DESIGN §6)


class Source(ABC):
    @property
    @abstractmethod
    def label(self) -> str:
        """A short name for the report folder (a serial or a file name)."""

    @abstractmethod
    def collect(self, progress: Progress = no_progress) -> Capture:
        """Read everything and return the capture; raise SourceError for a person to read."""
