"""The live path under test: the real adb server(s) and virtual phones (tests/adbrig.py).
After every test, every phone it used must have received zero write commands."""

from collections.abc import Iterator

import pytest

from tests.adbrig import adb_binary, adb_rig  # noqa: F401  (fixtures)


@pytest.fixture(autouse=True)
def no_write_commands_reach_a_phone(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if "adb_rig" not in request.fixturenames:
        return
    rig = request.getfixturevalue("adb_rig")
    attempts = rig.write_attempts + [a for phone in rig.phones.values()
                                     for a in phone.write_attempts]
    assert attempts == [], f"write commands reached a phone: {attempts}"
