"""The exit-code policy of a scan or a fleet (DESIGN §6): 3 when a phone could not be read
to the end (for a fleet: any phone listed, in any state), else 1 when a check failed at or
above `--fail-on`, else 0."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from droidaudit.errors import EXIT_DEVICE, EXIT_FINDINGS, EXIT_OK
from droidaudit.pipeline.scan import ScanOutcome, fails_at_or_above

if TYPE_CHECKING:  # pipeline.fleet pulls in the live stack (adbutils)
    from droidaudit.pipeline.fleet import PhoneResult


def exit_code(outcomes: Sequence[ScanOutcome], fail_on: str) -> int:
    if any(o.incomplete for o in outcomes):
        return EXIT_DEVICE
    if any(fails_at_or_above(o.report, fail_on) for o in outcomes):
        return EXIT_FINDINGS
    return EXIT_OK


def incomplete_messages(outcomes: Sequence[ScanOutcome]) -> list[str]:
    """One sentence per scan that could not be read to the end, for the person: a phone
    that stopped answering, or a saved input with missing or refused parts."""
    messages = []
    for o in outcomes:
        if not o.incomplete:
            continue
        if not o.offline:
            messages.append(
                f"the phone stopped answering during the scan; {len(o.incomplete)} reading(s) "
                f"are missing and are reported as not checked. Partial results: {o.folder}")
        else:
            what = ("saved capture" if o.report.origin in ("live", "capture")
                    else f"{o.report.origin} import")
            messages.append(
                f"the {what} is incomplete: {len(o.incomplete)} reading(s) are "
                f"missing or refused ({'; '.join(o.incomplete[:3])}) and are reported as "
                f"not checked. Partial results: {o.folder}")
    return messages


def fleet_exit_code(results: Sequence[PhoneResult], fail_on: str) -> int:
    """The worst over all phones: 3 when any listed phone could not be scanned to the end
    (not ready, failed, cut off), else 1 when any failed a check at or above `fail_on`."""
    if any(not result.complete for result in results):
        return EXIT_DEVICE
    if any(result.outcome is not None and fails_at_or_above(result.outcome.report, fail_on)
           for result in results):
        return EXIT_FINDINGS
    return EXIT_OK
