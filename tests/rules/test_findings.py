"""A finding's filled text and evidence."""

from __future__ import annotations

from droidaudit.facts import Fact
from droidaudit.rules.findings import fact_evidence, item_evidence
from droidaudit.rules.logic import Context
from tests.rules.helpers import facts


def test_fact_evidence_quotes_raw_lines_then_values() -> None:
    known = Fact("os.sdk", 34, "getprop", ("[ro.build.version.sdk]: [34]",), "caveat")
    unknown = Fact("lock.secure", None, "dumpsys", (), "no permission")
    assert fact_evidence({"os.sdk": known, "lock.secure": unknown, "x.y": None}) == (
        "[ro.build.version.sdk]: [34]", "os.sdk = 34 (caveat)",
        "lock.secure = unknown (no permission)", "x.y = unknown (not in this scan)")


def test_item_evidence_keeps_only_the_item_lines() -> None:
    apps = Fact("apps", [], "pm", ("package:com.a", "package:com.b"))
    ctx = Context(facts(), {}, None, {"package": "com.a", "users": [0, 10]})
    ctx.fields["granted"] = ["x"]
    assert item_evidence(apps, "com.a", ctx) == (
        "package:com.a", "com.a: granted = [x]", "com.a: installed for user(s) [0, 10]")
