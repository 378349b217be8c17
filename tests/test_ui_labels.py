"""The MMS switch label table: it loads, every row names its source, and the lint refuses
a table where one switch could be read as the other."""

from __future__ import annotations

import tomllib

import pytest

from droidaudit.ui_labels import (
    LabelTableError,
    best_locale,
    default_table_path,
    lint_table,
    load_table,
    normalize,
    parse_table,
    resource_locale,
)

RAW = tomllib.loads(default_table_path().read_text(encoding="utf-8"))


def test_the_built_in_table_loads_with_a_source_for_every_app() -> None:
    table = load_table()
    assert {app.package for app in table.apps} == {
        "com.android.messaging", "com.android.mms", "com.google.android.apps.messaging",
        "com.samsung.android.messaging"}
    assert all(app.source for app in table.apps)
    locales = {app.id: len(app.locales) for app in table.apps}
    assert locales["aosp-messaging"] == 78 and locales["aosp-mms"] == 74
    assert locales["samsung-4.4"] == 76 and locales["miui"] == 3


def test_a_label_of_both_switches_in_one_locale_is_refused() -> None:
    data = {**RAW, "app": [dict(RAW["app"][0])]}
    data["app"][0]["locales"] = {"default": {"auto": ["Auto-retrieve"],
                                             "roaming": ["auto-retrieve:"], "nav": []}}
    problems = lint_table(parse_table(data))
    assert problems and "both an auto and a roaming label" in problems[0]


@pytest.mark.parametrize(("key", "value"), [
    ("package", "not a package"), ("surprise", 1), ("switch_ids", "x"),
    ("open", [{"activity": ".A;rm", "action": "a.b", "source": "s"}]),
    ("open", [{"activity": ".A", "action": "a.b", "extras": ["--es", "k", "v"], "source": "s"}]),
])
def test_a_malformed_app_is_refused(key: str, value: object) -> None:
    app = {**RAW["app"][0], key: value}
    with pytest.raises(LabelTableError):
        parse_table({**RAW, "app": [app]})


def test_normalize_is_exact_but_forgiving_of_spacing_case_and_a_colon() -> None:
    assert normalize("  Auto\u00a0-retrieve :") != normalize("Auto-retrieve")
    assert normalize("AUTO-RETRIEVE:") == normalize("auto-retrieve")
    assert normalize("Auto-\u200bretrieve\n") == "auto-retrieve"
    assert normalize("Récupération\u00a0automatique :") == "récupération automatique"


def test_device_locales_map_to_resource_locales() -> None:
    assert resource_locale("zh-Hans-CN") == "zh-rCN" and resource_locale("id-ID") == "in-rID"
    names = ["default", "de", "zh-rCN", "zh-rTW", "pt-rPT"]
    assert best_locale(names, "de-AT") == "de" and best_locale(names, "en-US") == "default"
    assert best_locale(names, "zh-TW") == "zh-rTW" and best_locale(names, "pt-BR") == "pt-rPT"
    assert best_locale(names, None) is None


def test_the_path_uses_the_phones_words() -> None:
    (aosp,) = [app for app in load_table().apps if app.id == "aosp-messaging"]
    assert '"Erweitert"' in aosp.steps("de-DE") and '"Advanced"' in aosp.steps("xx")
