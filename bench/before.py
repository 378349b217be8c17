"""Load droidaudit as it was at a git ref, beside this tree's, under the name
`droidaudit_before`: benchmarks then interleave before and after in one run (on a shared
machine, ratios within a run are what can be trusted).

    from before import load_before
    old = load_before("cf59c99")  # the module droidaudit_before
"""

from __future__ import annotations

import compileall
import importlib
import re
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
_NAME = re.compile(rb"\bdroidaudit(?=[. ]|$)", re.M)


def load_before(ref: str) -> ModuleType:
    work = Path(tempfile.mkdtemp(prefix="droidaudit-before-"))
    archive = work / "src.tar"
    subprocess.run(["git", "-C", str(ROOT), "archive", "-o", str(archive), ref,
                    "src/droidaudit", "rules", "fixtures"], check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(work, filter="data")
    package = work / "src" / "droidaudit"
    # installed, rules/ and fixtures/ are the packages droidaudit.builtin_rules/_fixtures
    (work / "rules").rename(package / "builtin_rules")
    (work / "fixtures").rename(package / "builtin_fixtures")
    for path in package.rglob("*.py"):
        path.write_bytes(_NAME.sub(b"droidaudit_before", path.read_bytes()))
    package.rename(work / "droidaudit_before")
    compile_tree(work / "droidaudit_before")
    sys.path.insert(0, str(work))
    return importlib.import_module("droidaudit_before")


def compile_tree(path: Path) -> None:
    """Write .pyc files, as an install does: with PYTHONDONTWRITEBYTECODE set (this
    machine) a tree without them recompiles every module in every process, and a new
    process per scan would time the compiler."""
    compileall.compile_dir(str(path), quiet=1)


def compile_current() -> None:
    compile_tree(ROOT / "src" / "droidaudit")
    compile_tree(ROOT / "rules")
