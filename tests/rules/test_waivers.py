"""Waivers: match by rule, serial or model glob, item; expired ones are ignored and said so."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from droidaudit.rules.loader import RuleError
from droidaudit.rules.waivers import load_waivers
from tests.rules.helpers import TODAY, facts, one_check, rule_file, run

FAILING = one_check('{ fact = "os.sdk", op = "eq", value = 1 }')
DEVICE = {"serial": "28021FDH2000XK", "model": "Pixel 7"}


def waivers(tmp_path: Path, body: str) -> list:  # type: ignore[type-arg]
    return load_waivers(rule_file(tmp_path, body, "waivers.toml"))


def finding(tmp_path: Path, waiver_body: str):  # type: ignore[no-untyped-def]
    [result] = run(tmp_path, FAILING, facts(os__sdk=2),
                   waivers=waivers(tmp_path, waiver_body), device=DEVICE)
    return result


@pytest.mark.parametrize("device_line", ['device = "28021FDH*"', 'device = "pixel 7"',
                                         'device = "Pixel*"', ""])
def test_waiver_matches_serial_or_model_glob(tmp_path: Path, device_line: str) -> None:
    result = finding(tmp_path, f'[[waiver]]\nrule = "TEST-001"\n{device_line}\n'
                               'reason = "accepted"\nexpires = 2025-01-01\n')
    assert result.status == "waived"
    assert "accepted" in result.detail and "Status without the waiver: fail" in result.detail


def test_waiver_for_other_device_or_rule_does_not_apply(tmp_path: Path) -> None:
    for body in ('rule = "TEST-001"\ndevice = "Galaxy*"', 'rule = "TEST-002"'):
        result = finding(tmp_path, f"[[waiver]]\n{body}\nreason = 'x'\nexpires = 2025-01-01\n")
        assert result.status == "fail"


def test_expired_waiver_is_ignored_and_said(tmp_path: Path) -> None:
    result = finding(tmp_path, '[[waiver]]\nrule = "TEST-*"\nreason = "old decision"\n'
                               'expires = 2024-06-30\n')
    assert result.status == "fail"
    assert "expired on 2024-06-30 and was ignored: old decision" in result.detail
    assert result.detail.startswith("os.sdk is 2, not 1.")


def test_waiver_on_its_last_day_still_applies(tmp_path: Path) -> None:
    result = finding(tmp_path, f'[[waiver]]\nrule = "TEST-001"\nreason = "x"\n'
                               f'expires = "{TODAY.isoformat()}"\n')
    assert result.status == "waived"


def test_pass_and_error_are_never_waived(tmp_path: Path) -> None:
    body = '[[waiver]]\nrule = "TEST-001"\nreason = "x"\nexpires = 2025-01-01\n'
    [passed] = run(tmp_path, FAILING, facts(os__sdk=1), waivers=waivers(tmp_path, body))
    [errored] = run(tmp_path, FAILING, facts(os__sdk=True), waivers=waivers(tmp_path, body))
    assert (passed.status, errored.status) == ("pass", "error")


def test_item_glob(tmp_path: Path) -> None:
    each = '''
    [[rule]]
    id = "PERM-016"
    title = "t"
    area = "permissions"
    severity = "medium"
    each = "apps"
    check = { field = "installer", op = "eq", value = "com.android.vending" }
    rationale = "r"
    remediation = "m"
    references = ["x"]
    '''
    apps = [{"package": "com.example.a", "installer": "adb"},
            {"package": "org.other", "installer": "adb"}]
    found = run(tmp_path, each, facts(apps=apps), waivers=waivers(
        tmp_path, '[[waiver]]\nrule = "PERM-016"\nitem = "com.example.*"\nreason = "mine"\n'
                  'expires = 2030-01-01\n'))
    assert [(f.item, f.status) for f in found] == [("com.example.a", "waived"),
                                                   ("org.other", "fail")]


@pytest.mark.parametrize(("body", "message"), [
    ('[[waiver]]\nrule = "A"\nreason = "x"\n', "needs 'expires'"),
    ('[[waiver]]\nrule = "A"\nreason = "x"\nexpires = "soon"\n', "must be a date"),
    ('[[waiver]]\nrule = "A"\nreason = " "\nexpires = 2025-01-01\n', "must say why"),
    ('\n[[waiver]]\nrule = "A"\nreason = "x"\nexpires = 2025-01-01\nuntil = 1\n',
     "unknown waiver key(s) until"),
    ('[[waivers]]\nrule = "A"\n', "unknown top-level key(s) waivers"),
    ('[[waiver]]\nrule = \n', "not valid TOML"),
])
def test_bad_waiver_files(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(RuleError, match=re.escape(message)) as caught:
        waivers(tmp_path, body)
    assert str(caught.value).startswith(str(tmp_path / "waivers.toml") + ":")


def test_waiver_line_points_at_its_header(tmp_path: Path) -> None:
    body = ('[[waiver]]\nrule = "A"\nreason = "x"\nexpires = 2025-01-01\n\n'
            '[[waiver]]\nrule = "B"\nreason = "x"\n')
    with pytest.raises(RuleError, match=r"waivers\.toml:6: waiver needs 'expires'"):
        waivers(tmp_path, body)


def test_loaded_waiver_fields(tmp_path: Path) -> None:
    [waiver] = waivers(tmp_path, '[[waiver]]\nrule = "A"\nreason = "x"\nexpires = 2025-01-01\n')
    assert waiver.expires == date(2025, 1, 1)
    assert waiver.source == "waivers.toml:1"
