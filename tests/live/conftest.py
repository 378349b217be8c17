"""The live path under test: the real adb server(s) and virtual phones (tests/adbrig.py)."""

from tests.adbrig import adb_binary, adb_rig  # noqa: F401  (fixtures)
