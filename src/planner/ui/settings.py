"""The one settings object: recent files, remembered column mappings, language, window geometry.

Stored as JSON (readable, diff-able, easy to delete when something goes
wrong) in the platform's user config folder (platformdirs), or in the folder
named by `PLANNER_SETTINGS_DIR`, which tests point at a temp path so they
never touch the user's real settings.

The file carries a `schema_version`. Older files are migrated step by step
on load (`_MIGRATIONS`), so a settings file from an older planner keeps its
recent files and mappings; a file from a *newer* planner is read for the
keys this version knows and is not overwritten with less information until
the user changes something. A damaged file never stops the app: it is set
aside as `settings.json.bad` and the defaults are used.

No Qt in the stored values (geometry is kept as base64 text), so the object
can be created and tested without a QApplication.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

SCHEMA_VERSION = 2
"""2: recent files are groups of paths opened together (a budget and its CRM export).
1: recent files were single paths."""

ENV_VAR = "PLANNER_SETTINGS_DIR"
FILE_NAME = "settings.json"
MAX_RECENT = 10
MAX_MAPPINGS = 200
"""Remembered file layouts; the oldest are forgotten first so the file stays small."""


def settings_dir() -> Path:
    """Where settings live: `$PLANNER_SETTINGS_DIR` if set, else the user config folder."""
    override = os.environ.get(ENV_VAR)
    if override:
        return Path(override)
    return Path(platformdirs.user_config_dir("planner", appauthor=False))


def _migrate_1_to_2(doc: dict[str, Any]) -> dict[str, Any]:
    """Version 1 stored `recent_files` as single paths; version 2 stores groups of paths."""
    recent = doc.get("recent_files") or []
    doc["recent_files"] = [[p] if isinstance(p, str) else p for p in recent]
    doc["schema_version"] = 2
    return doc


_MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _migrate_1_to_2}
"""from-version -> step; `migrate` applies them in order up to SCHEMA_VERSION."""


def migrate(doc: dict[str, Any]) -> dict[str, Any]:
    """Bring a settings document up to SCHEMA_VERSION (a file without a version counts as 1)."""
    version = doc.get("schema_version", 1)
    if not isinstance(version, int) or version < 1:
        version = 1
    doc = dict(doc)
    while version < SCHEMA_VERSION:
        doc = _MIGRATIONS[version](doc)
        version = doc["schema_version"]
    return doc


@dataclass
class Settings:
    """User preferences that outlive a session. Mutate, then `save()`."""

    recent_files: list[list[str]] = field(default_factory=list)
    """Most recent first; each entry is the files opened together."""
    mappings: dict[str, dict[str, str]] = field(default_factory=dict)
    """File-layout key (`planner.io.detect.layout_key` of the header row) -> confirmed mapping."""
    language: str | None = None
    """None = follow the system language."""
    window_geometry: str | None = None
    """`QMainWindow.saveGeometry()` as base64 text."""
    window_state: str | None = None
    """`QMainWindow.saveState()` (docks, toolbars) as base64 text."""
    path: Path | None = None
    """The file this object was loaded from and saves to (None: `settings_dir()`)."""
    extra: dict[str, Any] = field(default_factory=dict)
    """Keys written by a newer planner: kept and written back unchanged."""
    read_only: bool = field(default=False, compare=False)
    """Never write (headless verbs such as `planner screenshot` read the user's
    language but must not store their window geometry or anything else)."""

    # ----------------------------------------------------------------- files
    @classmethod
    def load(cls, path: str | Path | None = None, *, read_only: bool = False) -> Settings:
        """The saved settings, or the defaults when there is no (readable) file.

        `read_only=True`: the object never writes (`save()` does nothing) and a
        damaged file is left where it is.
        """
        target = Path(path) if path is not None else settings_dir() / FILE_NAME
        try:
            text = target.read_text(encoding="utf-8")
        except FileNotFoundError:
            return cls(path=target, read_only=read_only)
        except OSError:
            return cls(path=target, read_only=read_only)
        try:
            doc = json.loads(text)
            if not isinstance(doc, dict):
                raise ValueError("settings file is not a JSON object")
            found = cls.from_dict(migrate(doc), path=target)
            found.read_only = read_only
            return found
        except (ValueError, TypeError, KeyError):
            if not read_only:
                with contextlib.suppress(OSError):
                    os.replace(target, target.with_name(target.name + ".bad"))
            return cls(path=target, read_only=read_only)

    @classmethod
    def from_dict(cls, doc: Mapping[str, Any], path: Path | None = None) -> Settings:
        """Settings from a migrated document; values of the wrong type fall back to defaults."""
        recent: list[list[str]] = []
        for entry in doc.get("recent_files") or []:
            if isinstance(entry, list) and entry and all(isinstance(p, str) for p in entry):
                recent.append(list(entry))
        mappings: dict[str, dict[str, str]] = {}
        raw_maps = doc.get("mappings")
        if isinstance(raw_maps, dict):
            for key, value in raw_maps.items():
                if isinstance(value, dict):
                    mappings[str(key)] = {str(k): str(v) for k, v in value.items()}
        language = doc.get("language")
        known = {"schema_version", "recent_files", "mappings", "language", "window_geometry", "window_state"}
        return cls(
            recent_files=recent[:MAX_RECENT],
            mappings=mappings,
            language=language if isinstance(language, str) and language else None,
            window_geometry=_str_or_none(doc.get("window_geometry")),
            window_state=_str_or_none(doc.get("window_state")),
            path=path,
            extra={k: v for k, v in doc.items() if k not in known},
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON document, with the current schema version."""
        doc: dict[str, Any] = dict(self.extra)
        doc.update(
            {
                "schema_version": SCHEMA_VERSION,
                "recent_files": [list(e) for e in self.recent_files[:MAX_RECENT]],
                "mappings": {k: dict(v) for k, v in self.mappings.items()},
                "language": self.language,
                "window_geometry": self.window_geometry,
                "window_state": self.window_state,
            }
        )
        return doc

    def save(self) -> Path:
        """Write atomically (temp file + rename) so a crash never leaves half a file.

        A read-only object writes nothing and returns where it would have written.
        """
        target = self.path if self.path is not None else settings_dir() / FILE_NAME
        if self.read_only:
            return target
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".tmp")
        tmp.write_text(json.dumps(self.to_dict(), indent=2, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, target)
        self.path = target
        return target

    # -------------------------------------------------------------- helpers
    def add_recent(self, paths: Iterable[str | Path]) -> None:
        """Put a group of files first in the recent list (no duplicates, at most MAX_RECENT)."""
        entry = [str(Path(p)) for p in paths]
        if not entry:
            return
        rest = [e for e in self.recent_files if e != entry]
        self.recent_files = [entry, *rest][:MAX_RECENT]

    def remove_recent(self, paths: Iterable[str | Path]) -> None:
        """Forget a group (e.g. its files were moved or deleted)."""
        entry = [str(Path(p)) for p in paths]
        self.recent_files = [e for e in self.recent_files if e != entry]

    def mapping_for(self, key: str) -> dict[str, str] | None:
        """The mapping the user confirmed for this file layout, if any."""
        found = self.mappings.get(key)
        return dict(found) if found is not None else None

    def remember_mapping(self, key: str, mapping: Mapping[str, str]) -> None:
        """Remember a confirmed mapping; newest last, oldest dropped beyond MAX_MAPPINGS."""
        self.mappings.pop(key, None)
        self.mappings[key] = {str(k): str(v) for k, v in mapping.items()}
        while len(self.mappings) > MAX_MAPPINGS:
            self.mappings.pop(next(iter(self.mappings)))


def _str_or_none(value: object) -> str | None:
    return value if isinstance(value, str) and value else None
