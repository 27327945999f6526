"""Autosave: the open workspace written to the user's data folder, and found again after a crash.

Each running window has an `AutosaveSlot` (its own file, named by process id
and start time, so two windows never overwrite each other). `save` writes the
workspace there atomically - the window calls it every minute and after every
significant change, so a crash loses at most one interval. A clean exit calls
`close`, which removes the slot's file and records the time of the clean exit.
At the next start `recoverable()` lists the autosaves written after the last
clean exit by a process that is no longer running: those are work a crash
(or kill -9) would otherwise have lost.

The folder is platformdirs' user data folder, or `PLANNER_DATA_DIR` (tests).
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_dir

from planner.errors import InputError
from planner.scenario.atomic import write_atomic
from planner.scenario.files import PlannerFile, from_text, to_dict

AUTOSAVE_SUFFIX = ".autosave.planner.json"
STALE_TEMP_SECONDS = 600.0  # a temporary file this old was left by a write that was killed
CLEAN_EXIT = "clean-exit.json"
INTERVAL_SECONDS = 60.0


def data_dir() -> Path:
    """The user's data folder for planner (PLANNER_DATA_DIR overrides it)."""
    override = os.environ.get("PLANNER_DATA_DIR")
    return Path(override) if override else Path(user_data_dir("planner", appauthor=False))


def autosave_dir() -> Path:
    return data_dir() / "autosave"


@dataclass(frozen=True)
class Recovery:
    """One autosave a crash left behind."""

    path: Path
    saved_at: float  # seconds since the epoch
    origin: str | None  # the .planner.json it was opened from or saved to, if any
    document: PlannerFile


class AutosaveSlot:
    """This process's autosave file."""

    def __init__(self, folder: Path | None = None, *, pid: int | None = None, started: float | None = None) -> None:
        self.folder = folder or autosave_dir()
        self.pid = os.getpid() if pid is None else int(pid)
        self.started = time.time() if started is None else float(started)
        self.path = self.folder / f"{self.pid}-{int(self.started * 1000)}{AUTOSAVE_SUFFIX}"
        self.last_saved: float | None = None

    def save(self, doc: PlannerFile, origin: str | Path | None = None) -> Path:
        """Write `doc` atomically (the previous autosave stays whole until the new one is complete)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        now = time.time()
        body = to_dict(doc)
        body["autosave"] = {"pid": self.pid, "saved_at": now, "origin": None if origin is None else str(origin)}
        write_atomic(self.path, json.dumps(body, ensure_ascii=False, allow_nan=False))
        self.last_saved = now
        return self.path

    def due(self, now: float | None = None, interval: float = INTERVAL_SECONDS) -> bool:
        """Whether the periodic save is due (always, before the first one)."""
        now = time.time() if now is None else now
        return self.last_saved is None or now - self.last_saved >= interval

    def close(self) -> None:
        """A clean exit: forget this slot's autosave and remember when the app ended cleanly."""
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
        self.folder.mkdir(parents=True, exist_ok=True)
        write_atomic(self.folder / CLEAN_EXIT, json.dumps({"at": time.time(), "pid": self.pid}))


def last_clean_exit(folder: Path | None = None) -> float:
    """When planner last exited cleanly (0 when never, or when the record is unreadable)."""
    try:
        doc = json.loads(((folder or autosave_dir()) / CLEAN_EXIT).read_text(encoding="utf-8"))
        return float(doc["at"])
    except (OSError, ValueError, KeyError, TypeError):
        return 0.0


def recoverable(folder: Path | None = None) -> list[Recovery]:
    """Autosaves newer than the last clean exit whose process is gone, newest first.

    A file that cannot be read (a newer planner's, or damaged) is skipped, not
    deleted: the user may still want it, and it is never overwritten.
    """
    folder = folder or autosave_dir()
    _sweep_temps(folder)
    since = last_clean_exit(folder)
    found = []
    for path in folder.glob(f"*{AUTOSAVE_SUFFIX}") if folder.is_dir() else ():
        try:
            text = path.read_text(encoding="utf-8")
            meta = json.loads(text).get("autosave") or {}
            doc = from_text(text, path)
        except (OSError, ValueError, AttributeError, InputError):
            continue
        saved_at = float(meta.get("saved_at") or path.stat().st_mtime)
        pid = meta.get("pid")
        if saved_at <= since or (isinstance(pid, int) and pid != os.getpid() and _running(pid)):
            continue
        found.append(Recovery(path, saved_at, meta.get("origin"), doc))
    return sorted(found, key=lambda r: r.saved_at, reverse=True)


def discard(recovery: Recovery) -> None:
    """The user restored it (and it now lives in a new slot) or declined it."""
    with contextlib.suppress(FileNotFoundError):
        recovery.path.unlink()


def _sweep_temps(folder: Path) -> None:
    """Remove temporary files that a killed write left (the autosave it would have replaced is whole)."""
    if not folder.is_dir():
        return
    now = time.time()
    for tmp in folder.glob(".*.tmp"):
        with contextlib.suppress(OSError):
            if now - tmp.stat().st_mtime > STALE_TEMP_SECONDS:
                tmp.unlink()


def _running(pid: int) -> bool:
    """Whether a process with this id is alive (POSIX; elsewhere we cannot tell cheaply, so: no)."""
    if os.name != "posix" or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
