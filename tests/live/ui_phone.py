"""Virtual phones for `scan --ui-probe`: the demo capture with another default SMS app,
locale and SIMs, and a scripted person showing screens (vphone.screens) from
tests/data/ui_mms (our own fixtures in the dumper's exact format)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

ROOT = Path(__file__).parents[2]
DEMO = ROOT / "fixtures" / "demo-pixel7-a14"
ANDROID6 = ROOT / "tests" / "live" / "data" / "android6-nexus5x"  # pre-7 adbd: CRLF PTY
SCREENS = ROOT / "tests" / "data" / "ui_mms"


def step(screen: str, **state: Any) -> dict[str, Any]:
    return {"dump": str(SCREENS / f"{screen}.txt"), **state}


def ui_phone(folder: Path, package: str, steps: list[dict[str, Any]], locale: str = "en-US",
             sims: str = "LOADED,ABSENT", start: dict[str, int] | None = None,
             provider: str = "denied", base: Path = DEMO) -> Path:
    shutil.copytree(base, folder)
    (folder / "probes" / "sms_role.txt").write_text(package + "\n")
    getprop = folder / "probes" / "getprop.txt"
    text = getprop.read_text()
    text = re.sub(r"\[persist\.sys\.locale\]: \[[^\]]*\]", f"[persist.sys.locale]: [{locale}]", text)
    text = re.sub(r"\[gsm\.sim\.state\]: \[[^\]]*\]", f"[gsm.sim.state]: [{sims}]", text)
    getprop.write_text(text)
    (folder / "ui").mkdir()
    lines = []
    for entry in steps:
        lines.append("[[step]]")
        lines += [f"{key} = {_toml(value)}" for key, value in entry.items()]
    lines.append("[start]")
    lines += [f'"{component}" = {index}' for component, index in (start or {}).items()]
    lines += ["[provider]", f'samsung = "{provider}"']
    (folder / "ui" / "script.toml").write_text("\n".join(lines) + "\n")
    return folder


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return f'"{value}"'
