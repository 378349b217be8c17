"""Android package names: one pattern for every stage that must tell a package name from
anything else a phone (or a file) might print.

A package name is a Java package (`com.example.app`: two or more dot-separated parts, each
starting with a letter or `_` after the first). Text from a phone that does not match is
never used as one, least of all inside a command sent back to the phone.
"""

from __future__ import annotations

import re

PACKAGE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)+$")


def is_package_name(text: str) -> bool:
    return PACKAGE_NAME.match(text) is not None
