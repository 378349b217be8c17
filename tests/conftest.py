"""Every test's scans go to a throwaway history database, never the person's own
(~/.local/share/droidaudit): DROIDAUDIT_DB points into a session temp folder, and
subprocesses inherit it."""

from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True, scope="session")
def private_history_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    patch = pytest.MonkeyPatch()
    patch.setenv("DROIDAUDIT_DB", str(tmp_path_factory.mktemp("db") / "history.sqlite3"))
    yield
    patch.undo()
