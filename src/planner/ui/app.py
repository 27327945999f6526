"""Application start-up: QApplication, palette, the window, then the data.

The window is shown before anything heavy happens (importing the demo files,
calibrating, simulating); those start from the event loop right after the
first paint, so `planner` opens within two seconds even on a slow laptop.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

from planner.errors import InputError
from planner.scenario.document import replace_scenario
from planner.ui.language import apply_language
from planner.ui.main_window import MainWindow
from planner.ui.settings import Settings
from planner.ui.window_geometry import place_window
from planner.ui.workspace import Workspace

THEMES: tuple[str, ...] = ("system", "light", "dark")


def create_application(argv: Sequence[str] | None = None) -> QApplication:
    """The one QApplication (re-used when it exists, e.g. under pytest-qt)."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(list(argv) if argv is not None else sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("planner")
    app.setOrganizationName("planner")
    app.setApplicationDisplayName("planner")
    pg.setConfigOptions(antialias=True)
    return app


def apply_theme(app: QApplication, theme: str = "system") -> None:
    """Light or dark palette on the Fusion style, or the system's own look.

    Offscreen rendering and some Linux desktops have no dark system palette,
    so the screenshot verb and the tests set one explicitly; the widgets
    follow palette changes by themselves.
    """
    if theme not in THEMES:
        raise ValueError(f"theme must be one of {', '.join(THEMES)}")
    if theme == "system":
        app.setPalette(QGuiApplication.palette())
        return
    app.setStyle(QStyleFactory.create("Fusion"))
    app.setPalette(dark_palette() if theme == "dark" else light_palette())


def light_palette() -> QPalette:
    p = QPalette()
    roles = {
        QPalette.ColorRole.Window: "#f3f4f6",
        QPalette.ColorRole.WindowText: "#1b1d21",
        QPalette.ColorRole.Base: "#ffffff",
        QPalette.ColorRole.AlternateBase: "#f1f3f5",
        QPalette.ColorRole.Text: "#1b1d21",
        QPalette.ColorRole.Button: "#e9ebee",
        QPalette.ColorRole.ButtonText: "#1b1d21",
        QPalette.ColorRole.Highlight: "#1f63b5",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.ToolTipBase: "#ffffe1",
        QPalette.ColorRole.ToolTipText: "#1b1d21",
        QPalette.ColorRole.PlaceholderText: "#5f6368",
        QPalette.ColorRole.Link: "#1f63b5",
        QPalette.ColorRole.BrightText: "#ffffff",
    }
    for role, colour in roles.items():
        p.setColor(role, QColor(colour))
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor("#9aa0a6"))
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor("#9aa0a6"))
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText, QColor("#9aa0a6"))
    return p


def dark_palette() -> QPalette:
    p = QPalette()
    roles = {
        QPalette.ColorRole.Window: "#23252a",
        QPalette.ColorRole.WindowText: "#e8eaed",
        QPalette.ColorRole.Base: "#1a1c20",
        QPalette.ColorRole.AlternateBase: "#2a2d33",
        QPalette.ColorRole.Text: "#e8eaed",
        QPalette.ColorRole.Button: "#30333a",
        QPalette.ColorRole.ButtonText: "#e8eaed",
        QPalette.ColorRole.Highlight: "#3d7bd6",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.ToolTipBase: "#30333a",
        QPalette.ColorRole.ToolTipText: "#e8eaed",
        QPalette.ColorRole.PlaceholderText: "#a0a4ab",
        QPalette.ColorRole.Link: "#8ab4f8",
        QPalette.ColorRole.BrightText: "#ffffff",
        QPalette.ColorRole.Light: "#3a3d44",
        QPalette.ColorRole.Midlight: "#33363c",
        QPalette.ColorRole.Mid: "#2a2c31",
        QPalette.ColorRole.Dark: "#141517",
        QPalette.ColorRole.Shadow: "#000000",
    }
    for role, colour in roles.items():
        p.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText, QPalette.ColorRole.WindowText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor("#6b7078"))
    return p


def build_window(
    settings: Settings | None = None, *, paths: int = 10_000, defer_panels: bool = False
) -> MainWindow:
    """A Workspace and its MainWindow, not yet shown and without data."""
    workspace = Workspace(paths=paths)
    return MainWindow(workspace, settings, defer_panels=defer_panels)


def run_app(files: Sequence[str] = (), demo: bool = False) -> int:
    """`planner` and `planner --demo`: show the window, then open files or the demo."""
    app = create_application()
    apply_theme(app, os.environ.get("PLANNER_THEME", "system"))
    settings = Settings.load()
    apply_language(settings.language)  # before any widget is built: labels are set once
    window = build_window(settings, defer_panels=True)
    place_window(window, settings.window_geometry)  # fits the available screen, as the user left it
    window.show()
    paths = [str(Path(f)) for f in files]

    def open_data() -> None:
        from planner.ui.recovery import start_scenario_session

        if start_scenario_session(window):  # restoring what a crash left behind: open nothing over it
            return
        if paths and not demo:
            window.open_files(paths)
        else:
            window.open_demo()

    QTimer.singleShot(0, open_data)  # after the first paint: the window is already up
    return int(app.exec())


