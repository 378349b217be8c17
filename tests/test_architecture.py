"""The layout shows the pipeline: every module belongs to one stage, a stage imports only the
stages below it, there is no import cycle, and no source file outgrows a reader.

Stages, lowest first (DESIGN §1): foundation (errors, decoding, names, time stamps, data
file locations) → the capture and the two contracts every stage shares (the allow-list of
probes and the fact vocabulary) → parsers (and the virtual phone, a tool beside them) →
sources → the facts stage → rules → report → history (the scan database) → pipeline
(wiring) → CLI. Imports inside functions count too: a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "droidaudit"
MAX_LINES = 350

# Module (or package prefix) → (stage, rank). The longest matching prefix wins.
STAGES: dict[str, tuple[str, int]] = {
    "droidaudit": ("foundation", 0),
    "droidaudit.errors": ("foundation", 0),
    "droidaudit.decode": ("foundation", 0),
    "droidaudit.timestamps": ("foundation", 0),
    "droidaudit.package_names": ("foundation", 0),
    "droidaudit.datafiles": ("foundation", 0),
    "droidaudit.capture": ("contracts", 1),
    "droidaudit.probes": ("contracts", 1),
    "droidaudit.ui_probes": ("contracts", 1),  # the opt-in screen-reading allow-list groups
    "droidaudit.ui_labels": ("contracts", 1),  # the MMS switch label table (data + its check)
    "droidaudit.facts": ("contracts", 1),  # the package re-exports the vocabulary only
    "droidaudit.facts.model": ("contracts", 1),
    "droidaudit.facts.provenance": ("contracts", 1),
    "droidaudit.parsers": ("parsers", 2),
    "droidaudit.vphone": ("vphone", 3),  # the virtual phone serves captures; demo uses it
    "droidaudit.sources": ("sources", 4),
    "droidaudit.facts.derive": ("facts", 5),
    "droidaudit.facts.apps": ("facts", 5),
    "droidaudit.facts.sensitive": ("facts", 5),
    "droidaudit.facts.attest": ("facts", 5),
    "droidaudit.facts.iocs": ("facts", 5),
    "droidaudit.facts.releases": ("facts", 5),
    "droidaudit.facts.biometrics": ("facts", 5),
    "droidaudit.rules": ("rules", 6),
    "droidaudit.report": ("report", 7),
    "droidaudit.history": ("history", 8),  # the scan database: reads report models
    "droidaudit.pipeline": ("pipeline", 9),
    "droidaudit.cli": ("cli", 10),
    "droidaudit.__main__": ("cli", 10),
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def stage_of(module: str) -> tuple[str, int]:
    """The stage and rank of a module; KeyError when no stage claims it."""
    candidates = [p for p in STAGES if module == p or module.startswith(p + ".")]
    prefix = max(candidates, key=len, default="")
    if not prefix or (prefix == "droidaudit" and module != "droidaudit"):
        raise KeyError(f"{module}: add it to a stage in STAGES")
    return STAGES[prefix]


def _type_only_nodes(tree: ast.Module) -> set[int]:
    """ids of the import nodes under `if TYPE_CHECKING:` (no import happens at run time)."""
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            inside.update(id(child) for child in ast.walk(node))
    return inside


def imports_of(path: Path, runtime_only: bool = False) -> set[str]:
    """Every droidaudit module `path` imports (top level or inside functions); with
    `runtime_only`, leave out imports made for type checkers alone."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _type_only_nodes(tree) if runtime_only else set()
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("droidaudit"))
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0 \
                and node.module.startswith("droidaudit"):
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                is_module = (SRC / candidate.replace(".", "/")).with_suffix(".py").is_file() \
                    or (SRC / candidate.replace(".", "/")).is_dir()
                found.add(candidate if is_module else node.module)
    return found


SOURCES = sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)
GRAPH = {module_name(p): imports_of(p) for p in SOURCES}
RUNTIME_GRAPH = {module_name(p): imports_of(p, runtime_only=True) for p in SOURCES}


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(SRC)))
def test_module_belongs_to_a_stage(path: Path) -> None:
    stage_of(module_name(path))


def test_no_stage_imports_a_higher_stage() -> None:
    wrong = []
    for module, targets in GRAPH.items():
        stage, rank = stage_of(module)
        for target in targets:
            target_stage, target_rank = stage_of(target)
            if target_stage != stage and target_rank >= rank:
                wrong.append(f"{module} ({stage}) imports {target} ({target_stage})")
    assert wrong == []


def test_no_import_cycle() -> None:
    """No module reaches itself through run-time imports (a package's `__init__` that
    re-exports its own modules is not a cycle)."""
    cycles: list[list[str]] = []
    done: set[str] = set()

    def visit(module: str, trail: list[str]) -> None:
        for target in sorted(RUNTIME_GRAPH.get(module, ())):
            if target in trail:
                cycle = [*trail[trail.index(target):], target]
                if not _is_package_reexport(cycle):
                    cycles.append(cycle)
            elif target in RUNTIME_GRAPH and target not in done:
                visit(target, [*trail, target])
        done.add(module)

    for module in sorted(RUNTIME_GRAPH):
        visit(module, [module])
    assert cycles == []


def _is_package_reexport(cycle: list[str]) -> bool:
    return len(cycle) == 3 and cycle[1].startswith(cycle[0] + ".")


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(SRC)))
def test_source_file_is_short(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{path.name} has {lines} lines; split it along its seams"
