"""Write a file so a crash leaves either the old file or the new one, never half of each.

The text goes to a temporary file in the same folder (so the rename stays on
one file system), is flushed and fsync'ed, and then replaces the target with
`os.replace`, which is atomic on POSIX and Windows. The folder is fsync'ed
too where the platform allows it, so the rename itself survives a power cut.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from pathlib import Path

_HASH_CHUNK = 1024 * 1024


def write_atomic(path: str | Path, text: str) -> Path:
    """Replace `path` with `text` (UTF-8) atomically; the temporary file never outlives a failure."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _sync_folder(path.parent)
    return path


def _sync_folder(folder: Path) -> None:
    """fsync the folder entry (POSIX); Windows cannot open a folder for that and needs no such step."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def sha256_of(path: str | Path) -> str:
    """The file's content hash (hex), read in chunks so a large export never sits in memory twice."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
