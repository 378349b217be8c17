"""The one error hierarchy: what went wrong, in words a person can act on, and its exit code.

The CLI catches `DroidauditError` alone and prints its message (no traceback). Exit codes
follow DESIGN §6: 2 for a usage or input problem (a file, an option, a path), 3 for the
phone or the adb server. Exit 1 is reserved for findings and never comes from an error.
"""

from __future__ import annotations

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_DEVICE = 0, 1, 2, 3


class DroidauditError(Exception):
    """Anything the tool refuses or cannot do; str() is the message for a person."""

    exit_code = EXIT_USAGE


class UserError(DroidauditError):
    """Input a person gave cannot be used: a file, a folder, an option value."""

    exit_code = EXIT_USAGE


class DeviceError(DroidauditError):
    """The phone or the adb server did not let the scan happen (or finish)."""

    exit_code = EXIT_DEVICE
