"""pytest fixtures for the adb rig (droidaudit.vphone.rig): a private adb server with
virtual phones. `from tests.adbrig import adb_rig, adb_binary  # noqa: F401` in a
conftest.py gives `adb_rig` (a started rig, one per adb binary found and per module) and
`adb_binary`; `rig.env()` gives ANDROID_ADB_SERVER_HOST/PORT for code under test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from droidaudit.vphone.rig import (  # noqa: F401  (re-exported for tests)
    ADB_BINARIES,
    AdbRig,
    AdbRigError,
    bundled_adb,
    debian_adb,
    free_port,
)

# -- pytest fixtures (import them into a conftest.py) --------------------------------

@pytest.fixture(scope="module", params=sorted(ADB_BINARIES))
def adb_binary(request: pytest.FixtureRequest) -> str:
    """Each adb binary this machine has; a missing one is a visible skip."""
    path = ADB_BINARIES[request.param]()
    if path is None:
        pytest.skip(f"{request.param} adb is not installed "
                    f"({'apt-get install -y adb' if request.param == 'debian' else 'no binary in the adbutils wheel'})")
    return path


@pytest.fixture(scope="module")
def adb_rig(adb_binary: str) -> Iterator[AdbRig]:
    """A private adb server (per module and binary); add phones with rig.add_phone()."""
    with AdbRig() as rig:
        rig.start_server(adb_binary)
        yield rig
