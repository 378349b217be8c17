"""The wheel ships every package: pyproject's explicit list names each folder of
src/droidaudit (a missing one installs a droidaudit whose commands fail to import)."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).parents[1]


def test_every_package_is_listed_in_pyproject() -> None:
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
                 ["packages"])
    found = {".".join(p.parent.relative_to(ROOT / "src").parts)
             for p in (ROOT / "src" / "droidaudit").rglob("__init__.py")}
    assert found - listed == set()
