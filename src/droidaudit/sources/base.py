"""What every source is: something that yields a Capture. Sources are the only code
that knows where data came from (a phone, a saved capture, an AndroidQF folder, a
bugreport); everything after them is shared."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable

from droidaudit.capture import Capture
from droidaudit.errors import DeviceError, UserError

Progress = Callable[[str], None]  # a short line saying what is being read


def no_progress(_: str) -> None:
    """A Progress that shows nothing."""


class SourceError(UserError):
    """The source cannot give a capture; the message is for a person (exit 2: the input;
    device problems raise `DeviceSourceError`, exit 3)."""


class DeviceSourceError(SourceError, DeviceError):
    """The phone or the adb server failed the scan (exit 3)."""

    exit_code = DeviceError.exit_code


class Source(ABC):
    @property
    @abstractmethod
    def label(self) -> str:
        """A short name for the report folder (a serial or a file name)."""

    @abstractmethod
    def collect(self, progress: Progress = no_progress) -> Capture:
        """Read everything and return the capture; raise SourceError for a person to read."""
