"""Writes the screen fixtures of this folder (see README.md): `python make_screens.py`.

Each screen is built node by node in the exact form AccessibilityNodeInfoDumper writes
(AOSP frameworks/base cmds/uiautomator, `dumpNodeRec`): one line, the attributes in its
order, then the status line DumpCommand prints. Rows follow the apps' layouts: framework
preferences (android:id/title + android:id/checkbox in a clickable LinearLayout), androidx
SwitchPreferenceCompat (…:id/switchWidget), Samsung's android.widget.Switch.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import quoteattr

HERE = Path(__file__).parent
STATUS = "UI hierchary dumped to: /dev/tty\n"
_ATTRS = ("text", "resource-id", "class", "package", "content-desc", "checkable", "checked",
          "clickable", "enabled", "focusable", "focused", "scrollable", "long-clickable",
          "password", "selected", "bounds")


class N:
    def __init__(self, cls: str, text: str = "", rid: str = "", *, children: list[N] | None = None,
                 checkable: bool = False, checked: bool = False, clickable: bool = False,
                 enabled: bool = True, scrollable: bool = False, desc: str = "") -> None:
        self.attrs = {"text": text, "resource-id": rid, "class": cls, "content-desc": desc,
                      "checkable": checkable, "checked": checked, "clickable": clickable,
                      "enabled": enabled, "focusable": clickable, "focused": False,
                      "scrollable": scrollable, "long-clickable": False, "password": False,
                      "selected": False}
        self.children = children or []

    def xml(self, package: str, index: int, top: int) -> str:
        values = dict(self.attrs, package=package, bounds=f"[0,{top}][1080,{top + 160}]")
        attrs = " ".join(f"{k}={quoteattr(_text(values[k]))}" for k in _ATTRS)
        inner = "".join(c.xml(package, i, top + 20 * i) for i, c in enumerate(self.children))
        return f'<node index="{index}" {attrs}>{inner}</node>' if inner else \
            f'<node index="{index}" {attrs} />'


def _text(value: object) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def dump(package: str, root: N) -> str:
    return ("<?xml version='1.0' encoding='UTF-8' standalone='yes' ?><hierarchy rotation=\"0\">"
            + root.xml(package, 0, 0) + "</hierarchy>" + STATUS)


def pref_row(title: str, summary: str, checked: bool, enabled: bool = True,
             widget: str = "checkbox") -> N:
    """A framework / androidx preference row with its switch or checkbox."""
    if widget == "checkbox":
        switch = N("android.widget.CheckBox", rid="android:id/checkbox", checkable=True,
                   checked=checked, enabled=enabled)
    elif widget == "google":
        switch = N("android.widget.Switch", rid="com.google.android.apps.messaging:id/switchWidget",
                   checkable=True, checked=checked, enabled=enabled, text="ON" if checked else "OFF")
    else:
        switch = N("android.widget.Switch", rid="android:id/switch_widget", checkable=True,
                   checked=checked, enabled=enabled)
    return N("android.widget.LinearLayout", clickable=True, enabled=enabled, children=[
        N("android.widget.RelativeLayout", enabled=enabled, children=[
            N("android.widget.TextView", title, "android:id/title", enabled=enabled),
            N("android.widget.TextView", summary, "android:id/summary", enabled=enabled)]),
        N("android.widget.LinearLayout", rid="android:id/widget_frame", enabled=enabled,
          children=[switch])])


def plain_row(title: str) -> N:
    return N("android.widget.LinearLayout", clickable=True, children=[
        N("android.widget.TextView", title, "android:id/title")])


def header(text: str) -> N:
    return N("android.widget.TextView", text, "android:id/title")


def settings_screen(package: str, title: str, rows: list[N], list_id: str = "android:id/list",
                    ) -> str:
    return dump(package, N("android.widget.FrameLayout", children=[
        N("android.widget.LinearLayout", rid="android:id/action_bar", children=[
            N("android.widget.ImageButton", desc="Navigate up", clickable=True),
            N("android.widget.TextView", title)]),
        N("android.widget.ListView", rid=list_id, scrollable=True, children=rows)]))


def aosp(title: str, auto: tuple[str, bool, bool], roaming: tuple[str, bool, bool],
         category: str = "MMS", pkg: str = "com.android.messaging", widget: str = "checkbox",
         ) -> str:
    return settings_screen(pkg, title, [
        header(category),
        pref_row(auto[0], "", auto[1], auto[2], widget),
        pref_row(roaming[0], "", roaming[1], roaming[2], widget)])


def screens() -> dict[str, str]:
    m, g = "com.android.messaging", "com.google.android.apps.messaging"
    s, x = "com.samsung.android.messaging", "com.android.mms"
    en = ("Auto-retrieve", "Roaming auto-retrieve")
    return {
        # AOSP Messaging, per-SIM "Advanced" screen (PerSubscriptionSettingsActivity)
        "aosp-messaging-en-on-off": aosp("Advanced", (en[0], True, True), (en[1], False, True)),
        "aosp-messaging-en-off-on": aosp("Advanced", (en[0], False, True), (en[1], True, True)),
        "aosp-messaging-en-off-dependent": aosp("Advanced", (en[0], False, True),
                                                (en[1], True, False)),
        "aosp-messaging-en-on-on": aosp("Advanced", (en[0], True, True), (en[1], True, True)),
        "aosp-messaging-de-off-off": aosp("Erweitert", ("Automatisch abrufen", False, True),
                                          ("Automatischer Roaming-Abruf", False, True)),
        "aosp-messaging-zh-CN-on-off": aosp("高级", ("自动检索", True, True),
                                            ("漫游时自动检索", False, True), "彩信"),
        "aosp-messaging-fr-off-off": aosp("Paramètres avancés",
                                          ("Récupération\u00a0automatique :", False, True),
                                          ("Récupération auto. en itinérance", False, True)),
        "aosp-messaging-sim1-off-off": aosp("SIM 1 · Carrier A", (en[0], False, True),
                                            (en[1], False, True)),
        "aosp-messaging-sim2-on-off": aosp("SIM 2 · Carrier B", (en[0], True, True),
                                           (en[1], False, True)),
        "aosp-messaging-settings": settings_screen(m, "Settings", [
            plain_row("Outgoing message sounds"), plain_row("Advanced")]),
        "aosp-messaging-conversations": dump(m, N("android.widget.FrameLayout", children=[
            N("android.support.v7.widget.RecyclerView", scrollable=True, children=[
                N("android.view.ViewGroup", clickable=True, children=[
                    N("android.widget.TextView", "Bank"),
                    N("android.widget.TextView", "Your code is 123456 <b>&amp; don't share"),
                ])])])),
        # Legacy AOSP Mms, one settings screen with the MMS category
        "aosp-mms-de-on-off": aosp("Einstellungen", ("Automatisch abrufen", True, True),
                                   ("Automatischer Roaming-Abruf", False, True), "MMS", x),
        # MIUI Messaging "Additional settings"
        "miui-en-off-off": aosp("Additional settings", ("Auto-retrieve MMS", False, True),
                                ("Roaming auto-retrieve", False, True),
                                "Multimedia (MMS) messages", x),
        "miui-zh-CN-on-off": aosp("高级设置", ("自动下载彩信", True, True),
                                  ("漫游时自动下载", False, True), "彩信", x),
        # Google Messages, Advanced (androidx SwitchPreferenceCompat)
        "google-en-on-off": aosp("Advanced", ("Auto-download MMS", True, True),
                                 ("Auto-download MMS when roaming", False, True), "", g,
                                 "google"),
        "google-en-off-off": aosp("Advanced", ("Auto-download MMS", False, True),
                                  ("Auto-download MMS when roaming", False, True), "", g,
                                  "google"),
        "google-settings": settings_screen(g, "Messages settings", [
            plain_row("General"), plain_row("SIM 1"), plain_row("SIM 2")]),
        # Samsung Messages (One UI wording unverified: the 4.4 en-rUS strings), two SIMs on
        # one screen
        "samsung-en-dual-off-off": settings_screen(s, "Multimedia messages", [
            header("SIM 1"), pref_row("Auto retrieve", "", False, widget="samsung"),
            pref_row("Roaming auto retrieve", "", False, widget="samsung"),
            header("SIM 2"), pref_row("Auto retrieve", "", False, widget="samsung"),
            pref_row("Roaming auto retrieve", "", False, widget="samsung")]),
        "samsung-en-dual-off-on": settings_screen(s, "Multimedia messages", [
            header("SIM 1"), pref_row("Auto retrieve", "", False, widget="samsung"),
            pref_row("Roaming auto retrieve", "", False, widget="samsung"),
            header("SIM 2"), pref_row("Auto retrieve", "", True, widget="samsung"),
            pref_row("Roaming auto retrieve", "", False, widget="samsung")]),
        # Not the screen
        "lockscreen": dump("com.android.systemui", N("android.widget.FrameLayout", children=[
            N("android.widget.TextView", "12:34", "com.android.systemui:id/clock")])),
        "other-app": settings_screen("com.android.settings", "Network & internet",
                                     [pref_row("Auto-retrieve", "", True)]),
        "ambiguous-two-switches": settings_screen(m, "Advanced", [
            N("android.widget.LinearLayout", clickable=True, children=[
                N("android.widget.TextView", "Auto-retrieve", "android:id/title"),
                N("android.widget.CheckBox", checkable=True, checked=False),
                N("android.widget.CheckBox", checkable=True, checked=True)])]),
    }


def outputs() -> dict[str, str]:
    """Dumps that printed no tree (words from DumpCommand, UiAutomation, mksh, the kernel)."""
    tree = screens()["aosp-messaging-en-on-off"]
    xml = tree[: -len(STATUS)]
    return {
        "out-not-idle": "ERROR: could not get idle state.\n",
        "out-null-root": "ERROR: null root node returned by UiTestAutomationBridge.\n",
        "out-busy": ("java.lang.IllegalStateException: UiAutomationService android.accessibility"
                     "service.IAccessibilityServiceClient$Stub$Proxy@3f2a1b0already registered!\n"
                     "\tat com.android.server.accessibility.UiAutomationManager.registerUiTest"
                     "AutomationServiceLocked(UiAutomationManager.java:105)\n"),
        "out-killed": "Killed \n",
        "out-status-only": STATUS,
        "out-missing": "/system/bin/sh: uiautomator: inaccessible or not found\n",
        "out-vendor-warning": ("java.io.FileNotFoundException: /sys/board_info/user_cpu_freq: "
                               "open failed: ENOENT (No such file or directory)\n" + tree),
        "out-truncated": xml[: len(xml) // 2],
        "out-doctype": xml.replace("<hierarchy", '<!DOCTYPE x [<!ENTITY a "aaaa">]><hierarchy', 1)
        + STATUS,
        "out-crlf": tree.replace("\n", "\r\n"),
        "out-windows": ("<?xml version='1.0' encoding='UTF-8' standalone='yes' ?><displays>"
                        '<display id="0"><window index="0" title="Messaging" active="true" '
                        'focused="true"><hierarchy rotation="0">'
                        + xml.split('<hierarchy rotation="0">', 1)[1].rsplit("</hierarchy>", 1)[0]
                        + "</hierarchy></window></display></displays>" + STATUS),
    }


def main() -> None:
    for name, text in {**screens(), **outputs()}.items():
        (HERE / f"{name}.txt").write_text(text, encoding="utf-8", newline="")


if __name__ == "__main__":
    main()
