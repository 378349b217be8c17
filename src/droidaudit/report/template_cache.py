"""The one jinja2 environment of the HTML reporters (report.html, the fleet index), and a
per-user cache of compiled templates (jinja2 bytecode), so a scan does not spend ~35 ms
compiling report.html.j2 in every new process.

Kept in the user's own cache folder ($XDG_CACHE_HOME/droidaudit/templates, else
~/.cache/...), created 0700; entries are keyed by template name and source checksum (an
edited template never loads stale code), written to a temp file and renamed into place
(a parallel scan never reads half a file), and any entry that will not load is ignored.
When the folder cannot be made or is not ours and private, templates simply compile.
"""

from __future__ import annotations

import os
import tempfile
from functools import cache
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket


def cache_folder() -> Path | None:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = Path(base) / "droidaudit" / "templates"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        info = os.stat(folder, follow_symlinks=False)
    except OSError:
        return None
    private = info.st_uid == os.getuid() and not info.st_mode & 0o077
    return folder if private and not folder.is_symlink() else None


class PrivateBytecodeCache(jinja2.BytecodeCache):
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def get_bucket(self, environment: jinja2.Environment, name: str, filename: str | None,
                   source: str) -> Bucket:
        """jinja2 keys a bucket by template name and source only; the environment's
        options that change the compiled code (whitespace control, delimiters,
        autoescape, finalize, extensions) are part of the key here too, so editing them
        in code never runs a template compiled under the old ones."""
        options = repr((environment.trim_blocks, environment.lstrip_blocks,
                        environment.keep_trailing_newline, environment.block_start_string,
                        environment.block_end_string, environment.variable_start_string,
                        environment.variable_end_string, environment.comment_start_string,
                        environment.comment_end_string, environment.line_statement_prefix,
                        environment.line_comment_prefix, environment.newline_sequence,
                        environment.optimized, environment.is_async,
                        environment.autoescape if isinstance(environment.autoescape, bool)
                        else getattr(environment.autoescape, "__qualname__", "callable"),
                        environment.finalize is not None, sorted(environment.extensions)))
        bucket = Bucket(environment, self.get_cache_key(name + options, filename),
                        self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def _path(self, bucket: Bucket) -> Path:
        return self.folder / f"{bucket.key}.cache"

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            fd = os.open(self._path(bucket), os.O_RDONLY | os.O_NOFOLLOW)
            with os.fdopen(fd, "rb") as handle:
                bucket.load_bytecode(handle)
        except Exception:  # pickle and marshal raise many kinds on a damaged entry
            bucket.reset()  # missing, unreadable or damaged: compile instead

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            fd, temp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                bucket.write_bytecode(handle)
            os.replace(temp, self._path(bucket))
        except OSError:
            return


def bytecode_cache() -> PrivateBytecodeCache | None:
    folder = cache_folder()
    return PrivateBytecodeCache(folder) if folder is not None else None


@cache
def environment() -> jinja2.Environment:
    """Autoescape always on (device text is hostile), undefined names are errors."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("droidaudit.report", "templates"),
        autoescape=True,  # whatever the template name
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=bytecode_cache(),  # compiled once per user, not once per scan
    )
