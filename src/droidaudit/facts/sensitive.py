"""Sensitive runtime permissions, grouped as Settings shows them (the permission groups of
frameworks/base/core/res/AndroidManifest.xml and PermissionController's platform groups).

Used to count, per app, how many kinds of personal data it may reach (`sensitive_groups`
in the `apps` fact): a flashlight with SMS, location and microphone is the shape of
stalkerware. Pure data and one counting function; it never reads a phone.
"""

from __future__ import annotations

from collections.abc import Iterable

_P = "android.permission."

SENSITIVE_GROUPS: dict[str, tuple[str, ...]] = {
    "sms": tuple(_P + p for p in ("READ_SMS", "RECEIVE_SMS", "SEND_SMS", "RECEIVE_MMS",
                                  "RECEIVE_WAP_PUSH")),
    "call_log": tuple(_P + p for p in ("READ_CALL_LOG", "WRITE_CALL_LOG",
                                       "PROCESS_OUTGOING_CALLS")),
    "contacts": tuple(_P + p for p in ("READ_CONTACTS", "WRITE_CONTACTS", "GET_ACCOUNTS")),
    "microphone": (_P + "RECORD_AUDIO",),
    "camera": (_P + "CAMERA",),
    "location": tuple(_P + p for p in ("ACCESS_FINE_LOCATION", "ACCESS_COARSE_LOCATION",
                                       "ACCESS_BACKGROUND_LOCATION")),
    "body_sensors": (_P + "BODY_SENSORS", _P + "BODY_SENSORS_BACKGROUND"),
    "media": tuple(_P + p for p in ("READ_EXTERNAL_STORAGE", "WRITE_EXTERNAL_STORAGE",
                                    "READ_MEDIA_IMAGES", "READ_MEDIA_VIDEO",
                                    "READ_MEDIA_AUDIO", "READ_MEDIA_VISUAL_USER_SELECTED",
                                    "ACCESS_MEDIA_LOCATION")),
    "phone": tuple(_P + p for p in ("READ_PHONE_STATE", "READ_PHONE_NUMBERS", "CALL_PHONE",
                                    "ANSWER_PHONE_CALLS", "ADD_VOICEMAIL", "USE_SIP")),
    "calendar": (_P + "READ_CALENDAR", _P + "WRITE_CALENDAR"),
    "activity": (_P + "ACTIVITY_RECOGNITION",),
    "nearby": tuple(_P + p for p in ("BLUETOOTH_SCAN", "BLUETOOTH_CONNECT",
                                     "BLUETOOTH_ADVERTISE", "NEARBY_WIFI_DEVICES",
                                     "UWB_RANGING")),
}


def sensitive_groups(granted: Iterable[str]) -> list[str]:
    """The groups (in table order) that at least one granted permission belongs to."""
    held = set(granted)
    return [group for group, perms in SENSITIVE_GROUPS.items() if held.intersection(perms)]
