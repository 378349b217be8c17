"""Values for readers and `{placeholder}` filling in rule text."""

from __future__ import annotations

from droidaudit.rules.text import Filler, placeholder_names, show
from tests.rules.helpers import facts


def test_show() -> None:
    assert [show(v) for v in (None, "", True, [], [1, "a"], {"b": 1}, 3)] == [
        "unknown", '"" (empty)', "true", "[] (none)", "[1, a]", '{"b": 1}', "3"]
    assert len(show("x" * 1000)) == 300


def test_placeholders_are_filled_once() -> None:
    fill = Filler(facts(os__sdk=34, mms__default_sms_app=None), {"max": 90}, "com.a")
    text = "{os.sdk} {$max} {item} {mms.default_sms_app|the SMS app} {$nope} {no.such}"
    assert fill(text) == "34 90 com.a the SMS app {$nope} {no.such}"
    assert placeholder_names(text) == ["os.sdk", "$max", "item", "mms.default_sms_app",
                                       "$nope", "no.such"]
