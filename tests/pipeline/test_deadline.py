"""The scan's --timeout covers evaluating and writing, not only reading (issue 14 item 10)."""

from __future__ import annotations

import threading
import time

import pytest

from droidaudit.pipeline.deadline import GRACE_S, ScanTimeLimit, check, finish_within


def test_work_within_the_deadline_returns_its_value() -> None:
    assert finish_within(time.monotonic() + 5, lambda expired: 42) == 42


def test_no_deadline_runs_the_work_in_place() -> None:
    assert finish_within(None, lambda expired: threading.current_thread().name) == \
        threading.current_thread().name


def test_late_work_ends_the_scan_and_is_told_to_write_nothing() -> None:
    seen: list[str] = []

    def slow(expired: threading.Event) -> int:
        time.sleep(GRACE_S + 1)
        try:
            check(expired)
        except Exception as exc:
            seen.append(type(exc).__name__)
            raise
        seen.append("wrote")
        return 1

    started = time.monotonic()
    with pytest.raises(ScanTimeLimit, match="time limit"):
        finish_within(time.monotonic(), slow)
    assert time.monotonic() - started < GRACE_S + 0.5
    time.sleep(1.5)
    assert seen == ["Expired"]


def test_an_error_in_the_work_reaches_the_caller() -> None:
    def broken(expired: threading.Event) -> int:
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        finish_within(time.monotonic() + 5, broken)
