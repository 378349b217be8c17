"""Generated phones for benchmarks: the sample phone with N apps and a `dumpsys package`
of a chosen size in the AOSP format (Settings.dumpPackageLPr, Android 14), with the app
lists (`pm list packages`, `-3`, `cmd appops query-op`) made to agree with it.

A real 400-app phone prints about 20 MB: long `requested permissions:` and
`install permissions:` lists, and per user (owner, work profile) runtime permissions and
disabled components. Block sizes are scaled so that `megabytes` is met.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

DEMO = Path(__file__).resolve().parents[1] / "fixtures" / "demo-pixel7-a14"
PERMS = [f"android.permission.{w}" for w in (
    "CAMERA", "RECORD_AUDIO", "READ_CONTACTS", "READ_SMS", "RECEIVE_SMS", "READ_CALL_LOG",
    "ACCESS_FINE_LOCATION", "ACCESS_COARSE_LOCATION", "READ_PHONE_STATE", "POST_NOTIFICATIONS",
    "BODY_SENSORS", "READ_CALENDAR", "WRITE_CONTACTS", "GET_ACCOUNTS", "READ_MEDIA_IMAGES",
    "READ_MEDIA_VIDEO", "ACCESS_BACKGROUND_LOCATION", "CALL_PHONE", "SEND_SMS",
    "NEARBY_WIFI_DEVICES")]
HEADER = """  Package [{name}] ({ident:07x}):
    appId={uid}
    pkg=Package{{{ident:07x} {name}}}
    codePath=/data/app/~~{ident:x}==/{name}-{ident:x}==
    resourcePath=/data/app/~~{ident:x}==/{name}-{ident:x}==
    legacyNativeLibraryDir=/data/app/~~{ident:x}==/{name}-{ident:x}==/lib
    extractNativeLibs=true
    primaryCpuAbi=arm64-v8a
    secondaryCpuAbi=null
    versionCode={ident} minSdk=24 targetSdk={sdk}
    versionName=1.{ident}
    splits=[base]
    apkSigningVersion=3
    flags=[ {flags} ]
    privateFlags=[ PRIVATE_FLAG_ACTIVITIES_RESIZE_MODE_RESIZEABLE_VIA_SDK_VERSION ]
    forceQueryable=false
    dataDir=/data/user/0/{name}
    timeStamp=2024-01-28 19:45:02
    lastUpdateTime=2024-01-28 19:45:02
    installerPackageName={installer}
    installerPackageUid=10139
    signatures=PackageSignatures{{66cdd63 version:3, signatures:[6012fa4d], past signatures:[]}}
    installPermissionsFixed=true
    pkgFlags=[ {flags} ]
"""


def app_names(apps: int) -> list[str]:
    return [f"com.vendor{i // 40}.app{i}" for i in range(apps)]


def _block(rng: random.Random, name: str, index: int, lines: int) -> str:
    system = index % 3 == 0
    flags = "SYSTEM HAS_CODE ALLOW_CLEAR_USER_DATA" if system else "HAS_CODE ALLOW_BACKUP"
    parts = [HEADER.format(name=name, ident=0x100000 + index, uid=10100 + index,
                           sdk=rng.choice((28, 33, 34)), flags=flags,
                           installer="null" if system else "com.android.vending")]
    parts.append("    requested permissions:\n")
    parts += [f"      {name}.permission.C2D_{i}\n" for i in range(lines)]
    parts.append("    install permissions:\n")
    parts += [f"      {name}.permission.C2D_{i}: granted=true\n" for i in range(lines)]
    for user in (0, 10):
        parts.append(f"    User {user}: ceDataInode={index} installed=true hidden=false "
                     "suspended=false distractionFlags=0 stopped=false notLaunched=false "
                     "enabled=0 instant=false virtual=false\n"
                     "      installReason=4\n      gids=[3003]\n      runtime permissions:\n")
        for perm in rng.sample(PERMS, 8):
            granted = "true" if rng.random() < 0.4 else "false"
            parts.append(f"        {perm}: granted={granted}, flags=[ USER_SET|"
                         "USER_SENSITIVE_WHEN_GRANTED|USER_SENSITIVE_WHEN_DENIED]\n")
        parts.append("      disabledComponents:\n")
        parts += [f"        {name}.ui.Activity{i}\n" for i in range(lines // 2)]
    return "".join(parts)


def dumpsys_package(apps: int, megabytes: float, seed: int = 1) -> bytes:
    """`dumpsys package packages` for the demo phone plus `apps` generated apps."""
    demo = (DEMO / "probes" / "dumpsys_package.txt").read_text()
    head, _, hidden = demo.partition("\nHidden system packages:")
    sample = _block(random.Random(seed), "com.vendor0.app0", 0, 100)
    per_line = (len(sample) - 1500) / 300  # bytes per scaled line (3 lists of 100)
    lines = max(4, int((megabytes * 2**20 / apps - 1500) / per_line / 3))
    rng = random.Random(seed)
    blocks = [_block(rng, name, i, lines) for i, name in enumerate(app_names(apps))]
    return (head + "\n" + "".join(blocks).rstrip("\n") + "\n\nHidden system packages:"
            + hidden).encode()


def make_phone(target: Path, apps: int = 400, megabytes: float = 20.0) -> Path:
    """A capture folder: the demo phone with `apps` more apps (a virtual phone serves it)."""
    shutil.copytree(DEMO, target)
    probes = target / "probes"
    names = app_names(apps)
    (probes / "dumpsys_package.txt").write_bytes(dumpsys_package(apps, megabytes))
    pm = (probes / "packages.txt").read_text()
    pm += "".join(f"package:/data/app/~~{0x100000 + i:x}==/{n}-{0x100000 + i:x}==/base.apk="
                  f"{n}  installer=com.android.vending uid:{10100 + i}\n"
                  for i, n in enumerate(names))
    (probes / "packages.txt").write_text(pm)
    third = (probes / "packages_third_party.txt").read_text()
    third += "".join(f"package:{n}\n" for i, n in enumerate(names) if i % 3)
    (probes / "packages_third_party.txt").write_text(third)
    overlay = "".join(f"{n}\n" for i, n in enumerate(names) if i % 7 == 1)
    (probes / "appops_overlay.txt").write_text(overlay or "No operations.\n")
    return target
