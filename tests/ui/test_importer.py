"""The import flow with real files: detection, worker thread, mapping dialog, errors, recent files.

Files are written by the generators in tests/filegen (the way Salesforce,
HubSpot, Excel and Nordic exports really look) and by scripts/make_demo.py,
then opened through the same `Importer.open_files` the window calls.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from tests.filegen import budget_files as bg
from tests.filegen import crm_files as cg

from planner.io.crm import preview_layout
from planner.io.open import MappingRequest, inspect_file, load_mapped
from planner.io.text import layout_key
from planner.io.types import Budget, Deals
from planner.resources import demo_paths
from planner.ui.importer import Importer
from planner.ui.mapping_dialog import MappingDialog
from planner.ui.settings import Settings
from planner.ui.workspace import Workspace


@pytest.fixture
def ws(qtbot, small_data) -> Iterator[Workspace]:
    workspace = Workspace(paths=100, coarse_paths=None, fine_delay_ms=0)
    workspace.load(*small_data, files=("budget.xlsx", "crm.csv"))
    yield workspace
    workspace.shutdown()


class Asker:
    """Stands in for the user in front of the mapping dialog: records requests, answers them."""

    def __init__(self, answer=None) -> None:
        self.requests: list[MappingRequest] = []
        self.answer = answer  # callable(request) -> mapping | None; None = accept what was detected

    def __call__(self, request: MappingRequest, parent) -> dict[str, str] | None:
        self.requests.append(request)
        if self.answer is None:
            return dict(request.detected)
        return self.answer(request)


class DialogUser:
    """Stands in for the user at the *real* modal mapping dialog the importer shows.

    The importer opens `MappingDialog` with `exec()`; a timer running inside
    that modal loop finds the visible dialog and hands it to `act`, which
    drives its widgets with qtbot as a person would (typing into a combo,
    clicking OK). `reasons` keeps the text each dialog showed above its preview.
    """

    def __init__(self, qtbot, act: Callable[[MappingDialog], None]) -> None:
        self.qtbot = qtbot
        self.act = act
        self.reasons: list[str] = []
        self.failure: BaseException | None = None
        self.timer = QTimer()
        self.timer.setInterval(20)
        self.timer.timeout.connect(self._poll)

    def __enter__(self) -> DialogUser:
        self.timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.timer.stop()
        if self.failure is not None:  # the real cause, ahead of "the import was cancelled"
            raise self.failure

    def _poll(self) -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, MappingDialog) and widget.isVisible():
                self.reasons.append(widget.reason.text())
                try:
                    self.act(widget)
                    assert not widget.isVisible(), "the user must close the dialog"
                except BaseException as exc:  # a failed check must not leave a modal loop running
                    self.failure = self.failure or exc
                    widget.reject()
                return


def _pick(qtbot, combo, typed: str) -> None:
    """Choose a combo entry the way a keyboard user does: focus it and type the start of it."""
    combo.setFocus()
    qtbot.keyClicks(combo, typed)


def _press_ok(qtbot, dialog: MappingDialog) -> None:
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert ok.isEnabled(), dialog.problem.text()
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)


@pytest.fixture
def settings(settings_dir: Path) -> Settings:
    return Settings.load()


@pytest.fixture
def importer(qtbot, ws, settings) -> Iterator[Importer]:
    imp = Importer(ws, None, settings=settings, ask_mapping=Asker())
    yield imp
    imp.shutdown()


def _open(qtbot, importer: Importer, *paths: Path) -> bool:
    with qtbot.waitSignal(importer.finished, timeout=60_000) as blocker:
        importer.open_files([str(p) for p in paths])
    return bool(blocker.args[0])


# ------------------------------------------------------------------ good files
def test_opening_the_demo_replaces_both_halves_and_remembers_it(qtbot, importer, ws, settings) -> None:
    budget_path, crm_path = demo_paths()
    assert _open(qtbot, importer, crm_path, budget_path)  # order does not matter
    assert ws.budget.currency == "NOK" and len(ws.budget.lines) == 10
    assert len(ws.deals) > 1_000
    assert ws.files == (str(budget_path), str(crm_path))
    assert not ws.can_undo()  # a new workspace starts a new history
    assert Settings.load().recent_files[0] == [str(budget_path), str(crm_path)]
    assert not importer.busy


CRM_WRITERS = {
    "salesforce.csv": lambda p, d: cg.write_salesforce_csv(p, d),
    "hubspot.xlsx": lambda p, d: cg.write_hubspot_xlsx(p, d),
    "german_unicode.txt": lambda p, d: cg.write_german_unicode_txt(p, d),
    "danish.csv": lambda p, d: cg.write_nordic_csv(p, d, "da"),
    "norwegian.csv": lambda p, d: cg.write_nordic_csv(p, d, "nb"),
    "plain.csv": lambda p, d: cg.write_plain_csv(p, d),
}


@pytest.mark.parametrize("name", sorted(CRM_WRITERS))
def test_opening_a_crm_export_keeps_the_budget(qtbot, importer, ws, tmp_path, name) -> None:
    language = {"german_unicode.txt": "de", "danish.csv": "da", "norwegian.csv": "nb"}.get(name, "en")
    deals = cg.make_deals(120, language=language, seed=3)
    path = tmp_path / name
    expected = CRM_WRITERS[name](path, deals)
    # a budget that names no currency, so exports in any currency may join it
    ws.load(replace(ws.budget, currency=None), ws.deals, ws.files)
    budget = ws.budget
    assert _open(qtbot, importer, path)
    assert ws.budget is budget
    assert len(ws.deals) == expected.rows
    assert ws.files == ("budget.xlsx", str(path))
    assert ws.source_stats  # the sources view has rows for the new export


BUDGET_WRITERS = {
    "wide_en.xlsx": lambda p, lines: bg.write_wide_xlsx(p, lines, language="en"),
    "wide_de_formulas.xlsx": lambda p, lines: bg.write_wide_xlsx(p, lines, language="de", formulas="totals"),
    "wide_da.csv": lambda p, lines: bg.write_wide_csv(p, lines, language="da"),
    "long.xlsx": lambda p, lines: bg.write_long(p, lines),
}


@pytest.mark.parametrize("name", sorted(BUDGET_WRITERS))
def test_opening_a_budget_keeps_the_crm_export(qtbot, importer, ws, tmp_path, name) -> None:
    language = {"wide_de_formulas.xlsx": "de", "wide_da.csv": "da"}.get(name, "en")
    lines = bg.make_lines(language)
    path = tmp_path / name
    expected = BUDGET_WRITERS[name](path, lines)
    ws.load(ws.budget, replace(ws.deals, currency=None), ws.files)  # any budget currency may join
    deals = ws.deals
    assert _open(qtbot, importer, path)
    assert ws.deals is deals
    assert ws.budget.total == pytest.approx(expected.total)
    assert len(ws.budget.months) == len(expected.months)


# ------------------------------------------------------------------ bad files
def _bad_files(tmp_path: Path) -> dict[str, Path]:
    files = {
        "random.xlsx": tmp_path / "random.xlsx",
        "truncated.xlsx": tmp_path / "truncated.xlsx",
        "empty.csv": tmp_path / "empty.csv",
        "header_only.csv": tmp_path / "header_only.csv",
    }
    files["random.xlsx"].write_bytes(bytes(range(256)) * 40)
    budget_path, _ = demo_paths()
    files["truncated.xlsx"].write_bytes(budget_path.read_bytes()[:1500])
    files["empty.csv"].write_bytes(b"")
    files["header_only.csv"].write_text("Opportunity Name,Stage,Amount,Close Date\n", encoding="utf-8")
    return files


@pytest.mark.parametrize("name", ["random.xlsx", "truncated.xlsx", "empty.csv", "header_only.csv"])
def test_a_bad_file_shows_one_line_and_keeps_the_workspace(qtbot, importer, ws, tmp_path, name) -> None:
    path = _bad_files(tmp_path)[name]
    before = (ws.budget, ws.deals, ws.files, ws.scenario, ws.history.index)
    with qtbot.waitSignal(ws.errorRaised, timeout=60_000) as error:
        importer.open_files([str(path)])
    message = error.args[0]
    assert name in message and "\n" not in message and len(message) < 300
    assert (ws.budget, ws.deals, ws.files, ws.scenario, ws.history.index) == before
    assert not importer.busy
    assert importer.ask_mapping.requests == []  # nothing to ask about: just an error
    assert Settings.load().recent_files == []


def test_one_bad_file_keeps_the_good_one_waiting_and_the_workspace_as_it_was(qtbot, importer, ws, tmp_path) -> None:
    """A valid budget opened with a broken CRM export: the workspace stays, the budget is kept, the bad file is named."""
    bad = _bad_files(tmp_path)["random.xlsx"]
    budget_path, crm_path = demo_paths()
    before = (ws.budget, ws.deals)
    reports = []
    importer.reported.connect(reports.append)
    with qtbot.waitSignal(ws.errorRaised, timeout=60_000) as error:
        assert not _open(qtbot, importer, budget_path, bad)
    assert (ws.budget, ws.deals) == before
    assert "random.xlsx" in error.args[0] and budget_path.name in error.args[0] and "\n" not in error.args[0]
    assert importer.pending["budget"][0] == str(budget_path)
    (report,) = reports
    assert [f.name for f in report.failed] == ["random.xlsx"]
    assert [f.status for f in report.files] == ["waiting", "failed"]
    # the corrected CRM export is all it takes: the kept budget is used with it
    assert _open(qtbot, importer, crm_path)
    assert ws.files == (str(budget_path), str(crm_path)) and importer.pending == {}


def test_every_import_reports_its_notices(qtbot, importer, ws) -> None:
    """The demo CRM export skips rows and the report says how many and why (what `planner inspect` says)."""
    reports = []
    importer.reported.connect(reports.append)
    assert _open(qtbot, importer, *demo_paths())
    (report,) = reports
    assert [f.kind for f in report.files] == ["budget", "crm"] and not report.failed
    crm = report.files[1]
    expected = [n.message for n in ws.deals.notices]
    assert list(crm.notices[: len(expected)]) == expected
    assert "deals" in crm.summary and "lines" in report.files[0].summary


def test_an_unknown_table_offers_the_dialog_and_cancel_keeps_the_workspace(qtbot, ws, settings, tmp_path) -> None:
    path = tmp_path / "weather.csv"
    bg.write_weather_csv(path)
    asker = Asker(answer=lambda request: None)  # the user presses Cancel
    importer = Importer(ws, None, settings=settings, ask_mapping=asker)
    before = (ws.budget, ws.deals, ws.files)
    with qtbot.waitSignal(ws.errorRaised, timeout=60_000) as error:
        importer.open_files([str(path)])
    assert len(asker.requests) == 1 and asker.requests[0].kind == "crm"
    assert asker.requests[0].header[:2] == ("Date", "Station")
    assert "weather.csv" in error.args[0]
    assert (ws.budget, ws.deals, ws.files) == before
    assert settings.mappings == {}
    importer.shutdown()


def test_a_reader_crash_is_one_line_not_a_crash(qtbot, importer, ws, monkeypatch) -> None:
    def broken(*args, **kwargs):
        raise ZeroDivisionError("reader bug")

    monkeypatch.setattr("planner.io.open.sheets_kind", broken)  # detection, inside io.open
    before = ws.deals
    with qtbot.waitSignal(ws.errorRaised, timeout=60_000) as error:
        importer.open_files([str(demo_paths()[1])])
    assert "reader bug" in error.args[0]
    assert ws.deals is before


# ------------------------------------------------------------------ mapping dialog
def _crm_with_unknown_source_column(path: Path) -> list[str]:
    """A CRM export whose lead-source column has a name no synonym list knows."""
    header = ["Opportunity Name", "Stage", "Amount", "Created Date", "Close Date", "Hvor kom kunden fra"]
    deals = cg.make_deals(40, seed=5)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        for d in deals:
            writer.writerow(
                [d.name, d.stage, "" if d.amount is None else f"{d.amount:.2f}", d.created.isoformat(), d.closed.isoformat(), d.source]
            )
    return header


def test_mapping_dialog_shows_preview_and_detected_columns(qtbot, tmp_path) -> None:
    path = tmp_path / "crm_unknown_source.csv"
    header = _crm_with_unknown_source_column(path)
    inspection = inspect_file(path)
    request = inspection.request
    assert request is not None and request.kind == "crm"
    assert inspection.data is None  # read once the user has answered, with the answer
    assert any("no lead source column" in d for d in request.details)
    assert request.detected == {
        "name": "Opportunity Name", "stage": "Stage", "amount": "Amount", "created": "Created Date", "closed": "Close Date"
    }  # fmt: skip
    assert request.key == layout_key(header)
    dialog = MappingDialog(request)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.preview.rowCount() == 7 and dialog.preview.columnCount() == len(header)
    assert dialog.combos["stage"].currentData() == "Stage"
    assert dialog.combos["source"].currentData() == ""  # not found: the user must say
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert ok.isEnabled()
    # the same column twice, or no stage, cannot be confirmed
    dialog.combos["source"].setCurrentIndex(dialog.combos["source"].findData("Amount"))
    assert not ok.isEnabled() and "once" in dialog.problem.text()
    dialog.combos["source"].setCurrentIndex(dialog.combos["source"].findData("Hvor kom kunden fra"))
    dialog.combos["stage"].setCurrentIndex(0)
    assert not ok.isEnabled() and "Stage" in dialog.problem.text()
    dialog.combos["stage"].setCurrentIndex(dialog.combos["stage"].findData("Stage"))
    assert ok.isEnabled()
    assert "Lead source" in dialog.preview.horizontalHeaderItem(5).text()
    assert dialog.mapping()["source"] == "Hvor kom kunden fra"
    for combo in dialog.combos.values():
        assert combo.accessibleName() and combo.toolTip()


MISSED = "Angebotssumme (EUR)"  # an amount header no rule knows


def _won_amount(deals: Deals) -> float:
    return float(np.nansum(deals.amount[deals.won]))


def test_german_export_with_an_unknown_amount_column_asks_once_per_layout(qtbot, ws, settings, tmp_path) -> None:
    """Reason shown -> user picks the column in the real dialog -> right deals -> remembered -> not asked again."""
    path = tmp_path / "Verkaufschancen.xlsx"
    exp = cg.write_german_export_xlsx(path, cg.make_deals(150, language="de", sources=cg.SOURCES_DE, seed=4), amount_header=MISSED)

    def user(dialog: MappingDialog) -> None:
        assert dialog.combos["amount"].currentData() == ""  # nothing found, nothing guessed
        assert dialog.combos["stage"].currentData() == "Phase"  # what was found is preselected
        assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
        assert dialog.preview.rowCount() > 3 and MISSED in dialog.preview.horizontalHeaderItem(3).text()
        _pick(qtbot, dialog.combos["amount"], "Angebots")
        assert dialog.combos["amount"].currentData() == MISSED
        assert "Amount" in dialog.preview.horizontalHeaderItem(3).text()  # the preview follows
        _pick(qtbot, dialog.combos["deal_type"], "(")  # "(not in this file)"
        assert dialog.combos["deal_type"].currentData() == ""
        _press_ok(qtbot, dialog)

    importer = Importer(ws, None, settings=settings)  # the real dialog, no stand-in
    with DialogUser(qtbot, user) as person:
        assert _open(qtbot, importer, path)
        assert len(person.reasons) == 1
        assert "Verkaufschancen.xlsx" in person.reasons[0] and "no amount column found" in person.reasons[0]
        assert len(ws.deals) == exp.rows and _won_amount(ws.deals) == pytest.approx(exp.won_amount)
        assert ws.deals.columns["amount"] == MISSED and ws.deals.currency == "EUR"
        assert "deal_type" not in ws.deals.columns and set(ws.deals.deal_type) == {""}  # "" reached the reader
        remembered = Settings.load().mapping_for(preview_layout(path).layout_key)
        assert remembered is not None
        assert remembered["amount"] == MISSED and remembered["deal_type"] == ""

        # Next month's export of the same report: no question, the remembered choice is used.
        second = tmp_path / "Verkaufschancen Juni.xlsx"
        exp2 = cg.write_german_export_xlsx(second, cg.make_deals(70, language="de", sources=cg.SOURCES_DE, seed=9), amount_header=MISSED)
        assert _open(qtbot, importer, second)
        assert len(person.reasons) == 1
    assert len(ws.deals) == exp2.rows and _won_amount(ws.deals) == pytest.approx(exp2.won_amount)
    assert ws.files[1] == str(second)
    importer.shutdown()


def test_budget_workbook_with_two_budgets_lets_the_user_pick_the_sheet(qtbot, ws, settings, tmp_path) -> None:
    path = tmp_path / "plan.xlsx"
    plan, actuals = bg.write_two_budgets_xlsx(path, bg.make_lines(seed=1), bg.make_lines(seed=2)[:5])
    shown: list[int] = []

    def user(dialog: MappingDialog) -> None:
        combo = dialog.combos["sheet"]
        assert combo.currentData() == "Budget 2026"  # detection's choice is preselected
        assert f"{len(plan.lines)} lines" in combo.currentText()
        shown.append(dialog.preview.rowCount())
        _pick(qtbot, combo, "Act")
        assert combo.currentData() == "Actuals 2025"
        shown.append(dialog.preview.rowCount())  # the preview shows the chosen sheet
        _press_ok(qtbot, dialog)

    importer = Importer(ws, None, settings=settings)
    with DialogUser(qtbot, user) as person:
        assert _open(qtbot, importer, path)
        assert len(person.reasons) == 1 and "several sheets hold a budget" in person.reasons[0]
        assert shown == [len(plan.lines) + 1, len(actuals.lines) + 1]  # header row + lines
        assert ws.budget.sheet == "Actuals 2025"
        assert ws.budget.total == pytest.approx(actuals.total) and ws.budget.months == actuals.months
        assert _open(qtbot, importer, path)  # remembered: not asked again
        assert len(person.reasons) == 1 and ws.budget.sheet == "Actuals 2025"
    importer.shutdown()


def test_crm_workbook_with_two_deal_sheets_offers_the_sheet(qtbot, tmp_path) -> None:
    path = tmp_path / "exports.xlsx"
    _, last_year = cg.write_two_deal_sheets_xlsx(path, cg.make_deals(50, seed=1), cg.make_deals(90, seed=2), ("2025", "2024"))
    request = inspect_file(path).request
    assert request is not None and request.choose_sheet and request.sheets == ("2025", "2024")
    dialog = MappingDialog(request)
    qtbot.addWidget(dialog)
    _pick(qtbot, dialog.combos["sheet"], "2024")
    assert dialog.combos["stage"].currentData()  # the columns of the chosen sheet, detected again
    mapping = dialog.mapping()
    assert mapping["sheet"] == "2024"
    deals = load_mapped(path, "crm", mapping)
    assert isinstance(deals, Deals) and len(deals) == last_year.rows and deals.sheet == "2024"


def test_accepting_what_was_detected_loads_the_file(qtbot, importer, ws, tmp_path) -> None:
    path = tmp_path / "crm_unknown_source.csv"
    _crm_with_unknown_source_column(path)
    assert _open(qtbot, importer, path)
    assert len(importer.ask_mapping.requests) == 1
    assert len(ws.deals) == 40


def test_budget_workbook_with_two_budget_sheets_asks_which(qtbot, importer, ws, tmp_path) -> None:
    from openpyxl import load_workbook

    path = tmp_path / "two_budgets.xlsx"
    bg.write_wide_xlsx(path, bg.make_lines("en"), sheet="Budget 2026", extra_sheets=())
    wb = load_workbook(path)
    copy = wb.copy_worksheet(wb["Budget 2026"])
    copy.title = "Budget 2026 (draft)"
    wb.save(path)
    assert _open(qtbot, importer, path)
    (request,) = importer.ask_mapping.requests
    assert request.kind == "budget"
    assert set(request.sheets) == {"Budget 2026", "Budget 2026 (draft)"}
    assert request.detected["sheet"] in request.sheets
    assert isinstance(ws.budget, Budget) and ws.budget.sheet == request.detected["sheet"]
    dialog = MappingDialog(request)
    qtbot.addWidget(dialog)
    dialog.combos["sheet"].setCurrentIndex(1)
    assert dialog.mapping() == {"sheet": dialog.combos["sheet"].currentData()}
    assert dialog.preview.rowCount() > 3


def test_only_a_budget_into_an_empty_workspace_waits_for_the_crm(qtbot, settings) -> None:
    empty = Workspace(paths=100, coarse_paths=None)
    importer = Importer(empty, None, settings=settings, ask_mapping=Asker())
    budget_path, crm_path = demo_paths()
    errors: list[str] = []
    empty.errorRaised.connect(errors.append)
    with qtbot.waitSignal(empty.noticeRaised, timeout=60_000) as message:
        importer.open_files([str(budget_path)])
    assert "CRM" in message.args[0] and not errors  # information, not an error
    assert empty.budget is None and "budget" in importer.pending
    assert _open(qtbot, importer, crm_path)
    assert isinstance(empty.deals, Deals) and empty.budget.currency == "NOK"
    assert empty.files == (str(budget_path), str(crm_path))
    importer.shutdown()
    empty.shutdown()


def test_importer_uses_the_windows_settings_object(qtbot, ws) -> None:
    from PySide6.QtWidgets import QWidget

    class Host(QWidget):
        pass

    host = Host()
    qtbot.addWidget(host)
    host.settings = Settings(path=None)
    importer = Importer(ws, host)
    assert importer.settings is host.settings


class _LoadFailsOnce(Workspace):
    """A real Workspace whose first `load` after arming raises a bug (not an InputError)."""

    armed = False

    def load(self, budget, deals, files=()) -> None:
        if self.armed:
            self.armed = False
            raise RuntimeError("load bug")
        super().load(budget, deals, files)


def test_a_bug_after_reading_ends_busy_and_later_opens_work(qtbot, small_data, settings) -> None:
    from PySide6.QtGui import QGuiApplication

    ws = _LoadFailsOnce(paths=100, coarse_paths=None, fine_delay_ms=0)
    ws.load(*small_data, files=("budget.xlsx", "crm.csv"))
    imp = Importer(ws, None, settings=settings, ask_mapping=Asker())
    try:
        ws.armed = True
        before = (ws.budget, ws.deals, ws.files)
        with qtbot.waitSignal(ws.errorRaised, timeout=60_000) as error:
            imp.open_files([str(p) for p in demo_paths()])
        assert "load bug" in error.args[0] and "\n" not in error.args[0]
        assert not imp.busy
        assert QGuiApplication.overrideCursor() is None
        assert (ws.budget, ws.deals, ws.files) == before
        # The next open is not refused as "busy": it loads.
        assert _open(qtbot, imp, *demo_paths())
        assert ws.files == tuple(str(p) for p in demo_paths())
    finally:
        imp.shutdown()
        ws.shutdown()


def test_a_crm_in_another_currency_is_refused_and_keeps_the_workspace(qtbot, importer, ws, tmp_path) -> None:
    """A NOK budget with a EUR export would mix currencies unconverted: one line, nothing replaced."""
    budget_path, crm_path = demo_paths()
    assert _open(qtbot, importer, budget_path, crm_path)
    before = (ws.budget, ws.deals, ws.files, ws.scenario)
    eur = tmp_path / "deals_eur.csv"
    eur.write_text(
        "Opportunity Name,Stage,Amount (EUR),Created Date,Close Date,Lead Source\n"
        "A,Closed Won,12000,2025-01-05,2025-03-01,Referral\n"
        "B,Closed Lost,8000,2025-02-05,2025-04-01,Webinar\n"
        "C,Proposal,9000,2025-03-05,,Web\n",
        encoding="utf-8",
    )
    with qtbot.waitSignal(ws.errorRaised, timeout=60_000) as error:
        importer.open_files([str(eur)])
    assert "NOK" in error.args[0] and "EUR" in error.args[0] and "\n" not in error.args[0]
    assert (ws.budget, ws.deals, ws.files, ws.scenario) == before
    assert not importer.busy
