"""Wires the stages for a command: source → capture → facts → findings → report files.

`options` (what the person asked, frozen) and the rule set loaded from it; `scan` (one
phone or capture); `fleet` (many phones at once); `outcome` (exit-code policy). The CLI
calls these; the stages below never call back up.
"""
