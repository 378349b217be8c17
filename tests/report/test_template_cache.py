"""The compiled-template cache: reused across processes, never trusted when damaged,
stale or in a folder that is not private."""

from __future__ import annotations

import os
from pathlib import Path

import jinja2
import pytest

from droidaudit.report.template_cache import bytecode_cache, cache_folder


def env(folder: Path) -> jinja2.Environment:
    (folder / "t").mkdir(exist_ok=True)
    return jinja2.Environment(loader=jinja2.FileSystemLoader(folder / "t"),
                              autoescape=True, bytecode_cache=bytecode_cache())


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path


def test_a_compiled_template_is_cached_privately_and_reused(cache_home: Path) -> None:
    (cache_home / "t").mkdir()
    (cache_home / "t" / "a.j2").write_text("Hello {{ who }}")
    assert env(cache_home).get_template("a.j2").render(who="<b>") == "Hello &lt;b&gt;"
    folder = cache_folder()
    assert folder is not None and oct(folder.stat().st_mode & 0o777) == "0o700"
    entries = list(folder.glob("*.cache"))
    assert len(entries) == 1
    assert env(cache_home).get_template("a.j2").render(who="x") == "Hello x"


def test_an_edited_template_is_never_served_from_the_cache(cache_home: Path) -> None:
    (cache_home / "t").mkdir()
    (cache_home / "t" / "a.j2").write_text("one")
    assert env(cache_home).get_template("a.j2").render() == "one"
    (cache_home / "t" / "a.j2").write_text("two")
    assert env(cache_home).get_template("a.j2").render() == "two"


def test_a_damaged_entry_is_ignored(cache_home: Path) -> None:
    (cache_home / "t").mkdir()
    (cache_home / "t" / "a.j2").write_text("ok")
    env(cache_home).get_template("a.j2")
    folder = cache_folder()
    assert folder is not None
    for entry in folder.glob("*.cache"):
        entry.write_bytes(entry.read_bytes()[:40])
    assert env(cache_home).get_template("a.j2").render() == "ok"


def test_a_folder_others_can_write_is_not_used(cache_home: Path) -> None:
    folder = cache_home / "cache" / "droidaudit" / "templates"
    folder.mkdir(parents=True)
    os.chmod(folder, 0o740)  # readable by the group: already not private
    assert cache_folder() is None


def test_changed_environment_options_never_reuse_old_code(cache_home: Path) -> None:
    (cache_home / "t").mkdir()
    (cache_home / "t" / "a.j2").write_text("{% if 1 %}\n  x\n{% endif %}\n")
    plain = env(cache_home).get_template("a.j2").render()
    trimmed = jinja2.Environment(loader=jinja2.FileSystemLoader(cache_home / "t"),
                                 autoescape=True, trim_blocks=True, lstrip_blocks=True,
                                 bytecode_cache=bytecode_cache())
    assert plain == "\n  x\n" and trimmed.get_template("a.j2").render() == "  x\n"
