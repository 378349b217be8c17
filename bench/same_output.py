"""Before/after check for speed work (issue 15): facts, findings and every reading (the
internal `_` facts too) are byte-identical between this tree and a git ref, on every
corpus profile (and each alternate capture), every capture folder in the repository, and
a generated 400-app phone (bench/phones.py).

    python bench/same_output.py [--before main]

It exports REF's `src/` with `git archive`, evaluates every capture once under each tree
in a fresh process (same clock: the corpus captures' own time), and compares the JSON
bytes. Exit 0 when identical, 1 with the first differences otherwise. Captures
themselves are checked byte for byte through the live path by
tests/live/test_same_bytes.py.
"""

from __future__ import annotations

import argparse
import difflib
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from phones import make_phone

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parents[1] / "shared" / "corpus"  # /work/shared/corpus beside the worktrees

# Runs inside each tree (PYTHONPATH set to its src/; `tests` from this checkout).
_DUMP = r"""
import json, sys
from pathlib import Path
sys.path.insert(1, sys.argv[1])
from droidaudit.capture import Capture
from droidaudit.pipeline.options import ScanOptions, load_ruleset
from droidaudit.pipeline.scan import evaluate_capture
from droidaudit.report.json_report import report_dict
from tests.corpus import alternates, capture_from_profile, corpus_profiles

captures = {}
for profile in corpus_profiles():
    captures[profile.name] = capture_from_profile(profile)
    for alternate in alternates(profile):
        captures[f"{profile.name}+{alternate}"] = capture_from_profile(profile, alternate)
for root in sys.argv[1:]:
    for manifest in sorted(Path(root).glob("**/manifest.json")):
        if ".venv" not in manifest.parts:
            captures[str(manifest.parent)] = Capture.load(manifest.parent)
options = ScanOptions()
ruleset = load_ruleset(options)
out = {}
for name, capture in sorted(captures.items()):
    capture.started = capture.finished = "2026-11-24T00:00:00Z"
    report = evaluate_capture(capture, options, ruleset)
    data = report_dict(report)
    readings = {f.name: [f.value, f.source, list(f.evidence), f.note] for f in report.facts}
    out[name] = {"facts": data["facts"], "fact_sources": data["fact_sources"],
                 "findings": data["findings"], "readings": readings}
json.dump(out, sys.stdout, indent=1, sort_keys=True, default=str)
"""


def evaluate(src: Path, extra: Path) -> str:
    env = {**os.environ, "PYTHONPATH": str(src),
           "DROIDAUDIT_CORPUS": os.environ.get("DROIDAUDIT_CORPUS", str(CORPUS))}
    result = subprocess.run([sys.executable, "-c", _DUMP, str(ROOT), str(extra)],
                            capture_output=True, text=True, check=True, env=env, cwd=ROOT)
    return result.stdout


def export(ref: str, target: Path) -> Path:
    """REF's src/ with its own rules and fixtures where an install puts them."""
    archive = target / "src.tar"
    subprocess.run(["git", "-C", str(ROOT), "archive", "-o", str(archive), ref, "src", "rules",
                    "fixtures"], check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(target, filter="data")
    (target / "rules").rename(target / "src" / "droidaudit" / "builtin_rules")
    (target / "fixtures").rename(target / "src" / "droidaudit" / "builtin_fixtures")
    return target / "src"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default="main",
                        help="git ref to compare with (default: main, which this branch "
                             "merges: the difference is this branch's own changes)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        extra = make_phone(Path(work) / "generated" / "phone400")  # 400 apps, 20 MB
        before = evaluate(export(args.before, Path(work)), extra.parent)
        after = evaluate(ROOT / "src", extra.parent)
    count = before.count('\n  "fact_sources"')
    if before == after:
        print(f"identical: {count} captures, {len(after)} bytes of facts, readings and "
              f"findings ({args.before} vs this tree)")
        return
    diff = difflib.unified_diff(before.splitlines(), after.splitlines(), args.before, "now",
                                n=1, lineterm="")
    print("\n".join(list(diff)[:60]))
    sys.exit(1)


if __name__ == "__main__":
    main()
