"""Settings: where they live, what survives a restart, old and broken files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planner.ui import settings as settings_mod
from planner.ui.settings import MAX_RECENT, SCHEMA_VERSION, Settings, migrate, settings_dir


@pytest.fixture(autouse=True)
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "cfg"
    monkeypatch.setenv("PLANNER_SETTINGS_DIR", str(target))
    return target


def test_env_var_redirects_the_folder(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert settings_dir() == folder
    monkeypatch.delenv("PLANNER_SETTINGS_DIR")
    assert settings_dir() != folder
    assert "planner" in str(settings_dir())


def test_defaults_when_there_is_no_file(folder: Path) -> None:
    s = Settings.load()
    assert s.recent_files == [] and s.mappings == {} and s.language is None
    assert s.window_geometry is None
    assert not folder.exists()  # loading never writes


def test_round_trip(folder: Path) -> None:
    s = Settings.load()
    s.add_recent(["/data/budget.xlsx", "/data/crm.csv"])
    s.remember_mapping("crm:abc", {"stage": "Fase", "amount": "Beløp"})
    s.language = "nb"
    s.window_geometry = "AdnQywADAAA="
    path = s.save()
    assert path == folder / "settings.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["schema_version"] == SCHEMA_VERSION
    again = Settings.load()
    assert again.recent_files == [[str(Path("/data/budget.xlsx")), str(Path("/data/crm.csv"))]]
    assert again.mapping_for("crm:abc") == {"stage": "Fase", "amount": "Beløp"}
    assert again.language == "nb" and again.window_geometry == "AdnQywADAAA="
    assert again.mapping_for("crm:other") is None


def test_recent_files_are_deduplicated_and_bounded() -> None:
    s = Settings()
    for i in range(MAX_RECENT + 5):
        s.add_recent([f"/f{i}.csv"])
    s.add_recent(["/f13.csv"])
    assert len(s.recent_files) == MAX_RECENT
    assert s.recent_files[0] == [str(Path("/f13.csv"))]
    assert s.recent_files.count([str(Path("/f13.csv"))]) == 1
    s.remove_recent(["/f13.csv"])
    assert [str(Path("/f13.csv"))] not in s.recent_files


def test_version_1_file_is_migrated(folder: Path) -> None:
    folder.mkdir(parents=True)
    (folder / "settings.json").write_text(
        json.dumps({"schema_version": 1, "recent_files": ["/a.xlsx", "/b.csv"], "language": "da"}),
        encoding="utf-8",
    )
    s = Settings.load()
    assert s.recent_files == [["/a.xlsx"], ["/b.csv"]]
    assert s.language == "da"
    s.save()
    assert json.loads((folder / "settings.json").read_text())["schema_version"] == SCHEMA_VERSION


def test_unversioned_document_counts_as_version_1() -> None:
    assert migrate({"recent_files": ["/x.csv"]})["recent_files"] == [["/x.csv"]]


def test_broken_file_is_set_aside_and_defaults_used(folder: Path) -> None:
    folder.mkdir(parents=True)
    (folder / "settings.json").write_text("{not json", encoding="utf-8")
    s = Settings.load()
    assert s.recent_files == []
    assert (folder / "settings.json.bad").exists()
    s.save()
    assert json.loads((folder / "settings.json").read_text())["recent_files"] == []


def test_wrong_types_fall_back_per_key(folder: Path) -> None:
    folder.mkdir(parents=True)
    (folder / "settings.json").write_text(
        json.dumps({"schema_version": 2, "recent_files": "oops", "mappings": {"k": {"stage": "S"}}, "language": 5}),
        encoding="utf-8",
    )
    s = Settings.load()
    assert s.recent_files == [] and s.language is None
    assert s.mapping_for("k") == {"stage": "S"}


def test_keys_from_a_newer_version_are_kept(folder: Path) -> None:
    folder.mkdir(parents=True)
    (folder / "settings.json").write_text(
        json.dumps({"schema_version": SCHEMA_VERSION, "theme": "dark", "recent_files": []}), encoding="utf-8"
    )
    s = Settings.load()
    s.add_recent(["/x.csv"])
    s.save()
    assert json.loads((folder / "settings.json").read_text())["theme"] == "dark"


def test_remembered_mappings_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings_mod, "MAX_MAPPINGS", 3)
    s = Settings()
    for i in range(5):
        s.remember_mapping(f"k{i}", {"stage": str(i)})
    assert list(s.mappings) == ["k2", "k3", "k4"]
