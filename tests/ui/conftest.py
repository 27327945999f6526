"""Fixtures for the window tests: a temp settings folder and a loaded Workspace.

The data is generated here (a small budget and CRM export with a known brand
share and known source classes), so these tests do not depend on the demo
files and run in seconds on a shared two-core machine.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from planner.io.types import Budget, BudgetLine, Deals  # noqa: E402

MONTHS = tuple(f"2025-{m:02d}" for m in range(1, 13))


def make_budget(currency: str = "EUR") -> Budget:
    """A 12-month budget, 30 % brand, with a seasonal demand line."""
    season = 1.0 + 0.2 * np.sin(np.arange(12) / 12 * 2 * np.pi)
    lines = (
        BudgetLine("Brand campaign (TV/online video)", "brand", np.full(12, 18_000.0), "Brand"),
        BudgetLine("Thought leadership content", "brand", np.full(12, 12_000.0), "Brand"),
        BudgetLine("Paid search", "demand", 25_000.0 * season, "Demand"),
        BudgetLine("LinkedIn lead gen ads", "demand", np.full(12, 22_000.0), "Demand"),
        BudgetLine("Events and webinars", "demand", np.full(12, 23_000.0), "Demand"),
    )
    return Budget(months=MONTHS, lines=lines, currency=currency, path="budget.xlsx")


def make_deals(n: int = 600, seed: int = 7, currency: str = "EUR") -> Deals:
    """Two years of CRM history: intent sources win more often than demand ones."""
    rng = np.random.default_rng(seed)
    sources = np.array(["Inbound website", "Referral", "Paid search", "LinkedIn ads", "Webinar"], dtype=object)
    classes = {"Inbound website": "intent", "Referral": "intent", "Paid search": "demand", "LinkedIn ads": "demand", "Webinar": "demand"}
    win_p = {"intent": 0.38, "demand": 0.17}
    src = rng.choice(sources, size=n, p=[0.2, 0.1, 0.3, 0.25, 0.15])
    cls = np.array([classes[s] for s in src], dtype=object)
    created = np.datetime64("2023-01-01") + rng.integers(0, 720, size=n).astype("timedelta64[D]")
    cycle = rng.lognormal(np.log(75), 0.5, size=n).astype(int).astype("timedelta64[D]")
    closed_at = created + cycle
    today = np.datetime64("2024-12-31")
    is_open = closed_at > today
    won = rng.random(n) < np.array([win_p[c] for c in cls])
    outcome = np.where(is_open, "open", np.where(won, "won", "lost")).astype(object)
    closed = np.where(is_open, np.datetime64("NaT"), closed_at).astype("datetime64[D]")
    amount = rng.lognormal(np.log(24_000), 0.6, size=n)
    stage = np.where(outcome == "won", "Closed Won", np.where(outcome == "lost", "Closed Lost", "Proposal")).astype(object)
    return Deals(
        name=np.array([f"Deal {i}" for i in range(n)], dtype=object),
        stage=stage,
        outcome=outcome,
        amount=amount,
        created=created.astype("datetime64[D]"),
        closed=closed,
        source=src.astype(object),
        source_class=cls,
        deal_type=np.array(["new"] * n, dtype=object),
        currency=currency,
        path="crm.csv",
    )


@pytest.fixture(autouse=True, scope="session")
def english_ui() -> Iterator[None]:
    """English texts and number formats, whatever the machine's locale (CI often has "C")."""
    from PySide6.QtCore import QLocale

    from planner.i18n import set_language

    previous = QLocale()
    set_language("en")
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    yield
    QLocale.setDefault(previous)


@pytest.fixture(autouse=True)
def english_again() -> Iterator[None]:
    """A test that switches the language (the window applies it at once) leaves English behind."""
    yield
    from PySide6.QtCore import QLocale

    from planner.i18n import language, set_language

    if language() != "en":
        set_language("en")
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))


@pytest.fixture(autouse=True)
def settings_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every UI test writes its settings into its own temp folder, never the user's."""
    folder = tmp_path / "settings"
    folder.mkdir()
    monkeypatch.setenv("PLANNER_SETTINGS_DIR", str(folder))
    return folder


@pytest.fixture
def small_data() -> tuple[Budget, Deals]:
    return make_budget(), make_deals()


@pytest.fixture
def workspace(qtbot, small_data: tuple[Budget, Deals]) -> Iterator[object]:
    """A Workspace loaded with the small data set, fine results already on screen."""
    from planner.ui.workspace import Workspace

    ws = Workspace(paths=2_000, coarse_paths=500, fine_delay_ms=30)
    with qtbot.waitSignal(ws.resultsReady, timeout=60_000):
        ws.load(*small_data, files=("budget.xlsx", "crm.csv"))
    qtbot.waitUntil(lambda: ws.is_settled and not ws.is_busy, timeout=60_000)
    yield ws
    ws.shutdown()


@pytest.fixture
def window(qtbot, workspace) -> Iterator[object]:
    """The real MainWindow over the loaded workspace, shown offscreen."""
    from planner.ui.main_window import MainWindow

    win = MainWindow(workspace)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    qtbot.waitUntil(lambda: win.charts.shown is workspace.results, timeout=30_000)
    yield win
    win.best_split.shutdown()
