"""Hostile inputs, generated (never stored): each builds `n` bytes-ish of the shape that
made a parser quadratic or a line forge another (issue #14)."""

from __future__ import annotations

from collections.abc import Callable

# probe → input of about n characters in the worst shape found for its parser
BIG_INPUTS: dict[str, Callable[[int], str]] = {
    # `<map>` repeated with no `</map>`: `<map>(.*?)</map>` restarted at each one
    "mms_prefs_legacy": lambda n: "<map>" * (n // 5),
    "mms_prefs_samsung": lambda n: "<map>" * (n // 5) + "</map>",
    # list membership by `not in list`
    "packages_third_party": lambda n: "".join(f"package:com.a{i}.b\n" for i in range(n // 18)),
    "appops_overlay": lambda n: "".join(f"com.a{i}.b\n" for i in range(n // 10)),
    # `\S.*?` then optional `\s+...` groups then `\s*$`: a long line of runs of spaces
    "packages": lambda n: "package:a" + " b" * (n // 2) + " \n",
    # findall of `[A-Za-z][\w.]*/...` over one long word without `/`
    "dumpsys_accessibility": lambda n: ("User state[attributes:{id=0}\n Enabled services:{"
                                        + "a" * n + "}\n"),
    # `User "(.*)" (id=N, flags=[^)]*)`: every `"` tried, `[^)]*` runs to the line end
    "dumpsys_trust": lambda n: ' User "' + '" (id=0, flags=x' * (n // 16) + "\n",
    # `([A-Za-z][A-Za-z ]*?)\s*[:=]\s*(.*?)\s*$` on a long line of words and spaces
    "dumpsys_lock_settings": lambda n: "User 0\n    " + "a " * (n // 2) + "\n",
    # `[^\s@]+@[^\s@]+` from every letter of a long token
    "dumpsys_backup": lambda n: ("Backup Manager is enabled\nAvailable transports:\n  * "
                                 + "a" * n + "@@\n"),
    "settings_secure": lambda n: "".join(f"k{i}=v\n" for i in range(n // 8)),
    "getprop": lambda n: "[a]: [" + "x\n" * (n // 2),
    "dumpsys_package": lambda n: "Packages:\n" + "".join(
        f"  Package [com.a{i}.b] (1):\n    versionName=1\n    User 0: installed=true\n"
        "      runtime permissions:\n        android.permission.CAMERA: granted=true\n"
        for i in range(n // 130)),
    "users": lambda n: "Users:\n\tUserInfo{0:" + ":" * n + "\n",
    "dumpsys_device_policy": lambda n: "  " + "a" * n + "\n",
    "dumpsys_settings": lambda n: ("GLOBAL SETTINGS (user 0)\n  _id:1 name:adb_enabled pkg:android "
                                   "value:" + " default:" * (n // 9) + "\n"),
    "dumpsys_window_policy": lambda n: "    KeyguardServiceDelegate\n      " + "a" * n + "\n",
    "sms_role": lambda n: "a" * n + "\n",
}