def load_files_now(workspace: Workspace, files: Sequence[str | Path]) -> None:
    """Read files on the calling thread and load them (headless use: screenshot verb).

    The window's importer runs off the UI thread and may ask for a mapping;
    the screenshot verb has no one to ask, so it reads directly and fails
    with an `InputError` (exit status 2) instead.
    """
    from planner.io.open import load_file
    from planner.io.types import Budget, Deals

    budget: Budget | None = None
    deals: Deals | None = None
    for f in files:
        _kind, data = load_file(f)  # each file read once: detected and loaded from the same cells
        if isinstance(data, Budget):
            budget = data
        else:
            deals = data
    if budget is None or deals is None:
        raise InputError(None, "give one budget file and one CRM export (or --demo)")
    workspace.load(budget, deals, tuple(str(f) for f in files))


def _wait_for(condition: Callable[[], bool], timeout: float) -> bool:
    """Run the event loop until `condition()` holds (then let repaints finish)."""
    app = QApplication.instance()
    assert app is not None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        if condition():
            for _ in range(5):
                app.processEvents()
            return True
        time.sleep(0.01)
    return False


def wait_until_settled(window: MainWindow, timeout: float = 120.0) -> bool:
    """Run the event loop until the final (fine) results are on screen."""
    ws = window.workspace
    return _wait_for(
        lambda: ws.is_settled and not ws.is_busy and window.charts.shown is ws.results, timeout
    )


def render_screenshot(
    out: str | Path,
    *,
    files: Sequence[str | Path] = (),
    demo: bool = False,
    size: tuple[int, int] = (1280, 800),
    theme: str = "light",
    timeout: float = 120.0,
    brand_share: float | None = None,
    months: int | None = None,
    panel: str | None = None,
    language: str | None = None,
) -> Path:
    """Render the main window with results to a PNG; raises InputError on bad input.

    `brand_share` and `months` are applied as a user would (one document
    change), so the picture shows the scenario next to the baseline. `panel`
    (one of `PANELS`) brings that tab to the front; the best-split sweep is
    awaited so its curve is in the picture.
    """
    from planner.resources import demo_paths

    app = create_application()
    apply_theme(app, theme)
    # The user's language, but never their settings file: a headless verb must
    # not store this offscreen window's geometry (or anything else) into it.
    settings = Settings.load(read_only=True)
    apply_language(language or settings.language)
    if language:  # the number formats follow the chosen language, whatever the machine's locale
        from planner.ui.language import use_locale_of

        use_locale_of(language)
    window = build_window(settings)
    window.resize(*size)
    window.show()
    try:
        ws = window.workspace
        if panel == "welcome":
            _wait_for(lambda: True, 1.0)
            return _save(window, out)
        chosen: list[str | Path] = list(files) if files and not demo else list(demo_paths())
        if panel == "import-report":
            return _save_import_report(window, chosen, out, timeout)
        load_files_now(ws, chosen)
        changes: dict[str, object] = {}
        if brand_share is not None:
            changes["brand_share"] = float(brand_share)
        if months is not None:
            changes["months"] = int(months)
        if changes:
            ws.change(replace_scenario(ws.scenario, **changes), "Screenshot")
        window.controls.slider.setFocus()
        if not wait_until_settled(window, timeout):
            raise InputError(None, f"results did not arrive within {timeout:.0f} s")
        if panel is not None and panel in window.panel_index:
            window.show_panel(window.panel_index[panel])
            if panel == "bestSplit" and not _wait_for(
                lambda: window.best_split.sweep is not None and not window.best_split.is_running(),
                timeout,
            ):
                raise InputError(None, f"the best-split sweep did not finish within {timeout:.0f} s")
            if panel == "modelHealth" and not _wait_for(lambda: window.model_health.evidence is not None, timeout):
                raise InputError(None, f"the back-test did not finish within {timeout:.0f} s")
            if panel == "modelHealth":  # the fit may have updated the beliefs: show the settled results
                wait_until_settled(window, timeout)
        return _save(window, out)
    finally:
        window.close()


def _save(widget: object, out: str | Path) -> Path:
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if not widget.grab().save(str(out), "PNG"):  # type: ignore[attr-defined]
        raise InputError(out, "could not write the PNG")
    return out


def _save_import_report(window: MainWindow, files: list[str | Path], out: str | Path, timeout: float) -> Path:
    """Read the files (headless: no mapping questions) and render the import report dialog."""
    from planner.ui.import_report import ImportReportDialog

    load_files_now(window.workspace, files)
    report = window.current_import_report()
    assert report is not None
    dialog = ImportReportDialog(report, window)
    dialog.show()
    _wait_for(lambda: True, 0.5)
    try:
        return _save(dialog, out)
    finally:
        dialog.close()
