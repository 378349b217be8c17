"""droidaudit: audit an Android phone's security settings over ADB, read-only."""

__version__ = "0.1.0"
