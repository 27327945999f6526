"""Layout at meeting-room sizes, light and dark, and the screenshot verb.

Rendering is checked by what a reader would notice: a label narrower than its
text (clipped), a chart squeezed to nothing, two charts overlapping, or text
with too little contrast against its background. The PNGs land in the test's
temp folder, so a failing run can be inspected by eye.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication, QLabel

from planner.ui.app import apply_theme


def _contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio of two colours."""

    def lum(c: QColor) -> float:
        def ch(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        return 0.2126 * ch(c.redF()) + 0.7152 * ch(c.greenF()) + 0.0722 * ch(c.blueF())

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.fixture(params=["light", "dark"])
def theme(request, qapp):
    apply_theme(qapp, request.param)
    yield request.param
    apply_theme(qapp, "light")


@pytest.mark.parametrize("size", [(1024, 640), (1280, 800), (1920, 1080)])
def test_layout_is_readable(qtbot, window, theme, size, tmp_path: Path) -> None:
    window.resize(*size)
    qtbot.waitUntil(lambda: window.size().width() == size[0], timeout=5_000)
    QApplication.processEvents()
    out = tmp_path / f"app-{size[0]}x{size[1]}-{theme}.png"
    assert window.grab().save(str(out))
    image = QImage(str(out))
    assert (image.width(), image.height()) == size

    # charts: visible, a usable size, and not overlapping each other
    rects: list[QRect] = []
    for card in window.charts.cards:
        assert card.isVisible(), card.objectName()
        small = size[0] < 1280  # the window's minimum size: readable, not roomy
        assert card.plot.height() >= (90 if small else 120), (card.objectName(), card.plot.height())
        assert card.plot.width() >= (150 if small else 250), (card.objectName(), card.plot.width())
        rect = QRect(card.mapTo(window, card.rect().topLeft()), card.size())
        assert all(not rect.intersects(other) for other in rects), card.objectName()
        rects.append(rect)

    # no single-line label in the controls, KPI strip or chart titles is cut off
    roots = [window.controls, window.charts]
    for root in roots:
        for label in root.findChildren(QLabel):
            if not label.isVisible() or label.wordWrap() or not label.text():
                continue
            assert label.width() >= label.minimumSizeHint().width(), (label.objectName(), label.text())

    # body text has enough contrast on this palette
    palette = window.palette()
    for fg, bg in (
        (QPalette.ColorRole.WindowText, QPalette.ColorRole.Window),
        (QPalette.ColorRole.Text, QPalette.ColorRole.Base),
        (QPalette.ColorRole.PlaceholderText, QPalette.ColorRole.Window),
    ):
        assert _contrast(palette.color(fg), palette.color(bg)) >= 4.5, (theme, fg)
    # the chart series stand out from the chart background
    t = window.charts.theme
    for colour in (t.scenario, t.baseline, t.intent, t.demand, t.activity):
        assert _contrast(colour, t.background) >= 3.0, (theme, colour.name())
    assert (t.background.lightnessF() < 0.5) == (theme == "dark")
    # the best-split charts followed the palette switch as well
    assert (window.best_split.theme.background.lightnessF() < 0.5) == (theme == "dark")


def test_screenshot_verb_writes_png(tmp_path: Path) -> None:
    out = tmp_path / "app.png"
    proc = subprocess.run(
        [sys.executable, "-m", "planner", "screenshot", "--demo", "--out", str(out), "--size", "1280x800"],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert proc.returncode == 0, proc.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1280, 800)


def test_screenshot_verb_never_writes_the_users_settings(tmp_path: Path, settings_dir: Path) -> None:
    """A headless verb reads the user's language but must not save geometry or anything else."""
    import json

    target = settings_dir / "settings.json"
    text = json.dumps(
        {"schema_version": 2, "language": "de", "recent_files": [["/a/budget.xlsx", "/a/crm.csv"]],
         "mappings": {}, "window_geometry": None, "window_state": None}, indent=2,
    )  # fmt: skip
    target.write_text(text, encoding="utf-8")
    os.utime(target, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))
    before = (target.read_bytes(), target.stat().st_mtime_ns, sorted(p.name for p in settings_dir.iterdir()))
    out = tmp_path / "app.png"
    proc = subprocess.run(
        [sys.executable, "-m", "planner", "screenshot", "--demo", "--out", str(out), "--size", "1280x800"],
        capture_output=True, text=True, timeout=300,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "PLANNER_SETTINGS_DIR": str(settings_dir)},
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert out.exists()
    after = (target.read_bytes(), target.stat().st_mtime_ns, sorted(p.name for p in settings_dir.iterdir()))
    assert after == before


def test_read_only_settings_keep_the_language_and_write_nothing(settings_dir: Path) -> None:
    from planner.ui.settings import Settings

    target = settings_dir / "settings.json"
    target.write_text('{"schema_version": 2, "language": "da"}', encoding="utf-8")
    settings = Settings.load(read_only=True)
    assert settings.language == "da"
    settings.window_geometry = "AAAA"
    settings.save()
    assert target.read_text(encoding="utf-8") == '{"schema_version": 2, "language": "da"}'
    target.write_text("{damaged", encoding="utf-8")
    assert Settings.load(read_only=True).language is None
    assert sorted(p.name for p in settings_dir.iterdir()) == ["settings.json"]  # not set aside as .bad


def test_screenshot_verb_rejects_bad_size(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "planner", "screenshot", "--out", str(tmp_path / "x.png"), "--size", "big"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "--size" in proc.stderr
    assert not (tmp_path / "x.png").exists()


def test_screenshot_verb_with_files_and_a_scenario(tmp_path: Path) -> None:
    from planner.resources import demo_paths

    out = tmp_path / "files.png"
    proc = subprocess.run(
        [sys.executable, "-m", "planner", "screenshot", *map(str, demo_paths()), "--out", str(out),
         "--size", "1920x1080", "--theme", "dark", "--brand-share", "0.7", "--months", "12"],
        capture_output=True, text=True, timeout=300,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1920, 1080)
    # dark theme: the window background is dark
    assert image.pixelColor(5, image.height() - 5).lightnessF() < 0.5


def test_screenshot_verb_bad_file_is_one_line_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "notes.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    out = tmp_path / "x.png"
    proc = subprocess.run(
        [sys.executable, "-m", "planner", "screenshot", str(bad), "--out", str(out)],
        capture_output=True, text=True, timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )  # fmt: skip
    assert proc.returncode == 2
    assert proc.stderr.startswith("planner: notes.csv") and proc.stderr.count("\n") == 1
    assert not out.exists()


def test_screenshot_verb_shows_a_panel_after_its_sweep(tmp_path: Path) -> None:
    out = tmp_path / "best.png"
    proc = subprocess.run(
        [sys.executable, "-m", "planner", "screenshot", "--demo", "--out", str(out),
         "--panel", "best-split", "--timeout", "240"],
        capture_output=True, text=True, timeout=300,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert QImage(str(out)).width() == 1280
    wrong = subprocess.run(
        [sys.executable, "-m", "planner", "screenshot", "--out", str(out), "--panel", "nope"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert wrong.returncode == 2 and wrong.stderr.count("\n") == 1
